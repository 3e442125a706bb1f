/* Edge prefetching end to end in simulation (experiments/scenarios/
 * edge_prefetch.yaml, shrunk to one gateway of 16 devices, 2 metrics, no
 * jitter and no anomalies, 32 one-second windows, so the read stream is
 * known by hand: a device's k-th reading is of metric k mod 2, so every
 * window holds one metric and reads its baseline, and the device of rank r
 * reads its configuration every min(16, 2^floor(log2(r+1))) windows — over
 * 32 windows 2 x (16 + 2x8 + 4x4 + 8x2 + 1) = 130 configuration reads;
 * 162 reads in all, of 18 distinct items). The result file's /prefetch group must agree
 * with itself and with that count. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>

#include <cmocka.h>
#include <stdio.h>
#include <string.h>

#include "scn.h"

#define SCENARIO "experiments/scenarios/edge_prefetch.yaml"
#define READS 162
#define RTT_MS 40.2 /* 2 x (topology.wan.latency 20 ms + topology.cloud.latency 100 us) */

static void run(const char *policy, const char *budget, const char *path, an_run_summary *s) {
    char p[64], b[64];
    snprintf(p, sizeof p, "prefetch.policy=%s", policy);
    snprintf(b, sizeof b, "prefetch.budget=%s", budget);
    const char *sets[] = {"topology.sites=1",
                          "workload.devices_per_site=16",
                          "workload.metrics=2",
                          "workload.jitter=0s",
                          "workload.anomalies.rate=0",
                          "duration=32s",
                          "drain=5s",
                          p,
                          b};
    scn_run(SCENARIO, sets, sizeof sets / sizeof sets[0], 1, path, s);
}

/* What holds for every policy. */
static void consistent(const an_run_summary *r, const char *policy, uint64_t budget) {
    const eng_summary *s = &r->s;
    assert_string_equal(r->prefetch_policy, policy);
    assert_int_equal(s->readings_lost, 0);
    assert_int_equal(s->prefetch_reads, READS);
    assert_int_equal(s->prefetch_hits + s->prefetch_misses, s->prefetch_reads);
    assert_float_equal(s->prefetch_hit_rate, (double)s->prefetch_hits / READS, 1e-12);
    assert_true(s->prefetch_hit_rate <= s->prefetch_oracle_hit_rate);
    assert_int_equal(s->prefetch_bytes, s->prefetch_demand_bytes + s->prefetch_prefetched_bytes);
    assert_true(s->prefetch_wasted_bytes <= s->prefetch_prefetched_bytes);
    assert_int_equal(s->prefetch_budget_bytes, budget);
    assert_true(s->prefetch_peak_bytes <= budget);
    assert_true(s->prefetch_late <= s->prefetch_hits);
    assert_true(s->prefetch_read_p50_ms <= s->prefetch_read_p99_ms);
}

static void test_prefetch_runs(void **unused) {
    char dir[64], path[128];
    an_run_summary s;
    scn_tmpdir(dir, sizeof dir);

    /* no cache: every read a round trip plus its transfer */
    snprintf(path, sizeof path, "%s/none.h5", dir);
    run("none", "16kB", path, &s);
    consistent(&s, "none", 16000);
    assert_int_equal(s.s.prefetch_misses, READS);
    assert_true(s.s.prefetch_read_p50_ms >= RTT_MS);
    assert_int_equal(s.s.prefetch_peak_bytes, 0);

    /* a demand cache that holds everything (18 items, 8320 B): only the 18
     * first reads miss, each fetching its item and a 40 B header */
    snprintf(path, sizeof path, "%s/lru.h5", dir);
    run("lru", "16kB", path, &s);
    consistent(&s, "lru", 16000);
    assert_int_equal(s.s.prefetch_misses, 18);
    assert_int_equal(s.s.prefetch_demand_bytes, 2 * (40 + 64) + 16 * (40 + 512));
    assert_int_equal(s.s.prefetch_prefetched_bytes, 0);
    assert_float_equal(s.s.prefetch_oracle_hit_rate, 1.0, 1e-12);
    assert_float_equal(s.s.prefetch_oracle_demand_hit_rate, (double)(READS - 18) / READS, 1e-12);
    assert_float_equal(s.s.prefetch_read_p50_ms, 0.05, 0.001); /* hit latency 50 us */

    /* a learning predictor in a cache too small for everything: consistent,
     * and deterministic per seed */
    an_run_summary again;
    snprintf(path, sizeof path, "%s/lstm.h5", dir);
    run("lstm", "2kB", path, &s);
    consistent(&s, "lstm", 2000);
    assert_true(s.s.prefetch_prefetched_bytes > 0);
    snprintf(path, sizeof path, "%s/lstm-again.h5", dir);
    run("lstm", "2kB", path, &again);
    assert_true(scn_same_summary(&s.s, &again.s));
}

/* Unknown keys and names in the section are errors with a suggestion. */
static void test_prefetch_errors(void **unused) {
    char path[4096], err[2048];
    scn_path(path, sizeof path, SCENARIO);
    xp_set bad_key = {"prefetch.budgte", "1kB"}, bad_policy = {"prefetch.policy", "lstn"},
           raw[] = {{"edge.mode", "raw"}, {"edge.flush", "0s"}};
    xp_scenario *s = xp_scenario_load(path, NULL, &bad_key, 1, err, sizeof err);
    assert_null(s);
    assert_non_null(strstr(err, "budget"));
    s = xp_scenario_load(path, NULL, &bad_policy, 1, err, sizeof err);
    assert_null(s);
    assert_non_null(strstr(err, "lstm"));
    s = xp_scenario_load(path, NULL, raw, 2, err, sizeof err);
    assert_null(s);
    assert_non_null(strstr(err, "edge.flush"));
}

/* `validate` states the section's model in one line. */
static void test_prefetch_described(void **unused) {
    char path[4096], err[2048], text[4096];
    scn_path(path, sizeof path, SCENARIO);
    xp_scenario *s = xp_scenario_load(path, "ar-16k", NULL, 0, err, sizeof err);
    assert_non_null(s);
    FILE *f = tmpfile();
    assert_int_equal(xp_scenario_describe(s, f), 0);
    rewind(f);
    size_t n = fread(text, 1, sizeof text - 1, f);
    text[n] = '\0';
    fclose(f);
    assert_non_null(strstr(text, "prefetch    ar, 16000 B cache per gateway"));
    assert_non_null(strstr(text, "model 4096 B"));
    xp_scenario_free(s);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_prefetch_runs),
        cmocka_unit_test(test_prefetch_errors),
        cmocka_unit_test(test_prefetch_described),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
