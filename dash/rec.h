/* The dashboard's unit of data: a fixed-size record a run emits after each
 * of its sampling intervals (a point), once at its end (its summary), and
 * what the dashboard knows about a run before it starts (its identity). A
 * forked simulation writes records down a pipe to the process that serves
 * the page (dash/feed.h) as a dash_wire header and the payload; a point is
 * far smaller than PIPE_BUF, so its one write is atomic and is either all
 * in the pipe or dropped. */
#ifndef DASH_REC_H
#define DASH_REC_H

#include <stddef.h>
#include <stdint.h>

#include "engine/metrics.h"
#include "engine/pipeline.h"

/* One sampling interval of one run, as the page plots it. */
typedef struct dash_point {
    uint64_t seq;                              /* position in the hub's series, from 1 (set by the hub) */
    uint32_t run;                              /* index of the run in the hub */
    uint32_t ready, pending, target;           /* executors at t, and the allocator's target */
    double t_s;                                /* simulated (or, live, run) time at the end of the interval */
    double wall_s;                             /* wall time since the run started */
    double in_rate, out_rate;                  /* readings per simulated second over the interval */
    uint64_t in_total, out_total;              /* readings produced to the bus and committed, so far */
    uint64_t backlog;                          /* bus lag at t (records) */
    double lat_p50_ms, lat_p95_ms, lat_p99_ms; /* over readings committed in the interval */
    double cost_usd;                           /* cumulative bill at t */
    double cost_rate_usd_h;                    /* bill growth over the interval, per simulated hour */
    /* The run's optional paths so far (engine/metrics.h's eng_sample): */
    uint8_t has_shuffle, has_privacy;
    uint32_t sync_sites;       /* 0: no sync */
    uint64_t shuffle_bytes[4]; /* written to memory, local SSD, remote service, object store */
    uint64_t privacy_bytes;
    double privacy_edge_cpu_s, privacy_cloud_cpu_s;
    double sync_lag_max_ms, sync_lag_median_ms; /* over the sites */
    double sync_lag_ms[ENG_SAMPLE_LAG_SITES];   /* of sites 0, 1, ... (min(sync_sites, 8) of them) */
} dash_point;

enum { DASH_REC_POINT = 1, DASH_REC_SUMMARY = 2 };

/* What a run writes to its feed. */
typedef struct dash_rec {
    uint32_t kind; /* DASH_REC_* */
    uint32_t run;
    union {
        dash_point point;
        eng_summary summary;
    } u;
} dash_rec;

/* A record on a pipe: this header, then `size` payload bytes (a dash_point
 * or an eng_summary, by kind). The run is the pipe's. */
typedef struct dash_wire {
    uint32_t kind, size;
} dash_wire;

/* The payload size of a record of `kind`; 0 for an unknown kind. */
size_t dash_rec_payload(uint32_t kind);

/* A run as the header names it; filled by whoever starts the run. */
typedef struct dash_run_info {
    char scenario[64];
    char variant[64];
    char backend[16]; /* "simgrid" or "live" */
    uint64_t seed;
    double slo_ms;
    double end_s; /* simulated time at which the run ends (duration + drain) */
} dash_run_info;

/* The identity of a run of `scenario`/`variant` with options o. */
void dash_run_info_fill(dash_run_info *i, const char *scenario, const char *variant, const char *backend,
                        uint64_t seed, const eng_run_opts *o);

/* Fills `p` (all but seq and run) from the sample m just recorded (m has
 * at least one), its predecessor (if any) and the wall time since the run
 * started. The caller carries the running totals in *in_total and
 * *out_total (0 at the start; updated here). */
void dash_point_from_metrics(const eng_metrics *m, double wall_s, uint64_t *in_total, uint64_t *out_total,
                             dash_point *p);

#endif
