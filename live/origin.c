/* The shared run origin (see live/origin.h). */
#include "live/origin.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

int64_t live_origin_now(void) {
    struct timespec t;
    clock_gettime(CLOCK_REALTIME, &t);
    return (int64_t)t.tv_sec * RT_S + t.tv_nsec;
}

void live_origin_clock(live_clock *c, int64_t origin) {
    struct timespec mono;
    clock_gettime(CLOCK_MONOTONIC, &mono);
    int64_t ns = (int64_t)mono.tv_sec * RT_S + mono.tv_nsec - (live_origin_now() - origin);
    int64_t sec = ns >= 0 ? ns / RT_S : -((-ns + RT_S - 1) / RT_S);
    c->mono0 = (struct timespec){.tv_sec = (time_t)sec, .tv_nsec = (long)(ns - sec * RT_S)};
    c->epoch0 = origin;
}

static void nap_ms(int ms) {
    struct timespec t = {ms / 1000, (long)(ms % 1000) * 1000000L};
    nanosleep(&t, NULL);
}

typedef struct origin_client {
    live_mqtt_conn conn; /* first: the callbacks' userdata */
    atomic_int published;
    _Atomic int64_t origin; /* 0: none yet */
    int64_t not_before;     /* an origin before this is another run's */
} origin_client;

static void on_publish(live_mqtt_conn *c, int mid) { atomic_store(&((origin_client *)c)->published, 1); }

static void on_connect(live_mqtt_conn *c) { mosquitto_subscribe(c->mosq, NULL, LIVE_ORIGIN_TOPIC, 1); }

static void on_message(live_mqtt_conn *c, const struct mosquitto_message *m) {
    origin_client *o = (origin_client *)c;
    char text[32];
    if (m->payloadlen <= 0 || m->payloadlen >= (int)sizeof text) return;
    memcpy(text, m->payload, (size_t)m->payloadlen);
    text[m->payloadlen] = 0;
    char *end;
    long long v = strtoll(text, &end, 10);
    if (*end || v <= 0 || v < o->not_before) return;
    atomic_store(&o->origin, (int64_t)v);
}

int live_origin_publish(const live_mqtt_addr *a, int64_t origin, int timeout_ms, char *err, size_t errlen) {
    origin_client o = {.conn.on_publish = on_publish};
    char id[64], text[32];
    snprintf(id, sizeof id, "sparkiot-origin-%ld", (long)getpid());
    if (live_mqtt_connect(&o.conn, a, id, timeout_ms, err, errlen) != 0) return -1;
    int len = snprintf(text, sizeof text, "%lld", (long long)origin);
    int rc = mosquitto_publish(o.conn.mosq, NULL, LIVE_ORIGIN_TOPIC, len, text, 1, true);
    for (int waited = 0; rc == MOSQ_ERR_SUCCESS && !atomic_load(&o.published) && waited < timeout_ms;
         waited += 5)
        nap_ms(5);
    live_mqtt_close(&o.conn);
    if (rc == MOSQ_ERR_SUCCESS && atomic_load(&o.published)) return 0;
    snprintf(err, errlen, "the MQTT broker at %s:%d did not take the run's origin on %s", a->host, a->port,
             LIVE_ORIGIN_TOPIC);
    return -1;
}

int live_origin_wait(const live_mqtt_addr *a, rt_time_t length, int wait_ms, int64_t *origin, char *err,
                     size_t errlen) {
    origin_client o = {.conn = {.on_connect = on_connect, .on_message = on_message},
                       .not_before = live_origin_now() - length};
    char id[64];
    snprintf(id, sizeof id, "sparkiot-origin-%ld", (long)getpid());
    if (live_mqtt_connect(&o.conn, a, id, wait_ms, err, errlen) != 0) return -1;
    for (int waited = 0; !atomic_load(&o.origin) && waited < wait_ms; waited += 5) nap_ms(5);
    live_mqtt_close(&o.conn);
    *origin = atomic_load(&o.origin);
    if (*origin) return 0;
    snprintf(
        err, errlen,
        "no run origin on %s at the MQTT broker %s:%d within %d s: start the devices role, or give --origin",
        LIVE_ORIGIN_TOPIC, a->host, a->port, wait_ms / 1000);
    return -1;
}
