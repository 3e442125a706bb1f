/* Spark dynamic allocation against hand-worked runs of
 * ExecutorAllocationManager with its defaults (1 s backlog timeouts, 60 s
 * idle timeout). One slot per executor unless stated, so maxNeeded =
 * pending + running tasks. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>

#include <cmocka.h>

#include "tests/policies/alloc_fixture.h"

typedef struct {
    eng_alloc_opts o;
    void *st;
    rt_time_t idle_for[64];
} run;

static void start(run *r, uint32_t min, uint32_t max, uint32_t initial) {
    memset(r, 0, sizeof(*r));
    fx_opts(&r->o, "spark_dynamic", min, max, initial);
}

/* One decision at t (ns): `ready` executors of which the last `idle` have
 * been idle since idle_since; tasks pending since backlog_start (if any). */
static uint32_t at(run *r, rt_time_t t, uint32_t ready, uint32_t pending_exec, uint32_t pending_tasks,
                   rt_time_t backlog_start, uint32_t running, uint32_t idle, rt_time_t idle_since) {
    if (!r->st) r->st = fx_init(&r->o);
    assert_true(ready <= 64 && idle <= ready);
    for (uint32_t i = 0; i < ready; i++) r->idle_for[i] = i >= ready - idle ? t - idle_since : 0;
    eng_alloc_obs obs = {.now = t,
                         .interval = RT_S,
                         .ready = ready,
                         .pending = pending_exec,
                         .idle = idle,
                         .idle_for = r->idle_for,
                         .pending_tasks = pending_tasks,
                         .backlog_since = pending_tasks ? t - backlog_start : 0,
                         .running_tasks = running,
                         .slots_per_executor = 1};
    return fx_decide(&r->o, r->st, &obs);
}

static void finish(run *r) { fx_free(&r->o, r->st); }

/* From one executor running one task with `tasks` more pending since t = 0,
 * decisions every `step`: new executors stay pending (slow start-up), and
 * the k-th target must be want[k]. */
static void ramp(run *r, rt_time_t step, uint32_t tasks, const uint32_t *want, int n) {
    uint32_t target = 1;
    for (int k = 0; k < n; k++) {
        target = at(r, k * step, 1, target - 1, tasks, 0, 1, 0, 0);
        assert_int_equal(target, want[k]);
    }
}

/* 1 executor running 1 task, 10 more pending from t = 0: maxNeeded = 11.
 * t=0: timer set for 0 + 1 s; target 1.
 * t=1: round: max(1, 1 ready) + 1 = 2; added 1 = n, so n -> 2; timer 2 s.
 * t=2: max(2, 1) + 2 = 4; n -> 4.   t=3: 4 + 4 = 8; n -> 8.
 * t=4: 8 + 8 = 16 capped at maxNeeded 11 (added 3 != 8, n -> 1).
 * t=5: 11 + 1 capped at 11: nothing added.
 * (The executors are slow to start: 1 ready, the rest pending.) */
static void test_exponential_ramp_capped_by_max_needed(void **unused) {
    run r;
    start(&r, 1, 50, 1);
    const uint32_t want[] = {1, 2, 4, 8, 11, 11, 11};
    ramp(&r, RT_S, 10, want, 7);
    finish(&r);
}

/* The timers run against obs->now, not per call: with decisions every
 * 0.5 s the rounds still come at t = 1, 2, 3 s; and a backlog that began
 * at 0.4 s is first answered at 1.4 s, seen at the 1.5 s decision. */
static void test_timers_follow_time(void **unused) {
    run r;
    start(&r, 1, 50, 1);
    const uint32_t want[] = {1, 1, 2, 2, 4, 4, 8}; /* t = 0, 0.5, ..., 3 s */
    ramp(&r, RT_S / 2, 100, want, 7);
    finish(&r);
    start(&r, 1, 50, 1);
    assert_int_equal(at(&r, RT_S / 2, 1, 0, 100, 4 * RT_S / 10, 1, 0, 0), 1);
    assert_int_equal(at(&r, RT_S, 1, 0, 100, 4 * RT_S / 10, 1, 0, 0), 1);
    assert_int_equal(at(&r, 3 * RT_S / 2, 1, 0, 100, 4 * RT_S / 10, 1, 0, 0), 2);
    finish(&r);
}

/* Decisions every 5 s: at t = 5 the rounds of t = 1, 2, 3, 4, 5 are all
 * due: 1 -> 2 -> 4 -> 8 -> 16 -> 32 (maxNeeded 101, max 50); at t = 10 the
 * rounds of 6.. would add 32 but max_executors caps the target at 50. */
static void test_coarse_interval_replays_rounds(void **unused) {
    run r;
    start(&r, 1, 50, 1);
    assert_int_equal(at(&r, 0, 1, 0, 100, 0, 1, 0, 0), 1);
    assert_int_equal(at(&r, 5 * RT_S, 1, 31, 100, 0, 1, 0, 0), 32);
    assert_int_equal(at(&r, 10 * RT_S, 1, 49, 100, 0, 1, 0, 0), 50);
    finish(&r);
}

/* Ramp 1 -> 2 -> 4 (n = 4), then at t = 3 no task is pending: the timer
 * clears and n resets. A new backlog from t = 3.5: first round at 4.5,
 * adding 1 (not 4): max(4, 4 ready) + 1 = 5. A backlog that emptied and
 * refilled between two decisions (backlog start after the previous
 * decision) also restarts from 1 s and n = 1. */
