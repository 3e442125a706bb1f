/* Periodic devices: once per period each, at a uniform phase, displaced by
 * uniform jitter from a fixed schedule. Checked against the exact counts and
 * spacings that definition implies, the uniform law of the phases and the
 * triangular law of the difference of two uniform jitters. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>

#include <cmocka.h>
#include <math.h>
#include <stdlib.h>

#include "workloads/wl_support.h"

static wl_opts periodic(rt_time_t period, rt_time_t jitter) {
    wl_opts o;
    wl_opts_defaults(&o);
    o.kind = WL_PERIODIC;
    o.period = period;
    o.jitter = jitter;
    o.anomaly_rate = 0;
    return o;
}

/* Calls fn(first reading, count) for each device's run (b sorted by device). */
static void each_device(const eng_batch *b, void (*fn)(const eng_rec *r, size_t n, void *arg), void *arg) {
    size_t i = 0;
    while (i < b->n) {
        size_t j = i;
        while (j < b->n && b->r[j].device == b->r[i].device) j++;
        fn(&b->r[i], j - i, arg);
        i = j;
    }
}

typedef struct exact {
    rt_time_t period;
    size_t count, devices;
    double *phase; /* first send / period, one per device */
} exact;

static void check_exact(const eng_rec *r, size_t n, void *arg) {
    exact *e = arg;
    assert_int_equal(n, e->count);
    assert_true(r[0].ts >= 0 && r[0].ts < e->period);
    for (size_t k = 1; k < n; k++) assert_int_equal(r[k].ts - r[0].ts, (rt_time_t)k * e->period);
    e->phase[e->devices++] = (double)r[0].ts / (double)e->period;
}

static double uniform_cdf(double x, const void *arg) { return x < 0 ? 0 : x > 1 ? 1 : x; }

/* Without jitter every device sends exactly once per period: 10 readings in
 * [0, 10 P), exactly P apart, with phases uniform on [0, P) (KS test), even
 * when the slices do not divide the period. */
static void test_exact_count_and_uniform_phases(void **state) {
    (void)state;
    const uint32_t n = 2000;
    wl_opts o = periodic(10 * RT_S, 0);
    eng_batch b;
    eng_batch_init(&b);
    wls_collect(&o, 5000, n, 1, 100 * RT_S, 700 * RT_MS, &b);
    assert_int_equal(b.n, 10 * n);
    wls_sort_by_device(&b);
    wls_assert_seq_contiguous(&b, 5000);
    exact e = {o.period, 10, 0, calloc(n, sizeof(double))};
    each_device(&b, check_exact, &e);
    assert_int_equal(e.devices, n);
    assert_true(wls_ks(e.phase, n, uniform_cdf, NULL) < wls_ks_critical(n));
    free(e.phase);
    eng_batch_free(&b);
}

typedef struct jittered {
    rt_time_t period, jitter;
    double sum, sumsq;
    size_t gaps;
    double *one_gap; /* the 6th inter-arrival of each device, minus the period */
    size_t devices;
} jittered;

static void check_jittered(const eng_rec *r, size_t n, void *arg) {
    jittered *j = arg;
    /* 20 nominal sends in [0, 20 P); jitter can push one out or pull one in. */
    assert_true(n >= 19 && n <= 21);
    rt_time_t lo = INT64_MAX, hi = INT64_MIN;
    for (size_t k = 0; k < n; k++) {
        rt_time_t x = r[k].ts - (rt_time_t)k * j->period; /* displacement from the schedule */
        lo = x < lo ? x : lo;
        hi = x > hi ? x : hi;
        if (k == 0) continue;
        rt_time_t gap = r[k].ts - r[k - 1].ts;
        assert_true(gap > j->period - 2 * j->jitter && gap < j->period + 2 * j->jitter);
        /* Moments from sends 1 to 17 only: the first may be clamped to the
         * origin and the window's end truncates the last ones. */
        if (k < 2 || k > 17) continue;
        j->sum += (double)gap;
        j->sumsq += (double)gap * (double)gap;
        j->gaps++;
    }
    /* Jitter does not accumulate: every send stays within +-jitter of one schedule. */
    assert_true(hi - lo < 2 * j->jitter);
    j->one_gap[j->devices++] = (double)(r[6].ts - r[5].ts - j->period);
}

/* The difference of two independent uniform(-J, J) is triangular on (-2J, 2J). */
static double triangular_cdf(double x, const void *arg) {
    double w = 2.0 * *(const double *)arg;
    if (x <= -w) return 0;
    if (x >= w) return 1;
    return x <= 0 ? (x + w) * (x + w) / (2 * w * w) : 1 - (w - x) * (w - x) / (2 * w * w);
}

static void test_jitter_bounds_and_law(void **state) {
    (void)state;
    const uint32_t n = 2000;
    wl_opts o = periodic(10 * RT_S, 2 * RT_S);
    eng_batch b;
    eng_batch_init(&b);
    wls_collect(&o, 0, n, 2, 200 * RT_S, RT_S, &b);
    wls_sort_by_device(&b);
    wls_assert_seq_contiguous(&b, 0);
    jittered j = {o.period, o.jitter, 0, 0, 0, calloc(n, sizeof(double)), 0};
    each_device(&b, check_jittered, &j);
    assert_int_equal(j.devices, n);
    double mean = j.sum / (double)j.gaps, var = j.sumsq / (double)j.gaps - mean * mean;
    double p = (double)o.period, jit = (double)o.jitter;
    assert_true(fabs(mean - p) < 0.001 * p);
    assert_true(fabs(var / (2.0 * jit * jit / 3.0) - 1.0) < 0.05); /* Var = 2 * (2J)^2 / 12 */
    assert_true(wls_ks(j.one_gap, n, triangular_cdf, &jit) < wls_ks_critical(n));
    free(j.one_gap);
    eng_batch_free(&b);
}

/* Buckets much wider than the period (one device, ns periods, jitter close
 * to half the period) and 1 ns slices: rescheduled sends land back in the
 * bucket being emitted, and every slice boundary cuts a bucket. */
static void test_tiny_population_and_slices(void **state) {
    (void)state;
    const rt_time_t period = 1000;
    for (uint32_t n = 1; n <= 3; n++) {
        wl_opts o = periodic(period, 499);
        eng_batch b;
        eng_batch_init(&b);
        wls_collect(&o, 0, n, 3, 2000 * period, 7, &b);
        wls_sort_by_device(&b);
        wls_assert_seq_contiguous(&b, 0);
        size_t per_device[3] = {0};
        for (size_t i = 0; i < b.n; i++) {
            per_device[b.r[i].device]++;
            if (i > 0 && b.r[i].device == b.r[i - 1].device) {
                rt_time_t gap = b.r[i].ts - b.r[i - 1].ts;
                assert_true(gap > period - 2 * 499 && gap < period + 2 * 499);
            }
        }
        for (uint32_t d = 0; d < n; d++) assert_true(per_device[d] >= 1999 && per_device[d] <= 2001);
        eng_batch_free(&b);
    }
    wl_opts o = periodic(period, 0);
    eng_batch b;
    eng_batch_init(&b);
    wls_collect(&o, 0, 50, 4, 20 * period, 1, &b);
    assert_int_equal(b.n, 50 * 20);
    eng_batch_free(&b);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_exact_count_and_uniform_phases),
        cmocka_unit_test(test_jitter_bounds_and_law),
        cmocka_unit_test(test_tiny_population_and_slices),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
