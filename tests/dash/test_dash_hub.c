/* The dashboard's data path without a simulation: points computed from a
 * hand-made metrics record, the hub's series paging and ring, feeds over a
 * pipe (records arrive whole, a full pipe drops points instead of waiting,
 * a run without a summary ends failed), address parsing and a port that is
 * already served. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>

#include <cmocka.h>
#include <jansson.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "dash/feed.h"
#include "dash/server.h"

static json_t *parse(char *text) {
    assert_non_null(text);
    json_error_t e;
    json_t *j = json_loads(text, 0, &e);
    free(text);
    if (!j) fail_msg("bad JSON: %s", e.text);
    return j;
}

static double num(json_t *o, const char *key) { return json_number_value(json_object_get(o, key)); }

static eng_sample sample(double t_s, uint64_t in, uint64_t out, double cost) {
    return (eng_sample){.t = (rt_time_t)(t_s * 1e9),
                        .in = in,
                        .out = out,
                        .cost_usd = cost,
                        .ready = 3,
                        .target = 4,
                        .backlog = 77,
                        .lat_p99_ms = 12.5};
}

/* Two intervals of 2 s: rates are counts / 2 s, the cost rate the bill's
 * growth per hour (0.2 USD in 2 s: 360 USD/h), totals add up. */
static void test_point_from_metrics(void **state) {
    eng_metrics *m = eng_metrics_new();
    eng_sample a = sample(2, 2000, 1000, 0.1), b = sample(4, 3000, 4000, 0.3);
    eng_metrics_add_sample(m, &a);
    uint64_t in = 0, out = 0;
    dash_point p;
    dash_point_from_metrics(m, 0.5, &in, &out, &p);
    assert_true(p.in_rate == 1000.0 && p.out_rate == 500.0);
    assert_true(p.cost_rate_usd_h == 0.1 / 2 * 3600);
    eng_metrics_add_sample(m, &b);
    dash_point_from_metrics(m, 1.0, &in, &out, &p);
    assert_true(p.t_s == 4.0 && p.wall_s == 1.0);
    assert_true(p.in_rate == 1500.0 && p.out_rate == 2000.0);
    assert_true(fabs(p.cost_rate_usd_h - 360.0) < 1e-9);
    assert_int_equal(p.in_total, 5000);
    assert_int_equal(p.out_total, 5000);
    assert_int_equal(p.ready, 3);
    assert_int_equal(p.target, 4);
    assert_int_equal(p.backlog, 77);
    assert_true(p.lat_p99_ms == 12.5);
    eng_metrics_free(m);
}

static dash_hub *hub_with_run(void) {
    dash_hub *h = dash_hub_new();
    assert_non_null(h);
    dash_run_info info = {.scenario = "s", .variant = "v", .backend = "simgrid", .seed = 5, .end_s = 100};
    assert_int_equal(dash_hub_add_run(h, &info), 0);
    return h;
}

static void push_point(dash_hub *h, double t) {
    dash_rec r = {.kind = DASH_REC_POINT, .run = 0, .u.point = {.t_s = t}};
    dash_hub_push(h, &r);
}

/* since=k gives the points after seq k, max caps them; once the ring has
 * wrapped, the oldest kept point is the first the series returns. */
static void test_series_since_and_ring(void **state) {
    dash_hub *h = hub_with_run();
    for (int i = 1; i <= 10; i++) push_point(h, i);
    json_t *s = parse(dash_hub_series_json(h, 7, 100));
    json_t *pts = json_object_get(s, "points");
    assert_int_equal(json_array_size(pts), 3);
    assert_true(num(json_array_get(pts, 0), "seq") == 8 && num(json_array_get(pts, 0), "t_s") == 8.0);
    assert_true(num(s, "last") == 10 && num(s, "first") == 1);
    json_decref(s);
    s = parse(dash_hub_series_json(h, 2, 4));
    assert_true(num(s, "last") == 6);
    json_decref(s);
    for (int i = 11; i <= DASH_RING + 25; i++) push_point(h, i);
    s = parse(dash_hub_series_json(h, 0, 2));
    pts = json_object_get(s, "points");
    assert_true(num(s, "first") == 26 && num(json_array_get(pts, 0), "seq") == 26);
    assert_true(num(json_array_get(pts, 0), "t_s") == 26.0);
    json_decref(s);
    json_t *st = parse(dash_hub_state_json(h));
    json_t *run = json_array_get(json_object_get(st, "runs"), 0);
    assert_true(num(st, "seq") == DASH_RING + 25);
    assert_true(num(run, "progress") == 1.0); /* past end_s: clamped */
    assert_string_equal(json_string_value(json_object_get(run, "status")), "running");
    json_decref(st);
    dash_hub_free(h);
}

