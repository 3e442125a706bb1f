/* The Kubernetes HPA allocator against hand-worked cases of the published
 * controller (replica_calculator.go, horizontal.go, default behaviour).
 * Decisions come once a second from t = 0; with sync_period 15 s the
 * controller acts at t = 15, 30, ... and holds its target in between. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>

#include <cmocka.h>

#include "tests/policies/alloc_fixture.h"

typedef struct {
    eng_alloc_opts o;
    void *st;
    uint32_t ready, pending; /* the pool: follows each target at once unless `fixed` */
    int fixed;
    uint32_t target;
} run;

static void start(run *r, uint32_t min, uint32_t max, uint32_t initial) {
    memset(r, 0, sizeof(*r));
    fx_opts(&r->o, "hpa", min, max, initial);
    r->ready = initial;
}

/* One decision per second over [from, to] at utilisation u; checks that the
 * target changes only at multiples of sync_s and returns the last target. */
static uint32_t replay(run *r, int from, int to, double u, int sync_s) {
    if (!r->st) r->st = fx_init(&r->o);
    for (int t = from; t <= to; t++) {
        eng_alloc_obs obs = {.now = t * RT_S,
                             .interval = RT_S,
                             .ready = r->ready,
                             .pending = r->pending,
                             .utilisation = u,
                             .slots_per_executor = 4};
        uint32_t before = r->target;
        r->target = fx_decide(&r->o, r->st, &obs);
        if (t != from && t % sync_s != 0) assert_int_equal(r->target, before);
        if (!r->fixed) r->ready = r->target, r->pending = 0;
    }
    return r->target;
}

static void finish(run *r) { fx_free(&r->o, r->st); }

/* 4 executors at 96 %, target 80 %: ratio 96/80 = 1.2 > 1 + 0.1, so
 * ceil(4 * 1.2) = ceil(4.8) = 5 at the first sync (t = 15), not before.
 * Then 5 executors at 85 %: ratio 1.0625, |1 - 1.0625| <= 0.1: stay at 5. */
static void test_scale_up_and_tolerance(void **unused) {
    run r;
    start(&r, 1, 20, 4);
    assert_int_equal(replay(&r, 0, 14, 0.96, 15), 4);
    assert_int_equal(replay(&r, 15, 15, 0.96, 15), 5);
    assert_int_equal(replay(&r, 16, 120, 0.85, 15), 5);
    finish(&r);
}

/* The metric is the mean over the sync period: t = 0..15 at 100 % for 8 s
 * and 60 % for 8 s gives 80 % = target, ratio 1: no change, although the
 * last second alone (60 %, ratio 0.75) would have scaled down. */
static void test_metric_averages_the_period(void **unused) {
    run r;
    start(&r, 1, 20, 6);
    replay(&r, 0, 7, 1.0, 15);
    assert_int_equal(replay(&r, 8, 15, 0.6, 15), 6);
    finish(&r);
}

/* 10 executors at 80 % (ratio 1, recommendation 10) through the sync at
 * t = 105; from t = 106 the load halves: 40 %, ratio 0.5, recommendation
 * ceil(0.5 * 10) = 5 at every sync from t = 120. The scale-down uses the
 * largest recommendation of the last 300 s: the 10 of t = 105 counts until
 * it is 300 s old, so the target stays 10 up to t = 390 and becomes 5 at
 * t = 405 (the default scale-down policy allows removing 100 %). */
static void test_scale_down_waits_for_the_stabilisation_window(void **unused) {
    run r;
    start(&r, 1, 20, 10);
    assert_int_equal(replay(&r, 0, 105, 0.8, 15), 10);
    assert_int_equal(replay(&r, 106, 404, 0.4, 15), 10);
    assert_int_equal(replay(&r, 405, 405, 0.4, 15), 5);
    finish(&r);
}

/* A shorter window (stabilisation_window = 30 s): the last 10 (t = 105)
 * leaves the window at t = 135. */
static void test_stabilisation_window_parameter(void **unused) {
    run r;
    start(&r, 1, 20, 10);
    fx_param(&r.o, "stabilisation_window", 30e9);
    replay(&r, 0, 105, 0.8, 15);
    assert_int_equal(replay(&r, 106, 134, 0.4, 15), 10);
    assert_int_equal(replay(&r, 135, 135, 0.4, 15), 5);
    finish(&r);
}

/* Target 5 % and full load: ratio 100/5 = 20, so 2 executors want
 * ceil(2 * 20) = 40. The default scale-up policies allow, per 15 s,
 * max(2 * current, current + 4): 2 -> max(4, 6) = 6 -> max(12, 10) = 12
 * -> max(24, 16) = 24 -> max(48, 28) = 48, capped by max_executors 40. */
static void test_scale_up_rate_limit(void **unused) {
    run r;
    start(&r, 1, 40, 2);
    fx_param(&r.o, "target_utilisation", 0.05);
    assert_int_equal(replay(&r, 0, 15, 1.0, 15), 6);
    assert_int_equal(replay(&r, 16, 30, 1.0, 15), 12);
    assert_int_equal(replay(&r, 31, 45, 1.0, 15), 24);
    assert_int_equal(replay(&r, 46, 60, 1.0, 15), 40);
    finish(&r);
}

