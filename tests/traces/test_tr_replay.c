/* The replay source: time scaling, phase offsets, fan-out, looping, start
 * and end windows, labels reaching the records' flags, value jitter, and
 * many sources in one process. Expected timestamps were computed once with
 * Python's decimal module (50 digits, half-up rounding) from the documented
 * mapping ts = (trace offset + loop * span + phase * frac(k * (sqrt(5) - 1) / 2))
 * / speedup, independently of this code. data/steps.csv holds rows at
 * +0, +5, +10 and +20 min with values 1..4; its loop span is 20 min plus the
 * mean row interval (20 min / 3 = 400 s): 1600 s. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>

#include <cmocka.h>
#include <gsl/gsl_rng.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tr_support.h"
#include "traces/replay.h"

static tr_trace *prepare(const char *path, double speedup, void (*tweak)(tr_opts *)) {
    static tr_trace t;
    tr_opts o;
    char err[1024];
    tr_opts_defaults(&o);
    snprintf(o.path, sizeof o.path, "%s", path);
    o.speedup = speedup;
    if (tweak) tweak(&o);
    if (tr_trace_prepare(&t, &o, err, sizeof err) != 0) fail_msg("%s", err);
    return &t;
}

static tr_trace *steps(double speedup, void (*tweak)(tr_opts *)) {
    char path[4096];
    tr_test_data(path, sizeof path, "steps.csv");
    return prepare(path, speedup, tweak);
}

/* All readings of devices [first, first + n) in [0, until), in slices of `slice`, sorted. */
static eng_batch replay(const tr_trace *t, uint32_t first, uint32_t n, rt_time_t slice, rt_time_t until) {
    gsl_rng *rng = gsl_rng_alloc(gsl_rng_mt19937);
    const eng_source_ops *ops = tr_source();
    void *src = ops->open(t, first / (n ? n : 1), first, n, rng);
    assert_non_null(src);
    eng_batch b;
    eng_batch_init(&b);
    for (rt_time_t t0 = 0; t0 < until; t0 += slice) {
        size_t before = b.n;
        assert_int_equal(ops->emit(src, t0, t0 + slice, &b), 0);
        for (size_t i = before; i < b.n; i++) assert_true(b.r[i].ts >= t0 && b.r[i].ts < t0 + slice);
    }
    ops->close(src);
    gsl_rng_free(rng);
    eng_batch_sort(&b);
    return b;
}

static void test_phase_offsets(void **unused) {
    /* 100 s x frac(k x 0.6180339887498949): 0, 61.803398875 s, 23.606797750 s, 85.410196625 s */
    assert_int_equal(tr_phase_offset(100 * RT_S, 0), 0);
    assert_int_equal(tr_phase_offset(100 * RT_S, 1), 61803398875);
    assert_int_equal(tr_phase_offset(100 * RT_S, 2), 23606797750);
    assert_int_equal(tr_phase_offset(100 * RT_S, 3), 85410196625);
    assert_int_equal(tr_phase_offset(0, 12345), 0);
}

static void test_prepared(void **unused) {
    tr_trace *t = steps(300, NULL);
    assert_int_equal(t->o.format, TR_FMT_NAB);
    assert_int_equal(t->rows, 4);
    assert_int_equal(t->devices, 1);
    assert_int_equal(t->values, 1);
    assert_int_equal(t->last - t->first, 1200 * RT_S);
    assert_int_equal(t->origin, t->first);
    assert_int_equal(t->span, 1600 * RT_S);
}

static void phase90(tr_opts *o) { o->phase = 90 * RT_S; }

/* Site devices 2, 3 and 4 replay the one trace device as copies 2, 3, 4,
 * each delayed by its phase offset; speedup 250. */
