/* The live bus broker: an actor on channel "broker" that speaks exactly the
 * engine's broker protocol (engine/msg.h: PRODUCE, EDGE_DONE, OFFSETS_REQ ->
 * OFFSETS, FETCH_REQ -> FETCH, COMMIT, STOP -> STOPPED), so the edge, driver
 * and executor actors run unchanged, but keeps the records in Kafka: edges'
 * records are produced to the topic, and a poller actor consumes the topic
 * into the broker's in-memory view. The engine's offsets are that view's
 * (per partition, counting distinct records from the group's committed
 * position); the broker maps them back to Kafka offsets when it commits.
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
    uint64_t consumed;                             /* distinct records consumed */
    uint64_t duplicates;                           /* consumed again and dropped */
    uint64_t undecodable, consumer_errors;
    uint64_t missing; /* produced by this process's edges, never consumed by the stop deadline */
} live_bus_stats;

typedef struct live_broker_arg {
    const eng_ctx *ctx;
    live_kafka *kafka;
    const live_clock *clock;
    uint32_t local_edges;    /* edges of this process: the broker waits for their EDGE_DONE */
    rt_time_t stop_wait;     /* after STOP, how long to wait for records still in flight */
    rt_time_t dedup_horizon; /* see live/dedup.h */
    live_bus_stats *stats;   /* filled when the broker ends */
} live_broker_arg;

/* The broker actor; arg: live_broker_arg * (borrowed for the run). It starts
 * its poller itself. */
void live_broker_main(rt_t *rt, void *arg);
/* The poller actor (started by the broker); arg: live_broker_arg *. */
void live__poll_main(rt_t *rt, void *arg);

#endif
