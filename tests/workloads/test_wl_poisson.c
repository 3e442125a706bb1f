/* Poisson devices: counts per window are Poisson (mean = variance, index of
 * dispersion 1), inter-arrivals exponential for the site and for each device
 * (Kolmogorov-Smirnov against GSL's exponential CDF), devices equally busy. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>

#include <cmocka.h>
#include <gsl/gsl_cdf.h>
#include <math.h>
#include <stdlib.h>

#include "workloads/wl_support.h"

enum { DEVICES = 100 };
static const double RATE = 2.0; /* per device per second */
static const double SECONDS = 1000.0;

static wl_opts poisson(void) {
    wl_opts o;
    wl_opts_defaults(&o);
    o.kind = WL_POISSON;
    o.rate = RATE;
    o.anomaly_rate = 0;
    return o;
}

static double exp_cdf(double x, const void *arg) { return gsl_cdf_exponential_P(x, *(const double *)arg); }

/* Counts in 1 s windows: mean n * rate, index of dispersion 1. With 1000
 * windows the sample variance / mean has a standard deviation of about
 * sqrt(2 / 999) = 0.045; the bounds are 3.3 of those. */
static void test_counts_are_poisson(void **state) {
    (void)state;
    wl_opts o = poisson();
    double mean, var;
    wls_window_counts(&o, DEVICES, 11, RT_S, (int)SECONDS, &mean, &var);
    double expect = DEVICES * RATE;
    assert_true(fabs(mean - expect) < 4 * sqrt(expect / SECONDS));
    assert_true(fabs(var / mean - 1.0) < 0.15);
    assert_true(fabs(wl_mean_rate(&o) - RATE) < 1e-12);
}

/* Gaps of the superposed process ~ Exp(mean 1 / (n rate)); gaps of one
 * device ~ Exp(mean 1 / rate), pooled over devices. */
static void test_exponential_gaps(void **state) {
    (void)state;
    wl_opts o = poisson();
    eng_batch b;
    eng_batch_init(&b);
    wls_collect(&o, 0, DEVICES, 12, (rt_time_t)(SECONDS * RT_S), 250 * RT_MS, &b);
    double *gap = malloc(b.n * sizeof *gap);

    eng_batch_sort(&b);
    for (size_t i = 1; i < b.n; i++) gap[i - 1] = rt_to_s(b.r[i].ts - b.r[i - 1].ts);
    double site_mean = 1.0 / (DEVICES * RATE);
    assert_true(wls_ks(gap, b.n - 1, exp_cdf, &site_mean) < wls_ks_critical(b.n - 1));

    wls_sort_by_device(&b);
    wls_assert_seq_contiguous(&b, 0);
    size_t m = 0;
    long count[DEVICES] = {0};
    for (size_t i = 0; i < b.n; i++) {
        count[b.r[i].device]++;
        if (i > 0 && b.r[i].device == b.r[i - 1].device) gap[m++] = rt_to_s(b.r[i].ts - b.r[i - 1].ts);
    }
    double device_mean = 1.0 / RATE;
    assert_true(wls_ks(gap, m, exp_cdf, &device_mean) < wls_ks_critical(m));
    /* Each device's count ~ Poisson(rate * T): within 4.5 standard deviations. */
    double expect = RATE * SECONDS;
    for (int d = 0; d < DEVICES; d++) assert_true(fabs((double)count[d] - expect) < 4.5 * sqrt(expect));
    free(gap);
    eng_batch_free(&b);
}

/* Slicing does not change the law: the same window cut into 1 ms slices
 * gives a total within the Poisson bounds. */
static void test_fine_slices(void **state) {
    (void)state;
    wl_opts o = poisson();
    eng_batch b;
    eng_batch_init(&b);
    wls_collect(&o, 0, DEVICES, 13, 20 * RT_S, RT_MS, &b);
    double expect = DEVICES * RATE * 20;
    assert_true(fabs((double)b.n - expect) < 4 * sqrt(expect));
    eng_batch_free(&b);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_counts_are_poisson),
        cmocka_unit_test(test_exponential_gaps),
        cmocka_unit_test(test_fine_slices),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
