/* The oracle against the simulator. Its forecast is the run's future
 * exactly: the records it counts per step add up to the records the run's
 * gateways produced to the bus. And it is the lower bound it claims to be:
 * on a small version of the allocator comparison (a 20-minute compressed
 * day, 600 devices per site so that no allocator is overloaded for long),
 * no other allocator is both cheaper and at least as good on the SLO. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>

#include <cmocka.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "experiments/forecast.h"
#include "experiments/runner.h"
#include "scn.h"

#define SCENARIO "experiments/scenarios/allocators.yaml"

static const xp_set small[] = {
    {"duration", "20m"},
    {"drain", "1m"},
    {"workload.diurnal.day", "20m"},
    {"workload.diurnal.peak", "13m"},
    {"workload.devices_per_site", "600"},
};
#define NSMALL (sizeof small / sizeof small[0])

static xp_scenario *load(const char *variant) {
    char path[4096], err[2048];
    scn_path(path, sizeof path, SCENARIO);
    xp_scenario *s = xp_scenario_load(path, variant, small, NSMALL, err, sizeof err);
    if (!s) fail_msg("%s", err);
    return s;
}

/* Runs `variant` with `seed` into dir and reads its summary. */
static void run(const char *dir, const char *variant, uint64_t seed, an_run_summary *sum) {
    xp_scenario *s = load(variant);
    char out[4096], err[2048];
    xp_result_path(out, sizeof out, dir, s->name, variant, seed);
    int rc = xp_run_one(s, variant, seed, "", out, 0, err, sizeof err);
    xp_scenario_free(s);
    if (rc != 0) fail_msg("%s", err);
    if (an_results_read_summary(out, sum, err, sizeof err) != 0) fail_msg("%s", err);
}

static void test_forecast_is_what_the_bus_receives(void **unused) {
    char dir[64];
    scn_tmpdir(dir, sizeof dir);
    an_run_summary sum;
    run(dir, "static-peak", 11, &sum);
    xp_scenario *s = load("oracle");
    eng_run_opts o;
    xp_scenario_run_opts(s, &o);
    o.seed = 11;
    eng_alloc_forecast f;
    char err[1024];
    if (xp_forecast_fill(&o, &f, err, sizeof err) != 0) fail_msg("%s", err);
    double records = 0;
    uint64_t by_partition = 0;
    for (size_t j = 0; j < f.n; j++) {
        records += f.rate[j] * rt_to_s(f.step);
        for (uint32_t p = 0; p < f.map_tasks; p++) by_partition += f.partition_records[j * f.map_tasks + p];
    }
    assert_true(sum.s.bus_records > 100000);
    assert_int_equal((uint64_t)llround(records), sum.s.bus_records);
    assert_int_equal(by_partition, sum.s.bus_records);
    /* Raw readings flushed every 1 s: the oldest waits the flush, 5 ms on
     * its device link and 20 ms on the WAN, plus microseconds of CPU and
     * transfer. */
    assert_true(f.ingest > 1025 * RT_MS && f.ingest < 1030 * RT_MS);
    assert_true(f.step == 2 * RT_S && f.trigger == 2 * RT_S && f.map_tasks == 32 && f.reduce_tasks == 8);
    assert_true(f.startup_max == 15 * RT_S); /* AWS: uniform 5-15 s */
    xp_forecast_free(&f);
    xp_scenario_free(s);
}

static void test_nothing_is_cheaper_at_an_equal_or_better_slo_share(void **unused) {
    char dir[64];
    scn_tmpdir(dir, sizeof dir);
    const char *others[] = {"static-peak", "static-mean", "hpa", "spark_dynamic", "spark_streaming"};
    for (uint64_t seed = 11; seed <= 12; seed++) {
        an_run_summary oracle, x;
        run(dir, "oracle", seed, &oracle);
        assert_true(oracle.s.cost_usd > 0);
        for (size_t i = 0; i < sizeof others / sizeof *others; i++) {
            run(dir, others[i], seed, &x);
            if (x.s.cost_usd < oracle.s.cost_usd && x.s.slo_violation_share <= oracle.s.slo_violation_share)
                fail_msg("seed %llu: %s costs %.4f USD with %.5f over the SLO; the oracle %.4f USD with %.5f",
                         (unsigned long long)seed, others[i], x.s.cost_usd, x.s.slo_violation_share,
                         oracle.s.cost_usd, oracle.s.slo_violation_share);
        }
    }
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_forecast_is_what_the_bus_receives),
        cmocka_unit_test(test_nothing_is_cheaper_at_an_equal_or_better_slo_share),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
