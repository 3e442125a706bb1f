/* The transport ceiling (see live/bench_raw.h). Threads: one publisher per
 * site (or one Kafka producer), libmosquitto's network thread per
 * subscriber (which produces to Kafka in the chained case), and the caller
 * consuming Kafka or waiting for the subscribers' count. */
#include "live/bench_raw.h"

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "engine/msg.h"
#include "live/rt_live.h"
#include "live/wire.h"

typedef struct raw_sub {
    live_mqtt_conn conn; /* first: the callbacks' userdata */
    const live_bench_raw_opts *o;
    uint32_t site;
    atomic_int subscribed;
    atomic_uint_fast64_t *received;
} raw_sub;

typedef struct raw_pub {
    const live_bench_raw_opts *o;
    uint32_t site;
    live_mqtt_conn conn;
    uint64_t sent;
} raw_pub;

static void nap_ms(int ms) {
    struct timespec t = {ms / 1000, (long)(ms % 1000) * 1000000L};
    nanosleep(&t, NULL);
}

static eng_rec reading(const live_bench_raw_opts *o, uint32_t site, uint64_t i) {
    uint32_t device = site * o->devices_per_site + (uint32_t)(i % o->devices_per_site);
    return eng_rec_raw((rt_time_t)i * RT_MS, device, (uint32_t)(i / o->devices_per_site), 0, 20.0 + i % 7, 0);
}

static void sub_connect(live_mqtt_conn *c) {
    raw_sub *s = (raw_sub *)c;
    char filter[64];
    live_mqtt_filter(filter, sizeof filter, s->site);
    mosquitto_subscribe(c->mosq, NULL, filter, 1);
}

static void sub_subscribed(live_mqtt_conn *c, int mid) { atomic_store(&((raw_sub *)c)->subscribed, 1); }

static void sub_message(live_mqtt_conn *c, const struct mosquitto_message *m) {
    raw_sub *s = (raw_sub *)c;
    live_wire_msg w;
    if (live_wire_decode(m->payload, (size_t)m->payloadlen, 0, &w) != LIVE_WIRE_RAW) return;
    live_kafka *k = s->o->kafka;
    if (k)
        live_kafka_produce(k, eng_partition_of(w.rec.device, k->partitions), &w.rec, 0);
    else
        atomic_fetch_add(s->received, 1);
}

static void *publish_main(void *arg) {
    raw_pub *p = arg;
    const live_bench_raw_opts *o = p->o;
    char topic[64];
    uint8_t buf[LIVE_WIRE_MAX];
    for (uint64_t i = 0; i < o->per_site; i++) {
        eng_rec r = reading(o, p->site, i);
        size_t len = live_wire_encode(&r, 0, buf);
        live_mqtt_topic(topic, sizeof topic, p->site, r.device);
        if (o->mqtt) {
            while (mosquitto_publish(p->conn.mosq, NULL, topic, (int)len, buf, 1, false) != MOSQ_ERR_SUCCESS)
                nap_ms(1);
        } else if (live_kafka_produce(o->kafka, eng_partition_of(r.device, o->kafka->partitions), &r, 0) <
                   0) {
            break;
        }
        p->sent++;
    }
    return NULL;
}

/* Counts what the Kafka consumer reads until `want` or the deadline. */
static uint64_t consume(live_kafka *k, uint64_t want, const live_clock *c, rt_time_t deadline) {
    rd_kafka_message_t *msgs[512];
    uint64_t got = 0;
    while (got < want && live_clock_now(c) < deadline) {
        live_kafka_poll_producer(k);
        ssize_t n = rd_kafka_consume_batch_queue(k->queue, 10, msgs, 512);
        for (ssize_t i = 0; i < n; i++) {
            got += !msgs[i]->err;
            rd_kafka_message_destroy(msgs[i]);
        }
    }
    return got;
}

static int open_subs(const live_bench_raw_opts *o, raw_sub *subs, atomic_uint_fast64_t *received, char *err,
                     size_t errlen) {
    for (uint32_t i = 0; i < o->sites; i++) {
        subs[i] = (raw_sub){
            .conn = {.on_connect = sub_connect, .on_subscribe = sub_subscribed, .on_message = sub_message},
            .o = o,
            .site = i,
            .received = received};
        char id[64];
        snprintf(id, sizeof id, "sparkiot-bench-sub-%u-%ld", i, (long)getpid());
        if (live_mqtt_connect(&subs[i].conn, o->mqtt, id, o->timeout_ms, err, errlen) != 0) return -1;
        for (int w = 0; !atomic_load(&subs[i].subscribed) && w < o->timeout_ms; w += 5) nap_ms(5);
        if (!atomic_load(&subs[i].subscribed)) {
            snprintf(err, errlen, "the MQTT broker at %s:%d did not confirm a subscription", o->mqtt->host,
                     o->mqtt->port);
            return -1;
        }
    }
    return 0;
}

int live_bench_raw(const live_bench_raw_opts *o, live_bench_raw_result *r, char *err, size_t errlen) {
    memset(r, 0, sizeof *r);
    uint32_t npub = o->mqtt ? o->sites : 1;
    raw_sub *subs = calloc(o->sites, sizeof *subs);
    raw_pub *pubs = calloc(npub, sizeof *pubs);
    pthread_t *tids = calloc(npub, sizeof *tids);
    atomic_uint_fast64_t received = 0;
    int rc = subs && pubs && tids ? 0 : -1;
    if (rc) snprintf(err, errlen, "out of memory");
    if (!rc && o->mqtt) rc = open_subs(o, subs, &received, err, errlen);
    for (uint32_t i = 0; i < npub && !rc && o->mqtt; i++) {
        char id[64];
        snprintf(id, sizeof id, "sparkiot-bench-pub-%u-%ld", i, (long)getpid());
        rc = live_mqtt_connect(&pubs[i].conn, o->mqtt, id, o->timeout_ms, err, errlen);
    }
    if (!rc) {
        uint64_t want = o->mqtt ? o->per_site * o->sites : o->per_site;
        live_clock c; /* run time 0: the first publication */
        live_clock_start(&c);
        rt_time_t deadline = (rt_time_t)o->timeout_ms * RT_MS;
        for (uint32_t i = 0; i < npub; i++) {
            pubs[i].o = o;
            pubs[i].site = i;
            if (pthread_create(&tids[i], NULL, publish_main, &pubs[i]) != 0) abort();
        }
        if (o->kafka)
            r->received = consume(o->kafka, want, &c, deadline);
        else
            while ((r->received = atomic_load(&received)) < want && live_clock_now(&c) < deadline) nap_ms(1);
        r->seconds = rt_to_s(live_clock_now(&c));
        for (uint32_t i = 0; i < npub; i++) {
            pthread_join(tids[i], NULL);
            r->sent += pubs[i].sent;
        }
    }
    for (uint32_t i = 0; subs && i < o->sites; i++) live_mqtt_close(&subs[i].conn);
    for (uint32_t i = 0; pubs && i < npub; i++) live_mqtt_close(&pubs[i].conn);
    free(subs);
    free(pubs);
    free(tids);
    return rc;
}
