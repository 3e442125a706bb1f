/* Differential privacy (engine/privacy/dp.h): the geometric mechanism's
 * empirical mean, P(0) and variance against (1-α)/(1+α) and 2α/(1-α)², with
 * tolerances of 5 standard errors computed from the sample size and the
 * distribution's own fourth moment; the Gaussian σ against values worked
 * out with Python's math module; clipping by hand; the Gaussian noise's
 * variance and one-sigma mass; and the accountant's budget. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>

#include <cmocka.h>
#include <math.h>

#include "engine/privacy/dp.h"

/* Σ_k k^j·P(k) for the two-sided geometric law with α = e^-ε, j even. */
static double moment(double eps, int j) {
    double a = exp(-eps), s = 0, t;
    for (int k = 1; (t = pow(k, j) * pow(a, k)) > 1e-18 * s || k < 10; k++) s += t;
    return 2 * (1 - a) / (1 + a) * s;
}

static void check_geometric(double eps, uint64_t seed) {
    enum { N = 200000 };
    eng_priv_rng rng;
    eng_priv_rng_seed(&rng, seed);
    double a = exp(-eps), var = 2 * a / ((1 - a) * (1 - a)), p0 = (1 - a) / (1 + a);
    assert_true(fabs(moment(eps, 2) / var - 1) < 1e-9); /* the closed form and the series agree */
    double s = 0, ss = 0;
    size_t zeros = 0;
    for (int i = 0; i < N; i++) {
        double z = (double)eng_priv_dp_geometric_noise(eps, &rng);
        s += z, ss += z * z, zeros += z == 0;
    }
    double mean = s / N, v = ss / N - mean * mean;
    double se_var = sqrt((moment(eps, 4) - var * var) / N);
    if (fabs(v - var) > 5 * se_var) fail_msg("eps %g: variance %g, theory %g, se %g", eps, v, var, se_var);
    assert_true(fabs(mean) < 5 * sqrt(var / N));
    assert_true(fabs((double)zeros / N - p0) < 5 * sqrt(p0 * (1 - p0) / N));
}

static void test_geometric_moments(void **state) {
    check_geometric(0.1, 1);
    check_geometric(0.5, 2);
    check_geometric(1.0, 3);
    check_geometric(2.0, 4);
}

static void test_geometric_release(void **state) {
    eng_priv_rng rng;
    eng_priv_rng_seed(&rng, 5);
    int64_t out = 7;
    assert_int_equal(eng_priv_dp_geometric(10, 0, NULL, &rng, &out), ENG_PRIV_EINVAL);
    assert_int_equal(eng_priv_dp_geometric(10, NAN, NULL, &rng, &out), ENG_PRIV_EINVAL);
    assert_int_equal(out, 7);
    for (int i = 0; i < 200; i++) { /* saturates instead of wrapping */
        assert_int_equal(eng_priv_dp_geometric(INT64_MAX - 1, 0.05, NULL, &rng, &out), 0);
        assert_true(out > 0);
        assert_int_equal(eng_priv_dp_geometric(INT64_MIN + 1, 0.05, NULL, &rng, &out), 0);
        assert_true(out < 0);
    }
}

static void test_gauss_sigma_and_clip(void **state) {
    double sigma;
    assert_int_equal(eng_priv_dp_gauss_sigma(1, 0.5, 1e-5, &sigma), 0);
    assert_true(fabs(sigma - 9.689610525210778) < 1e-12);
    assert_int_equal(eng_priv_dp_gauss_sigma(2, 0.9, 1e-6, &sigma), 0);
    assert_true(fabs(sigma - 11.775116726334385) < 1e-12);
    assert_int_equal(eng_priv_dp_gauss_sigma(1, 1.0, 1e-5, &sigma), ENG_PRIV_EINVAL); /* bound not valid */
    assert_int_equal(eng_priv_dp_gauss_sigma(1, 0.5, 0, &sigma), ENG_PRIV_EINVAL);
    assert_int_equal(eng_priv_dp_gauss_sigma(0, 0.5, 1e-5, &sigma), ENG_PRIV_EINVAL);

    double v[] = {3, 4}, w[] = {0.3, 0.4};
    assert_true(eng_priv_dp_clip(v, 2, 1) == 5);
    assert_true(fabs(v[0] - 0.6) < 1e-15 && fabs(v[1] - 0.8) < 1e-15);
    assert_true(fabs(eng_priv_dp_clip(w, 2, 1) - 0.5) < 1e-15);
    assert_true(w[0] == 0.3 && w[1] == 0.4);
}

