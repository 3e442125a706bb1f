/* The live bus broker: an actor on channel "broker" that speaks exactly the
 * engine's broker protocol (engine/msg.h: PRODUCE, EDGE_DONE, OFFSETS_REQ ->
 * OFFSETS, FETCH_REQ -> FETCH, COMMIT, STOP -> STOPPED), so the edge, driver
 * and executor actors run unchanged, but keeps the records in Kafka: edges'
 * records are produced to the topic, followed by their end markers
 * (live/edge_ends.h), and a poller actor consumes the topic into the
 * broker's in-memory view. The engine's offsets are that view's (per
 * partition, counting distinct records since the process started); the
 * broker maps them back to Kafka offsets when it commits, and counts what
 * the driver commits in the partitions' ledgers (live/ledger.h), whose
 * state records it produces after each commit. Either side may be absent:
 * a process of edges only produces, one of the engine only consumes.
 *
 * Poller -> broker messages reuse ENG_MSG_PUSH ("records just appended"):
 * a = the partition (LIVE_POLL_BEAT: none, a heartbeat), recs = its new
 * distinct records, offs[i] = the Kafka offset of recs.r[i], y = the
 * partition's next Kafka offset after everything consumed so far. The
 * poller answers STOP with STOPPED: x = duplicates dropped, y = undecodable
 * records, a = consumer errors. */
#ifndef LIVE_BROKER_KAFKA_H
#define LIVE_BROKER_KAFKA_H

#include <stdint.h>

#include "engine/actors.h"
#include "live/kafka.h"
#include "live/rt_live.h"

#define LIVE_CHAN_POLL "broker-poll"
#define LIVE_POLL_BEAT UINT32_MAX

typedef struct live_bus_stats {
    uint64_t produced, delivered, delivery_failed; /* records this process produced */
    uint64_t end_markers;                          /* ... and end markers */
    uint64_t consumed;                             /* distinct records consumed */
    uint64_t duplicates;                           /* consumed again and dropped */
    uint64_t stale;                                /* from before the run's origin: another run's */
    uint64_t undecodable, consumer_errors;
    uint64_t queued;  /* readings of owned partitions consumed, never committed */
    uint64_t missing; /* records the edges' end markers announce in owned partitions, never consumed */
} live_bus_stats;

typedef struct live_broker_arg {
    const eng_ctx *ctx;
    live_kafka *kafka; /* its ledger: the consumed partitions' accounting */
    const live_clock *clock;
    uint32_t first_site;       /* this process's edges: sites [first_site, first_site + local_edges) */
    uint32_t local_edges;      /* the broker waits for their EDGE_DONE, then sends their end markers */
    const uint64_t *const *in; /* in[i][p]: readings local site i's devices delivered for partition p */
    rt_time_t stop_wait;       /* after STOP, how long to wait for records still in flight */
    rt_time_t dedup_horizon;   /* see live/dedup.h */
    live_bus_stats *stats;     /* filled when the broker ends */
} live_broker_arg;

/* The broker actor; arg: live_broker_arg * (borrowed for the run). It starts
 * its poller itself. */
void live_broker_main(rt_t *rt, void *arg);
/* The poller actor (started by the broker); arg: live_broker_arg *. */
void live__poll_main(rt_t *rt, void *arg);

#endif
