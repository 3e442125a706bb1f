/* Predictive prefetching of cloud state at the edge. Every window an edge
 * gateway forwards, its devices read cloud state — their metric's global
 * baseline, their own configuration, and, for a metric with an anomalous
 * reading, the metric's scoring model — through an edge cache with a byte
 * budget: a hit is local, a miss pays a WAN round trip plus the transfer.
 * A prefetch policy (policies/prefetch_*.c, chosen by YAML name) predicts
 * each key's reads in the next window from the history of past windows, and
 * the cache pulls the most likely keys ahead of need within the budget.
 * This header is what the rest of the engine and experiments/ see: the
 * options of the `prefetch:` scenario section, the policy interface, the
 * cache (prefetch_cache.c), the oracle bounds (prefetch_oracle.c) and the
 * calls the root actor and the edge gateways make (prefetch_run.c).
 * docs/prefetch.md describes the read stream and the model. */
#ifndef ENG_PREFETCH_H
#define ENG_PREFETCH_H

#include <stddef.h>
#include <stdint.h>

#include "engine/metrics.h"
#include "engine/rec.h"
#include "engine/rt.h"
#include "engine/topo.h"

/* The kinds of cloud state an edge reads (docs/prefetch.md). */
typedef enum { ENG_PF_BASELINE = 0, ENG_PF_CONFIG, ENG_PF_MODEL, ENG_PF_KINDS } eng_pf_kind;

typedef struct eng_prefetch_opts {
    int enabled;                        /* the scenario has a prefetch section */
    uint32_t budget;                    /* bytes of cached items per edge gateway */
    double threshold;                   /* predicted reads in the next window for a key to be prefetched */
    rt_time_t hit_latency;              /* a read served from the edge cache */
    uint32_t header_bytes;              /* request and response overhead of one fetch */
    uint32_t item_bytes[ENG_PF_KINDS];  /* size of one baseline, configuration, model */
    uint32_t config_period;             /* the least-read device refreshes its configuration every this many
                                           windows (a power of two) */
    double ewma_alpha;                  /* ewma: weight of the newest window */
    uint32_t ar_order, ar_history;      /* ar: lags, and windows of history each fit uses */
    uint32_t lstm_hidden, lstm_history; /* lstm: cell size, and windows of history it reads */
    double lstm_lr;                     /* lstm: Adam learning rate */
} eng_prefetch_opts;

void eng_prefetch_defaults(eng_prefetch_opts *o);
/* -1 with a message naming the field by its YAML path (prefetch.*). */
int eng_prefetch_check(const eng_prefetch_opts *o, char *err, size_t errlen);

#define ENG_PREFETCH_POLICY_ABI 1

/* A prefetch policy (policies/prefetch_*.c): a pure predictor. It never
 * calls the runtime. New slots go at the end. */
typedef struct eng_prefetch_policy {
    int abi;
    const char *name;
    int cache;      /* keeps demand-fetched items in the cache (0: no cache at all) */
    int prefetches; /* observe predicts, and the cache prefetches at window boundaries */
    /* A predictor's state for one edge, or NULL with a message; NULL for
     * policies without state (observe is then NULL too). */
    void *(*init)(const eng_prefetch_opts *o, uint64_t seed, char *err, size_t errlen);
    /* After each window: counts[k] is how often key k was read in it (keys
     * are dense, numbered from 0 in order of first read; nkeys never
     * shrinks). Writes score[k], the predicted reads of key k in the next
     * window, for every k < nkeys. 0, or a negative POL_NN_* code. */
    int (*observe)(void *state, const uint32_t *counts, size_t nkeys, double *score);
    void (*free)(void *state);
} eng_prefetch_policy;

/* The WAN path of a fetch: a request and its response cross the edge's
 * uplink and the cloud's links; fetches issued together are pipelined on
 * the path's bandwidth. */
typedef struct eng_pf_net {
    rt_time_t rtt;    /* 2 x (wan.latency + cloud.latency) */
    double bandwidth; /* bytes/s: min(wan.bandwidth, cloud.bandwidth) */
} eng_pf_net;

void eng_pf_net_of(const eng_topo_opts *t, eng_pf_net *net);

/* What one cache measured. Every read is a hit (served from the cache:
 * no fetch; `late` of them waited for a prefetch still in flight) or a miss
 * (a demand fetch). */
