/* The run's time origin, shared by role processes. Run time 0 is one
 * instant on the Unix epoch for every process of a run: device timestamps,
 * the edges' slices and the engine's triggers are all run time, so
 * separate processes (on hosts with synchronised clocks) agree on them.
 * The devices role picks it — `--origin`, or a moment `lead` ahead so that
 * edges have time to subscribe — and publishes it as a retained MQTT
 * message on sparkiot/origin (payload: the epoch ns in decimal); the edge
 * and engine roles take `--origin` or wait for that message. */
#ifndef LIVE_ORIGIN_H
#define LIVE_ORIGIN_H

#include <stddef.h>
#include <stdint.h>

#include "live/mqtt.h"
#include "live/rt_live.h"

#define LIVE_ORIGIN_TOPIC LIVE_MQTT_PREFIX "/origin"

/* Epoch ns now (CLOCK_REALTIME). */
int64_t live_origin_now(void);
/* Sets c so that run time 0 is `origin` (epoch ns), which may be past or
 * future: the clock then reads negative times until it comes. */
void live_origin_clock(live_clock *c, int64_t origin);
/* Publishes `origin` retained on sparkiot/origin and waits at most
 * timeout_ms for the broker to confirm. 0, or -1 with a message. */
int live_origin_publish(const live_mqtt_addr *a, int64_t origin, int timeout_ms, char *err, size_t errlen);
/* Waits at most wait_ms for the retained origin of a run of `length` that
 * is not over yet (an older one is another run's). 0 with *origin, or -1
 * with a message. */
int live_origin_wait(const live_mqtt_addr *a, rt_time_t length, int wait_ms, int64_t *origin, char *err,
                     size_t errlen);

#endif
