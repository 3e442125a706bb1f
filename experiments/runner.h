/* The runner: one simulation of one scenario variant and seed, in a forked
 * child process (SimGrid allows one engine per process), writing one result
 * file atomically. Used by `run`, `sweep` and the tests. */
#ifndef XP_RUNNER_H
#define XP_RUNNER_H

#include <stddef.h>
#include <stdint.h>

#include "experiments/scenario.h"

/* results/<scenario>/<variant>/seed-<n>.h5 under out_dir. */
void xp_result_path(char *buf, size_t len, const char *out_dir, const char *scenario, const char *variant,
                    uint64_t seed);

/* Runs the loaded scenario `s` (already specialised to `variant`) with
 * `seed` and writes `out_path`. `overrides` are recorded in the file's
 * metadata. progress: draw a progress bar on stderr. Returns 0, or -1 with a
 * message (no file is left behind on failure). */
int xp_run_one(const xp_scenario *s, const char *variant, uint64_t seed, const char *overrides,
               const char *out_path, int progress, char *err, size_t errlen);

/* Runs in this process (no fork): for a forked child or a test harness
 * that already runs in its own process. Same contract as xp_run_one. */
int xp_run_here(const xp_scenario *s, const char *variant, uint64_t seed, const char *overrides,
                const char *out_path, int progress, char *err, size_t errlen);

#endif