/* The optional paths' measures travel a pipe whole and come out as JSON
 * only where the run has them: a run with all three (10 sites: the first 8
 * sites' lags listed), then one with none. */
static void test_optional_measures(void **state) {
    dash_hub *h = hub_with_run();
    dash_run_info info = {.scenario = "s", .variant = "plain", .backend = "simgrid", .seed = 6, .end_s = 10};
    assert_int_equal(dash_hub_add_run(h, &info), 1);
    int fds[2];
    assert_int_equal(pipe(fds), 0);
    char err[128];
    assert_int_equal(dash_hub_read_fd(h, 0, fds[0], err, sizeof err), 0);
    dash_feed *f = dash_feed_pipe(fds[1], 0);
    eng_metrics *m = eng_metrics_new();
    eng_sample s = sample(1, 1, 1, 0);
    s.has_shuffle = s.has_privacy = 1;
    s.sync_sites = 10;
    uint64_t tiers[4] = {4096, 0, 123456789012ULL, 7};
    memcpy(s.shuffle_bytes, tiers, sizeof tiers);
    s.privacy_bytes = 6480;
    s.privacy_edge_cpu_s = 0.375;
    s.privacy_cloud_cpu_s = 0.125;
    s.sync_lag_max_ms = 9000;
    s.sync_lag_median_ms = 450.5;
    for (int i = 0; i < ENG_SAMPLE_LAG_SITES; i++) s.sync_lag_ms[i] = 100.0 * i;
    eng_metrics_add_sample(m, &s);
    dash_feed_sample(f, m);
    dash_feed_free(f);
    dash_hub_finish(h); /* the pipe's point is in: the next comes after it */
    dash_rec plain = {.kind = DASH_REC_POINT, .run = 1, .u.point = {.t_s = 1}};
    dash_hub_push(h, &plain);
    json_t *ser = parse(dash_hub_series_json(h, 0, 10));
    json_t *pts = json_object_get(ser, "points");
    assert_int_equal(json_array_size(pts), 2);
    json_t *p = json_array_get(pts, 0), *b = json_object_get(p, "shuffle_bytes");
    assert_true(num(b, "memory") == 4096 && num(b, "local_ssd") == 0 && num(b, "object_store") == 7);
    assert_true(json_integer_value(json_object_get(b, "remote_service")) == 123456789012LL);
    json_t *v = json_object_get(p, "privacy");
    assert_true(num(v, "bytes") == 6480 && num(v, "edge_cpu_s") == 0.375 && num(v, "cloud_cpu_s") == 0.125);
    json_t *l = json_object_get(p, "sync_lag_ms"), *sites = json_object_get(l, "site");
    assert_true(num(l, "sites") == 10 && num(l, "max") == 9000 && num(l, "median") == 450.5);
    assert_int_equal(json_array_size(sites), ENG_SAMPLE_LAG_SITES);
    assert_true(json_number_value(json_array_get(sites, 7)) == 700.0);
    json_t *q = json_array_get(pts, 1);
    assert_null(json_object_get(q, "shuffle_bytes"));
    assert_null(json_object_get(q, "privacy"));
    assert_null(json_object_get(q, "sync_lag_ms"));
    json_decref(ser);
    eng_metrics_free(m);
    dash_hub_free(h);
}

/* A forked run's feed: points and the summary through a pipe, read by the
 * hub's thread; the state shows them once the hub is finished. */
static void test_pipe_feed(void **state) {
    dash_hub *h = hub_with_run();
    int fds[2];
    assert_int_equal(pipe(fds), 0);
    char err[128];
    assert_int_equal(dash_hub_read_fd(h, 0, fds[0], err, sizeof err), 0);
    dash_feed *f = dash_feed_pipe(fds[1], 0);
    eng_metrics *m = eng_metrics_new();
    for (int i = 1; i <= 50; i++) {
        eng_sample s = sample(i, 10, 10, 0.01 * i);
        eng_metrics_add_sample(m, &s);
        dash_feed_sample(f, m);
    }
    m->summary.readings_out = 500;
    m->summary.sim_seconds = 50;
    dash_feed_end(f, &m->summary);
    assert_int_equal(dash_feed_dropped(f), 0);
    dash_feed_free(f);
    dash_hub_finish(h);
    json_t *st = parse(dash_hub_state_json(h));
    json_t *run = json_array_get(json_object_get(st, "runs"), 0);
    assert_true(json_is_true(json_object_get(st, "finished")));
    assert_string_equal(json_string_value(json_object_get(run, "status")), "done");
    assert_true(num(json_object_get(run, "latest"), "out_total") == 500);
    assert_true(num(json_object_get(json_object_get(run, "summary"), "records"), "out") == 500);
    assert_true(num(run, "sim_s") == 50 && num(run, "progress") == 1.0);
    json_decref(st);
    eng_metrics_free(m);
    dash_hub_free(h);
}

