/* The edge gateway under a manual clock: when readings leave (each period's
 * readings at period end + access delay), what they become (raw, filtered,
 * window aggregates), which partition they go to, and what the report
 * counts. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>

#include <cmocka.h>
#include <stdlib.h>
#include <string.h>

#include "engine/actors.h"
#include "rt_fake.h"

/* A scripted source: device 0 at 0.1 s, 0.5 s, 1.5 s (values 1, 5, 3);
 * device 1 at 0.2 s and 2.5 s (values 100, -7). */
static const eng_rec script[] = {
    {100 * RT_MS, 100 * RT_MS, 0, 0, 1, 1, 1, 1, 0, 0},
    {500 * RT_MS, 500 * RT_MS, 0, 1, 5, 5, 5, 1, 0, 0},
    {1500 * RT_MS, 1500 * RT_MS, 0, 2, 3, 3, 3, 1, 0, 0},
    {200 * RT_MS, 200 * RT_MS, 1, 0, 100, 100, 100, 1, 0, 0},
    {2500 * RT_MS, 2500 * RT_MS, 1, 1, -7, -7, -7, 1, 0, 0},
};

static void *s_open(const void *o, uint32_t site, uint32_t first, uint32_t n, gsl_rng *r) {
    return (void *)1;
}
static int s_emit(void *s, rt_time_t t0, rt_time_t t1, eng_batch *out) {
    for (size_t i = 0; i < sizeof script / sizeof *script; i++)
        if (script[i].ts >= t0 && script[i].ts < t1) eng_batch_push(out, &script[i]);
    return 0;
}
static void s_close(void *s) {}
static const eng_source_ops scripted = {ENG_SOURCE_ABI, "scripted", s_open, s_emit, s_close};

typedef struct fixture {
    eng_topo_opts topo;
    eng_edge_opts edge;
    eng_bus_opts bus;
    eng_driver_opts drv;
    eng_run_opts o;
    eng_edge_report rep;
    eng_ctx ctx;
    rt_fake *f;
} fixture;

static void setup(fixture *x, eng_edge_mode mode) {
    memset(x, 0, sizeof *x);
    eng_topo_defaults(&x->topo);
    x->topo.sites = 1;
    x->topo.access = (eng_link_opts){1e6, 5 * RT_MS}; /* 100 B in 0.1 ms + 5 ms */
    eng_edge_defaults(&x->edge);
    x->edge.mode = mode;
    x->edge.flops_per_reading = 0;
    x->edge.window = 2 * RT_S;
    eng_bus_defaults(&x->bus);
    x->bus.partitions = 2;
    eng_driver_defaults(&x->drv);
    x->o = (eng_run_opts){.topo = &x->topo,
                          .source = &scripted,
                          .devices_per_site = 2,
                          .record_bytes = 100,
                          .edge = &x->edge,
                          .bus = &x->bus,
                          .driver = &x->drv,
                          .duration = 3 * RT_S};
    x->ctx = (eng_ctx){.o = &x->o, .rec_bytes = mode == ENG_EDGE_AGGREGATE ? 64 : 100, .edges = &x->rep};
    x->f = rt_fake_new(1, 1e9);
}

static void run_edge(fixture *x) {
    eng_edge_arg *a = malloc(sizeof *a);
    *a = (eng_edge_arg){&x->ctx, 0};
    eng_edge_main(rt_fake_rt(x->f), a);
}

static eng_msg *sent(fixture *x, size_t i) { return rt_fake_sent(x->f, i)->msg; }

static void teardown(fixture *x) {
    for (size_t i = 0; i < rt_fake_nsent(x->f); i++) eng_msg_free(sent(x, i));
    rt_fake_free(x->f);
}

static uint64_t records_in(const eng_msg *m) {
    uint64_t n = 0;
    for (uint32_t p = 0; p < m->nparts; p++) n += m->parts[p].n;
    return n;
}

static void test_raw_timing(void **state) {
    fixture x;
    setup(&x, ENG_EDGE_RAW);
    run_edge(&x);
    /* three produces (one per 1 s flush), then EDGE_DONE */
    assert_int_equal(rt_fake_nsent(x.f), 4);
    rt_time_t d = 5 * RT_MS + 100 * RT_US;
    uint64_t want[] = {3, 1, 1};
    for (int k = 0; k < 3; k++) {
        const fake_sent *s = rt_fake_sent(x.f, (size_t)k);
        assert_string_equal(s->chan, ENG_CHAN_BROKER);
        assert_int_equal(s->at, (k + 1) * RT_S + d);
        assert_int_equal(sent(&x, (size_t)k)->type, ENG_MSG_PRODUCE);
        assert_int_equal(records_in(sent(&x, (size_t)k)), want[k]);
        assert_int_equal(s->bytes, want[k] * 100 + x.bus.request_bytes);
    }
    eng_msg *m = sent(&x, 0);
    for (uint32_t p = 0; p < 2; p++)
        for (size_t i = 0; i < m->parts[p].n; i++)
            assert_int_equal(eng_partition_of(m->parts[p].r[i].device, 2), p);
    assert_int_equal(sent(&x, 3)->type, ENG_MSG_EDGE_DONE);
    assert_int_equal(sent(&x, 3)->x, 5);
    assert_int_equal(x.rep.readings_in, 5);
    assert_int_equal(x.rep.readings_out, 5);
    assert_int_equal(x.rep.filtered, 0);
    teardown(&x);
}

