/* `sparkiot live --role all` end to end against brokers this test owns: a
 * private mosquitto and a librdkafka mock cluster on 127.0.0.1. The
 * scenario (data/live_small.yaml) sends exactly 2 sites x 25 devices x 30
 * readings = 1500. While it runs, the test injects 25 duplicate readings
 * (at-least-once delivery); the result file must still count 1500 in and
 * 1500 out, nothing queued or lost, with measured latencies. Independent
 * clients check the documented wire formats: a plain libmosquitto
 * subscriber decodes every MQTT payload by hand, and kcat lists the Kafka
 * records' keys, partitions and sizes (each site's end marker once in every
 * partition), and the traces reader reads the run's recording (--record)
 * back: 1500 rows in time order. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>

#include <cmocka.h>
#include <mosquitto.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "fixture.h"
#include "traces/reader.h"

#define SITES 2
#define DEVS 25
#define PER_DEV 30
#define TOTAL (SITES * DEVS * PER_DEV)

typedef struct seen {
    pthread_mutex_t mu;
    unsigned char got[SITES * DEVS][PER_DEV]; /* (device, seq) */
    int bad;                                  /* payloads that break the documented format */
    int ends;
    uint64_t end_published[SITES];
    int64_t first_ts, min_ts, max_ts;
    long messages;
    int subscribed;
} seen;

static uint64_t le(const uint8_t *p, int n) {
    uint64_t v = 0;
    for (int i = n - 1; i >= 0; i--) v = v << 8 | p[i];
    return v;
}

/* The documented payload, decoded without the project's codec. */
static void on_message(struct mosquitto *m, void *obj, const struct mosquitto_message *msg) {
    seen *s = obj;
    const uint8_t *p = msg->payload;
    unsigned site, device;
    char tail[16];
    pthread_mutex_lock(&s->mu);
    s->messages++;
    if (!strncmp(msg->topic, "sparkiot/ack/", 13)) { /* the edges' acknowledgements */
        if (p[0] != 1 || p[1] != 3 || msg->payloadlen < 11 || msg->payloadlen != 11 + 8 * (int)le(p + 7, 4))
            s->bad++;
    } else if (sscanf(msg->topic, "sparkiot/%u/%15s", &site, tail) != 2 || site >= SITES) {
        s->bad++;
    } else if (!strcmp(tail, "end")) {
        if (msg->payloadlen != 14 || p[0] != 1 || p[1] != 2 || le(p + 2, 4) != site) s->bad++;
        s->end_published[site] = le(p + 6, 8);
        s->ends++;
    } else if (sscanf(tail, "%u", &device) != 1 || msg->payloadlen != 30 || p[0] != 1 || p[1] != 0 ||
               le(p + 6, 4) != device || device / DEVS != site || le(p + 10, 4) >= PER_DEV ||
               le(p + 2, 2) != le(p + 10, 4) % 2) {
        s->bad++;
    } else {
        int64_t ts = (int64_t)le(p + 14, 8);
        if (!s->first_ts) s->first_ts = proc_epoch_ns();
        if (!s->min_ts || ts < s->min_ts) s->min_ts = ts;
        if (ts > s->max_ts) s->max_ts = ts;
        s->got[device][le(p + 10, 4)] = 1;
    }
    pthread_mutex_unlock(&s->mu);
}

static void on_subscribe(struct mosquitto *m, void *obj, int mid, int n, const int *granted) {
    seen *s = obj;
    pthread_mutex_lock(&s->mu);
    s->subscribed = 1;
    pthread_mutex_unlock(&s->mu);
}

static int subscribed(seen *s) {
    pthread_mutex_lock(&s->mu);
    int v = s->subscribed;
    pthread_mutex_unlock(&s->mu);
    return v;
}

/* Publishes copies of every site-0 device's first reading. */
static void inject_duplicates(struct mosquitto *m) {
    for (uint32_t d = 0; d < DEVS; d++) {
        uint8_t p[30] = {1, 0};
        int64_t ts = proc_epoch_ns();
        for (int i = 0; i < 4; i++) p[6 + i] = (uint8_t)(d >> 8 * i);
        for (int i = 0; i < 8; i++) p[14 + i] = (uint8_t)((uint64_t)ts >> 8 * i);
        char topic[64];
        snprintf(topic, sizeof topic, "sparkiot/0/%u", d);
        assert_int_equal(mosquitto_publish(m, NULL, topic, 30, p, 1, false), MOSQ_ERR_SUCCESS);
    }
}