typedef struct eng_pf_stats {
    uint64_t reads, hits, misses, late;
    uint64_t demand_bytes;   /* demand fetches, headers included */
    uint64_t prefetch_bytes; /* prefetches, headers included */
    uint64_t wasted_bytes;   /* items prefetched and evicted (or left at the end) without a read */
    uint64_t peak_bytes;     /* the most the cache ever held (<= the budget) */
    eng_hist latency;        /* every read's latency */
} eng_pf_stats;

/* The edge cache of one gateway, driven window by window. */
typedef struct eng_pf_cache eng_pf_cache;

/* A cache of o->budget bytes run by policy pol (borrowed, with o and net,
 * for the cache's life); seed starts the predictor's random stream. NULL
 * with a message if the predictor cannot start. Free with
 * eng_pf_cache_free. */
eng_pf_cache *eng_pf_cache_new(const eng_prefetch_opts *o, const eng_prefetch_policy *pol,
                               const eng_pf_net *net, uint64_t seed, char *err, size_t errlen);
void eng_pf_cache_free(eng_pf_cache *c);
/* One window read at time t: n distinct keys with their sizes in bytes
 * (a key keeps its size). Serves them, then lets the policy observe the
 * window and prefetches for the next. 0, or a negative code from the
 * predictor. */
int eng_pf_cache_window(eng_pf_cache *c, rt_time_t t, const uint32_t *keys, const uint32_t *bytes, size_t n);
/* What the cache measured so far (the histogram included), counting the
 * prefetched items it holds unread as wasted, as they are if the run ends
 * now. */
void eng_pf_cache_stats(const eng_pf_cache *c, eng_pf_stats *out);
/* The read stream so far, window by window: window w's keys are
 * keys[start[w] .. start[w+1]) (start has nwindows + 1 entries) and key k
 * weighs bytes[k] (header excluded). Borrowed, valid until the next window
 * or the free. */
typedef struct eng_pf_stream {
    const uint32_t *keys, *start, *bytes;
    size_t nwindows, nkeys;
} eng_pf_stream;
void eng_pf_cache_stream(const eng_pf_cache *c, eng_pf_stream *s);

/* Oracle bounds over a read stream and a budget (prefetch_oracle.c).
 * Belady's MIN for demand caching: every miss is admitted, and the items
 * evicted are those whose next read is furthest in the future (never read
 * again first); exact for equal sizes. Returns its hits. */
uint64_t eng_pf_oracle_demand(const eng_pf_stream *s, uint64_t budget);
/* The bound for every policy, prefetching ones included: knowing the next
 * window's reads, the cache holds before it as many of them as fit (the
 * smallest first, which maximises their number). Since a key is read at
 * most once per window, no cache can hit more. Returns its hits. */
uint64_t eng_pf_oracle_prefetch(const eng_pf_stream *s, uint64_t budget);

/* Internal to engine/prefetch_*.c: realloc to n items of `size` bytes,
 * aborting when out of memory. */
void *eng_pf__grow(void *p, size_t n, size_t size);

/* The prefetching of one run (prefetch_run.c). */
typedef struct eng_prefetch_run eng_prefetch_run;
typedef struct eng_prefetch_site eng_prefetch_site;

/* Called by the root actor before it spawns the gateways: one cache per
 * site. Aborts if a predictor cannot start (the scenario was checked). */
eng_prefetch_run *eng_prefetch_start(const eng_prefetch_opts *o, const eng_prefetch_policy *pol,
                                     const eng_topo_opts *topo, uint32_t devices_per_site, uint64_t seed);
/* Site s's reader, used by that site's gateway only. */
eng_prefetch_site *eng_prefetch_site_of(eng_prefetch_run *r, uint32_t site);
/* The gateway forwarded records r[0..n) at time now: their devices read
 * what they need (docs/prefetch.md) through the site's cache. */
void eng_prefetch_window(eng_prefetch_site *p, rt_time_t now, const eng_rec *r, size_t n);
/* After every gateway has ended: computes the oracles, writes the prefetch
 * fields of m->summary, m->prefetch_read and m->prefetch_policy, and frees r. */
void eng_prefetch_finish(eng_prefetch_run *r, eng_metrics *m);

#endif