static void test_filter(void **state) {
    fixture x;
    setup(&x, ENG_EDGE_RAW);
    x.edge.filter = 1;
    x.edge.filter_min = 0;
    x.edge.filter_max = 50;
    run_edge(&x);
    assert_int_equal(x.rep.readings_in, 5);
    assert_int_equal(x.rep.filtered, 2); /* 100 and -7 */
    assert_int_equal(x.rep.records, 3);
    /* the last period only had the filtered -7: no produce for it */
    assert_int_equal(rt_fake_nsent(x.f), 3);
    teardown(&x);
}

static void test_window_aggregates(void **state) {
    fixture x;
    setup(&x, ENG_EDGE_AGGREGATE);
    run_edge(&x);
    /* windows [0,2) and [2,3): leave at 2 s + d and 3 s + d */
    assert_int_equal(rt_fake_nsent(x.f), 3);
    rt_time_t d = 5 * RT_MS + 100 * RT_US;
    assert_int_equal(rt_fake_sent(x.f, 0)->at, 2 * RT_S + d);
    assert_int_equal(rt_fake_sent(x.f, 1)->at, 3 * RT_S + d);
    eng_msg *m = sent(&x, 0);
    assert_int_equal(records_in(m), 2);
    const eng_rec *dev0 = NULL;
    for (uint32_t p = 0; p < 2; p++)
        for (size_t i = 0; i < m->parts[p].n; i++)
            if (m->parts[p].r[i].device == 0) dev0 = &m->parts[p].r[i];
    assert_non_null(dev0);
    assert_int_equal(dev0->count, 3);
    assert_float_equal(dev0->value, 9, 0);
    assert_float_equal(dev0->min, 1, 0);
    assert_float_equal(dev0->max, 5, 0);
    assert_int_equal(dev0->ts, 100 * RT_MS);
    assert_int_equal(dev0->ts_last, 1500 * RT_MS);
    assert_int_equal(rt_fake_sent(x.f, 0)->bytes, 2 * 64 + x.bus.request_bytes);
    assert_int_equal(x.rep.records, 3);
    assert_int_equal(x.rep.readings_out, 5);
    teardown(&x);
}

/* With state sync on, each window the gateway produces also goes, at the
 * same instant and as no network bytes, to the site's sync agent; the
 * produce timing is unchanged, and the agent hears when the gateway ends. */
static void test_sync_hand_over(void **state) {
    fixture x;
    setup(&x, ENG_EDGE_AGGREGATE);
    eng_sync_opts sync;
    eng_sync_defaults(&sync);
    x.o.sync = &sync;
    run_edge(&x);
    /* produce, window; produce, window; EDGE_DONE to the broker and to the agent */
    assert_int_equal(rt_fake_nsent(x.f), 6);
    rt_time_t d = 5 * RT_MS + 100 * RT_US;
    for (int k = 0; k < 2; k++) {
        const fake_sent *p = rt_fake_sent(x.f, (size_t)(2 * k)), *w = rt_fake_sent(x.f, (size_t)(2 * k + 1));
        assert_string_equal(p->chan, ENG_CHAN_BROKER);
        assert_int_equal(p->at, (2 + k) * RT_S + d);
        assert_string_equal(w->chan, "sync-edge-0");
        assert_int_equal(w->at, p->at);
        assert_int_equal(w->bytes, 0);
        const eng_msg *pm = p->msg, *wm = w->msg;
        assert_int_equal(wm->type, ENG_MSG_SYNC_WINDOW);
        assert_int_equal(wm->recs.n, records_in(pm));
    }
    const eng_rec *r = &sent(&x, 1)->recs.r[0];
    assert_int_equal(r->device, 0); /* the first window's aggregate of device 0 */
    assert_int_equal(r->count, 3);
    assert_float_equal(r->value, 9, 0);
    assert_int_equal(sent(&x, 4)->type, ENG_MSG_EDGE_DONE);
    assert_string_equal(rt_fake_sent(x.f, 5)->chan, "sync-edge-0");
    assert_int_equal(sent(&x, 5)->type, ENG_MSG_EDGE_DONE);
    teardown(&x);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_raw_timing),
        cmocka_unit_test(test_filter),
        cmocka_unit_test(test_window_aggregates),
        cmocka_unit_test(test_sync_hand_over),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
