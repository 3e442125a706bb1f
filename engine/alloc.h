/* The allocator interface, as the engine sees it. Every decision interval
 * the driver fills an eng_alloc_obs from what happened and asks the
 * scenario's allocator for an eng_alloc_decision (a target executor count);
 * the serverless pool then requests or releases executors. Allocators live in
 * policies/ (one variant per file, registered by YAML name); they never call
 * the runtime, so one policy runs in simulation and live. */
#ifndef ENG_ALLOC_H
#define ENG_ALLOC_H

#include <stddef.h>
#include <stdint.h>

#include "engine/rt.h"

/* What the allocator sees; all rates per second, times in ns. */
typedef struct eng_alloc_obs {
    rt_time_t now;             /* simulated or wall time since the run started */
    rt_time_t time_of_day;     /* now mapped to a day, from the workload's start */
    rt_time_t interval;        /* the decision interval */
    double input_rate;         /* records/s produced to the bus over the last interval */
    double processed_rate;     /* records/s committed by the sink over the last interval */
    uint64_t backlog;          /* bus lag: records produced but not yet committed */
    uint32_t pending_tasks;    /* tasks waiting for a free slot right now */
    rt_time_t trigger;         /* micro-batch trigger interval (0: as soon as possible) */
    rt_time_t last_batch_time; /* processing time of the last completed batch */
    rt_time_t avg_batch_time;  /* mean batch processing time over the last interval */
    rt_time_t backlog_since;   /* how long tasks have been pending continuously (0: none) */
    double latency_p50_ms;     /* over records committed in the last interval */
    double latency_p95_ms;
    double slo_ms;
    uint32_t ready;      /* executors ready to run tasks */
    uint32_t pending;    /* executors requested, still starting */
    uint32_t idle;       /* ready executors with no running task */
    rt_time_t *idle_for; /* per ready executor, how long it has been idle (0: busy); length `ready` */
    uint32_t slots_per_executor;
    double utilisation;     /* busy slot-time / ready slot-time over the last interval, in [0,1] */
    double cost_rate_usd_h; /* current spend rate of ready + pending executors */
    uint32_t min_executors, max_executors;
    uint32_t running_tasks; /* tasks running on ready executors right now */
    uint32_t batches;       /* micro-batches completed over the last interval (avg_batch_time's count) */
    double slo_share;       /* of the readings committed over the last interval, the share over the SLO */
} eng_alloc_obs;

typedef struct eng_alloc_decision {
    uint32_t target; /* executors wanted (ready + pending), clamped to [min, max] by the pool */
} eng_alloc_decision;

/* One allocator parameter from YAML: a name and its value (durations in ns). */
typedef struct eng_param {
    char key[48];
    double value;
    int line, col; /* where it was written (0 if not from a file) */
} eng_param;

#define ENG_MAX_PARAMS 16

/* The future, for an allocator that plans ahead (the oracle,
 * policies/alloc_oracle.c): the exact arrival curve of the run and the
 * capacity facts of its pipeline. experiments/ fills it before init when the
 * allocator's ops set needs_forecast (experiments/forecast.h); otherwise it
 * is all zero. */
typedef struct eng_alloc_forecast {
    /* rate[j]: records/s appended to the bus during [j step, (j+1) step);
     * partition_records[j * map_tasks + p]: how many of them went to
     * partition p (NULL: unknown, taken as spread evenly). Both borrowed. */
    const double *rate;
    const uint32_t *partition_records;
    size_t n;            /* steps, covering [0, end) */
    rt_time_t step;      /* the trigger (step j feeds the batch triggered at (j+1) step); 1 s without one */
    rt_time_t trigger;   /* micro-batch interval; 0 for asap and for continuous mode */
    rt_time_t ingest;    /* the largest delay from a record's device timestamp to its arrival at the bus */
    rt_time_t slo;       /* the scenario's latency objective */
    rt_time_t end;       /* duration + drain: executors are released then */
    double map_flops;    /* per record, map stage */
    double reduce_flops; /* per record, reduce stage */
    double task_overhead_flops;
    uint32_t map_tasks;    /* per batch at most: one per bus partition */
    uint32_t reduce_tasks; /* per batch */
    uint32_t slots;        /* task slots (cores) per executor */
    double slot_flops;     /* flops/s of one slot */
    rt_time_t startup_max; /* executor startup delay's upper bound (lognormal: its 99.9 % quantile) */
    rt_time_t billing_minimum, billing_granularity;
} eng_alloc_forecast;

/* Training (experiments/train_env.c): a learning allocator in a training run
 * hands each decision to the learner instead of its own network. act gets
 * the observation, the allocator's feature vector of it (n values) and the
 * reward of the interval that just ended, and returns the index of the
 * action to take, or -1 to hold the current target. */
typedef struct eng_alloc_learner {
    int (*act)(void *ctx, const eng_alloc_obs *obs, const float *features, size_t n, double reward);
    void *ctx;
} eng_alloc_learner;

typedef struct eng_alloc_opts {
    char name[32];
    eng_param params[ENG_MAX_PARAMS];
    size_t nparams;
    char checkpoint[4096]; /* learning allocators: checkpoint file ("" if none) */
    rt_time_t interval;    /* decision interval */
    uint32_t min_executors, max_executors;
    uint32_t initial_executors;
    const eng_alloc_learner *learner; /* training runs of the learning allocators; NULL otherwise */
    eng_alloc_forecast future;        /* filled only for allocators with needs_forecast */
} eng_alloc_opts;

#define ENG_ALLOC_ABI 1

/* An allocator variant. New slots go at the end. */
typedef struct eng_alloc_ops {
    int abi;
    const char *name;
    const char *summary;            /* one line for --help and docs */
    const char *const *param_names; /* NULL-terminated */
    /* Creates the policy's state; on bad parameters returns NULL and writes
     * what is wrong (naming the parameter) into err. */
    void *(*init)(const eng_alloc_opts *o, char *err, size_t errlen);
    void (*decide)(void *state, const eng_alloc_obs *obs, eng_alloc_decision *d);
    void (*free)(void *state);
    /* 1: init must be given o->future (simulation computes it from the
     * scenario and seed); init without it (rate NULL) only checks the
     * parameters, and that state must not decide. */
    int needs_forecast;
} eng_alloc_ops;

#endif