static void test_gauss_noise(void **state) {
    enum { N = 200000 };
    static double v[N];
    eng_priv_rng rng;
    eng_priv_rng_seed(&rng, 6);
    v[0] = 10; /* clipped to norm 2 first */
    assert_int_equal(eng_priv_dp_gauss(v, N, 2, 0.9, 1e-6, NULL, &rng), 0);
    double sigma = 11.775116726334385, s = 0, ss = 0;
    size_t inside = 0;
    for (int i = 1; i < N; i++) s += v[i], ss += v[i] * v[i], inside += fabs(v[i]) < sigma;
    double n = N - 1, mean = s / n, var = ss / n - mean * mean, p1 = 0.6826894921370859; /* erf(1/√2) */
    assert_true(fabs(mean) < 5 * sigma / sqrt(n));
    assert_true(fabs(var / (sigma * sigma) - 1) < 5 * sqrt(2 / n));
    assert_true(fabs(inside / n - p1) < 5 * sqrt(p1 * (1 - p1) / n));
    assert_true(fabs(v[0] - 2) < 6 * sigma);
}

static void test_accountant(void **state) {
    eng_priv_acct a;
    assert_int_equal(eng_priv_acct_init(&a, 0, 0), ENG_PRIV_EINVAL);
    assert_int_equal(eng_priv_acct_init(&a, 1, 1), ENG_PRIV_EINVAL);
    assert_int_equal(eng_priv_acct_init(&a, 1.0, 1e-5), 0);
    eng_priv_rng rng;
    eng_priv_rng_seed(&rng, 7);
    int64_t out;
    for (int i = 0; i < 10; i++) assert_int_equal(eng_priv_dp_geometric(100, 0.1, &a, &rng, &out), 0);
    out = -1;
    assert_int_equal(eng_priv_dp_geometric(100, 0.1, &a, &rng, &out), ENG_PRIV_EBUDGET);
    assert_int_equal(out, -1);
    assert_int_equal(a.nlog, 10);
    for (size_t i = 0; i < a.nlog; i++) assert_true(a.log[i].eps == 0.1 && a.log[i].delta == 0);
    assert_true(fabs(a.eps_spent - 1.0) < 1e-12 && a.delta_spent == 0);
    eng_priv_acct_free(&a);

    assert_int_equal(eng_priv_acct_init(&a, 1.0, 1e-5), 0);
    double v[2] = {3, 4};
    assert_int_equal(eng_priv_dp_gauss(v, 2, 1, 0.5, 4e-6, &a, &rng), 0);
    assert_int_equal(eng_priv_dp_gauss(v, 2, 1, 0.5, 4e-6, &a, &rng), 0);
    const double keep[2] = {v[0], v[1]};
    assert_int_equal(eng_priv_dp_gauss(v, 2, 1, 0.5, 4e-6, &a, &rng), ENG_PRIV_EBUDGET); /* ε spent */
    assert_true(v[0] == keep[0] && v[1] == keep[1]);
    assert_int_equal(a.nlog, 2);
    assert_true(a.log[1].eps == 0.5 && a.log[1].delta == 4e-6);
    assert_int_equal(eng_priv_acct_charge(&a, 0, 0), ENG_PRIV_EINVAL);
    eng_priv_acct_free(&a);

    assert_int_equal(eng_priv_acct_init(&a, 10, 1e-5), 0);
    assert_int_equal(eng_priv_acct_charge(&a, 0.1, 6e-6), 0);
    assert_int_equal(eng_priv_acct_charge(&a, 0.1, 6e-6), ENG_PRIV_EBUDGET); /* δ spent */
    eng_priv_acct_free(&a);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_geometric_moments),    cmocka_unit_test(test_geometric_release),
        cmocka_unit_test(test_gauss_sigma_and_clip), cmocka_unit_test(test_gauss_noise),
        cmocka_unit_test(test_accountant),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
