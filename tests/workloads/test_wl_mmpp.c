/* MMPP on/off bursts: the long-run rate is the stationary mean of the two
 * states, the count over a long window has the variance of a Markov-
 * modulated Poisson process (over-dispersed, index of dispersion > 1), and
 * the whole site bursts together. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>

#include <cmocka.h>
#include <math.h>

#include "workloads/wl_support.h"

enum { DEVICES = 50 };

static wl_opts mmpp(void) {
    wl_opts o;
    wl_opts_defaults(&o);
    o.kind = WL_MMPP;
    o.rate = 1.0;
    o.burst_factor = 5.0;
    o.burst_on_mean = RT_S;
    o.burst_off_mean = 4 * RT_S;
    o.anomaly_rate = 0;
    return o;
}

/* For a two-state MMPP with rates l1, l2, switching rates a (1 -> 2) and
 * b (2 -> 1), N(T) has mean T (b l1 + a l2) / (a + b) and, for T much longer
 * than the sojourns, variance T (mean rate + 2 (l1 - l2)^2 a b / (a + b)^3). */
static void test_stationary_mean_and_variance(void **state) {
    (void)state;
    wl_opts o = mmpp();
    const double seconds = 10000;
    double on = rt_to_s(o.burst_on_mean), off = rt_to_s(o.burst_off_mean);
    double l_on = DEVICES * o.rate * o.burst_factor, l_off = DEVICES * o.rate;
    double a = 1 / on, b = 1 / off; /* leave on, leave off */
    double mean_rate = (b * l_on + a * l_off) / (a + b);
    assert_true(fabs(wl_mean_rate(&o) * DEVICES - mean_rate) < 1e-9);
    double var_rate = mean_rate + 2 * (l_on - l_off) * (l_on - l_off) * a * b / pow(a + b, 3);

    /* 1,000 windows of 10 s. */
    double m, v;
    wls_window_counts(&o, DEVICES, 21, 10 * RT_S, (int)(seconds / 10), &m, &v);
    assert_true(fabs(m * (seconds / 10) - mean_rate * seconds) < 4 * sqrt(var_rate * seconds));
    /* Counts in 10 s windows: far more variable than Poisson. */
    assert_true(v / m > 5.0);
}

/* The modulation is site-wide: in 100 ms windows the readings of the two
 * halves of the population rise and fall together (positive correlation),
 * where independent devices would be uncorrelated. */
static void test_site_wide_bursts(void **state) {
    (void)state;
    wl_opts o = mmpp();
    eng_batch b;
    eng_batch_init(&b);
    const int windows = 20000;
    wls_collect(&o, 0, DEVICES, 22, windows * 100 * RT_MS, 100 * RT_MS, &b);
    static double x[20000], y[20000];
    for (size_t i = 0; i < b.n; i++) {
        int w = (int)(b.r[i].ts / (100 * RT_MS));
        if (b.r[i].device < DEVICES / 2)
            x[w]++;
        else
            y[w]++;
    }
    double mx = 0, my = 0, sxy = 0, sxx = 0, syy = 0;
    for (int w = 0; w < windows; w++) mx += x[w] / windows, my += y[w] / windows;
    for (int w = 0; w < windows; w++) {
        sxy += (x[w] - mx) * (y[w] - my);
        sxx += (x[w] - mx) * (x[w] - mx);
        syy += (y[w] - my) * (y[w] - my);
    }
    assert_true(sxy / sqrt(sxx * syy) > 0.3);
    eng_batch_free(&b);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_stationary_mean_and_variance),
        cmocka_unit_test(test_site_wide_bursts),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
