/* Internal to the sync agents (sync_edge.c, sync_cloud.c, sync_run.c): what
 * an agent actor is around its protocol state machine — its channels, the
 * fault model applied to what it sends and receives, the policy it
 * consults, the end-of-run handshake, and the report it leaves for the root
 * actor. Messages between agents are ENG_MSG_SYNC with `b` saying what. */
#ifndef ENG_SYNC_AGENT_H
#define ENG_SYNC_AGENT_H

#include "engine/actors.h"
#include "engine/sync.h"
#include "engine/sync_monitor.h"
#include "engine/sync_proto.h"

typedef enum {
    ENG_SYNC_PACKET = 1, /* a protocol message: body = eng_sync_packet */
    ENG_SYNC_DIGEST,     /* edge -> cloud, measurement: x = sample, t = its time, body = eng_sync_digest */
    ENG_SYNC_FIN,        /* at the end: x = messages sent to the receiver before it; body = the edge's
                            final digest (edge -> cloud) or NULL */
    ENG_SYNC_DONE,       /* agent -> root: its report is complete */
} eng_sync_what;

/* A protocol message in flight: its wire bytes, and (measurement only) the
 * updates it carries. */
typedef struct eng_sync_packet {
    uint8_t *bytes;
    size_t len;
    eng_sync_vis *vis;
    size_t nvis;
} eng_sync_packet;

/* What one agent measured, read by the root once the agent is done. */
typedef struct eng_sync_report {
    eng_hist vis;         /* visibility latency of the peers' updates merged here */
    uint64_t bytes;       /* offered to the network (dropped ones included) */
    uint64_t round_bytes; /* of those, in deltas and states */
    uint64_t rounds, states, acks;
    uint64_t lost, cut, dups;                     /* dropped by loss, dropped by a partition, sent twice */
    rt_time_t heal_seen[ENG_SYNC_MAX_PARTITIONS]; /* latest visibility, over a link partition k cut, of an
                                                      update applied before it healed (-1: none) */
    eng_sync_sample *rows;                        /* the cloud's divergence samples (owned) */
    size_t nrows;
    uint64_t divergent_end;
} eng_sync_report;

struct eng_sync_run {
    const eng_sync_opts *o;
    const eng_sync_policy *pol;
    uint32_t nsites;
    rt_time_t end;
    rt_time_t latency;        /* one-way propagation latency of an edge-cloud path */
    eng_sync_report *reports; /* [s]: site s's agent; [nsites]: the cloud's */
    rt_chan_t *done;
    /* Measurement only (sync_lag.h): [s] site s's agent's protocol state,
     * [nsites] the cloud's, each set by its agent while it runs (NULL
     * otherwise) and read by the driver's sampler; the sampler's own last
     * lag per site and scratch. */
    const eng_sync_proto **probe;
    double *lag_ms, *lag_sorted;
};

/* Allocates and frees r's measurement-only fields (sync_lag.c). */
void eng_sync__lag_init(eng_sync_run *r);
void eng_sync__lag_free(eng_sync_run *r);

#define ENG_SYNC_CLOUD_CHAN "sync-cloud"

typedef struct eng_sync_agent {
    rt_t *rt;
    const eng_sync_run *run;
    eng_sync_report *rep;
    eng_sync_proto proto;
    rt_chan_t *self;
    rt_chan_t **to;       /* per peer */
    uint32_t *site;       /* per peer: the edge site of the link */
    uint64_t *sent, *got; /* per peer: messages put on / taken from the link */
    uint64_t *expect;     /* per peer: its FIN's count, UINT64_MAX before it */
    uint64_t next_sample; /* the next sample index to take */
    int ending;
} eng_sync_agent;

/* Sets up an agent with replica id `replica`, listening on `self`, whose
 * peer j is reached on channel peers[j] over the link of site sites[j] and
 * holds scopes[j]; starts its policy ticker and its end ticker. */
void eng_sync__agent_init(eng_sync_agent *g, rt_t *rt, const eng_sync_run *run, eng_sync_report *rep,
                          crdt_replica_t replica, const char *self, const char *const *peers,
                          const uint32_t *sites, const int32_t *scopes, uint32_t npeers);
void eng_sync__agent_free(eng_sync_agent *g);

/* Asks the policy about peer j (timer: on a timer tick, else after an
 * event) and sends what it decides. */
void eng_sync__consult(eng_sync_agent *g, uint32_t j, int timer);
void eng_sync__consult_all(eng_sync_agent *g, int timer);

/* Handles an ENG_SYNC message from peer j (m stays the caller's): counts
 * it for the end handshake, drops a packet the partition cuts, merges it and
 * acknowledges. Returns eng_sync_proto_receive's answer (0 when dropped or
 * ending). FIN records the count; DIGEST is left to the caller. */
int eng_sync__on_msg(eng_sync_agent *g, uint32_t j, eng_msg *m);

/* The sample index a tick at t falls in, if a sample is due (else -1). */
int64_t eng_sync__sample_due(eng_sync_agent *g, rt_time_t t);

/* Sends a measurement message (no faults, no bytes) to peer j. */
void eng_sync__notify(eng_sync_agent *g, uint32_t j, eng_sync_what what, uint64_t x, rt_time_t t, void *body,
                      void (*body_free)(void *));

/* eng_sync_digest_free for a message body. */
void eng_sync__digest_free(void *digest);

/* Stops the protocol: sends each peer its FIN (with `digest`, owned, if the
 * agent has one peer). */
void eng_sync__finish(eng_sync_agent *g, eng_sync_digest *digest);
/* Every peer's FIN and every message it announced have arrived. */
int eng_sync__drained(const eng_sync_agent *g);
/* Tells the root the report is complete. */
void eng_sync__done(eng_sync_agent *g);

/* Start the agent actors (sync_edge.c, sync_cloud.c). */
void eng_sync__spawn_edge(rt_t *rt, const eng_sync_run *run, uint32_t site);
void eng_sync__spawn_cloud(rt_t *rt, const eng_sync_run *run);

#endif