static void test_doubling_resets_when_backlog_clears(void **unused) {
    run r;
    start(&r, 1, 50, 1);
    const uint32_t want[] = {1, 2, 4};
    ramp(&r, RT_S, 100, want, 3);
    assert_int_equal(at(&r, 3 * RT_S, 4, 0, 0, 0, 4, 0, 0), 4);
    assert_int_equal(at(&r, 4 * RT_S, 4, 0, 100, 7 * RT_S / 2, 4, 0, 0), 4);
    assert_int_equal(at(&r, 5 * RT_S, 4, 0, 100, 7 * RT_S / 2, 4, 0, 0), 5);
    assert_int_equal(at(&r, 6 * RT_S, 5, 0, 100, 7 * RT_S / 2, 5, 0, 0), 7); /* n was 1 = added: now 2 */
    /* emptied after t = 6, filled again at 6.5: the 4 due next is forgotten */
    assert_int_equal(at(&r, 7 * RT_S, 7, 0, 100, 13 * RT_S / 2, 7, 0, 0), 7);
    assert_int_equal(at(&r, 8 * RT_S, 7, 0, 100, 13 * RT_S / 2, 7, 0, 0), 8);
    finish(&r);
}

/* 11 executors, the backlog gone at t = 6: 3 run a task, 8 idle since 6 s.
 * maxNeeded = 3 < 11: the target drops to 3 but busy or recently idle
 * executors stay: 11 until the idle ones reach 60 s (t = 66), then 3.
 * With min_executors 5 only 6 of the 8 go (11 - 6 = 5). */
static void test_idle_executors_released_after_timeout(void **unused) {
    run r;
    start(&r, 1, 50, 11);
    assert_int_equal(at(&r, 6 * RT_S, 11, 0, 0, 0, 3, 8, 6 * RT_S), 11);
    assert_int_equal(at(&r, 65 * RT_S, 11, 0, 0, 0, 3, 8, 6 * RT_S), 11);
    assert_int_equal(at(&r, 65 * RT_S + RT_S - 1, 11, 0, 0, 0, 3, 8, 6 * RT_S), 11);
    assert_int_equal(at(&r, 66 * RT_S, 11, 0, 0, 0, 3, 8, 6 * RT_S), 3);
    finish(&r);
    start(&r, 5, 50, 11);
    assert_int_equal(at(&r, 66 * RT_S, 11, 0, 0, 0, 3, 8, 6 * RT_S), 5);
    finish(&r);
}

/* maxNeeded counts slots: 4 slots per executor, 9 running + 10 pending
 * tasks need ceil(19 / 4) = 5 executors; the ramp 3 -> 4 -> 5 stops there. */
static void test_max_needed_uses_slots(void **unused) {
    run r;
    start(&r, 1, 50, 3);
    rt_time_t idle[3] = {0};
    eng_alloc_obs obs = {.interval = RT_S,
                         .ready = 3,
                         .idle_for = idle,
                         .pending_tasks = 10,
                         .running_tasks = 9,
                         .slots_per_executor = 4};
    r.st = fx_init(&r.o);
    uint32_t want[] = {3, 4, 5, 5}; /* t=2: 4 + 2 = 6 capped at 5 */
    for (int t = 0; t <= 3; t++) {
        obs.now = t * RT_S;
        obs.backlog_since = obs.now;
        assert_int_equal(fx_decide(&r.o, r.st, &obs), want[t]);
    }
    finish(&r);
}

/* Before any task (Spark's first stage) the initial target holds, even when
 * maxNeeded is 0; an executor reaching the idle timeout ends that: with
 * nothing to run the target falls to min_executors (1). */
static void test_initial_target_until_work_or_timeout(void **unused) {
    run r;
    start(&r, 1, 50, 4);
    assert_int_equal(at(&r, 10 * RT_S, 4, 0, 0, 0, 0, 4, 0), 4);
    assert_int_equal(at(&r, 59 * RT_S, 4, 0, 0, 0, 0, 4, 0), 4);
    assert_int_equal(at(&r, 60 * RT_S, 4, 0, 0, 0, 0, 4, 0), 1);
    finish(&r);
}

/* Parameters: backlog_timeout 3 s, sustained 2 s: rounds at 3, 5, 7 s;
 * idle_timeout 10 s releases an executor idle since 0 at t = 10. */
static void test_parameters_change_the_timers(void **unused) {
    run r;
    start(&r, 1, 50, 1);
    fx_param(&r.o, "backlog_timeout", 3e9);
    fx_param(&r.o, "sustained_backlog_timeout", 2e9);
    const uint32_t want[] = {1, 1, 1, 2, 2, 4, 4, 8};
    ramp(&r, RT_S, 100, want, 8);
    finish(&r);
    start(&r, 1, 50, 2);
    fx_param(&r.o, "idle_timeout", 10e9);
    assert_int_equal(at(&r, 9 * RT_S, 2, 0, 0, 0, 1, 1, 0), 2);
    assert_int_equal(at(&r, 10 * RT_S, 2, 0, 0, 0, 1, 1, 0), 1);
    finish(&r);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_exponential_ramp_capped_by_max_needed),
        cmocka_unit_test(test_timers_follow_time),
        cmocka_unit_test(test_coarse_interval_replays_rounds),
        cmocka_unit_test(test_doubling_resets_when_backlog_clears),
        cmocka_unit_test(test_idle_executors_released_after_timeout),
        cmocka_unit_test(test_max_needed_uses_slots),
        cmocka_unit_test(test_initial_target_until_work_or_timeout),
        cmocka_unit_test(test_parameters_change_the_timers),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
