/* Continuous mode against queueing theory: Poisson arrivals, exponential
 * service with mean 1/mu = 10 ms, c single-core executors and no network
 * delay form an M/M/c queue. The mean waiting time must be within 5% of the
 * Erlang-C formula, Wq = C(c, a) / (c mu - lambda) with a = lambda / mu;
 * where Wq is tiny next to the service time (under 0.3/mu) it must be
 * within 0.05/mu instead, and the mean time in system, Wq + 1/mu, within 5%.
 * Each case runs enough arrivals (2e5 to 8e5) for the sample mean to be
 * well inside those bounds; one program per c so ctest runs them in
 * parallel. Build with -DERLANG_C=<c>. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>

#include <cmocka.h>
#include <math.h>
#include <stdio.h>
#include <unistd.h>

#include "scn.h"

static const double mu = 100.0; /* services per second: 1e7 flops on a 1 Gflop/s core */

/* Erlang's C formula: the probability an arrival waits. */
static double erlang_c(int c, double a) {
    double term = 1, sum = 0;
    for (int k = 0; k < c; k++) {
        sum += term;
        term *= a / (k + 1);
    }
    double last = term * c / (c - a);
    return last / (sum + last);
}

static void run_case(int c, double rho, double seconds) {
    double lambda = rho * c * mu;
    char dir[64], out[128], rate[64], execs[64], maxe[64], init[64], dur[64];
    scn_tmpdir(dir, sizeof dir);
    snprintf(out, sizeof out, "%s/erlang.h5", dir);
    snprintf(rate, sizeof rate, "workload.rate=%.17g", lambda / 100.0);
    snprintf(execs, sizeof execs, "allocator.executors=%d", c);
    snprintf(maxe, sizeof maxe, "allocator.max_executors=%d", c);
    snprintf(init, sizeof init, "allocator.initial_executors=%d", c);
    snprintf(dur, sizeof dur, "duration=%.0fs", seconds);
    const char *sets[] = {rate, execs, maxe, init, dur};
    an_run_summary sum;
    scn_run("tests/scenario/data/erlang.yaml", sets, 5, 7, out, &sum);
    unlink(out);
    rmdir(dir);

    double wq = erlang_c(c, lambda / mu) / (c * mu - lambda);
    double w = wq + 1 / mu;
    double w_sim = sum.s.latency_mean_ms / 1e3;
    double wq_sim = w_sim - 1 / mu;
    printf("c=%d rho=%.1f arrivals=%llu Wq: theory %.3f ms, simulated %.3f ms; W: theory %.3f ms, simulated "
           "%.3f ms\n",
           c, rho, (unsigned long long)sum.s.readings_in, wq * 1e3, wq_sim * 1e3, w * 1e3, w_sim * 1e3);
    assert_true(sum.s.readings_in > 150000);
    assert_int_equal(sum.s.readings_out, sum.s.readings_in);
    assert_int_equal(sum.s.readings_lost, 0);
    assert_true(fabs(w_sim - w) <= 0.05 * w);
    if (wq >= 0.3 / mu)
        assert_true(fabs(wq_sim - wq) <= 0.05 * wq);
    else
        assert_true(fabs(wq_sim - wq) <= 0.05 / mu);
}

/* Durations give about 2e5 arrivals at rho 0.5 and 4e5 (c = 1: 8e5) at 0.9. */
static void test_rho_05(void **state) { run_case(ERLANG_C, 0.5, 2e5 / (0.5 * ERLANG_C * mu)); }
static void test_rho_09(void **state) {
    run_case(ERLANG_C, 0.9, (ERLANG_C == 1 ? 8e5 : 4e5) / (0.9 * ERLANG_C * mu));
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_rho_05),
        cmocka_unit_test(test_rho_09),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
