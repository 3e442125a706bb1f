/* The static allocator: whatever the pipeline does, the target is the
 * configured count; without one it is the pool's initial size. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>

#include <cmocka.h>

#include "tests/policies/alloc_fixture.h"

static void test_fixed_count_whatever_the_load(void **unused) {
    eng_alloc_opts o;
    fx_opts(&o, "static", 1, 64, 4);
    fx_param(&o, "executors", 12); /* e.g. static-peak */
    void *st = fx_init(&o);
    rt_time_t idle[3] = {0, 90 * RT_S, 90 * RT_S};
    const eng_alloc_obs quiet = {
        .now = 10 * RT_S, .ready = 3, .idle = 2, .idle_for = idle, .utilisation = 0.05};
    const eng_alloc_obs flood = {.now = 20 * RT_S,
                                 .ready = 12,
                                 .pending_tasks = 5000,
                                 .utilisation = 1.0,
                                 .latency_p95_ms = 9000,
                                 .slo_ms = 500};
    assert_int_equal(fx_decide(&o, st, &quiet), 12);
    assert_int_equal(fx_decide(&o, st, &flood), 12);
    assert_int_equal(fx_decide(&o, st, &quiet), 12);
    fx_free(&o, st);
}

static void test_default_keeps_initial_pool(void **unused) {
    eng_alloc_opts o;
    fx_opts(&o, "static", 2, 8, 5);
    void *st = fx_init(&o);
    const eng_alloc_obs obs = {.now = RT_S, .ready = 5};
    assert_int_equal(fx_decide(&o, st, &obs), 5);
    fx_free(&o, st);
    fx_opts(&o, "static", 2, 8, 30); /* an initial size above max is clamped */
    st = fx_init(&o);
    assert_int_equal(fx_decide(&o, st, &obs), 8);
    fx_free(&o, st);
}

static void test_bounds_are_inclusive(void **unused) {
    eng_alloc_opts o;
    fx_opts(&o, "static", 2, 8, 5);
    fx_param(&o, "executors", 2);
    void *st = fx_init(&o);
    const eng_alloc_obs obs = {.now = RT_S, .ready = 5};
    assert_int_equal(fx_decide(&o, st, &obs), 2);
    fx_free(&o, st);
    fx_opts(&o, "static", 2, 8, 5);
    fx_param(&o, "executors", 8);
    st = fx_init(&o);
    assert_int_equal(fx_decide(&o, st, &obs), 8);
    fx_free(&o, st);
    fx_opts(&o, "static", 2, 8, 5);
    fx_param(&o, "executors", 1);
    assert_non_null(strstr(fx_init_error(&o), "must be a whole number in [2, 8], got 1"));
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_fixed_count_whatever_the_load),
        cmocka_unit_test(test_default_keeps_initial_pool),
        cmocka_unit_test(test_bounds_are_inclusive),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
