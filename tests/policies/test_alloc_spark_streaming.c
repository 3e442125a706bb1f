/* Spark Streaming's allocation rule against hand-worked runs of its
 * ExecutorAllocationManager with the defaults (scaling interval 60 s, up at
 * ratio >= 0.9 by max(round(ratio), 1), down at <= 0.3 by one executor).
 * Batch interval 10 s; one decision per second; unless `fixed`, the pool
 * follows each target at once. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>

#include <cmocka.h>

#include "tests/policies/alloc_fixture.h"

typedef struct {
    eng_alloc_opts o;
    void *st;
    uint32_t ready, pending;
    int fixed;
    rt_time_t trigger;
    uint32_t target;
} run;

static void start(run *r, uint32_t min, uint32_t max, uint32_t initial) {
    memset(r, 0, sizeof(*r));
    fx_opts(&r->o, "spark_streaming", min, max, initial);
    r->ready = initial;
    r->trigger = 10 * RT_S;
}

/* One decision at t seconds reporting `batches` completed batches of mean
 * processing time `batch_s` seconds. */
static uint32_t at(run *r, int t, uint32_t batches, double batch_s) {
    if (!r->st) r->st = fx_init(&r->o);
    eng_alloc_obs obs = {.now = t * RT_S,
                         .interval = RT_S,
                         .ready = r->ready,
                         .pending = r->pending,
                         .trigger = r->trigger,
                         .batches = batches,
                         .avg_batch_time = batches ? rt_from_s(batch_s) : 0};
    r->target = fx_decide(&r->o, r->st, &obs);
    if (!r->fixed) r->ready = r->target, r->pending = 0;
    return r->target;
}

/* Decisions over seconds [from, to], a batch of batch_s seconds completing
 * whenever t is a multiple of `every` (0: none); the target may change only
 * on multiples of tick_s. Returns the last target. */
static uint32_t span(run *r, int from, int to, int every, double batch_s, int tick_s) {
    for (int t = from; t <= to; t++) {
        uint32_t before = r->target;
        int done = every && t % every == 0;
        at(r, t, done, batch_s);
        if (t != from && t % tick_s != 0) assert_int_equal(r->target, before);
    }
    return r->target;
}

static void finish(run *r) { fx_free(&r->o, r->st); }

/* t = 10..60: batches of 9.5 s, ratio 0.95 >= 0.9: at 60 s, 4 + 1 = 5.
 * (60, 120]: batches of 26 s (done at 78, 104), ratio 2.6: round 3, 5 + 3 = 8.
 * (120, 180]: 2.5 s batches, ratio 0.25 <= 0.3: one fewer, 7.
 * (180, 240]: no batch completed: nothing. (240, 300]: ratio 0.5: nothing. */
static void test_published_rule_at_each_tick(void **unused) {
    run r;
    start(&r, 1, 20, 4);
    assert_int_equal(span(&r, 0, 59, 10, 9.5, 60), 4);
    assert_int_equal(span(&r, 60, 60, 10, 9.5, 60), 5);
    assert_int_equal(span(&r, 61, 120, 26, 26.0, 60), 8);
    assert_int_equal(span(&r, 121, 180, 10, 2.5, 60), 7);
    assert_int_equal(span(&r, 181, 240, 0, 0, 60), 7);
    assert_int_equal(span(&r, 241, 300, 10, 5.0, 60), 7);
    finish(&r);
}

/* The mean is per batch: 3 batches of 1 s reported at t = 310 and 1 of 9 s
 * at t = 320 average (3 + 9) / 4 = 3 s, ratio 0.3 <= 0.3: 7 -> 6 at 360.
 * (A mean of the two reports, 5 s, ratio 0.5, would have changed nothing.) */
static void test_mean_is_per_batch(void **unused) {
    run r;
    start(&r, 1, 20, 7);
    span(&r, 0, 300, 0, 0, 60);
    for (int t = 301; t <= 360; t++) at(&r, t, t == 310 ? 3 : t == 320 ? 1 : 0, t == 310 ? 1.0 : 9.0);
    assert_int_equal(r.target, 6);
    finish(&r);
}

/* No executor is removed at min_executors; max_executors caps a large
 * ratio (31 s batches: ratio 3.1, round 3: 19 + 3 = 22 -> 20). */
static void test_bounds(void **unused) {
    run r;
    start(&r, 4, 20, 4);
    assert_int_equal(span(&r, 0, 60, 10, 1.0, 60), 4);
    finish(&r);
    start(&r, 1, 20, 19);
    assert_int_equal(span(&r, 0, 60, 31, 31.0, 60), 20);
    finish(&r);
}

/* Spark asks for registered executors + n: with 4 ready and 3 still
 * starting, ratio 0.95 asks for 5 in total (two pending requests dropped). */
static void test_counts_ready_executors_only(void **unused) {
    run r;
    start(&r, 1, 20, 7);
    r.ready = 4;
    r.pending = 3;
    r.fixed = 1;
    assert_int_equal(span(&r, 0, 60, 10, 9.5, 60), 5);
    finish(&r);
}

/* Ticks fall on multiples of the interval from the run's start: a first
 * decision at 25 s still acts at 60 s. Without a batch interval (trigger 0)
 * the ratio is undefined and nothing changes. */
static void test_tick_alignment_and_no_trigger(void **unused) {
    run r;
    start(&r, 1, 20, 4);
    assert_int_equal(span(&r, 25, 59, 5, 9.5, 60), 4);
    assert_int_equal(span(&r, 60, 60, 5, 9.5, 60), 5);
    finish(&r);
    start(&r, 1, 20, 4);
    r.trigger = 0;
    assert_int_equal(span(&r, 0, 120, 10, 9.5, 60), 4);
    finish(&r);
}

/* scaling_interval 30 s, scaling_up_ratio 0.5, scaling_down_ratio 0.1:
 * 6 s batches (ratio 0.6) add one at 30 s and again at 60 s; 2 s batches
 * (ratio 0.2) are no longer low enough to remove one. */
static void test_parameters_change_the_rule(void **unused) {
    run r;
    start(&r, 1, 20, 4);
    fx_param(&r.o, "scaling_interval", 30e9);
    fx_param(&r.o, "scaling_up_ratio", 0.5);
    fx_param(&r.o, "scaling_down_ratio", 0.1);
    assert_int_equal(span(&r, 0, 30, 10, 6.0, 30), 5);
    assert_int_equal(span(&r, 31, 60, 10, 6.0, 30), 6);
    assert_int_equal(span(&r, 61, 120, 10, 2.0, 30), 6);
    finish(&r);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_published_rule_at_each_tick),
        cmocka_unit_test(test_mean_is_per_batch),
        cmocka_unit_test(test_bounds),
        cmocka_unit_test(test_counts_ready_executors_only),
        cmocka_unit_test(test_tick_alignment_and_no_trigger),
        cmocka_unit_test(test_parameters_change_the_rule),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