/* With sync_period 5 s the policies still look back 15 s: 2 -> 6 at t = 5
 * (+4); at t = 10 and 15 that +4 is within the last 15 s, so the period
 * started at 6 - 4 = 2 and the limit is still max(4, 6) = 6; at t = 20 it
 * has aged out (5 is not after 20 - 15), the limit is max(12, 10) = 12. */
static void test_rate_limit_counts_changes_in_the_period(void **unused) {
    run r;
    start(&r, 1, 40, 2);
    fx_param(&r.o, "target_utilisation", 0.05);
    fx_param(&r.o, "sync_period", 5e9);
    assert_int_equal(replay(&r, 0, 5, 1.0, 5), 6);
    assert_int_equal(replay(&r, 6, 19, 1.0, 5), 6);
    assert_int_equal(replay(&r, 20, 20, 1.0, 5), 12);
    finish(&r);
}

/* Pending executors are Kubernetes' unready pods.
 * (a) 4 ready at 96 % + 2 pending: ratio 1.2 > 1, so the pending count at
 *     0 %: floor(96 * 4 / 6) = 64 %, ratio 0.8 < 1 reverses the direction:
 *     keep current = 6 (a rule ignoring them would say ceil(1.2 * 4) = 5).
 * (b) 10 ready at 100 % + 2 pending: ratio 1.25; floor(1000 / 12) = 83 %,
 *     ratio 1.0375 within tolerance: keep 12 (not ceil(1.25 * 10) = 13).
 * (c) 20 ready at 100 % + 2 pending: floor(2000 / 22) = 90 %, ratio 1.125:
 *     ceil(1.125 * 22) = ceil(24.75) = 25.
 * (d) scaling down they are left out: 6 ready at 40 % + 2 pending, ratio
 *     0.5: ceil(0.5 * 6) = 3 (first sync: no earlier recommendation). */
static void test_pending_executors_as_unready_pods(void **unused) {
    struct {
        uint32_t ready, pending;
        double u;
        uint32_t want;
    } c[] = {{4, 2, 0.96, 6}, {10, 2, 1.0, 12}, {20, 2, 1.0, 25}, {6, 2, 0.4, 3}};
    for (size_t i = 0; i < 4; i++) {
        run r;
        start(&r, 1, 40, c[i].ready + c[i].pending);
        r.ready = c[i].ready;
        r.pending = c[i].pending;
        r.fixed = 1;
        assert_int_equal(replay(&r, 0, 15, c[i].u, 15), c[i].want);
        finish(&r);
    }
}

/* No ready executor, no metric: the count is kept. A count outside
 * [min, max] is brought to the nearest bound at the next sync. */
static void test_no_metric_and_out_of_bounds(void **unused) {
    run r;
    start(&r, 1, 10, 3);
    r.ready = 0;
    r.pending = 3;
    r.fixed = 1;
    assert_int_equal(replay(&r, 0, 15, 0.0, 15), 3);
    finish(&r);
    start(&r, 2, 10, 2);
    r.ready = 14;
    r.fixed = 1;
    assert_int_equal(replay(&r, 0, 15, 1.0, 15), 10);
    finish(&r);
    start(&r, 2, 10, 2);
    r.ready = 1;
    r.fixed = 1;
    assert_int_equal(replay(&r, 0, 15, 0.0, 15), 2);
    finish(&r);
}

/* tolerance 0 reacts to any deviation: 5 at 84 %, ratio 1.05: ceil(5.25) = 6;
 * target 0.5 halves the need: 6 at 40 %, ratio 0.8: ceil(4.8) = 5 — after
 * the window of the 6 recommended at t = 15 passes (t = 315). */
static void test_parameters_change_the_rule(void **unused) {
    run r;
    start(&r, 1, 20, 5);
    fx_param(&r.o, "tolerance", 0);
    assert_int_equal(replay(&r, 0, 15, 0.84, 15), 6);
    finish(&r);
    start(&r, 1, 20, 6);
    fx_param(&r.o, "target_utilisation", 0.5);
    assert_int_equal(replay(&r, 0, 15, 0.5, 15), 6);
    assert_int_equal(replay(&r, 16, 314, 0.4, 15), 6);
    assert_int_equal(replay(&r, 315, 315, 0.4, 15), 5);
    finish(&r);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_scale_up_and_tolerance),
        cmocka_unit_test(test_metric_averages_the_period),
        cmocka_unit_test(test_scale_down_waits_for_the_stabilisation_window),
        cmocka_unit_test(test_stabilisation_window_parameter),
        cmocka_unit_test(test_scale_up_rate_limit),
        cmocka_unit_test(test_rate_limit_counts_changes_in_the_period),
        cmocka_unit_test(test_pending_executors_as_unready_pods),
        cmocka_unit_test(test_no_metric_and_out_of_bounds),
        cmocka_unit_test(test_parameters_change_the_rule),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