static void test_scaling_and_fanout(void **unused) {
    tr_trace *t = steps(250, phase90);
    eng_batch b = replay(t, 2, 3, RT_S, 10 * RT_S);
    static const rt_time_t want[3][4] = {
        {84984472, 1284984472, 2484984472, 4884984472},  /* copy 2: offset 21.246117975 s */
        {307476708, 1507476708, 2707476708, 5107476708}, /* copy 3: 76.869176962 s */
        {169968944, 1369968944, 2569968944, 4969968944}, /* copy 4: 42.492235950 s */
    };
    assert_int_equal(b.n, 12);
    uint32_t seen[3] = {0};
    for (size_t i = 0; i < b.n; i++) {
        const eng_rec *r = &b.r[i];
        assert_true(r->device >= 2 && r->device <= 4);
        uint32_t k = r->device - 2, j = seen[k]++;
        assert_int_equal(r->ts, want[k][j]);
        assert_int_equal(r->seq, j);
        assert_true(r->value == (double)(j + 1));
        assert_int_equal(r->metric, 0);
        assert_int_equal(r->count, 1);
        assert_int_equal(r->flags, 0);
    }
    eng_batch_free(&b);
}

static void loop_on(tr_opts *o) { o->loop = 1; }

static void test_loop(void **unused) {
    tr_trace *t = steps(300, loop_on);
    /* three passes: +0, +1600 s, +3200 s of trace, divided by 300 */
    static const rt_time_t want[] = {0,           1000000000,  2000000000,  4000000000,
                                     5333333333,  6333333333,  7333333333,  9333333333,
                                     10666666667, 11666666667, 12666666667, 14666666667};
    eng_batch b = replay(t, 0, 1, 500 * RT_MS, 15 * RT_S);
    assert_int_equal(b.n, 12);
    for (size_t i = 0; i < b.n; i++) {
        assert_int_equal(b.r[i].ts, want[i]);
        assert_int_equal(b.r[i].seq, i);
        assert_true(b.r[i].value == (double)(i % 4 + 1));
    }
    eng_batch_free(&b);
    /* without loop the four rows replay once */
    b = replay(steps(300, NULL), 0, 1, RT_S, 60 * RT_S);
    assert_int_equal(b.n, 4);
    eng_batch_free(&b);
}

/* 2015-09-01 00:05:00 = 1441065900, 00:15:00 = 1441066500 (Python datetime, UTC) */
static void window_loop(tr_opts *o) {
    o->loop = 1;
    o->start = 1441065900 * RT_S;
    o->end = 1441066500 * RT_S;
}

static void test_window(void **unused) {
    tr_trace *t = steps(300, window_loop);
    assert_int_equal(t->rows, 2);
    assert_int_equal(t->span, 600 * RT_S);
    /* rows at 00:05 and 00:10 (values 2 and 3), looping every 600 s / 300 = 2 s */
    eng_batch b = replay(t, 0, 1, RT_S, 6 * RT_S);
    assert_int_equal(b.n, 6);
    for (size_t i = 0; i < b.n; i++) {
        assert_int_equal(b.r[i].ts, (rt_time_t)i * RT_S);
        assert_true(b.r[i].value == (double)(i % 2 + 2));
    }
    eng_batch_free(&b);
}

static void sensors_map(tr_opts *o) {
    tr_colmap *c = &o->columns;
    o->format = TR_FMT_CSV;
    c->time_format = TR_TIME_EPOCH_MS;
    snprintf(c->time, sizeof c->time, "time_ms");
    snprintf(c->device, sizeof c->device, "sensor");
    snprintf(c->values[0], sizeof c->values[0], "temp");
    snprintf(c->values[1], sizeof c->values[1], "hum");
    snprintf(c->label, sizeof c->label, "alarm");
    c->nvalues = 2;
}

/* data/sensors.csv: devices a, b, "b, north" (D = 3), rows a@0, b@0, a@60 s
 * (alarm), "b, north"@60.5 s, a@120 s (alarm), two values each. Site 1 of 4
 * devices per site holds devices 4..7: 4 = b (copy 1), 5 = "b, north"
 * (copy 1), 6 = a (copy 2), 7 = b (copy 2). Speedup 60. */
