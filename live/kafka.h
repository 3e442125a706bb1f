/* The Kafka side of the live bus: one connection per process to a Kafka
 * cluster — the one named by --kafka, or librdkafka's in-process mock
 * cluster on 127.0.0.1 — with the scenario's topic (one partition per
 * bus.partitions), an idempotent producer (acks=all) for the edges' records
 * and a consumer for the engine, assigned every partition from the consumer
 * group's committed offsets. The broker actor (live/broker_kafka.c) and its
 * poller (live/kafka_poll.c) use it; the runner opens it before the clock
 * starts and closes it after the run. */
#ifndef LIVE_KAFKA_H
#define LIVE_KAFKA_H

#include <librdkafka/rdkafka.h>
#include <librdkafka/rdkafka_mock.h>
#include <stdatomic.h>
#include <stddef.h>
#include <stdint.h>

#include "engine/rec.h"

typedef struct live_kafka_opts {
    const char *bootstrap;     /* NULL: start librdkafka's mock cluster on 127.0.0.1 */
    const char *const *config; /* "key=value" client settings passed through (TLS, SASL, ...) */
    size_t nconfig;
    const char *topic, *group; /* the topic and the engine's consumer group */
    uint32_t partitions;
    int produce, consume; /* which clients this process needs */
    int timeout_ms;       /* bound on connecting and on topic set-up */
} live_kafka_opts;

typedef struct live_kafka {
    rd_kafka_t *mock_owner; /* the mock cluster's handle (NULL with --kafka) */
    rd_kafka_mock_cluster_t *mock;
    char bootstrap[512];
    char topic[256];
    uint32_t partitions;
    rd_kafka_t *producer, *consumer;
    rd_kafka_queue_t *queue; /* the consumer's messages */
    rd_kafka_topic_partition_list_t *assigned;
    atomic_uint_fast64_t delivered, failed; /* producer delivery reports so far */
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
 * producer's queue is full. 0, or -1 on a fatal producer error. */
int live_kafka_produce(live_kafka *k, uint32_t p, const eng_rec *r, int64_t epoch0);
/* Serves delivery reports (counted in delivered / failed). */
void live_kafka_poll_producer(live_kafka *k);
/* Commits offsets[p] (the next Kafka offset to read; < 0: leave p alone)
 * for the consumer group; sync waits for the cluster's answer. 0 or -1. */
int live_kafka_commit(live_kafka *k, const int64_t *offsets, int sync);

#endif
