/* Micro-batch mode against a hand computation (tests/scenario/data/
 * microbatch.yaml): readings arrive evenly spaced, one every millisecond,
 * and reach the broker d = 5 ms (access) + 20 ms (WAN) after their device
 * timestamp (100-byte records over 1000 GB/s links add under a nanosecond).
 * A trigger every T = 1 s takes the 1000 records that arrived since the
 * last one; its one map task and one reduce task each cost 1e6 flops of
 * overhead plus 1e5 flops per record on a 1e10 flop/s core, so the batch
 * takes P = (2e6 + 1000 * 2e5) / 1e10 = 20.2 ms and its readings are
 * visible at kT + P. A reading arriving at a uniform point of an interval
 * waits T/2 on average, so the mean latency is T/2 + P + d = 545.2 ms
 * (within 2%), and the largest is about T + P + d = 1045.2 ms. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>

#include <cmocka.h>
#include <math.h>
#include <stdio.h>
#include <unistd.h>

#include "scn.h"

static void test_mean_latency(void **state) {
    const double T = 1.0, d = 0.005 + 0.020, P = (2e6 + 1000 * 2e5) / 1e10;
    const double expect_ms = (T / 2 + P + d) * 1e3;
    char dir[64], out[128];
    scn_tmpdir(dir, sizeof dir);
    snprintf(out, sizeof out, "%s/mb.h5", dir);
    an_run_summary s;
    scn_run("tests/scenario/data/microbatch.yaml", NULL, 0, 3, out, &s);
    unlink(out);
    rmdir(dir);
    printf("mean latency %.3f ms, hand computation %.3f ms; max %.3f ms\n", s.s.latency_mean_ms, expect_ms,
           s.s.latency_max_ms);
    assert_int_equal(s.s.readings_in, 300000);
    assert_int_equal(s.s.readings_out, s.s.readings_in);
    assert_int_equal(s.s.readings_lost, 0);
    assert_true(fabs(s.s.latency_mean_ms - expect_ms) <= 0.02 * expect_ms);
    assert_true(s.s.latency_max_ms <= (T + P + d) * 1e3 + 0.01);
    assert_true(s.s.latency_max_ms >= (T + P + d) * 1e3 - 2.0);
}

int main(void) {
    const struct CMUnitTest tests[] = {cmocka_unit_test(test_mean_latency)};
    return cmocka_run_group_tests(tests, NULL, NULL);
}
