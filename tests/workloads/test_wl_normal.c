/* The ziggurat normal sampler behind the value models (workloads/normal.c),
 * tested directly: on 10^7 draws the moments, symmetry and a chi-square test
 * over bins of width 0.05 (expectations from GSL's normal CDF); and the tail
 * sampler alone, beyond the ziggurat's edge R, by Kolmogorov-Smirnov against
 * the normal law conditioned on |Z| > R. The value-model tests see too few
 * draws to notice a slightly wrong wedge or tail. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>

#include <cmocka.h>
#include <gsl/gsl_cdf.h>
#include <math.h>
#include <stdlib.h>

#include "workloads/wl_int.h"
#include "workloads/wl_support.h"

enum { DRAWS = 10000000, TAILS = 100000 };
static const double R = 3.442619855899, WIDTH = 0.05, SPAN = 5.0;

static wl_group *group(gsl_rng *parent) {
    wl_opts o;
    wl_opts_defaults(&o);
    wl_group *g = wl_group_new(&o, 0, 1, parent);
    assert_non_null(g);
    return g;
}

static void test_body(void **state) {
    (void)state;
    gsl_rng *parent = gsl_rng_alloc(gsl_rng_mt19937);
    wl_group *g = group(parent);
    enum { BINS = 200 };           /* [-5, 5) in steps of 0.05 ... */
    static double count[BINS + 2]; /* ... and the two sides beyond */
    double sum = 0, sumsq = 0, positive = 0;
    for (long i = 0; i < DRAWS; i++) {
        double z = wl__normal(g);
        sum += z;
        sumsq += z * z;
        positive += z > 0;
        count[z < -SPAN ? 0 : z >= SPAN ? BINS + 1 : 1 + (int)((z + SPAN) / WIDTH)]++;
    }
    double n = DRAWS, mean = sum / n, var = sumsq / n - mean * mean;
    assert_true(fabs(mean) < 5 / sqrt(n));
    assert_true(fabs(var - 1) < 5 * sqrt(2 / n));
    assert_true(fabs(positive - n / 2) < 5 * sqrt(n / 4));
    double chi2 = 0;
    for (int k = 0; k < BINS + 2; k++) {
        double lo = k == 0 ? -INFINITY : -SPAN + (k - 1) * WIDTH, hi = k == BINS + 1 ? INFINITY : lo + WIDTH;
        if (k == 0) hi = -SPAN;
        double e = n * (gsl_cdf_ugaussian_P(hi) - gsl_cdf_ugaussian_P(lo));
        chi2 += (count[k] - e) * (count[k] - e) / e;
    }
    double df = BINS + 1;
    assert_true(chi2 < df + 5 * sqrt(2 * df));
    wl_group_free(g);
    gsl_rng_free(parent);
}

/* P(|Z| - R <= x given |Z| > R) = 1 - Q(R + x) / Q(R). */
static double tail_cdf(double x, const void *arg) {
    return x <= 0 ? 0 : 1 - gsl_cdf_ugaussian_Q(R + x) / gsl_cdf_ugaussian_Q(R);
}

static void test_tail(void **state) {
    (void)state;
    gsl_rng *parent = gsl_rng_alloc(gsl_rng_mt19937);
    wl_group *g = group(parent);
    double *over = malloc(TAILS * sizeof *over);
    for (int side = 0; side < 2; side++) {
        double u = side ? 0.999 : -0.999; /* outside the base block's rectangle */
        for (int i = 0; i < TAILS; i++) {
            double z = wl__normal_slow(g, u, 0);
            assert_true(side ? z > R : z < -R);
            over[i] = fabs(z) - R;
        }
        assert_true(wls_ks(over, TAILS, tail_cdf, NULL) < wls_ks_critical(TAILS));
    }
    free(over);
    wl_group_free(g);
    gsl_rng_free(parent);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_body),
        cmocka_unit_test(test_tail),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
