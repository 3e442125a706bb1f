/* The oracle allocator: its capacity model (executors per micro-batch) and
 * its schedule search (requests a startup lead ahead, gaps bridged or not
 * depending on the billing minimum) on scripted demands, against answers
 * worked by hand below; then the two together through the registry on a
 * scripted forecast. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>

#include <cmocka.h>

#include "policies/alloc_oracle.h"
#include "tests/policies/alloc_fixture.h"

/* A slot does 1e9 flops/s; a record costs 1e8 flops to map (0.1 s), four
 * map tasks and one reduce task per batch, one slot per executor, no task
 * overhead; trigger 2 s, records reach the bus at once (ingest 0), SLO 4 s:
 * budget = min(T, slo - ingest - T) = min(2, 2) = 2 s. */
static eng_alloc_forecast model(double reduce_flops, rt_time_t slo) {
    return (eng_alloc_forecast){.trigger = 2 * RT_S,
                                .step = 2 * RT_S,
                                .slo = slo,
                                .map_flops = 1e8,
                                .reduce_flops = reduce_flops,
                                .map_tasks = 4,
                                .reduce_tasks = 1,
                                .slots = 1,
                                .slot_flops = 1e9};
}

static void test_batch_need_meets_the_slo_budget(void **unused) {
    eng_alloc_forecast f = model(0, 4 * RT_S);
    assert_int_equal(pol_oracle__batch_need(&f, NULL, 0), 0);
    /* 16 records: 4 tasks of 0.4 s; one slot runs them in 4 waves, 1.6 s <= 2. */
    assert_int_equal(pol_oracle__batch_need(&f, NULL, 16), 1);
    /* 24: tasks of 0.6 s; k = 1: 2.4 s; k = 2: 2 waves, 1.2 s. */
    assert_int_equal(pol_oracle__batch_need(&f, NULL, 24), 2);
    /* 60: tasks of 1.5 s; k = 2 and k = 3 both need 2 waves (3 s); k = 4: 1.5 s. */
    assert_int_equal(pol_oracle__batch_need(&f, NULL, 60), 4);
    /* 2 records: only 2 map tasks of 0.1 s; one slot: 0.2 s. */
    assert_int_equal(pol_oracle__batch_need(&f, NULL, 2), 1);
    /* 100: tasks of 2.5 s exceed the budget and the trigger whatever the
     * pool: the most useful pool, ceil(max(4, 1) / 1) = 4. */
    assert_int_equal(pol_oracle__batch_need(&f, NULL, 100), 4);
}

/* When the SLO cannot be met the batch still has to keep up with the
 * trigger. Reduce 1e8 flops per record in one task; SLO 3.4 s: budget
 * min(2, 3.4 - 2) = 1.4 s. 12 records: maps of 3 records (0.3 s), reduce
 * 1.2 s; k = 1: 4 x 0.3 + 1.2 = 2.4; k = 2: 0.6 + 1.2 = 1.8; k = 4: 0.3 +
 * 1.2 = 1.5 > 1.4, so no pool meets the SLO, and the least that keeps up
 * (<= 2 s) is 2. */
static void test_batch_need_keeps_up_when_the_slo_is_out_of_reach(void **unused) {
    eng_alloc_forecast f = model(1e8, 3400 * RT_MS);
    assert_int_equal(pol_oracle__batch_need(&f, NULL, 12), 2);
    f.slo = 3500 * RT_MS; /* budget 1.5: k = 4 meets it exactly */
    assert_int_equal(pol_oracle__batch_need(&f, NULL, 12), 4);
}

static pol_oracle_bill bill10(rt_time_t minimum, size_t n) {
    return (pol_oracle_bill){10 * RT_S, minimum, RT_S, (rt_time_t)n * 10 * RT_S};
}

/* Decisions every 10 s, ready one decision after a request (lead 1), one
 * initial executor, a second one needed in intervals 3-4 and 11.
 * Layer 1 is held throughout. Layer 2 can be requested at decision 2 and
 * either held to decision 12 (100 s) or released at 5 and requested again
 * at 10: 30 s + 20 s, which a 60 s minimum bills as 60 + 60 = 120 s. */
static void test_plan_bridges_a_gap_the_minimum_makes_cheap(void **unused) {
    const uint32_t need[16] = {1, 1, 1, 2, 2, 1, 1, 1, 1, 1, 1, 2, 1, 1, 1, 1};
    uint32_t held[16];
    pol_oracle_bill b = bill10(60 * RT_S, 16);
    assert_int_equal(pol_oracle__plan(need, 16, 1, 1, &b, held), 0);
    const uint32_t bridged[16] = {1, 1, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 1, 1, 1, 1};
    assert_memory_equal(held, bridged, sizeof held);
    /* Without a minimum the two short lifetimes cost 50 s < 100 s. */
    b = bill10(0, 16);
    assert_int_equal(pol_oracle__plan(need, 16, 1, 1, &b, held), 0);
    const uint32_t split[16] = {1, 1, 2, 2, 2, 1, 1, 1, 1, 1, 2, 2, 1, 1, 1, 1};
    assert_memory_equal(held, split, sizeof held);
}

