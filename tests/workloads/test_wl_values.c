/* Value models and injected anomalies: the seasonal curve is exact where the
 * noise is zero, anomalies sit exactly +-magnitude * scale off it and carry
 * ENG_REC_ANOMALY, their share is anomaly_rate (binomial bounds), the random
 * walk has the stationary spread and lag-one correlation of its AR(1)
 * definition, and metrics go round-robin. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>

#include <cmocka.h>
#include <gsl/gsl_cdf.h>
#include <math.h>
#include <stdlib.h>

#include "workloads/wl_support.h"

static const double PI = 3.14159265358979323846;

static wl_opts seasonal(double noise, double anomaly_rate) {
    wl_opts o;
    wl_opts_defaults(&o);
    o.kind = WL_PERIODIC;
    o.period = RT_S;
    o.jitter = 100 * RT_MS;
    o.values = WL_VAL_SEASONAL;
    o.base = 10;
    o.season_amplitude = 3;
    o.season_period = 100 * RT_S;
    o.noise_sigma = noise;
    o.anomaly_rate = anomaly_rate;
    o.anomaly_magnitude = 4;
    return o;
}

static double curve(const wl_opts *o, rt_time_t ts) {
    return o->base + o->season_amplitude * sin(2 * PI * rt_to_s(ts) / rt_to_s(o->season_period));
}

/* Without noise (scale 1): normal readings are the curve, anomalies are the
 * curve +- 4 exactly, 1% of 200,000 readings are anomalies (binomial standard
 * deviation 44.5; bound 5 of them), about half of each sign. */
static void test_anomalies_exact_offsets_and_share(void **state) {
    (void)state;
    wl_opts o = seasonal(0, 0.01);
    assert_true(wl_anomaly_scale(&o) == 1.0);
    eng_batch b;
    eng_batch_init(&b);
    wls_collect(&o, 0, 1000, 41, 200 * RT_S, 500 * RT_MS, &b);
    double anomalies = 0, up = 0;
    for (size_t i = 0; i < b.n; i++) {
        const eng_rec *r = &b.r[i];
        double off = r->value - curve(&o, r->ts);
        assert_int_equal(r->count, 1);
        assert_true(r->min == r->value && r->max == r->value && r->ts_last == r->ts);
        if (r->flags & ENG_REC_ANOMALY) {
            assert_true(fabs(fabs(off) - 4.0) < 1e-9);
            anomalies++;
            up += off > 0;
        } else {
            assert_int_equal(r->flags, 0);
            assert_true(fabs(off) < 1e-9);
        }
    }
    double n = (double)b.n, p = 0.01;
    assert_true(fabs(anomalies - n * p) < 5 * sqrt(n * p * (1 - p)));
    assert_true(fabs(up - anomalies / 2) < 5 * sqrt(anomalies / 4));
    eng_batch_free(&b);
}

/* With noise: residuals of normal readings have standard deviation
 * noise_sigma; anomalies are displaced by magnitude * noise_sigma. */
static void test_seasonal_noise_and_scaled_anomalies(void **state) {
    (void)state;
    wl_opts o = seasonal(0.5, 0.02);
    assert_true(wl_anomaly_scale(&o) == 0.5);
    eng_batch b;
    eng_batch_init(&b);
    wls_collect(&o, 0, 500, 42, 200 * RT_S, RT_S, &b);
    double ss = 0, n = 0, shift = 0, m = 0;
    for (size_t i = 0; i < b.n; i++) {
        double off = b.r[i].value - curve(&o, b.r[i].ts);
        if (b.r[i].flags & ENG_REC_ANOMALY) {
            shift += fabs(off);
            m++;
        } else {
            ss += off * off;
            n++;
        }
    }
    assert_true(fabs(sqrt(ss / n) / 0.5 - 1) < 0.02);
    /* E|+-2 + N(0, 0.25)| = 2 (up to a 4-sigma tail). */
    assert_true(fabs(shift / m - 2.0) < 0.1);
    eng_batch_free(&b);
}

static double normal_cdf(double x, const void *arg) { return gsl_cdf_ugaussian_P(x); }

