/* Edge-cloud state sync: every edge gateway and the cloud keep a replica of
 * the shared state (per-device aggregates, the active alarms, the cloud's
 * per-metric baselines) in delta-state CRDTs (engine/crdt/) and converge
 * through a delta anti-entropy protocol over the runtime's channels. This
 * header is what the rest of the engine and experiments/ see: the options of
 * the `sync:` scenario section (network faults included), the sync policy
 * interface (policies/sync_*.c, chosen by YAML name), and the two calls the
 * root actor makes to start the sync agents and to collect what they
 * measured. docs/sync.md describes the protocol and the measurements. */
#ifndef ENG_SYNC_H
#define ENG_SYNC_H

#include <stddef.h>
#include <stdint.h>

#include "engine/metrics.h"
#include "engine/rt.h"
#include "engine/topo.h"

#define ENG_SYNC_MAX_PARTITIONS 8
#define ENG_SYNC_ALL_SITES (-1)

/* While start <= t < end, every sync message of the site's link (or of every
 * link, site ENG_SYNC_ALL_SITES) is dropped, at the sender and at the
 * receiver. */
typedef struct eng_sync_partition {
    int32_t site;
    rt_time_t start, end;
} eng_sync_partition;

typedef struct eng_sync_opts {
    int enabled;          /* the scenario has a sync section */
    rt_time_t interval;   /* periodic and full_state: sync period; eager: retransmission timeout */
    rt_time_t tick;       /* how often an agent consults its policy (and the finest sampling step) */
    rt_time_t sample;     /* divergence sampling period (rounded up to ticks) */
    rt_time_t full_after; /* a delta unacknowledged this long leaves the buffer: the peer gets a full state */
    double loss;          /* probability that a sync message is dropped, drawn by the sender */
    double duplicate;     /* probability that a sent sync message is sent twice */
    uint32_t batch_bytes; /* adaptive: send at once when this many new delta bytes wait */
    rt_time_t max_backoff; /* adaptive: longest retransmission wait while acknowledgements are missing */
    uint32_t header_bytes; /* transport overhead added to every sync message's encoded size */
    eng_sync_partition partitions[ENG_SYNC_MAX_PARTITIONS];
    uint32_t npartitions;
} eng_sync_opts;

void eng_sync_defaults(eng_sync_opts *o);
/* Checks the options against a topology of `sites` sites; -1 with a message
 * naming the field by its YAML path (sync.*). */
int eng_sync_check(const eng_sync_opts *o, uint32_t sites, char *err, size_t errlen);
/* 1 if the link of `site` is cut at time t. */
int eng_sync_partitioned(const eng_sync_opts *o, uint32_t site, rt_time_t t);

/* What a sync policy sees, for one peer, when an agent consults it: after
 * every local update, every merge, every acknowledgement and on every tick
 * of its timer (`sync.tick`). */
typedef struct eng_sync_obs {
    rt_time_t now;
    rt_time_t since_send;   /* since the last delta or state sent to the peer; RT_FOREVER if none yet */
    uint64_t pending_bytes; /* encoded bytes of the buffered deltas the peer has not acknowledged */
    uint64_t unsent_bytes;  /* of those, the bytes never sent */
    uint32_t pending;       /* the same two, counted in deltas */
    uint32_t unsent;
    uint32_t acks_outstanding; /* sends unanswered: since the peer's acknowledgements last advanced
                                  (1 if those still leave some in flight), 0 when all are answered */
    double update_rate;        /* deltas per second entering the buffer (moving average) */
    rt_time_t link_latency;    /* one-way: half the smoothed round trip, or the topology's before any ack */
    int need_state;            /* deltas the peer needs were dropped: a delta is sent as a full state */
    int timer;                 /* consulted on the agent's timer tick (else after an update, a merge or an
                                  acknowledgement) */
} eng_sync_obs;

typedef enum { ENG_SYNC_WAIT = 0, ENG_SYNC_SEND_DELTA, ENG_SYNC_SEND_STATE } eng_sync_action;

#define ENG_SYNC_POLICY_ABI 1

/* A sync policy (policies/sync_*.c): a pure function of the options and an
 * observation. It never calls the runtime. New slots go at the end. */
typedef struct eng_sync_policy {
    int abi;
    const char *name;
    eng_sync_action (*decide)(const eng_sync_opts *o, const eng_sync_obs *obs);
} eng_sync_policy;

/* The sync agents of one run (sync_run.c). */
typedef struct eng_sync_run eng_sync_run;

/* Called by the root actor at time 0: spawns one agent per site on its edge
 * host and the cloud agent on the broker host, running until `end`. Returns
 * the handle eng_sync_finish takes. */
eng_sync_run *eng_sync_start(rt_t *rt, const eng_sync_opts *o, const eng_sync_policy *pol,
                             const eng_topo_opts *topo, rt_time_t end);
/* Waits until every agent has ended, then writes what they measured into
 * m (the sync fields of m->summary, m->sync_up, m->sync_down and the sync
 * samples) and frees r. */
void eng_sync_finish(rt_t *rt, eng_sync_run *r, eng_metrics *m);

/* The channel of site s's sync agent (the edge gateway hands it each
 * window's aggregates). */
void eng_sync_edge_chan(char *buf, size_t len, uint32_t site);

#endif
