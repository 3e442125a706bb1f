/* Device publishers (see live/devices.h). Readings are generated a slice
 * of device time ahead, sorted, and published when the wall clock reaches
 * their timestamp: the publisher wakes on a TICK grid and publishes every
 * reading due by then, so it wakes at most once a tick however many
 * devices it plays (one wake-up per reading cost the brokers' CPU at tens
 * of thousands a second). A publisher that falls behind publishes at once,
 * and the lateness shows in the measured latency, as it would for a real
 * device. Between readings, and after the last one until everything is
 * acknowledged or `ack_wait` has passed, it publishes again what its edge
 * has not acknowledged in time. */
#include "live/devices.h"

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>
#include <unistd.h>

#include "live/unacked.h"
#include "live/wire.h"

#define SLICE (100 * RT_MS)
#define CHECK_EVERY (100 * RT_MS) /* how often unacknowledged readings are looked at */
#define RESEND_MAX 4096           /* readings published again per look */
#define WINDOW 1000               /* publications awaiting the broker's acceptance, at most */
#define STALL RT_S                /* ... unless the broker has accepted nothing for this long */
#define ROOM 100                  /* a held publisher resumes when this many fit in the window */
#define TICK RT_MS                /* readings due within a tick are published together */

typedef struct publisher {
    live_mqtt_conn conn; /* first: the callbacks' userdata */
    const live_devices_arg *a;
    rt_t *rt;
    uint64_t sent;                 /* publications the client took */
    atomic_uint_fast64_t accepted; /* ... that the broker accepted (QoS 1) or that were written (QoS 0) */
    atomic_uint_fast64_t wake_at;  /* a held publisher waits until accepted reaches this (0: none waits) */
    pthread_mutex_t mu;            /* with cv: the held publisher's wait */
    pthread_cond_t cv;
    uint64_t progress;     /* accepted when last seen moving */
    rt_time_t progress_at; /* ... and when */
    live_unacked *unacked; /* NULL with QoS 0 */
    atomic_int end_acked;
    rt_time_t end_sent; /* when the end marker was last published (-1: not yet) */
    uint64_t published;
    rt_time_t checked;
    eng_rec *due;
} publisher;

static void on_connect(live_mqtt_conn *c) {
    publisher *p = (publisher *)c;
    char topic[64];
    live_mqtt_ack_topic(topic, sizeof topic, p->a->site);
    mosquitto_subscribe(c->mosq, NULL, topic, 1);
}

/* The edge's acknowledgement (network thread). */
static void on_message(live_mqtt_conn *c, const struct mosquitto_message *m) {
    publisher *p = (publisher *)c;
    live_wire_msg w;
    if (live_wire_decode(m->payload, (size_t)m->payloadlen, 0, &w) != LIVE_WIRE_ACK || w.site != p->a->site)
        return;
    for (uint32_t i = 0; i < w.nacks; i++) {
        uint32_t device, seq;
        live_wire_ack_at(&w, i, &device, &seq);
        live_unacked_ack(p->unacked, device, seq);
    }
    if (w.end_seen) atomic_store(&p->end_acked, 1);
}

/* The broker's acceptance (network thread): wakes a held publisher once
 * there is room. */
static void on_publish(live_mqtt_conn *c, int mid) {
    publisher *p = (publisher *)c;
    uint64_t accepted = atomic_fetch_add(&p->accepted, 1) + 1, at = atomic_load(&p->wake_at);
    if (at == 0 || accepted < at) return;
    pthread_mutex_lock(&p->mu);
    pthread_cond_signal(&p->cv);
    pthread_mutex_unlock(&p->mu);
}

/* Waits on the publisher's condition variable at most `ms` (CLOCK_REALTIME,
 * the condition variable's clock). */
static void wait_cv(publisher *p, long ms) {
    struct timespec at;
    clock_gettime(CLOCK_REALTIME, &at);
    at.tv_nsec += ms * 1000000L;
    at.tv_sec += at.tv_nsec / 1000000000L;
    at.tv_nsec %= 1000000000L;
    pthread_cond_timedwait(&p->cv, &p->mu, &at);
}

/* Waits while WINDOW publications await the broker (libmosquitto's in-flight
 * limit), so that a publisher that falls behind holds its readings itself
 * — late, as a real device would be — instead of queueing them in the
 * client, where their resend timers would run out before they are even
 * sent; once held, it resumes when ROOM publications fit, woken by the
 * broker's acceptances rather than polling. A broker that accepts nothing
 * for STALL (unreachable) does not hold the publisher: the client queues,
 * and reconnects. */
static void wait_window(publisher *p) {
    if ((int64_t)(p->sent - atomic_load(&p->accepted)) < WINDOW) return;
    pthread_mutex_lock(&p->mu);
    atomic_store(&p->wake_at, p->sent - WINDOW + ROOM);
    for (;;) {
        uint64_t accepted = atomic_load(&p->accepted);
        rt_time_t now = rt_now(p->rt);
        if (accepted != p->progress) {
            p->progress = accepted;
            p->progress_at = now;
        }
        if (accepted >= atomic_load(&p->wake_at) || now - p->progress_at >= STALL) break;
        wait_cv(p, 10);
    }
    atomic_store(&p->wake_at, 0);
    pthread_mutex_unlock(&p->mu);
}

