/* Gradients of policies/nn against central finite differences: dense
 * layers (tanh, ReLU, linear) with MSE and Huber losses, cross-entropy, and
 * the LSTM through time, for parameters and inputs; plus the softmax
 * identities. Computation is in float, so differences use h = 1e-2 (tanh)
 * and the tolerance is |analytic - numeric| <= 1e-3 + 2e-2 |numeric|; a
 * wrong formula is off by O(1). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>

#include <cmocka.h>
#include <gsl/gsl_rng.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "policies/nn/loss.h"
#include "policies/nn/lstm.h"
#include "policies/nn/mlp.h"

typedef double (*loss_fn)(void *ctx);

/* Compares grad[i] with (L(x_i + h) - L(x_i - h)) / 2h for every i. */
static void check(float *x, const float *grad, size_t n, loss_fn loss, void *ctx, double h) {
    for (size_t i = 0; i < n; i++) {
        float keep = x[i];
        x[i] = keep + (float)h;
        double up = loss(ctx);
        x[i] = keep - (float)h;
        double down = loss(ctx);
        x[i] = keep;
        double num = (up - down) / (2 * h);
        if (fabs(grad[i] - num) > 1e-3 + 2e-2 * fabs(num))
            fail_msg("gradient %zu: analytic %.6g, numeric %.6g", i, grad[i], num);
    }
}

static void fill(float *x, size_t n, gsl_rng *r, double scale) {
    for (size_t i = 0; i < n; i++) x[i] = (float)((2 * gsl_rng_uniform(r) - 1) * scale);
}

typedef struct dense_case {
    pol_nn_mlp *m;
    float x[4 * 3], target[4 * 2], dx[4 * 3];
    int huber;
} dense_case;

static double dense_loss(void *ctx) {
    dense_case *c = ctx;
    const float *y = pol_nn_mlp_forward(c->m, c->x, 4);
    return c->huber ? pol_nn_huber(y, c->target, 8, 0.5, NULL) : pol_nn_mse(y, c->target, 8, NULL);
}

static void dense_check(pol_nn_act hidden, pol_nn_act out, int huber, double h) {
    gsl_rng *r = gsl_rng_alloc(gsl_rng_mt19937);
    gsl_rng_set(r, 7);
    size_t sizes[] = {3, 6, 5, 2};
    dense_case c = {.m = pol_nn_mlp_new(sizes, 4, hidden, out, 4), .huber = huber};
    assert_non_null(c.m);
    assert_int_equal(pol_nn_mlp_init(c.m, POL_NN_INIT_XAVIER, 1.0, 1.0, r), 0);
    fill(c.m->params, c.m->nparams, r, 0.8);
    fill(c.x, 12, r, 1.0);
    fill(c.target, 8, r, 1.5);
    float dy[8];
    const float *y = pol_nn_mlp_forward(c.m, c.x, 4);
    if (huber)
        pol_nn_huber(y, c.target, 8, 0.5, dy);
    else
        pol_nn_mse(y, c.target, 8, dy);
    pol_nn_mlp_zero_grad(c.m);
    pol_nn_mlp_backward(c.m, dy, c.dx);
    float *g = malloc(c.m->nparams * sizeof *g), dx[12];
    memcpy(g, c.m->grads, c.m->nparams * sizeof *g);
    memcpy(dx, c.dx, sizeof dx);
    check(c.m->params, g, c.m->nparams, dense_loss, &c, h);
    check(c.x, dx, 12, dense_loss, &c, h);
    free(g);
    pol_nn_mlp_free(c.m);
    gsl_rng_free(r);
}

static void test_dense_tanh_mse(void **s) { dense_check(POL_NN_TANH, POL_NN_LINEAR, 0, 1e-2); }
static void test_dense_relu_mse(void **s) { dense_check(POL_NN_RELU, POL_NN_LINEAR, 0, 1e-3); }
static void test_dense_relu_tanh_huber(void **s) { dense_check(POL_NN_RELU, POL_NN_TANH, 1, 1e-3); }

/* Both Huber branches by hand: delta 1, errors 0.5 and -3. */
static void test_huber_values(void **s) {
    float p[2] = {1.5f, -2.0f}, t[2] = {1.0f, 1.0f}, d[2];
    double l = pol_nn_huber(p, t, 2, 1.0, d);
    assert_float_equal(l, (0.125 + 2.5) / 2, 1e-7);
    assert_float_equal(d[0], 0.25, 1e-7);
    assert_float_equal(d[1], -0.5, 1e-7);
}

typedef struct xent_case {
    float z[3 * 4];
    int label[3];
} xent_case;