static void test_multi_device_fanout(void **unused) {
    char path[4096];
    tr_test_data(path, sizeof path, "sensors.csv");
    tr_trace *t = prepare(path, 60, sensors_map);
    assert_int_equal(t->devices, 3);
    assert_int_equal(t->labelled, 2);
    eng_batch b = replay(t, 4, 4, RT_S, 5 * RT_S);
    static const struct {
        rt_time_t ts;
        uint32_t device, seq;
        uint16_t metric;
        double value;
        uint16_t flags;
    } want[] = {
        {0, 4, 0, 0, 21.0, 0},        {0, 4, 1, 1, 41, 0},          {0, 6, 0, 0, 20.5, 0},
        {0, 6, 1, 1, 40, 0},          {0, 7, 0, 0, 21.0, 0},        {0, 7, 1, 1, 41, 0},
        {RT_S, 6, 2, 0, 20.7, 1},     {RT_S, 6, 3, 1, 40.5, 1},     {1008333333, 5, 0, 0, 21.5, 0},
        {1008333333, 5, 1, 1, 42, 0}, {2 * RT_S, 6, 4, 0, 21.0, 1}, {2 * RT_S, 6, 5, 1, 41, 1},
    };
    assert_int_equal(b.n, sizeof want / sizeof *want);
    for (size_t i = 0; i < b.n; i++) {
        assert_int_equal(b.r[i].ts, want[i].ts);
        assert_int_equal(b.r[i].device, want[i].device);
        assert_int_equal(b.r[i].seq, want[i].seq);
        assert_int_equal(b.r[i].metric, want[i].metric);
        assert_true(b.r[i].value == want[i].value);
        assert_int_equal(b.r[i].flags, want[i].flags);
    }
    eng_batch_free(&b);
}

static void nab_labels(tr_opts *o) {
    tr_test_shared(o->labels, sizeof o->labels, "nab/labels/combined_windows.json");
}

/* The NAB window of speed_6005 (2015-09-16 18:40:00 to 2015-09-17 16:24:00)
 * holds its rows 2261..2499 (0-based; 239 rows, counted with Python): those
 * readings, and only those, carry ENG_REC_ANOMALY. */
static void test_nab_labels_flow(void **unused) {
    char path[4096];
    tr_test_shared(path, sizeof path, "nab/realTraffic/speed_6005.csv");
    tr_trace *t = prepare(path, 1e6, nab_labels);
    assert_int_equal(t->rows, 2500);
    assert_int_equal(t->labelled, 239);
    assert_int_equal(t->nwindows, 1);
    eng_batch b = replay(t, 0, 1, 100 * RT_MS, 2 * RT_S);
    assert_int_equal(b.n, 2500);
    for (size_t i = 0; i < b.n; i++) {
        assert_int_equal(b.r[i].seq, i);
        assert_int_equal(b.r[i].flags, i >= 2261 ? ENG_REC_ANOMALY : 0);
    }
    eng_batch_free(&b);
}

/* UCI datatest: 2665 rows of 5 sensors, Occupancy = 1 on 972 of them. */
static void test_uci_labels_flow(void **unused) {
    char path[4096];
    tr_test_shared(path, sizeof path, "uci_occupancy/datatest.txt");
    tr_trace *t = prepare(path, 1e6, NULL);
    assert_int_equal(t->o.format, TR_FMT_UCI);
    assert_int_equal(t->labelled, 972);
    eng_batch b = replay(t, 0, 1, RT_S, RT_S);
    assert_int_equal(b.n, 2665 * 5);
    size_t flagged = 0;
    for (size_t i = 0; i < b.n; i++) flagged += b.r[i].flags == ENG_REC_ANOMALY;
    assert_int_equal(flagged, 972 * 5);
    eng_batch_free(&b);
}

static void jitter(tr_opts *o) {
    o->loop = 1;
    o->value_jitter = 0.5;
}

/* Gaussian noise of standard deviation 0.5 on every value: over 751
 * readings the sample mean of the noise is within 4 standard errors of 0
 * (4 x 0.5 / sqrt(751) = 0.073) and its standard deviation within 10%. */
static void test_value_jitter(void **unused) {
    eng_batch b = replay(steps(300, jitter), 0, 1, RT_S, 1000 * RT_S);
    assert_int_equal(b.n, 751); /* 187 passes of 5.333 s with 4 rows, then 3 rows before 1000 s */
    double sum = 0, sq = 0;
    for (size_t i = 0; i < b.n; i++) {
        double e = b.r[i].value - (double)(b.r[i].seq % 4 + 1);
        sum += e;
        sq += e * e;
    }
    double mean = sum / (double)b.n, sd = sqrt(sq / (double)b.n - mean * mean);
    assert_true(fabs(mean) < 4 * 0.5 / sqrt((double)b.n));
    assert_true(fabs(sd - 0.5) < 0.05);
    eng_batch_free(&b);
}

