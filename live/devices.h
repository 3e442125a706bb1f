/* The device role: the first stage of the live data flow. One actor per
 * edge site plays its site's device population — the scenario's workload
 * generator, seeded exactly as the simulated edge seeds it, so a seed gives
 * the same readings in both backends — and publishes every reading at its
 * device time as one MQTT message to sparkiot/<site>/<device> (payload:
 * live/wire.h), then the site's end marker with the number published. */
#ifndef LIVE_DEVICES_H
#define LIVE_DEVICES_H

#include <stdint.h>

#include "engine/pipeline.h"
#include "live/mqtt.h"
#include "live/rt_live.h"

typedef struct live_devices_report {
    uint64_t published; /* readings handed to the MQTT client */
    uint64_t acked;     /* ... and confirmed by the broker (QoS 1) or sent (QoS 0) */
    uint64_t failed;    /* refused by the client */
} live_devices_report;

typedef struct live_devices_arg {
    const eng_run_opts *o; /* source: the workload; duration, seed, devices_per_site */
    const live_mqtt_addr *mqtt;
    const live_clock *clock;
    uint32_t site;
    rt_time_t ack_wait;          /* at the end, longest wait for the broker's acknowledgements */
    live_devices_report *report; /* written when the actor ends */
    int failed;                  /* set when the actor could not connect */
    char err[256];
} live_devices_arg;

/* The actor; arg: live_devices_arg * (borrowed for the run). */
void live_devices_main(rt_t *rt, void *arg);

#endif