static double xent_loss(void *ctx) {
    xent_case *c = ctx;
    return pol_nn_cross_entropy(c->z, c->label, 3, 4, NULL);
}

static void test_cross_entropy(void **s) {
    gsl_rng *r = gsl_rng_alloc(gsl_rng_mt19937);
    gsl_rng_set(r, 3);
    xent_case c = {.label = {0, 3, 2}};
    fill(c.z, 12, r, 2.0);
    float dz[12];
    pol_nn_cross_entropy(c.z, c.label, 3, 4, dz);
    check(c.z, dz, 12, xent_loss, &c, 1e-2);
    gsl_rng_free(r);
}

/* softmax([0, ln 3]) = [1/4, 3/4]; shift invariance; log_softmax = log softmax. */
static void test_softmax(void **s) {
    float z[4] = {0.0f, logf(3.0f), 1000.0f, 1000.0f + logf(3.0f)}, p[4], lp[4];
    pol_nn_softmax(z, 2, 2, p);
    pol_nn_log_softmax(z, 2, 2, lp);
    assert_float_equal(p[0], 0.25, 1e-6);
    assert_float_equal(p[1], 0.75, 1e-6);
    assert_float_equal(p[2], 0.25, 1e-4); /* 1000 + ln 3 rounds in float */
    assert_float_equal(p[3], 0.75, 1e-4);
    for (int i = 0; i < 4; i++) assert_float_equal(lp[i], log(p[i]), 1e-4);
}

enum { LI = 3, LH = 4, LT = 5, LB = 2 };

typedef struct lstm_case {
    pol_nn_lstm *l;
    float x[LT * LB * LI], w[LT * LB * LH], h0[LB * LH], c0[LB * LH];
} lstm_case;

/* L = sum over t of w_t . h_t; every h_t also feeds the next step, so the
 * weighted sum exercises the whole recurrence. */
static double lstm_loss(void *ctx) {
    lstm_case *c = ctx;
    const float *h = pol_nn_lstm_forward(c->l, c->x, LT, LB, c->h0, c->c0);
    double sum = 0;
    for (size_t i = 0; i < LT * LB * LH; i++) sum += (double)c->w[i] * h[i];
    return sum;
}

static void test_lstm_bptt(void **s) {
    gsl_rng *r = gsl_rng_alloc(gsl_rng_mt19937);
    gsl_rng_set(r, 11);
    lstm_case c = {.l = pol_nn_lstm_new(LI, LH, LT, LB)};
    assert_non_null(c.l);
    assert_int_equal(pol_nn_lstm_init(c.l, r), 0);
    fill(c.l->params, c.l->nparams, r, 0.7);
    fill(c.x, LT * LB * LI, r, 1.0);
    fill(c.w, LT * LB * LH, r, 1.0);
    fill(c.h0, LB * LH, r, 0.5);
    fill(c.c0, LB * LH, r, 0.5);
    lstm_loss(&c);
    float dx[LT * LB * LI];
    pol_nn_lstm_zero_grad(c.l);
    pol_nn_lstm_backward(c.l, c.w, dx);
    float *g = malloc(c.l->nparams * sizeof *g);
    memcpy(g, c.l->grads, c.l->nparams * sizeof *g);
    check(c.l->params, g, c.l->nparams, lstm_loss, &c, 1e-2);
    check(c.x, dx, LT * LB * LI, lstm_loss, &c, 1e-2);
    free(g);
    pol_nn_lstm_free(c.l);
    gsl_rng_free(r);
}

/* A one-step LSTM from zero state by hand: with W = 0 and b = (0, 1, 0.5, 0),
 * i = o = 1/2, g = tanh(0.5), c = g/2, h = tanh(c)/2. */
static void test_lstm_by_hand(void **s) {
    pol_nn_lstm *l = pol_nn_lstm_new(1, 1, 1, 1);
    assert_non_null(l);
    float *b = l->params + 4 * 2;
    b[1] = 1.0f;
    b[2] = 0.5f;
    float x = 3.0f;
    const float *h = pol_nn_lstm_forward(l, &x, 1, 1, NULL, NULL);
    double c = tanh(0.5) / 2;
    assert_float_equal(pol_nn_lstm_cell(l)[0], c, 1e-6);
    assert_float_equal(h[0], tanh(c) / 2, 1e-6);
    pol_nn_lstm_free(l);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_dense_tanh_mse),
        cmocka_unit_test(test_dense_relu_mse),
        cmocka_unit_test(test_dense_relu_tanh_huber),
        cmocka_unit_test(test_huber_values),
        cmocka_unit_test(test_cross_entropy),
        cmocka_unit_test(test_softmax),
        cmocka_unit_test(test_lstm_bptt),
        cmocka_unit_test(test_lstm_by_hand),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
