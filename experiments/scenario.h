/* A scenario: one YAML file describing an experiment — topology, workload,
 * edge, bus, driver, cloud profile, allocator, state sync, seeds, duration,
 * and named variants (each a list of key.path=value overrides).
 * xp_scenario_load reads and validates it; everything else reads the filled
 * structs. */
#ifndef XP_SCENARIO_H
#define XP_SCENARIO_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "engine/cost.h"
#include "engine/pipeline.h"
#include "engine/topo.h"
#include "policies/alloc.h"
#include "traces/replay.h"
#include "workloads/wl.h"

#define XP_MAX_VARIANTS 32
#define XP_MAX_SETS 32

typedef struct xp_set {
    char key[128]; /* dotted path, e.g. allocator.name */
    char value[256];
} xp_set;

typedef struct xp_variant {
    char name[64];
    xp_set sets[XP_MAX_SETS];
    size_t nsets;
} xp_variant;

typedef struct xp_scenario {
    char path[4096]; /* the file it came from */
    char *text;      /* the file's text (owned) */
    char name[64];
    char description[512];
    uint64_t seed;  /* first seed */
    uint32_t seeds; /* how many seeds a sweep runs: seed, seed+1, ... */
    rt_time_t duration, drain, slo;
    eng_topo_opts topo;
    wl_opts workload;
    char preset[32];
    int replay;     /* workload.kind is trace: the devices replay `trace` instead of `workload` */
    tr_trace trace; /* workload.trace, prepared (format detected, file scanned) when replay is set */
    eng_edge_opts edge;
    eng_bus_opts bus;
    eng_driver_opts driver;
    char cloud_name[64];
    eng_cloud cloud;
    eng_alloc_opts alloc;
    xp_variant variants[XP_MAX_VARIANTS];
    size_t nvariants;           /* 0: one implicit variant called "default" */
    char variant[64];           /* the variant whose overrides were applied ("default": none) */
    char cloud_path[4096];      /* the cloud profile file read ("": the built-in default profile) */
    eng_sync_opts sync;         /* edge-cloud state sync (enabled when the file has a sync section) */
    int sync_policy;            /* index into pol_sync_names (policies/sync.h) */
    eng_prefetch_opts prefetch; /* edge reads of cloud state (enabled when the file has a prefetch section) */
    int prefetch_policy;        /* index into pol_prefetch_names (policies/prefetch.h) */
    eng_shuffle_opts shuffle;   /* placement policy, windows, holder releases (tiers: topo.store) */
    int privacy_enabled;        /* the file has a privacy section */
    eng_priv_run_opts privacy;  /* the privacy path (experiments/scenario_privacy.c) */
    char privacy_costs[4096];   /* the calibration file its costs came from */
} xp_scenario;

/* Loads and validates `path`, then applies `sets` (command-line --set
 * overrides, in order) and, if `variant` is not NULL, that variant's
 * overrides first ("default" names the file as written unless a variant of
 * that name exists). Returns NULL and writes "file:line:column: message"
 * (or "--set key: message") into err on any problem. Free with
 * xp_scenario_free. The YAML schema is documented in docs/scenarios.md. */
xp_scenario *xp_scenario_load(const char *path, const char *variant, const xp_set *sets, size_t nsets,
                              char *err, size_t errlen);
void xp_scenario_free(xp_scenario *s);

/* How many variants a sweep runs (at least 1) and the name of the i-th
 * ("default" when the file has no variants); the name is owned by s. */
size_t xp_variant_count(const xp_scenario *s);
const char *xp_variant_name(const xp_scenario *s, size_t i);

/* Prints what would run, for `sparkiot validate`: name, variants x seeds
 * and their result paths, sites x devices and the expected readings/s,
 * duration, pipeline, allocator and its parameters, cloud profile and
 * prices. Returns 0, or -1 if writing failed. */
int xp_scenario_describe(const xp_scenario *s, FILE *out);

/* Fills o with borrowed pointers into s. */
void xp_scenario_run_opts(const xp_scenario *s, eng_run_opts *o);

#endif
