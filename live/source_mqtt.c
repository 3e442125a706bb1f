/* The MQTT source of the edge (see live/source_mqtt.h). The subscriber's
 * callback runs on libmosquitto's network thread and the edge's emit on the
 * edge actor's thread; they share the pending readings and the
 * acknowledgements not yet sent under one mutex, and publish
 * acknowledgements outside it. */
#include "live/source_mqtt.h"

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "engine/msg.h"
#include "live/dedup.h"
#include "live/wire.h"

struct live_mqtt_sub {
    live_mqtt_conn conn; /* first: the callbacks' userdata */
    uint32_t site, partitions;
    int qos;
    const live_clock *clock;
    atomic_int suback_mid, subscribed;
    pthread_mutex_t mu; /* guards everything below */
    eng_batch pending;  /* received, not yet emitted */
    live_dedup seen;
    rt_time_t emitted_to; /* readings before this have had their slice */
    int closed;           /* the edge's last slice is out */
    live_source_stats st;
    uint64_t *in;                     /* per partition: readings returned to the edge */
    uint64_t acks[LIVE_WIRE_ACK_MAX]; /* QoS 1: (device, seq) received, not yet acknowledged */
    uint32_t nacks;
    int ack_end;        /* the end marker arrived since the last acknowledgement */
    rt_time_t acked_at; /* when acknowledgements were last sent */
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

/* Sends the acknowledgements collected so far (and of the end marker, if
 * it just arrived) if `force`, if they fill a message or if the last ones
 * left LIVE_ACK_EVERY ago. Called with s->mu held; releases it. */
static void ack_unlock(live_mqtt_sub *s, int force) {
    rt_time_t now = live_clock_now(s->clock);
    int due = force || s->nacks == LIVE_WIRE_ACK_MAX || now - s->acked_at >= LIVE_ACK_EVERY;
    if (!due || (s->nacks == 0 && !s->ack_end)) {
        pthread_mutex_unlock(&s->mu);
        return;
    }
    uint8_t buf[LIVE_WIRE_ACK_HEAD + 8 * LIVE_WIRE_ACK_MAX];
    size_t len = live_wire_encode_ack(s->site, s->st.end_seen, s->acks, s->nacks, buf);
    s->nacks = 0;
    s->ack_end = 0;
    s->acked_at = now;
    pthread_mutex_unlock(&s->mu);
    char topic[64];
    live_mqtt_ack_topic(topic, sizeof topic, s->site);
    mosquitto_publish(s->conn.mosq, NULL, topic, (int)len, buf, 1, false);
}

static void on_message(live_mqtt_conn *c, const struct mosquitto_message *m) {
    live_mqtt_sub *s = (live_mqtt_sub *)c;
    live_wire_msg w;
    int kind = live_wire_decode(m->payload, (size_t)m->payloadlen, s->clock->epoch0, &w);
    pthread_mutex_lock(&s->mu);
    if (kind == LIVE_WIRE_END) {
        s->st.published = w.published;
        s->st.end_seen = 1;
        s->ack_end = s->qos == 1;
        ack_unlock(s, 1);
        return;
    }
    if (kind != LIVE_WIRE_RAW) {
        s->st.undecodable++;
        pthread_mutex_unlock(&s->mu);
        return;
    }
    if (!live_dedup_seen(&s->seen, w.rec.device, w.rec.seq, w.rec.ts)) {
        if (s->closed)
            s->st.after_end++;
        else
            eng_batch_push(&s->pending, &w.rec);
    }
    s->st.duplicates = s->seen.duplicates;
    if (s->qos == 1) /* never full here: a full set is sent at once */
        s->acks[s->nacks++] = (uint64_t)w.rec.device << 32 | w.rec.seq;
    ack_unlock(s, s->closed);
}

static void nap(rt_time_t d) {
    struct timespec ts = {(time_t)(d / RT_S), (long)(d % RT_S)};
    nanosleep(&ts, NULL);
}

live_mqtt_sub *live_mqtt_sub_open(const live_mqtt_addr *a, uint32_t site, uint32_t partitions,
                                  const live_clock *clock, rt_time_t dedup_horizon, int timeout_ms, char *err,
                                  size_t errlen) {
    live_mqtt_sub *s = calloc(1, sizeof *s);
    if (!s || !(s->in = calloc(partitions ? partitions : 1, sizeof *s->in))) {
        free(s);
        snprintf(err, errlen, "out of memory");
        return NULL;
    }
    s->site = site;
    s->partitions = partitions;
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
    free(s->in);
    free(s);
}

const live_source_stats *live_mqtt_sub_stats(const live_mqtt_sub *s) { return &s->st; }
const uint64_t *live_mqtt_sub_in(const live_mqtt_sub *s) { return s->in; }

static void *src_open(const void *opts, uint32_t site, uint32_t first_device, uint32_t n, gsl_rng *rng) {
    const live_mqtt_source_opts *o = opts;
    mqtt_source *src = calloc(1, sizeof *src);
    if (!src) return NULL;
    src->o = o;
    src->sub = o->subs[site];
    return src;
}

/* Whether the site's devices are done and all they published is here;
 * *arrived: the distinct readings received so far. Sends the
 * acknowledgements due meanwhile. */
static int complete(live_mqtt_sub *s, uint64_t *arrived) {
    pthread_mutex_lock(&s->mu);
    *arrived = s->st.received + s->pending.n;
    int done = s->st.end_seen && *arrived >= s->st.published;
    ack_unlock(s, 0);
    return done;
}

/* The last slice: waits until the site is complete, for as long as
 * readings keep arriving (devices that fell behind are still publishing
 * this run's readings), until end_wait passes without any. */
static void wait_complete(const live_mqtt_source_opts *o, live_mqtt_sub *s) {
    uint64_t arrived, seen = 0;
    rt_time_t moved = live_clock_now(o->clock);
    while (!complete(s, &arrived)) {
        rt_time_t now = live_clock_now(o->clock);
        if (arrived != seen) {
            seen = arrived;
            moved = now;
        } else if (now - moved >= o->end_wait) {
            return;
        }
        nap(5 * RT_MS);
    }
}

static int src_emit(void *p, rt_time_t t0, rt_time_t t1, eng_batch *out) {
    mqtt_source *src = p;
    const live_mqtt_source_opts *o = src->o;
    live_mqtt_sub *s = src->sub;
    live_clock_sleep_until(o->clock, t1 + o->grace);
    int last = t1 >= o->duration;
    if (last) wait_complete(o, s);
    pthread_mutex_lock(&s->mu);
    size_t keep = 0, first = out->n;
    for (size_t i = 0; i < s->pending.n; i++) {
        const eng_rec *r = &s->pending.r[i];
        if (r->ts < t1 || last) {
            eng_batch_push(out, r);
            s->st.received++;
            s->st.late += r->ts < s->emitted_to;
            s->in[eng_partition_of(r->device, s->partitions)]++;
        } else {
            s->pending.r[keep++] = *r;
        }
    }
    s->pending.n = keep;
    s->emitted_to = t1;
    s->closed = last;
    ack_unlock(s, 1);
    if (o->recorder) live_recorder_add(o->recorder, out->r + first, out->n - first);
    return 0;
}

static void src_close(void *p) { free(p); }

static const eng_source_ops ops = {ENG_SOURCE_ABI, "mqtt", src_open, src_emit, src_close};

const eng_source_ops *live_mqtt_source(void) { return &ops; }
