/* Training behaviour of policies/nn: an MLP fits a smooth function, Adam's
 * first step and its convergence on a quadratic, gradient-norm clipping,
 * the laws of the initialisers, and determinism for a seed. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>

#include <cmocka.h>
#include <gsl/gsl_rng.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "policies/nn/adam.h"
#include "policies/nn/init.h"
#include "policies/nn/loss.h"
#include "policies/nn/mlp.h"

#define PI 3.14159265358979323846

/* 1-32-32-1 tanh network, full-batch Adam on y = sin(x), 64 points in
 * [-pi, pi]: the mean squared error must fall below 1e-3 (the target's
 * variance is 0.5). */
static void test_fit_sine(void **s) {
    enum { N = 64 };
    gsl_rng *r = gsl_rng_alloc(gsl_rng_mt19937);
    gsl_rng_set(r, 1);
    size_t sizes[] = {1, 32, 32, 1};
    pol_nn_mlp *m = pol_nn_mlp_new(sizes, 4, POL_NN_TANH, POL_NN_LINEAR, N);
    assert_non_null(m);
    assert_int_equal(pol_nn_mlp_init(m, POL_NN_INIT_XAVIER, 1.0, 1.0, r), 0);
    pol_nn_adam_opts o;
    pol_nn_adam_defaults(&o);
    o.lr = 1e-2;
    pol_nn_adam *adam = pol_nn_adam_new(&o, m->nparams);
    float x[N], y[N], dy[N];
    for (int i = 0; i < N; i++) {
        x[i] = (float)(PI * (2.0 * i / (N - 1) - 1.0));
        y[i] = sinf(x[i]);
    }
    double loss = 1;
    pol_nn_param_ref ref = pol_nn_mlp_ref(m);
    for (int it = 0; it < 1500; it++) {
        loss = pol_nn_mse(pol_nn_mlp_forward(m, x, N), y, N, dy);
        pol_nn_mlp_zero_grad(m);
        pol_nn_mlp_backward(m, dy, NULL);
        pol_nn_adam_step(adam, &ref, 1);
    }
    assert_true(loss < 1e-3);
    pol_nn_adam_free(adam);
    pol_nn_mlp_free(m);
    gsl_rng_free(r);
}

/* The first Adam step moves each parameter by exactly lr against the sign
 * of its gradient (m_hat / sqrt(v_hat) = g / |g|, up to eps). */
static void test_adam_first_step(void **s) {
    pol_nn_adam_opts o;
    pol_nn_adam_defaults(&o);
    o.lr = 0.1;
    pol_nn_adam *a = pol_nn_adam_new(&o, 3);
    float p[3] = {1, 2, 3}, g[3] = {0.5f, -4.0f, 1e-3f};
    pol_nn_param_ref ref = {p, g, 3};
    pol_nn_adam_step(a, &ref, 1);
    assert_float_equal(p[0], 0.9, 1e-6);
    assert_float_equal(p[1], 2.1, 1e-6);
    assert_float_equal(p[2], 2.9, 1e-4);
    pol_nn_adam_free(a);
}

/* f(p) = sum c_i (p_i - t_i)^2 with condition number 100, in two blocks:
 * Adam reaches the minimum. */
static void test_adam_quadratic(void **s) {
    const float c[4] = {1, 10, 100, 0.5f}, t[4] = {3, -2, 0.5f, 1};
    float p[4] = {0}, g[4];
    pol_nn_adam_opts o;
    pol_nn_adam_defaults(&o);
    o.lr = 0.05;
    pol_nn_adam *a = pol_nn_adam_new(&o, 4);
    pol_nn_param_ref refs[2] = {{p, g, 1}, {p + 1, g + 1, 3}};
    for (int it = 0; it < 3000; it++) {
        for (int i = 0; i < 4; i++) g[i] = 2 * c[i] * (p[i] - t[i]);
        pol_nn_adam_step(a, refs, 2);
    }
    for (int i = 0; i < 4; i++) assert_float_equal(p[i], t[i], 1e-3);
    pol_nn_adam_free(a);
}

/* Gradient (3, 4) has norm 5; with max_grad_norm 1 it is scaled to norm 1
 * (torch's clip_grad_norm_: factor 1 / (5 + 1e-6)) and the pre-clip norm is
 * returned. A gradient inside the limit is left alone. */
static void test_adam_clipping(void **s) {
    pol_nn_adam_opts o;
    pol_nn_adam_defaults(&o);
    o.max_grad_norm = 1.0;
    pol_nn_adam *a = pol_nn_adam_new(&o, 2);
    float p[2] = {0, 0}, g[2] = {3, 4};
    pol_nn_param_ref ref = {p, g, 2};
    assert_float_equal(pol_nn_adam_step(a, &ref, 1), 5.0, 1e-9);
    assert_float_equal(g[0], 0.6, 1e-6);
    assert_float_equal(g[1], 0.8, 1e-6);
    g[0] = 0.3f;
    g[1] = 0.4f;
    assert_float_equal(pol_nn_adam_step(a, &ref, 1), 0.5, 1e-6);
    assert_float_equal(g[0], 0.3, 1e-7);
    pol_nn_adam_free(a);
}

/* Splitting the parameters into blocks does not change the update: 1001
 * parameters as one block (updated four at a time, then one by one) and as
 * blocks of three (one by one) end bit for bit equal, including moments that
 * decay towards subnormal values (zero gradients after the first step). */