/* The noise is standard normal times noise_sigma: Kolmogorov-Smirnov against
 * GSL's normal CDF on 3 * 10^5 residuals, and the shares beyond 2, 3 and 3.44
 * standard deviations (the ziggurat's tail starts at 3.4426) within 5
 * binomial standard deviations. */
static void test_noise_is_gaussian(void **state) {
    (void)state;
    wl_opts o = seasonal(1.0, 0);
    eng_batch b;
    eng_batch_init(&b);
    wls_collect(&o, 0, 300, 45, 1000 * RT_S, 10 * RT_S, &b);
    double *z = malloc(b.n * sizeof *z);
    const double edge[3] = {2.0, 3.0, 3.442619855899};
    double beyond[3] = {0};
    for (size_t i = 0; i < b.n; i++) {
        z[i] = b.r[i].value - curve(&o, b.r[i].ts);
        for (int e = 0; e < 3; e++) beyond[e] += fabs(z[i]) > edge[e];
    }
    double n = (double)b.n;
    assert_true(wls_ks(z, b.n, normal_cdf, NULL) < wls_ks_critical(b.n));
    for (int e = 0; e < 3; e++) {
        double p = 2 * gsl_cdf_ugaussian_Q(edge[e]);
        assert_true(fabs(beyond[e] - n * p) < 5 * sqrt(n * p * (1 - p)));
    }
    free(z);
    eng_batch_free(&b);
}

/* Random walk: AR(1) around base with coefficient 1 - WL_WALK_REVERSION, so
 * stationary standard deviation sigma / sqrt(1 - phi^2) (the anomaly scale)
 * and lag-one autocorrelation phi; walks start stationary. */
static void test_random_walk_law(void **state) {
    (void)state;
    wl_opts o;
    wl_opts_defaults(&o);
    o.kind = WL_PERIODIC;
    o.period = RT_S;
    o.jitter = 0;
    o.base = 50;
    o.walk_sigma = 0.3;
    o.anomaly_rate = 0;
    o.metrics = 3;
    double phi = 1 - WL_WALK_REVERSION, sd = 0.3 / sqrt(1 - phi * phi);
    assert_true(fabs(wl_anomaly_scale(&o) - sd) < 1e-12);
    eng_batch b;
    eng_batch_init(&b);
    wls_collect(&o, 100, 2000, 43, 100 * RT_S, RT_S, &b);
    wls_sort_by_device(&b);
    double sum = 0, ss = 0, lag = 0, sq = 0;
    for (size_t i = 0; i < b.n; i++) {
        double x = b.r[i].value - o.base;
        assert_int_equal(b.r[i].metric, b.r[i].seq % 3);
        sum += x;
        ss += x * x;
        if (i > 0 && b.r[i].device == b.r[i - 1].device) {
            double y = b.r[i - 1].value - o.base;
            lag += x * y;
            sq += y * y;
        }
    }
    double n = (double)b.n;
    assert_true(fabs(sum / n) < 0.1 * sd);
    assert_true(fabs(sqrt(ss / n) / sd - 1) < 0.06);
    assert_true(fabs(lag / sq - phi) < 0.003);
    eng_batch_free(&b);
}

/* anomaly_rate 0 flags nothing; 1 flags everything. */
static void test_anomaly_rate_extremes(void **state) {
    (void)state;
    for (int all = 0; all <= 1; all++) {
        wl_opts o = seasonal(0.1, all);
        eng_batch b;
        eng_batch_init(&b);
        wls_collect(&o, 0, 100, 44, 20 * RT_S, RT_S, &b);
        assert_true(b.n > 0);
        for (size_t i = 0; i < b.n; i++) assert_int_equal(b.r[i].flags, all ? ENG_REC_ANOMALY : 0);
        eng_batch_free(&b);
    }
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_anomalies_exact_offsets_and_share),
        cmocka_unit_test(test_seasonal_noise_and_scaled_anomalies),
        cmocka_unit_test(test_noise_is_gaussian),
        cmocka_unit_test(test_random_walk_law),
        cmocka_unit_test(test_anomaly_rate_extremes),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