/* Publishes after wait_window; 0, or -1 if the client refused. */
static int publish(publisher *p, const char *topic, const void *buf, size_t len, int qos) {
    wait_window(p);
    p->sent++;
    if (mosquitto_publish(p->conn.mosq, NULL, topic, (int)len, buf, qos, false) == MOSQ_ERR_SUCCESS) return 0;
    p->sent--;
    return -1;
}

static int publish_rec(publisher *p, const eng_rec *r) {
    char topic[64];
    uint8_t buf[LIVE_WIRE_MAX];
    live_mqtt_topic(topic, sizeof topic, p->a->site, r->device);
    size_t len = live_wire_encode(r, p->a->clock->epoch0, buf);
    return publish(p, topic, buf, len, p->a->mqtt->qos);
}

static void publish_end(publisher *p, rt_time_t now) {
    char topic[64];
    uint8_t buf[LIVE_WIRE_END_BYTES];
    live_mqtt_end_topic(topic, sizeof topic, p->a->site);
    size_t len = live_wire_encode_end(p->a->site, p->published, buf);
    publish(p, topic, buf, len, 1);
    p->end_sent = now;
}

/* Publishes again what has waited too long for its acknowledgement. */
static void resend_due(publisher *p, rt_time_t now) {
    if (!p->unacked || now - p->checked < CHECK_EVERY) return;
    p->checked = now;
    size_t n = live_unacked_due(p->unacked, now - p->a->resend_after, now, p->due, RESEND_MAX);
    for (size_t i = 0; i < n; i++) publish_rec(p, &p->due[i]);
    p->a->report->resent += n;
    if (p->end_sent >= 0 && !atomic_load(&p->end_acked) && now - p->end_sent >= p->a->resend_after)
        publish_end(p, now);
}

/* Publishes the site's readings at their device times. */
static void play(rt_t *rt, publisher *p, void *src) {
    const eng_run_opts *o = p->a->o;
    live_devices_report *rep = p->a->report;
    eng_batch in;
    eng_batch_init(&in);
    for (rt_time_t t0 = 0; t0 < o->duration; t0 += SLICE) {
        rt_time_t t1 = t0 + SLICE < o->duration ? t0 + SLICE : o->duration;
        in.n = 0;
        if (o->source->emit(src, t0, t1, &in) != 0) abort();
        eng_batch_sort(&in);
        for (size_t i = 0; i < in.n; i++) {
            const eng_rec *r = &in.r[i];
            rt_time_t due = (r->ts + TICK - 1) / TICK * TICK; /* its tick's end */
            for (rt_time_t now = rt_now(rt); now < r->ts; now = rt_now(rt)) {
                resend_due(p, now);
                rt_sleep_until(rt, due < now + CHECK_EVERY ? due : now + CHECK_EVERY);
            }
            p->published++;
            wait_window(p);
            if (p->unacked) /* held before it can be acknowledged */
                live_unacked_add(p->unacked, r, rt_now(rt));
            int ok = publish_rec(p, r) == 0;
            if (!p->unacked && ok)
                rep->acked++;
            else if (!p->unacked)
                rep->failed++;
        }
    }
    eng_batch_free(&in);
}

void live_devices_main(rt_t *rt, void *arg) {
    live_devices_arg *a = arg;
    const eng_run_opts *o = a->o;
    publisher p = {.conn = {.on_connect = on_connect, .on_message = on_message, .on_publish = on_publish},
                   .a = a,
                   .rt = rt,
                   .end_sent = -1};
    pthread_mutex_init(&p.mu, NULL);
    pthread_cond_init(&p.cv, NULL);
    if (a->mqtt->qos == 1 &&
        (!(p.unacked = live_unacked_new()) || !(p.due = malloc(RESEND_MAX * sizeof *p.due))))
        abort();
    char id[64], name[32];
    snprintf(id, sizeof id, "sparkiot-devices-%u-%ld", a->site, (long)getpid());
    if (live_mqtt_connect(&p.conn, a->mqtt, id, 10000, a->err, sizeof a->err) != 0) {
        a->failed = 1;
        live_unacked_free(p.unacked);
        free(p.due);
        pthread_mutex_destroy(&p.mu);
        pthread_cond_destroy(&p.cv);
        return;
    }
    snprintf(name, sizeof name, "edge-%u", a->site); /* the simulated edge's stream */
    gsl_rng *rng = rt_rng_derive(o->seed, name);
    void *src =
        o->source->open(o->source_opts, a->site, a->site * o->devices_per_site, o->devices_per_site, rng);
    if (!src) abort();
    play(rt, &p, src);
    live_devices_report *rep = a->report;
    rep->published = p.published;
    publish_end(&p, rt_now(rt));
    rt_time_t until = rt_now(rt) + a->ack_wait;
    while (p.unacked && (live_unacked_count(p.unacked) > 0 || !atomic_load(&p.end_acked)) &&
           rt_now(rt) < until) {
        rt_sleep(rt, 10 * RT_MS);
        resend_due(&p, rt_now(rt));
    }
    if (p.unacked) rep->acked = p.published - live_unacked_count(p.unacked);
    live_mqtt_close(&p.conn);
    o->source->close(src);
    gsl_rng_free(rng);
    live_unacked_free(p.unacked);
    free(p.due);
    pthread_mutex_destroy(&p.mu);
    pthread_cond_destroy(&p.cv);
}
