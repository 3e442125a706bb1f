/* Options of the pipeline's stages — edge gateway, bus, driver (micro-batch
 * or continuous), executors' operator costs — and the entry point that wires
 * the actors of one run onto a runtime. experiments/ fills the options from
 * YAML; sim/ and live/ provide the runtime. */
#ifndef ENG_PIPELINE_H
#define ENG_PIPELINE_H

#include <stddef.h>
#include <stdint.h>

#include "engine/alloc.h"
#include "engine/cost.h"
#include "engine/detect.h"
#include "engine/metrics.h"
#include "engine/prefetch.h"
#include "engine/priv_run.h"
#include "engine/rt.h"
#include "engine/shuffle.h"
#include "engine/source.h"
#include "engine/sync.h"
#include "engine/topo.h"

typedef enum { ENG_EDGE_RAW = 0, ENG_EDGE_AGGREGATE } eng_edge_mode;

typedef struct eng_edge_opts {
    eng_edge_mode mode;
    rt_time_t flush;  /* raw: forward buffered readings every `flush` (0: each on arrival) */
    rt_time_t window; /* aggregate: tumbling window length (event time) */
    int filter;       /* drop readings outside [filter_min, filter_max] */
    double filter_min, filter_max;
    double flops_per_reading; /* gateway CPU per reading */
    uint32_t aggregate_bytes; /* wire size of one aggregate record */
    eng_detect_opts detect;   /* anomaly detector scored against the labels (off by default) */
} eng_edge_opts;

typedef struct eng_bus_opts {
    uint32_t partitions;
    double append_flops;    /* broker CPU per record appended */
    double fetch_flops;     /* broker CPU per record fetched */
    uint32_t request_bytes; /* size of a fetch / offsets / commit request */
} eng_bus_opts;

typedef enum { ENG_MICROBATCH = 0, ENG_CONTINUOUS } eng_exec_mode;
typedef enum { ENG_COST_FIXED = 0, ENG_COST_EXPONENTIAL } eng_cost_dist;

typedef struct eng_driver_opts {
    eng_exec_mode mode;
    rt_time_t trigger;                /* micro-batch interval (0: next batch as soon as the previous ends) */
    uint64_t max_records_per_trigger; /* 0: unlimited */
    uint32_t reduce_tasks;
    eng_cost_dist map_dist;     /* per record map cost: fixed or exponential with this mean */
    double map_flops;           /* mean flops per record in the map stage */
    double reduce_flops;        /* flops per record in the reduce stage */
    double task_overhead_flops; /* per task (scheduling, deserialisation) */
    uint32_t shuffle_bytes_per_record;
    rt_time_t sample_interval; /* time-series resolution */
} eng_driver_opts;

/* Everything one run needs. Pointers are borrowed for the run's duration. */
typedef struct eng_run_opts {
    const eng_topo_opts *topo;
    const eng_source_ops *source;
    const void *source_opts; /* the source's own options */
    uint32_t devices_per_site;
    uint32_t record_bytes; /* wire size of one raw reading */
    const eng_edge_opts *edge;
    const eng_bus_opts *bus;
    const eng_driver_opts *driver;
    const eng_cloud *cloud;
    const eng_alloc_ops *alloc_ops;
    const eng_alloc_opts *alloc;
    uint64_t seed;
    rt_time_t duration; /* devices stop sending at this time */
    rt_time_t drain;    /* the pipeline keeps running this long after */
    rt_time_t slo;
    const eng_sync_opts *sync;                  /* edge-cloud state sync; NULL: none */
    const eng_sync_policy *sync_policy;         /* when sync is not NULL */
    const eng_shuffle_opts *shuffle;            /* shuffle placement, windows, holder releases */
    const eng_shuffle_policy *shuffle_policy;   /* the placement policy shuffle->policy names */
    const eng_priv_run_opts *privacy;           /* window totals released to the cloud; NULL: none */
    const eng_prefetch_opts *prefetch;          /* edge reads of cloud state; NULL: none */
    const eng_prefetch_policy *prefetch_policy; /* when prefetch is not NULL */
} eng_run_opts;

void eng_edge_defaults(eng_edge_opts *o);
int eng_edge_check(const eng_edge_opts *o, char *err, size_t errlen);
void eng_bus_defaults(eng_bus_opts *o);
int eng_bus_check(const eng_bus_opts *o, char *err, size_t errlen);
void eng_driver_defaults(eng_driver_opts *o);
int eng_driver_check(const eng_driver_opts *o, char *err, size_t errlen);

/* Progress callback: called from the driver with the run's time; may print. */
typedef void (*eng_progress_fn)(void *ctx, rt_time_t now, rt_time_t end);

/* The root actor's argument: it spawns every other actor of the run, and
 * fills `metrics` (owned by the caller) before the last actor ends. */
typedef struct eng_run {
    eng_run_opts o;
    eng_metrics *metrics;
    eng_progress_fn progress;
    void *progress_ctx;
} eng_run;

/* The root actor: run it on host ENG_HOST_DRIVER with an eng_run * (borrowed). */
void eng_pipeline_main(rt_t *rt, void *run);

#endif
