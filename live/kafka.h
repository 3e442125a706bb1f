/* The Kafka side of the live bus: one connection per process to a Kafka
 * cluster — the one named by --kafka, or librdkafka's in-process mock
 * cluster on 127.0.0.1 — with the scenario's topic (one partition per
 * bus.partitions) and its state topic <topic>.state (as many partitions:
 * the engines' per-partition ledgers, live/ledger.h), an idempotent
 * producer (acks=all) for the edges' records, their end markers and the
 * state records, and a consumer for the engine: assigned every partition
 * (one engine in the process of the whole run), or a member of the
 * consumer group that shares the partitions among engine processes, with
 * rebalances (live/kafka_group.c). Either way a partition is read from the
 * offset its latest state record names. The broker actor
 * (live/broker_kafka.c) and its poller (live/kafka_poll.c) use it; the
 * runner opens it before the clock starts and closes it after the run. */
#ifndef LIVE_KAFKA_H
#define LIVE_KAFKA_H

#include <librdkafka/rdkafka.h>
#include <librdkafka/rdkafka_mock.h>
#include <stdatomic.h>
#include <stddef.h>
#include <stdint.h>

#include "engine/rec.h"
#include "live/ledger.h"

typedef struct live_kafka_opts {
    const char *bootstrap;     /* NULL: start librdkafka's mock cluster on 127.0.0.1 */
    const char *const *config; /* "key=value" client settings passed through (TLS, SASL, ...) */
    size_t nconfig;
    const char *topic, *group; /* the topic and the engine's consumer group */
    uint32_t partitions;
    int produce, consume; /* which clients this process needs */
    int group_member;    /* consume as a member of the group (rebalances) instead of taking every partition */
    live_ledger *ledger; /* consume: the partitions' accounting (borrowed until the close) */
    int timeout_ms;      /* bound on connecting and on topic set-up */
} live_kafka_opts;

/* Called on the consumer's thread when partitions are assigned, after
 * their ledgers are read and before records flow. */
typedef void (*live_kafka_assign_fn)(void *ctx, const rd_kafka_topic_partition_list_t *parts);

typedef struct live_kafka {
    rd_kafka_mock_cluster_t *mock; /* the mock cluster (NULL with --kafka) */
    rd_kafka_t *mock_owner;        /* ... and its handle */
    char bootstrap[512];
    char topic[256], state_topic[272];
    uint32_t partitions;
    int timeout_ms;
    rd_kafka_t *producer, *consumer;
    rd_kafka_t *state_reader; /* reads state records on assignment (no group) */
    live_ledger *ledger;
    rd_kafka_queue_t *queue; /* the consumer's messages */
    live_kafka_assign_fn on_assign;
    void *on_assign_ctx;
    atomic_uint_fast64_t delivered, failed;                 /* delivery reports of records */
    atomic_uint_fast64_t control_delivered, control_failed; /* ... of end markers and state records */
    atomic_uint_fast64_t control_sent;
} live_kafka;

/* Connects, creates the topic if missing (checking its partition count if
 * not), and assigns the consumer. Every step is bounded by timeout_ms.
 * Returns NULL with a message naming the cluster on failure. */
live_kafka *live_kafka_open(const live_kafka_opts *o, char *err, size_t errlen);
/* Flushes the producer (at most timeout_ms), closes both clients and the
 * mock cluster. NULL is allowed. */
void live_kafka_close(live_kafka *k, int timeout_ms);

/* Queues record `r` for partition p (key: the device id in decimal, value:
 * its live/wire.h encoding, timestamps epoch0 + run time). Waits while the
 * producer's queue is full. Returns the bytes of key and value, or -1 on a
 * fatal producer error. */
int live_kafka_produce(live_kafka *k, uint32_t p, const eng_rec *r, int64_t epoch0);
/* Queues an end marker or a state record (`state`: to the state topic),
 * counted in control_sent and its delivery in control_delivered. 0 or -1. */
int live_kafka_produce_control(live_kafka *k, int state, uint32_t p, const char *key, const void *value,
                               size_t len);
/* Whether every control message queued so far has been reported. */
int live_kafka_control_settled(live_kafka *k);
/* Serves delivery reports (counted in delivered / failed). */
void live_kafka_poll_producer(live_kafka *k);
/* Commits offsets[p] (the next Kafka offset to read; < 0: leave p alone)
 * for the consumer group; sync waits for the cluster's answer. 0 or -1. */
int live_kafka_commit(live_kafka *k, const int64_t *offsets, int sync);

/* live/kafka_group.c. The consumer's rebalance callback: assignments read
 * the partitions' latest state records into the ledger and start from the
 * offsets they name (then call on_assign); revocations take the partitions
 * out of the ledger and wait until this process's state records are
 * delivered, so the next owner reads the latest. */
void live__kafka_rebalance(rd_kafka_t *rk, rd_kafka_resp_err_t err, rd_kafka_topic_partition_list_t *parts,
                           void *opaque);
/* After the run: waits until this process's state records are delivered,
 * then reads every partition's latest one to settle which partitions this
 * engine reports (live_ledger_settle). */
void live_kafka_settle(live_kafka *k);
/* Assigns every partition (one engine for the run), each from its state
 * record's offset or else the group's committed one. 0, or -1 with a
 * message. */
int live__kafka_assign_all(live_kafka *k, char *err, size_t errlen);

#endif
