/* The MQTT source of the edge (see live/source_mqtt.h). The subscriber's
 * callback runs on libmosquitto's network thread and the edge's emit on the
 * edge actor's thread; they share the pending readings under one mutex. */
#include "live/source_mqtt.h"

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "live/dedup.h"
#include "live/wire.h"

struct live_mqtt_sub {
    live_mqtt_conn conn; /* first: the callbacks' userdata */
    uint32_t site;
    int qos;
    const live_clock *clock;
    atomic_int suback_mid, subscribed;
    pthread_mutex_t mu; /* guards everything below */
    eng_batch pending;  /* received, not yet emitted */
    live_dedup seen;
    rt_time_t emitted_to; /* readings before this have had their slice */
    int closed;           /* the edge's last slice is out */
    live_source_stats st;
};

typedef struct mqtt_source {
    live_mqtt_sub *sub;
    const live_mqtt_source_opts *o;
} mqtt_source;

static void on_connect(live_mqtt_conn *c) {
    live_mqtt_sub *s = (live_mqtt_sub *)c;
    char filter[64];
    live_mqtt_filter(filter, sizeof filter, s->site);
    int mid = 0;
    mosquitto_subscribe(c->mosq, &mid, filter, s->qos);
    atomic_store(&s->suback_mid, mid);
}

static void on_subscribe(live_mqtt_conn *c, int mid) {
    live_mqtt_sub *s = (live_mqtt_sub *)c;
    if (mid == atomic_load(&s->suback_mid)) atomic_store(&s->subscribed, 1);
}

static void on_message(live_mqtt_conn *c, const struct mosquitto_message *m) {
    live_mqtt_sub *s = (live_mqtt_sub *)c;
    live_wire_msg w;
    int kind = live_wire_decode(m->payload, (size_t)m->payloadlen, s->clock->epoch0, &w);
    pthread_mutex_lock(&s->mu);
    if (kind == LIVE_WIRE_END) {
        s->st.published = w.published;
        s->st.end_seen = 1;
    } else if (kind != LIVE_WIRE_RAW) {
        s->st.undecodable++;
    } else if (!live_dedup_seen(&s->seen, w.rec.device, w.rec.seq, w.rec.ts)) {
        if (s->closed)
            s->st.after_end++;
        else
            eng_batch_push(&s->pending, &w.rec);
    }
    s->st.duplicates = s->seen.duplicates;
    pthread_mutex_unlock(&s->mu);
}

static void nap(rt_time_t d) {
    struct timespec ts = {(time_t)(d / RT_S), (long)(d % RT_S)};
    nanosleep(&ts, NULL);
}

live_mqtt_sub *live_mqtt_sub_open(const live_mqtt_addr *a, uint32_t site, const live_clock *clock,
                                  rt_time_t dedup_horizon, int timeout_ms, char *err, size_t errlen) {
    live_mqtt_sub *s = calloc(1, sizeof *s);
    if (!s) {
        snprintf(err, errlen, "out of memory");
        return NULL;
    }
    s->site = site;
    s->qos = a->qos;
    s->clock = clock;
    pthread_mutex_init(&s->mu, NULL);
    eng_batch_init(&s->pending);
    live_dedup_init(&s->seen, dedup_horizon);
    s->conn.on_connect = on_connect;
    s->conn.on_subscribe = on_subscribe;
    s->conn.on_message = on_message;
    char id[64];
    snprintf(id, sizeof id, "sparkiot-edge-%u-%ld", site, (long)getpid());
    if (live_mqtt_connect(&s->conn, a, id, timeout_ms, err, errlen) != 0) {
        live_mqtt_sub_free(s);
        return NULL;
    }
    for (int waited = 0; !atomic_load(&s->subscribed) && waited < timeout_ms; waited += 5) nap(5 * RT_MS);
    if (!atomic_load(&s->subscribed)) {
        snprintf(err, errlen, "the MQTT broker at %s:%d did not confirm the subscription of site %u", a->host,
                 a->port, site);
        live_mqtt_sub_free(s);
        return NULL;
    }
    return s;
}

void live_mqtt_sub_free(live_mqtt_sub *s) {
    if (!s) return;
    live_mqtt_close(&s->conn);
    eng_batch_free(&s->pending);
    live_dedup_free(&s->seen);
    pthread_mutex_destroy(&s->mu);
    free(s);
}

const live_source_stats *live_mqtt_sub_stats(const live_mqtt_sub *s) { return &s->st; }

static void *src_open(const void *opts, uint32_t site, uint32_t first_device, uint32_t n, gsl_rng *rng) {
    const live_mqtt_source_opts *o = opts;
    mqtt_source *src = calloc(1, sizeof *src);
    if (!src) return NULL;
    src->o = o;
    src->sub = o->subs[site];
    return src;
}

/* Whether the site's devices are done and all they published is here. */
static int complete(live_mqtt_sub *s) {
    pthread_mutex_lock(&s->mu);
    int done = s->st.end_seen && s->st.received + s->pending.n >= s->st.published;
    pthread_mutex_unlock(&s->mu);
    return done;
}

static int src_emit(void *p, rt_time_t t0, rt_time_t t1, eng_batch *out) {
    mqtt_source *src = p;
    const live_mqtt_source_opts *o = src->o;
    live_mqtt_sub *s = src->sub;
    live_clock_sleep_until(o->clock, t1 + o->grace);
    int last = t1 >= o->duration;
    if (last)
        while (!complete(s) && live_clock_now(o->clock) < t1 + o->end_wait) nap(5 * RT_MS);
    pthread_mutex_lock(&s->mu);
    size_t keep = 0;
    for (size_t i = 0; i < s->pending.n; i++) {
        const eng_rec *r = &s->pending.r[i];
        if (r->ts < t1 || last) {
            eng_batch_push(out, r);
            s->st.received++;
            s->st.late += r->ts < s->emitted_to;
        } else {
            s->pending.r[keep++] = *r;
        }
    }
    s->pending.n = keep;
    s->emitted_to = t1;
    s->closed = last;
    pthread_mutex_unlock(&s->mu);
    return 0;
}

static void src_close(void *p) { free(p); }

static const eng_source_ops ops = {ENG_SOURCE_ABI, "mqtt", src_open, src_emit, src_close};

const eng_source_ops *live_mqtt_source(void) { return &ops; }
