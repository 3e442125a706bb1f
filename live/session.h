/* A live run's session: everything one process's run shares, built by
 * live/run.c before the clock starts and outliving every actor, and the
 * root actors of the roles (live/roles.c). Internal to live/. */
#ifndef LIVE_SESSION_H
#define LIVE_SESSION_H

#include "live/live.h"

typedef struct live_session {
    const eng_run_opts *o; /* the scenario: its source is the workload the devices play */
    eng_run_opts eo;       /* the engine's: the same, fed by MQTT */
    const live_opts *lo;
    int devices, edges, engine; /* the roles this process plays */
    uint32_t first, nsites;     /* its sites (devices and edges) */
    live_clock clock;
    live_mosquitto mosq;
    live_mqtt_addr mqtt;
    live_kafka *kafka;
    live_ledger *ledger;
    live_mqtt_sub **subs; /* per site (NULL: not this process's) */
    const uint64_t **in;  /* per local site: live_mqtt_sub_in */
    live_mqtt_source_opts src;
    live_recorder *recorder;
    live_devices_arg *dev; /* per site */
    live_devices_report *devrep;
    live_broker_arg broker;
    eng_ctx ctx;
    eng_metrics *m;
    live_report *rep;
} live_session;

/* The root actor of the session's role; arg: live_session *. */
void live__root(rt_t *rt, void *arg);

#endif
