/* The serverless bill, checked against hand computation with the AWS EMR
 * Serverless profile ($0.052624 per vCPU-hour, $0.0057785 per GB-hour,
 * per-second billing, 1-minute minimum). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>

#include <cmocka.h>

#include "engine/pool.h"

static const double hour_rate = 4 * 0.052624 + 16 * 0.0057785; /* 0.302952 USD/h for 4 vCPU, 16 GB */

static void test_billed_duration(void **state) {
    eng_cloud c;
    eng_cloud_defaults(&c);
    assert_int_equal(eng_cost_billed(&c, 0, 30 * RT_S), 60 * RT_S); /* minimum */
    assert_int_equal(eng_cost_billed(&c, 0, 60 * RT_S), 60 * RT_S);
    assert_int_equal(eng_cost_billed(&c, 0, 150 * RT_S + 400 * RT_MS), 151 * RT_S); /* rounded up */
    assert_int_equal(eng_cost_billed(&c, 10 * RT_S, 130 * RT_S), 120 * RT_S);
}

static void test_hand_computed_bill(void **state) {
    eng_cloud c;
    eng_cloud_defaults(&c);
    eng_host_opts h = {1e10, 4, 16};
    eng_pool p;
    assert_int_equal(eng_pool_init(&p, &c, &h, 3), 0);
    /* executor A: requested at 0, ready at 10 s, released at 30 s -> billed 60 s
     * executor B: requested at 0, released at 150.4 s -> billed 151 s
     * executor C: requested at 100 s, released at 400 s -> billed 300 s
     * total: 511 s * 0.302952 USD/h = 0.043002 USD; executor-hours 511/3600 */
    int a = eng_pool_request(&p, 0), b = eng_pool_request(&p, 0);
    assert_int_equal(a, 0);
    assert_int_equal(b, 1);
    eng_pool_ready(&p, (uint32_t)a, 10 * RT_S);
    assert_int_equal(eng_pool_count(&p, ENG_EXEC_READY), 1);
    assert_int_equal(eng_pool_count(&p, ENG_EXEC_PENDING), 1);
    eng_pool_release(&p, (uint32_t)a, 30 * RT_S);
    eng_pool_release(&p, (uint32_t)b, 150 * RT_S + 400 * RT_MS);
    int cc = eng_pool_request(&p, 100 * RT_S);
    assert_int_equal(cc, 0); /* host 0 is free again, next generation */
    assert_int_equal(p.ex[0].gen, 1);
    eng_pool_release(&p, (uint32_t)cc, 400 * RT_S);
    double expect = 511.0 / 3600.0 * hour_rate;
    assert_float_equal(p.released_usd, expect, 1e-12);
    assert_float_equal(p.released_usd, 0.0430023, 1e-7);
    assert_float_equal(p.released_hours, 511.0 / 3600.0, 1e-12);
    eng_pool_free(&p);
}

static void test_cost_so_far_and_rate(void **state) {
    eng_cloud c;
    eng_cloud_defaults(&c);
    eng_host_opts h = {1e10, 4, 16};
    eng_pool p;
    eng_pool_init(&p, &c, &h, 2);
    eng_pool_request(&p, 0);
    assert_float_equal(eng_pool_cost_rate(&p), hour_rate, 1e-12);
    assert_float_equal(eng_pool_cost_usd(&p, 1800 * RT_S), hour_rate / 2, 1e-12);
    eng_pool_free(&p);
}

static void test_busy_accounting(void **state) {
    eng_cloud c;
    eng_cloud_defaults(&c);
    eng_host_opts h = {1e10, 2, 8};
    eng_pool p;
    eng_pool_init(&p, &c, &h, 1);
    eng_pool_request(&p, 0);
    eng_pool_ready(&p, 0, 0);
    eng_pool_task_start(&p, 0, 1 * RT_S);
    eng_pool_task_start(&p, 0, 2 * RT_S);
    eng_pool_task_end(&p, 0, 3 * RT_S);
    eng_pool_task_end(&p, 0, 5 * RT_S);
    /* slot-time: [1,3) one + [2,3) another + [3,5) one = 2 + 1 + 2 = 5 s */
    assert_int_equal(eng_pool_take_busy(&p, 6 * RT_S), 5 * RT_S);
    assert_int_equal(p.ex[0].idle_since, 5 * RT_S);
    assert_int_equal(eng_pool_idle(&p), 1);
    assert_int_equal(eng_pool_take_busy(&p, 7 * RT_S), 0);
    eng_pool_free(&p);
}

static void test_cancel_pending(void **state) {
    eng_cloud c;
    eng_cloud_defaults(&c);
    eng_host_opts h = {1e10, 4, 16};
    eng_pool p;
    eng_pool_init(&p, &c, &h, 1);
    int a = eng_pool_request(&p, 0);
    eng_pool_cancel(&p, (uint32_t)a, 20 * RT_S);
    /* billed the 60 s minimum; no longer held, but its host is not free yet */
    assert_float_equal(p.released_usd, 60.0 / 3600.0 * hour_rate, 1e-12);
    assert_float_equal(eng_pool_cost_rate(&p), 0, 0);
    assert_int_equal(eng_pool_request(&p, 30 * RT_S), -1);
    eng_pool_reclaim(&p, (uint32_t)a);
    assert_int_equal(eng_pool_request(&p, 40 * RT_S), 0);
    assert_int_equal(p.ex[0].gen, 1);
    eng_pool_free(&p);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_billed_duration),      cmocka_unit_test(test_hand_computed_bill),
        cmocka_unit_test(test_cost_so_far_and_rate), cmocka_unit_test(test_busy_accounting),
        cmocka_unit_test(test_cancel_pending),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
