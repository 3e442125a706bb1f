/* Sweeps: every variant x seed of a scenario, each run in its own child
 * process (experiments/runner.h), several at once, optionally only one shard
 * of them so that a batch scheduler can split a sweep across machines; then
 * the summary table over every result of the scenario in the output folder
 * (analysis/table.h). `sparkiot sweep` is a thin wrapper; docs/sweeps.md
 * documents the run order, sharding and the table. */
#ifndef XP_SWEEP_H
#define XP_SWEEP_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "experiments/scenario.h"

typedef struct xp_sweep_opts {
    const char *scenario; /* the scenario file */
    const xp_set *sets;   /* --set overrides, applied to every variant (borrowed) */
    size_t nsets;
    const char *overrides;  /* the same as text, recorded in each result file */
    const char *out_dir;    /* results go to out_dir/<scenario>/<variant>/seed-<n>.h5 */
    uint32_t seed_count;    /* seeds per variant; 0: the scenario's `seeds` */
    unsigned jobs;          /* runs at once, >= 1 */
    unsigned shard, shards; /* run only indices i with i mod shards == shard - 1; 1 <= shard <= shards */
    const char *baseline;   /* variant the cost ratio divides by; NULL: the scenario's first variant */
    int progress;           /* keep a "runs done/total, failed" line on stderr */
} xp_sweep_opts;

/* One run of the sweep. Index i = k * variants + v: seed offset k (the seed
 * is the scenario's `seed` + k), variant v in file order. */
typedef struct xp_sweep_item {
    size_t index;
    size_t variant;
    uint64_t seed;
} xp_sweep_item;

/* The runs of this shard, in index order, into a new array *runs (free()
 * it) of *n entries, for a scenario with `variants` variants. */
int xp_sweep_plan(size_t variants, uint64_t first_seed, uint32_t seeds, unsigned shard, unsigned shards,
                  xp_sweep_item **runs, size_t *n);

enum { XP_SWEEP_BAD_INPUT = -1, XP_SWEEP_FAILED = -2 };

/* Loads the scenario and each variant (any error: XP_SWEEP_BAD_INPUT with
 * the loader's message in err, nothing run), runs this shard's runs at most
 * o->jobs at a time, reporting each failed run by name on `log` as it ends,
 * then builds the table over every result file under out_dir/<scenario>/
 * (other shards' and earlier runs' included), prints it as Markdown on `md`
 * and writes table.md and table.csv into that folder. A shard without runs
 * (more shards than runs) says so on `log` and makes no table. Returns 0,
 * or XP_SWEEP_FAILED if a run failed (the others still ran) or the table
 * could not be built or written (err says which). */
int xp_sweep_run(const xp_sweep_opts *o, FILE *md, FILE *log, char *err, size_t errlen);

#endif