/* Three initial executors, three needed in intervals 0-1 (interval 0 is
 * before anything can be ready and does not count) and again later.
 * Layers 2 and 3 start held at decision 0 and must cover interval 1.
 * Need again at 8: held to 9 costs 90 s; release at 2 and request at 7
 * costs 60 (20 s billed as the minimum) + 60 (20 s) = 120: held.
 * Need again at 12 instead: held to 13 costs 130 s > 120: released. */
static void test_plan_initial_executors(void **unused) {
    uint32_t held[14];
    pol_oracle_bill b = bill10(60 * RT_S, 12);
    const uint32_t need_a[12] = {3, 3, 1, 1, 1, 1, 1, 1, 3, 1, 1, 1};
    assert_int_equal(pol_oracle__plan(need_a, 12, 3, 1, &b, held), 0);
    const uint32_t kept[12] = {3, 3, 3, 3, 3, 3, 3, 3, 3, 1, 1, 1};
    assert_memory_equal(held, kept, sizeof kept);
    b = bill10(60 * RT_S, 14);
    const uint32_t need_b[14] = {3, 3, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 3, 1};
    assert_int_equal(pol_oracle__plan(need_b, 14, 3, 1, &b, held), 0);
    const uint32_t released[14] = {3, 3, 1, 1, 1, 1, 1, 1, 1, 1, 1, 3, 3, 1};
    assert_memory_equal(held, released, sizeof released);
    /* An initial executor nobody needs is released at the first decision. */
    const uint32_t none[3] = {1, 1, 1};
    b = bill10(60 * RT_S, 3);
    assert_int_equal(pol_oracle__plan(none, 3, 2, 1, &b, held), 0);
    const uint32_t one[3] = {2, 1, 1};
    assert_memory_equal(held, one, sizeof one);
}

/* The whole oracle on a scripted forecast: 60 s, decisions every 10 s,
 * startup at most 10 s (lead 1), no billing minimum. 8 records/s (16 per
 * batch, 1 executor) except the batches triggered at 30, 32 and 34 s with
 * 30 records/s (60 per batch, 4 executors); they run in interval 3 (30-40 s),
 * so 4 executors are requested at decision 2 (20 s) and released at 4. */
static void test_oracle_follows_the_forecast(void **unused) {
    double rate[30];
    for (size_t j = 0; j < 30; j++) rate[j] = j >= 14 && j <= 16 ? 30 : 8;
    eng_alloc_opts o;
    fx_opts(&o, "oracle", 1, 8, 1);
    o.interval = 10 * RT_S;
    o.future = model(0, 4 * RT_S);
    o.future.rate = rate;
    o.future.n = 30;
    o.future.end = 60 * RT_S;
    o.future.startup_max = 10 * RT_S;
    o.future.billing_granularity = RT_S;
    void *st = fx_init(&o);
    const uint32_t want[6] = {0, 1, 4, 4, 1, 1};
    for (int i = 1; i < 6; i++) {
        eng_alloc_obs obs = {.now = i * 10 * RT_S, .ready = 1};
        assert_int_equal(fx_decide(&o, st, &obs), want[i]);
    }
    fx_free(&o, st);
}

static void test_refusals(void **unused) {
    eng_alloc_opts o;
    fx_opts(&o, "oracle", 1, 8, 1);
    fx_param(&o, "horizon", 1);
    assert_string_equal(fx_init_error(&o), "allocator oracle: unknown parameter 'horizon'; known: none");
    double rate[1] = {1};
    fx_opts(&o, "oracle", 1, 8, 1);
    o.future = model(0, 4 * RT_S);
    o.future.rate = rate;
    o.future.n = 1;
    o.future.trigger = 0;
    o.future.step = RT_S;
    o.future.end = RT_S;
    o.future.billing_granularity = RT_S;
    assert_string_equal(fx_init_error(&o),
                        "allocator oracle: needs a micro-batch pipeline with a trigger (pipeline.mode: "
                        "microbatch, pipeline.trigger > 0): its capacity model is the micro-batch one");
    assert_true(pol_alloc_find("oracle")->needs_forecast);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_batch_need_meets_the_slo_budget),
        cmocka_unit_test(test_batch_need_keeps_up_when_the_slo_is_out_of_reach),
        cmocka_unit_test(test_plan_bridges_a_gap_the_minimum_makes_cheap),
        cmocka_unit_test(test_plan_initial_executors),
        cmocka_unit_test(test_oracle_follows_the_forecast),
        cmocka_unit_test(test_refusals),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
