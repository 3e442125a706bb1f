/* Diurnal devices: counts per hour follow the integral of
 * rate * (1 + amplitude * cos(2 pi (tod - peak) / day)) over the hour, for a
 * real day and for a compressed day with offsets, and MMPP bursts on top
 * multiply the long-run mean by their stationary factor. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>

#include <cmocka.h>
#include <math.h>

#include "workloads/wl_support.h"

static const double PI = 3.14159265358979323846;

static wl_opts diurnal(double rate, double amplitude, rt_time_t day, rt_time_t peak, rt_time_t start) {
    wl_opts o;
    wl_opts_defaults(&o);
    o.kind = WL_DIURNAL;
    o.rate = rate;
    o.amplitude = amplitude;
    o.day = day;
    o.peak_tod = peak;
    o.start_tod = start;
    o.burst_factor = 1.0;
    o.anomaly_rate = 0;
    return o;
}

/* Expected readings of n devices in [a, b) seconds of run time. */
static double expected(const wl_opts *o, uint32_t n, double a, double b) {
    double day = rt_to_s(o->day), shift = rt_to_s(o->start_tod - o->peak_tod);
    double k = 2 * PI / day;
    double integral = (b - a) + o->amplitude / k * (sin(k * (b + shift)) - sin(k * (a + shift)));
    return n * o->rate * integral;
}

/* Runs n devices for `seconds` in `slice` slices, counting readings per bin,
 * and checks every bin against its expectation (5 Poisson standard
 * deviations) and the total against n * rate * seconds over whole days. */
static void check_bins(const wl_opts *o, uint32_t n, double seconds, rt_time_t slice, double bin_s) {
    gsl_rng *rng = gsl_rng_alloc(gsl_rng_mt19937);
    gsl_rng_set(rng, 31);
    wl_group *g = wl_group_new(o, 0, n, rng);
    eng_batch b;
    eng_batch_init(&b);
    int bins = (int)(seconds / bin_s);
    double count[512] = {0}, total = 0;
    assert_true(bins <= 512);
    for (rt_time_t t = 0; t < (rt_time_t)(seconds * RT_S); t += slice) {
        b.n = 0;
        assert_int_equal(wl_group_emit(g, t, t + slice, &b), 0);
        for (size_t i = 0; i < b.n; i++) count[(int)(rt_to_s(b.r[i].ts) / bin_s)]++;
        total += (double)b.n;
    }
    for (int i = 0; i < bins; i++) {
        double e = expected(o, n, i * bin_s, (i + 1) * bin_s);
        assert_true(fabs(count[i] - e) < 5 * sqrt(e) + 1);
    }
    double whole = n * o->rate * seconds;
    assert_true(fabs(total - whole) < 5 * sqrt(whole));
    eng_batch_free(&b);
    wl_group_free(g);
    gsl_rng_free(rng);
}

/* A real day, peak at 18:00, run starting at midnight, counted per hour. */
static void test_hourly_counts_follow_the_cosine(void **state) {
    (void)state;
    wl_opts o = diurnal(0.1, 0.6, 86400 * RT_S, 18 * 3600 * RT_S, 0);
    check_bins(&o, 100, 86400, 60 * RT_S, 3600);
}

/* A one-hour day starting at tod 900 s, peak at 3000 s, full amplitude (the
 * rate touches 0 at the trough), two days, 5-minute bins, 1 s slices. */
static void test_compressed_day_with_offsets(void **state) {
    (void)state;
    wl_opts o = diurnal(0.5, 1.0, 3600 * RT_S, 3000 * RT_S, 900 * RT_S);
    check_bins(&o, 100, 7200, RT_S, 300);
}

/* Bursts on the curve: over whole days the mean is rate times the bursts'
 * stationary factor, (off + on * factor) / (on + off). */
static void test_bursts_on_top(void **state) {
    (void)state;
    wl_opts o = diurnal(1.0, 0.5, 600 * RT_S, 0, 0);
    o.burst_factor = 3.0;
    o.burst_on_mean = 30 * RT_S;
    o.burst_off_mean = 120 * RT_S;
    double factor = (120 + 30 * 3.0) / 150;
    assert_true(fabs(wl_mean_rate(&o) - factor) < 1e-12);
    const uint32_t n = 10;
    const double seconds = 50 * 600;
    double mean, var;
    wls_window_counts(&o, n, 32, 10 * RT_S, (int)(seconds / 10), &mean, &var);
    double total = mean * (seconds / 10);
    /* MMPP variance (see test_wl_mmpp.c) at the curve's peak rate: a bound. */
    double a = 1 / 30.0, c = 1 / 120.0, l_off = n * 1.5, l_on = 3 * l_off;
    double var_rate = n * factor * 1.5 + 2 * (l_on - l_off) * (l_on - l_off) * a * c / pow(a + c, 3);
    assert_true(fabs(total - n * factor * seconds) < 4 * sqrt(var_rate * seconds));
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_hourly_counts_follow_the_cosine),
        cmocka_unit_test(test_compressed_day_with_offsets),
        cmocka_unit_test(test_bursts_on_top),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
