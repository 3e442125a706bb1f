/* A live run: the whole data flow on the wall clock against real brokers.
 * Devices publish readings to MQTT, edge gateways (engine/edge.c, fed by
 * the MQTT source) produce records to Kafka through the live broker, and
 * the driver and serverless executors (engine/driver*.c, executor.c) run as
 * threads, exactly as in simulation. A process plays every role (`all`:
 * a private mosquitto and librdkafka's mock cluster unless addresses are
 * given) or one of them — devices, edge gateways, or an engine, several of
 * which share the topic's partitions through the consumer group — against
 * shared brokers, on the run's shared time origin (live/origin.h).
 * live_run sets up what the role needs, runs its actors, and for the
 * engine roles fills the run's metrics, accounted per partition
 * (live/ledger.h); the caller writes the result file. */
#ifndef LIVE_LIVE_H
#define LIVE_LIVE_H

#include <stddef.h>
#include <stdint.h>

#include "engine/metrics.h"
#include "engine/pipeline.h"
#include "live/broker_kafka.h"
#include "live/devices.h"
#include "live/source_mqtt.h"

typedef enum { LIVE_ROLE_ALL = 0, LIVE_ROLE_DEVICES, LIVE_ROLE_EDGE, LIVE_ROLE_ENGINE } live_role;

/* "all", "devices", "edge", "engine" -> 0 and *role; -1 otherwise. */
int live_role_parse(const char *name, live_role *role);

typedef struct live_opts {
    live_role role;
    uint32_t first_site, sites; /* devices and edge roles: sites [first_site, +sites); sites 0: all */
    int64_t origin;             /* run time 0 in epoch ns; 0: the devices pick it, the others wait for it */
    rt_time_t lead;             /* devices without an origin: run time 0 is this far ahead */
    int origin_wait_ms;         /* edge and engine without an origin: longest wait for the devices' */
    const char *mqtt;           /* HOST:PORT; NULL (role all only): start a private mosquitto */
    int qos;                    /* readings' MQTT QoS: 0 or 1 */
    const char *kafka;          /* bootstrap servers; NULL (role all only): librdkafka's mock cluster */
    const char *const *kafka_config; /* "key=value" client settings */
    size_t nkafka_config;
    const char *topic, *group; /* NULL: sparkiot.<scenario> */
    rt_time_t grace;           /* MQTT source: wait after each slice (live/source_mqtt.h); raw: <= flush */
    rt_time_t end_wait;        /* MQTT source: longest wait without a reading for a site's last ones */
    rt_time_t resend_after;    /* devices, QoS 1: publish again what the edge has not acknowledged */
    rt_time_t stop_wait;       /* broker: longest wait for records in flight at the end */
    rt_time_t dedup_horizon;   /* live/dedup.h */
    const char *record;        /* all and edge roles: record what the edges ingest there (live/recorder.h) */
    rt_time_t record_hold;     /* ... holding rows this long of device time to write them in order */
    int connect_timeout_ms;    /* bound on reaching each broker at start */
    eng_progress_fn progress;  /* called by the driver with the run's time; may be NULL */
    void *progress_ctx;
} live_opts;

void live_opts_defaults(live_opts *o);

/* What the live parts saw, beside the engine's metrics. */
typedef struct live_report {
    live_role role;
    int64_t origin;              /* the run's time 0, epoch ns */
    live_devices_report devices; /* summed over this process's sites */
    live_source_stats source;    /* summed over this process's sites */
    live_bus_stats bus;
    live_recorder_stats recorded; /* the recording, if any */
    uint32_t partitions;          /* engine: partitions owned at the end */
    uint32_t incomplete;          /* ... of which some site's end marker never arrived */
    char mqtt[300];               /* the MQTT broker used, HOST:PORT */
    char kafka[512];              /* the Kafka bootstrap used */
} live_report;

#define LIVE_EUSAGE (-2) /* bad configuration: unreachable broker, wrong topic, ... */

/* Runs scenario `name` with options `o` (its source is the workload the
 * devices play) as role lo->role, filling `m` (engine roles) and `rep`.
 * Returns 0, LIVE_EUSAGE for a configuration that cannot run (nothing
 * started is left running), or -1 with a message for a failure while
 * running. */
int live_run(const eng_run_opts *o, const char *name, const live_opts *lo, eng_metrics *m, live_report *rep,
             char *err, size_t errlen);

#endif
