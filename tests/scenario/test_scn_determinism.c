/* Determinism: the same scenario and seed give identical results — every
 * summary field but the wall time, the latency histogram and the time
 * series — and a different seed changes them. The scenario is the default
 * one shortened, with every random part in play (diurnal arrivals with
 * bursts, seasonal values with anomalies, random executor startup, a
 * dynamic allocator). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>

#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "scn.h"

static const char *sets[] = {"duration=20m", "allocator.name=hpa", "workload.devices_per_site=200"};

static void read_all(const char *path, eng_hist *h, eng_sample **rows, size_t *n) {
    char err[1024];
    if (an_results_read_hist(path, h, err, sizeof err) != 0) fail_msg("%s", err);
    if (an_results_read_series(path, rows, n, err, sizeof err) != 0) fail_msg("%s", err);
}

static void test_same_seed_same_results(void **state) {
    char dir[64], p1[128], p2[128], p3[128];
    scn_tmpdir(dir, sizeof dir);
    snprintf(p1, sizeof p1, "%s/a.h5", dir);
    snprintf(p2, sizeof p2, "%s/b.h5", dir);
    snprintf(p3, sizeof p3, "%s/c.h5", dir);
    an_run_summary s1, s2, s3;
    scn_run("experiments/scenarios/smart_city.yaml", sets, 3, 11, p1, &s1);
    scn_run("experiments/scenarios/smart_city.yaml", sets, 3, 11, p2, &s2);
    scn_run("experiments/scenarios/smart_city.yaml", sets, 3, 12, p3, &s3);
    assert_true(s1.s.readings_in > 100000);
    assert_int_equal(s1.s.readings_lost, 0);
    assert_true(scn_same_summary(&s1.s, &s2.s));
    assert_false(scn_same_summary(&s1.s, &s3.s));
    assert_true(s1.s.readings_in != s3.s.readings_in);

    eng_hist *h1 = malloc(sizeof *h1), *h2 = malloc(sizeof *h2), *h3 = malloc(sizeof *h3);
    eng_sample *r1, *r2, *r3;
    size_t n1, n2, n3;
    read_all(p1, h1, &r1, &n1);
    read_all(p2, h2, &r2, &n2);
    read_all(p3, h3, &r3, &n3);
    assert_int_equal(memcmp(h1->count, h2->count, sizeof h1->count), 0);
    assert_int_not_equal(memcmp(h1->count, h3->count, sizeof h1->count), 0);
    assert_int_equal(n1, n2);
    assert_true(n1 > 10);
    assert_int_equal(memcmp(r1, r2, n1 * sizeof *r1), 0);
    assert_true(n1 != n3 || memcmp(r1, r3, n1 * sizeof *r1) != 0);
    free(r1);
    free(r2);
    free(r3);
    free(h1);
    free(h2);
    free(h3);
    unlink(p1);
    unlink(p2);
    unlink(p3);
    rmdir(dir);
}

int main(void) {
    const struct CMUnitTest tests[] = {cmocka_unit_test(test_same_seed_same_results)};
    return cmocka_run_group_tests(tests, NULL, NULL);
}