static void check_kafka(const char *bootstrap, const char *dir) {
    char cmd[2048], out[512];
    snprintf(out, sizeof out, "%s/kcat.txt", dir);
    snprintf(cmd, sizeof cmd,
             "kcat -C -b %s -t sparkiot.live_small -e -q -f '%%k %%p %%S\\n' > %s 2>/dev/null", bootstrap,
             out);
    assert_int_equal(system(cmd), 0);
    FILE *f = fopen(out, "r");
    assert_non_null(f);
    int per_key[SITES * DEVS] = {0}, part[SITES * DEVS], lines = 0, ends[SITES][4] = {{0}};
    memset(part, -1, sizeof part);
    unsigned key, p, size;
    char text[32];
    while (fscanf(f, "%31s %u %u", text, &p, &size) == 3) {
        if (sscanf(text, "end-%u", &key) == 1) { /* a site's end of partition p: 42 bytes */
            assert_true(key < SITES && p < 4);
            assert_int_equal(size, 42);
            ends[key][p]++;
            continue;
        }
        assert_int_equal(sscanf(text, "%u", &key), 1);
        lines++;
        assert_true(key < SITES * DEVS);
        assert_int_equal(size, 30); /* a raw record */
        assert_true(p < 4);
        if (part[key] < 0) part[key] = (int)p;
        assert_int_equal(part[key], (int)p); /* a device's records share one partition */
        per_key[key]++;
    }
    fclose(f);
    assert_int_equal(lines, TOTAL);
    for (int k = 0; k < SITES * DEVS; k++) assert_int_equal(per_key[k], PER_DEV);
    for (int i = 0; i < SITES; i++)
        for (int q = 0; q < 4; q++) assert_int_equal(ends[i][q], 1);
}

/* The recording, read by the generic CSV trace reader: every reading
 * once, in time order, real epoch timestamps. */
static void check_recording(const char *path, int64_t started, int64_t ended) {
    char err[512];
    tr_colmap cols = {
        .time = "ts", .time_format = TR_TIME_EPOCH_S, .device = "device", .nvalues = 1, .label = "label"};
    strcpy(cols.values[0], "value");
    tr_reader *r = tr_reader_open(path, TR_FMT_CSV, &cols, 1, NULL, NULL, err, sizeof err);
    if (!r) fail_msg("%s", err);
    tr_row row;
    int rows = 0, rc;
    while ((rc = tr_reader_next(r, &row, err, sizeof err)) == 1) {
        assert_true(row.ts >= started && row.ts <= ended);
        rows++;
    }
    if (rc < 0) fail_msg("%s", err);
    assert_int_equal(rows, TOTAL);
    assert_int_equal(tr_reader_devices(r), SITES * DEVS);
    tr_reader_close(r);
}

static void test_live_end_to_end(void **state) {
    fixture f;
    fixture_up(&f);
    static seen s;
    memset(&s, 0, sizeof s);
    pthread_mutex_init(&s.mu, NULL);
    mosquitto_lib_init();
    struct mosquitto *sub = mosquitto_new("test-observer", true, &s);
    mosquitto_message_callback_set(sub, on_message);
    mosquitto_subscribe_callback_set(sub, on_subscribe);
    assert_int_equal(mosquitto_connect(sub, "127.0.0.1", f.broker.port, 30), MOSQ_ERR_SUCCESS);
    assert_int_equal(mosquitto_subscribe(sub, NULL, "sparkiot/+/+", 1), MOSQ_ERR_SUCCESS);
    assert_int_equal(mosquitto_loop_start(sub), MOSQ_ERR_SUCCESS);
    for (int i = 0; i < 1000 && !subscribed(&s); i++) proc_nap_ms(10);
    assert_true(subscribed(&s)); /* before any device publishes */

    int64_t started = proc_epoch_ns();
    char rec[128];
    snprintf(rec, sizeof rec, "%s/ingested.csv", f.dir);
    const char *extra[] = {"--record", rec, NULL};
    pid_t pid = fixture_start_live(&f, extra);
    for (int i = 0; i < 3000; i++) { /* until site 0's first readings are out */
        pthread_mutex_lock(&s.mu);
        int64_t first = s.first_ts;
        pthread_mutex_unlock(&s.mu);
        if (first && proc_epoch_ns() - first > 300000000) break;
        proc_nap_ms(10);
    }
    inject_duplicates(sub);
    an_run_summary r;
    fixture_finish_live(&f, pid, 50, &r);
    int64_t ended = proc_epoch_ns();
    char *out = proc_slurp(f.log);
    assert_non_null(strstr(out, "25 duplicates dropped"));
    free(out);
    mosquitto_disconnect(sub);
    mosquitto_loop_stop(sub, false);
    mosquitto_destroy(sub);

    assert_string_equal(r.backend, "live");
    assert_int_equal(r.s.readings_in, TOTAL);
    assert_int_equal(r.s.readings_out, TOTAL);
    assert_int_equal(r.s.readings_queued, 0);
    assert_int_equal(r.s.readings_lost, 0);
    assert_int_equal(r.s.bus_records, TOTAL);
    /* every reading waits at least for its 200 ms slice's grace, and is out
     * within the run */
    assert_true(r.s.latency_p50_ms >= 20 && r.s.latency_p50_ms < 6000);
    assert_true(r.s.latency_max_ms < 6000);

    for (int d = 0; d < SITES * DEVS; d++)
        for (int k = 0; k < PER_DEV; k++) assert_int_equal(s.got[d][k], 1);
    assert_int_equal(s.bad, 0);
    assert_int_equal(s.ends, SITES);
    for (int i = 0; i < SITES; i++) assert_int_equal(s.end_published[i], DEVS * PER_DEV);
    assert_true(s.min_ts >= started && s.max_ts <= ended); /* real epoch timestamps */
    check_kafka(f.cluster->bootstrap, f.dir);
    check_recording(rec, started, ended);
    fixture_down(&f);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_live_end_to_end),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
