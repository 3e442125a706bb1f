/* The device role: the first stage of the live data flow. One actor per
 * edge site plays its site's device population — the scenario's workload
 * generator, seeded exactly as the simulated edge seeds it, so a seed gives
 * the same readings in both backends — and publishes every reading at its
 * device time as one MQTT message to sparkiot/<site>/<device> (payload:
 * live/wire.h), then the site's end marker with the number published. A
 * publisher holds its next reading while 1000 publications await the
 * broker's acceptance (unless the broker has accepted nothing for 1 s):
 * one that falls behind publishes late, as a real device would.
 *
 * With QoS 1 delivery is confirmed end to end: the site's edge gateway
 * acknowledges what it received on sparkiot/ack/<site>, and a reading (or
 * the end marker) still unacknowledged `resend_after` after it was last sent
 * is published again (live/unacked.h) — through broker restarts, reconnects
 * and a gateway that subscribed late; the gateway drops the duplicates.
 * The MQTT client reconnects by itself with exponential backoff. */
#ifndef LIVE_DEVICES_H
#define LIVE_DEVICES_H

#include <stdint.h>

#include "engine/pipeline.h"
#include "live/mqtt.h"
#include "live/rt_live.h"

typedef struct live_devices_report {
    uint64_t published; /* distinct readings published */
    uint64_t acked;     /* ... acknowledged by the edge (QoS 1) or sent (QoS 0) */
    uint64_t resent;    /* publications again of unacknowledged readings */
    uint64_t failed;    /* QoS 0 readings the client refused (QoS 1 ones are resent instead) */
} live_devices_report;

typedef struct live_devices_arg {
    const eng_run_opts *o; /* source: the workload; duration, seed, devices_per_site */
    const live_mqtt_addr *mqtt;
    const live_clock *clock;
    uint32_t site;
    rt_time_t ack_wait;          /* at the end, longest wait for the edge's acknowledgements */
    rt_time_t resend_after;      /* QoS 1: publish again what is unacknowledged this long */
    live_devices_report *report; /* written when the actor ends */
    int failed;                  /* set when the actor could not connect */
    char err[256];
} live_devices_arg;

/* The actor; arg: live_devices_arg * (borrowed for the run). */
void live_devices_main(rt_t *rt, void *arg);

#endif
