/* Device publishers (see live/devices.h). Readings are generated a slice
 * of device time ahead, sorted, and each is published when the wall clock
 * reaches its timestamp; a publisher that falls behind publishes at once,
 * and the lateness shows in the measured latency, as it would for a real
 * device. */
#include "live/devices.h"

#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include "live/wire.h"

#define SLICE (100 * RT_MS)

typedef struct publisher {
    live_mqtt_conn conn; /* first: the callbacks' userdata */
    atomic_uint_fast64_t acked;
} publisher;

static void on_publish(live_mqtt_conn *c, int mid) { atomic_fetch_add(&((publisher *)c)->acked, 1); }

static int publish(publisher *p, const char *topic, const uint8_t *buf, size_t len, int qos) {
    return mosquitto_publish(p->conn.mosq, NULL, topic, (int)len, buf, qos, false) == MOSQ_ERR_SUCCESS ? 0
                                                                                                       : -1;
}

void live_devices_main(rt_t *rt, void *arg) {
    live_devices_arg *a = arg;
    const eng_run_opts *o = a->o;
    publisher p = {.conn.on_publish = on_publish};
    char id[64], name[32], topic[64];
    snprintf(id, sizeof id, "sparkiot-devices-%u-%ld", a->site, (long)getpid());
    if (live_mqtt_connect(&p.conn, a->mqtt, id, 10000, a->err, sizeof a->err) != 0) {
        a->failed = 1;
        return;
    }
    snprintf(name, sizeof name, "edge-%u", a->site); /* the simulated edge's stream */
    gsl_rng *rng = rt_rng_derive(o->seed, name);
    void *src =
        o->source->open(o->source_opts, a->site, a->site * o->devices_per_site, o->devices_per_site, rng);
    if (!src) abort();
    live_devices_report *rep = a->report;
    eng_batch in;
    eng_batch_init(&in);
    uint8_t buf[LIVE_WIRE_MAX];
    for (rt_time_t t0 = 0; t0 < o->duration; t0 += SLICE) {
        rt_time_t t1 = t0 + SLICE < o->duration ? t0 + SLICE : o->duration;
        in.n = 0;
        if (o->source->emit(src, t0, t1, &in) != 0) abort();
        eng_batch_sort(&in);
        for (size_t i = 0; i < in.n; i++) {
            const eng_rec *r = &in.r[i];
            rt_sleep_until(rt, r->ts);
            live_mqtt_topic(topic, sizeof topic, a->site, r->device);
            size_t len = live_wire_encode(r, a->clock->epoch0, buf);
            if (publish(&p, topic, buf, len, a->mqtt->qos) == 0)
                rep->published++;
            else
                rep->failed++;
        }
    }
    live_mqtt_end_topic(topic, sizeof topic, a->site);
    size_t len = live_wire_encode_end(a->site, rep->published, buf);
    int end_ok = publish(&p, topic, buf, len, 1) == 0;
    rt_time_t until = rt_now(rt) + a->ack_wait;
    while (atomic_load(&p.acked) < rep->published + end_ok && rt_now(rt) < until) rt_sleep(rt, 5 * RT_MS);
    uint64_t acked = atomic_load(&p.acked);
    rep->acked = acked > rep->published ? rep->published : acked;
    live_mqtt_close(&p.conn);
    o->source->close(src);
    gsl_rng_free(rng);
    eng_batch_free(&in);
}
