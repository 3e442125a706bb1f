/* The transport's own ceiling, for `sparkiot bench live`: the same wire
 * payloads as a live run (live/wire.h raw readings on
 * sparkiot/<site>/<device>, QoS 1; Kafka records keyed by device in their
 * device's partition), moved as fast as the brokers take them with no
 * engine in between. One publisher thread per site publishes its readings
 * back to back; one subscriber per site receives them and, in the chained
 * measurement, produces each to Kafka, where one consumer reads them all.
 * The time runs from the first publication to the last message received at
 * the far end. */
#ifndef LIVE_BENCH_RAW_H
#define LIVE_BENCH_RAW_H

#include <stddef.h>
#include <stdint.h>

#include "live/kafka.h"
#include "live/mqtt.h"

typedef struct live_bench_raw_opts {
    const live_mqtt_addr *mqtt; /* NULL: Kafka alone, one producer thread playing site 0 (give sites 1) */
    live_kafka *kafka;          /* producer and consumer of every partition (borrowed); NULL: MQTT alone */
    uint32_t sites, devices_per_site;
    uint64_t per_site; /* readings each site sends */
    int timeout_ms;    /* bound on the measurement */
} live_bench_raw_opts;

typedef struct live_bench_raw_result {
    uint64_t sent, received; /* readings published (or produced); received at the far end */
    double seconds;          /* first publication to the last reception (or the timeout) */
} live_bench_raw_result;

/* Runs one measurement. 0, or -1 with a message (a client that cannot
 * connect); a measurement that times out returns 0 with received < sent. */
int live_bench_raw(const live_bench_raw_opts *o, live_bench_raw_result *r, char *err, size_t errlen);

#endif