/* Nobody reads the pipe: the feed drops points and returns at once; the
 * run's pipe ends without a summary, so the run failed. */
static void test_full_pipe_drops(void **state) {
    int fds[2];
    assert_int_equal(pipe(fds), 0);
    dash_feed *f = dash_feed_pipe(fds[1], 0);
    eng_metrics *m = eng_metrics_new();
    eng_sample s = sample(1, 1, 1, 0);
    eng_metrics_add_sample(m, &s);
    struct timespec t0, t1;
    clock_gettime(CLOCK_MONOTONIC, &t0);
    for (int i = 0; i < 2000; i++) dash_feed_sample(f, m);
    clock_gettime(CLOCK_MONOTONIC, &t1);
    double ms = (t1.tv_sec - t0.tv_sec) * 1e3 + (t1.tv_nsec - t0.tv_nsec) / 1e6;
    size_t fit = 65536 / (sizeof(dash_wire) + sizeof(dash_point)); /* Linux's default pipe buffer */
    uint64_t dropped = dash_feed_dropped(f);
    assert_true(dropped >= 2000 - fit - 1);
    assert_true(ms < 500);
    dash_feed_free(f);
    eng_metrics_free(m);

    dash_hub *h = hub_with_run();
    char err[128];
    assert_int_equal(dash_hub_read_fd(h, 0, fds[0], err, sizeof err), 0);
    dash_hub_finish(h);
    json_t *st = parse(dash_hub_state_json(h));
    json_t *run = json_array_get(json_object_get(st, "runs"), 0);
    assert_string_equal(json_string_value(json_object_get(run, "status")), "failed");
    assert_true(num(st, "runs_failed") == 1);
    assert_true(num(st, "seq") == (double)(2000 - dropped)); /* what fit arrives whole */
    json_decref(st);
    dash_hub_free(h);
}

static void test_addr_parse(void **state) {
    char host[64], err[256];
    unsigned port;
    assert_int_equal(dash_addr_parse(NULL, host, sizeof host, &port, err, sizeof err), 0);
    assert_string_equal(host, "127.0.0.1");
    assert_int_equal(port, 8080);
    assert_int_equal(dash_addr_parse("9000", host, sizeof host, &port, err, sizeof err), 0);
    assert_true(!strcmp(host, "127.0.0.1") && port == 9000);
    assert_int_equal(dash_addr_parse("0.0.0.0:0", host, sizeof host, &port, err, sizeof err), 0);
    assert_true(!strcmp(host, "0.0.0.0") && port == 0);
    assert_int_equal(dash_addr_parse("::1:8081", host, sizeof host, &port, err, sizeof err), 0);
    assert_true(!strcmp(host, "::1") && port == 8081);
    const char *bad[] = {"65536", "x:", ":80", "abc", "-1", "80a", "h:+80"};
    for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
        err[0] = 0;
        assert_int_equal(dash_addr_parse(bad[i], host, sizeof host, &port, err, sizeof err), -1);
        assert_non_null(strstr(err, bad[i]));
    }
}

/* A second server on the port the first one was given fails, saying why. */
static void test_port_in_use(void **state) {
    dash_hub *h = dash_hub_new();
    char err[256] = "";
    dash_server *a = dash_server_start(h, "127.0.0.1", 0, err, sizeof err);
    assert_non_null(a);
    assert_true(dash_server_port(a) > 0);
    dash_server *b = dash_server_start(h, "127.0.0.1", dash_server_port(a), err, sizeof err);
    assert_null(b);
    assert_non_null(strstr(err, "in use"));
    dash_server_stop(a);
    dash_hub_free(h);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_point_from_metrics), cmocka_unit_test(test_series_since_and_ring),
        cmocka_unit_test(test_pipe_feed),          cmocka_unit_test(test_full_pipe_drops),
        cmocka_unit_test(test_addr_parse),         cmocka_unit_test(test_port_in_use),
        cmocka_unit_test(test_optional_measures),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