/* More sources than a process may usually hold open files (1024): sources
 * park their files between slices, and each still replays every row. */
static void test_many_sources(void **unused) {
    enum { N = 1100 };
    tr_trace *t = steps(300, NULL);
    const eng_source_ops *ops = tr_source();
    gsl_rng *rng = gsl_rng_alloc(gsl_rng_mt19937);
    void **src = calloc(N, sizeof *src);
    eng_batch *b = calloc(N, sizeof *b);
    for (uint32_t i = 0; i < N; i++) {
        src[i] = ops->open(t, i, i, 1, rng);
        if (!src[i]) fail_msg("source %u did not open", i);
        eng_batch_init(&b[i]);
    }
    for (rt_time_t t0 = 0; t0 < 5 * RT_S; t0 += RT_S)
        for (uint32_t i = 0; i < N; i++) assert_int_equal(ops->emit(src[i], t0, t0 + RT_S, &b[i]), 0);
    assert_true(tr_reader_open_files() <= 257);
    for (uint32_t i = 0; i < N; i++) {
        assert_int_equal(b[i].n, 4);
        assert_int_equal(b[i].r[3].ts, 4 * RT_S);
        assert_int_equal(b[i].r[3].device, i);
        ops->close(src[i]);
        eng_batch_free(&b[i]);
    }
    assert_int_equal(tr_reader_open_files(), 0);
    free(src);
    free(b);
    gsl_rng_free(rng);
}

static void check_refused(void (*tweak)(tr_opts *), int rc, const char *part) {
    char path[4096], err[1024];
    tr_opts o;
    tr_trace t;
    tr_opts_defaults(&o);
    tr_test_data(path, sizeof path, "steps.csv");
    snprintf(o.path, sizeof o.path, "%s", path);
    tweak(&o);
    assert_int_equal(tr_trace_prepare(&t, &o, err, sizeof err), rc);
    if (!strstr(err, part)) fail_msg("'%s' does not contain '%s'", err, part);
}

static void empty_window(tr_opts *o) { o->start = 1441152000 * RT_S; } /* 2015-09-02, after every row */
static void one_row_loop(tr_opts *o) {
    o->loop = 1;
    o->start = 1441066800 * RT_S; /* 00:20, the last row */
}
static void unsorted(tr_opts *o) { tr_test_data(o->path, sizeof o->path, "unsorted.csv"); }
static void bad_order(tr_opts *o) { o->start = 2 * RT_S, o->end = RT_S; }
static void no_columns(tr_opts *o) { o->format = TR_FMT_JSONL; }
static void zero_speed(tr_opts *o) { o->speedup = 0; }
static void key_alone(tr_opts *o) { snprintf(o->label_key, sizeof o->label_key, "a/b.csv"); }

static void test_refusals(void **unused) {
    check_refused(empty_window, TR_ERR_OPTS, "start and end select no rows of");
    check_refused(empty_window, TR_ERR_OPTS, "(it runs from 2015-09-01 00:00:00 to 2015-09-01 00:20:00)");
    check_refused(one_row_loop, TR_ERR_OPTS, "loop needs each pass to last at least 1ms of simulated time");
    check_refused(unsorted, TR_ERR_TRACE, "unsorted.csv:4: time goes backwards");
    check_refused(bad_order, TR_ERR_OPTS, "end must be after start");
    check_refused(no_columns, TR_ERR_OPTS,
                  "columns.time: the csv and jsonl formats need the time column's name");
    check_refused(zero_speed, TR_ERR_OPTS, "speedup must be > 0");
    check_refused(key_alone, TR_ERR_OPTS,
                  "label_key names an entry of a labels file, but labels is not given");
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_phase_offsets),
        cmocka_unit_test(test_prepared),
        cmocka_unit_test(test_scaling_and_fanout),
        cmocka_unit_test(test_loop),
        cmocka_unit_test(test_window),
        cmocka_unit_test(test_multi_device_fanout),
        cmocka_unit_test(test_nab_labels_flow),
        cmocka_unit_test(test_uci_labels_flow),
        cmocka_unit_test(test_value_jitter),
        cmocka_unit_test(test_many_sources),
        cmocka_unit_test(test_refusals),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