static void test_adam_blocks_agree(void **s) {
    enum { N = 1001 };
    static float p1[N], g1[N], p3[N], g3[N];
    pol_nn_adam_opts o;
    pol_nn_adam_defaults(&o); /* no clipping: the norm's float partial sums follow the blocks */
    pol_nn_adam *one = pol_nn_adam_new(&o, N), *three = pol_nn_adam_new(&o, N);
    pol_nn_param_ref whole = {p1, g1, N}, parts[N / 3 + 1];
    size_t np = 0;
    for (size_t at = 0; at < N; at += 3)
        parts[np++] = (pol_nn_param_ref){p3 + at, g3 + at, N - at < 3 ? N - at : 3};
    for (int it = 0; it < 1200; it++) {
        for (size_t i = 0; i < N; i++)
            g1[i] = g3[i] = (it == 0 || i % 2) ? (float)sin(0.37 * (double)i + it) * (float)(i % 7) : 0.0f;
        pol_nn_adam_step(one, &whole, 1);
        pol_nn_adam_step(three, parts, np);
    }
    assert_memory_equal(p1, p3, sizeof p1);
    assert_memory_equal(one->m, three->m, N * sizeof(float));
    assert_memory_equal(one->v, three->v, N * sizeof(float));
    for (size_t i = 0; i < N; i += 2) assert_true(one->m[i] == 0.0f); /* flushed, never subnormal */
    pol_nn_adam_free(one);
    pol_nn_adam_free(three);
}

/* Orthogonal: W W^T = gain^2 I for a wide matrix, W^T W = gain^2 I for a
 * tall one. Xavier: inside +-sqrt(6/(fan_in+fan_out)), variance bound^2/3. */
static void test_init_laws(void **s) {
    gsl_rng *r = gsl_rng_alloc(gsl_rng_mt19937);
    gsl_rng_set(r, 5);
    size_t shapes[2][2] = {{6, 17}, {17, 6}};
    float w[17 * 6];
    for (int k = 0; k < 2; k++) {
        size_t rows = shapes[k][0], cols = shapes[k][1], n = rows < cols ? rows : cols;
        assert_int_equal(pol_nn_init_weights(w, rows, cols, POL_NN_INIT_ORTHOGONAL, 1.5, r), 0);
        for (size_t i = 0; i < n; i++)
            for (size_t j = 0; j < n; j++) {
                double dot = 0;
                for (size_t q = 0; q < (rows < cols ? cols : rows); q++)
                    dot += rows < cols ? (double)w[i * cols + q] * w[j * cols + q]
                                       : (double)w[q * cols + i] * w[q * cols + j];
                assert_float_equal(dot, i == j ? 2.25 : 0.0, 1e-5);
            }
    }
    enum { R = 200, C = 300 };
    float *x = malloc(R * C * sizeof *x);
    assert_int_equal(pol_nn_init_weights(x, R, C, POL_NN_INIT_XAVIER, 1.0, r), 0);
    double bound = sqrt(6.0 / (R + C)), var = 0;
    for (size_t i = 0; i < R * C; i++) {
        assert_true(fabs(x[i]) <= bound);
        var += (double)x[i] * x[i];
    }
    assert_float_equal(var / (R * C), bound * bound / 3, 0.02 * bound * bound / 3);
    free(x);
    gsl_rng_free(r);
}

/* Same seed, same network, same outputs; another seed differs. */
static void test_deterministic(void **s) {
    size_t sizes[] = {4, 16, 3};
    float x[4] = {0.1f, -0.2f, 0.3f, 0.4f}, out[3][3];
    for (int k = 0; k < 3; k++) {
        gsl_rng *r = gsl_rng_alloc(gsl_rng_mt19937);
        gsl_rng_set(r, k < 2 ? 42 : 43);
        pol_nn_mlp *m = pol_nn_mlp_new(sizes, 3, POL_NN_TANH, POL_NN_LINEAR, 1);
        assert_int_equal(pol_nn_mlp_init(m, POL_NN_INIT_ORTHOGONAL, sqrt(2.0), 1.0, r), 0);
        memcpy(out[k], pol_nn_mlp_forward(m, x, 1), sizeof out[k]);
        pol_nn_mlp_free(m);
        gsl_rng_free(r);
    }
    assert_memory_equal(out[0], out[1], sizeof out[0]);
    assert_memory_not_equal(out[0], out[2], sizeof out[0]);
}

/* Polyak averaging: tau 0.25 moves a quarter of the way; tau 1 copies. */
static void test_polyak(void **s) {
    size_t sizes[] = {1, 1};
    pol_nn_mlp *a = pol_nn_mlp_new(sizes, 2, POL_NN_TANH, POL_NN_LINEAR, 1);
    pol_nn_mlp *b = pol_nn_mlp_new(sizes, 2, POL_NN_TANH, POL_NN_LINEAR, 1);
    a->params[0] = 4;
    a->params[1] = -4;
    pol_nn_mlp_polyak(b, a, 0.25);
    assert_float_equal(b->params[0], 1.0, 1e-7);
    assert_float_equal(b->params[1], -1.0, 1e-7);
    pol_nn_mlp_polyak(b, a, 1.0);
    assert_memory_equal(a->params, b->params, 2 * sizeof(float));
    pol_nn_mlp_free(a);
    pol_nn_mlp_free(b);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_fit_sine),          cmocka_unit_test(test_adam_first_step),
        cmocka_unit_test(test_adam_quadratic),    cmocka_unit_test(test_adam_clipping),
        cmocka_unit_test(test_adam_blocks_agree), cmocka_unit_test(test_init_laws),
        cmocka_unit_test(test_deterministic),     cmocka_unit_test(test_polyak),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
