/* Federated averaging (engine/privacy/fedavg.h): windowed features and the
 * weighted average by hand; the masked and Paillier combinations equal the
 * plaintext one up to fixed-point rounding (and the masked one survives a
 * dropped client); and on a synthetic linearly separable problem split
 * unevenly over ten clients with shifted feature distributions, FedAvg
 * reaches the centralised model's test accuracy within 2 points, through
 * each of the three combinations. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>

#include <cmocka.h>
#include <math.h>
#include <stdlib.h>

#include "engine/privacy/dp.h"
#include "engine/privacy/fedavg.h"
#include "fixture.h"

static void test_window_features(void **state) {
    const double s[] = {1, 2, 3, 4, 5, 6};
    double X[2 * ENG_PRIV_FEATURES];
    assert_int_equal(eng_priv_window_features(s, 6, 3, 2, X), 2); /* [1 2 3], [3 4 5] */
    const double want[] = {2, sqrt(2.0 / 3), 1, 3, 2, 4, sqrt(2.0 / 3), 3, 5, 2};
    for (int i = 0; i < 10; i++) assert_true(fabs(X[i] - want[i]) < 1e-15);
    assert_int_equal(eng_priv_window_features(s, 2, 3, 1, X), 0);
    assert_int_equal(eng_priv_window_features(s, 6, 0, 1, X), 0);
    assert_int_equal(eng_priv_window_features(s, 6, 3, 0, X), 0);
}

/* (1·(1, 2) + 3·(4, 8)) / 4 = (3.25, 6.5); the client with count 0 adds nothing. */
static void test_averages(void **state) {
    const double u0[] = {1, 2}, u1[] = {4, 8}, u2[] = {100, 100};
    const double *u[] = {u0, u1, u2};
    const uint64_t counts[] = {1, 3, 0};
    double out[2];
    assert_int_equal(eng_priv_fl_avg_plain(u, counts, 3, 2, out), 0);
    assert_true(out[0] == 3.25 && out[1] == 6.5);
    uint8_t master[32] = {9};
    assert_int_equal(eng_priv_fl_avg_masked(u, counts, 3, 2, 16, master, 0, NULL, out), 0);
    assert_true(out[0] == 3.25 && out[1] == 6.5);
    const uint8_t dropped[] = {0, 1, 0}; /* only client 0 (and the empty one) remain */
    assert_int_equal(eng_priv_fl_avg_masked(u, counts, 3, 2, 16, master, 0, dropped, out), 0);
    assert_true(out[0] == 1 && out[1] == 2);
    const uint8_t all_but_empty[] = {1, 1, 0};
    assert_int_equal(eng_priv_fl_avg_masked(u, counts, 3, 2, 16, master, 0, all_but_empty, out),
                     ENG_PRIV_EINVAL);
    const uint64_t none[] = {0, 0, 0};
    assert_int_equal(eng_priv_fl_avg_plain(u, none, 3, 2, out), ENG_PRIV_EINVAL);

    eng_priv_rng rng;
    eng_priv_rng_seed(&rng, 41);
    eng_priv_pai_sk *sk = fx_keygen(256, &rng);
    assert_int_equal(eng_priv_fl_avg_paillier(u, counts, 3, 2, 16, sk, &rng, out), 0);
    assert_true(out[0] == 3.25 && out[1] == 6.5);
    const double neg[] = {-0.3, 1e-9};
    const double *v[] = {neg, u1};
    assert_int_equal(eng_priv_fl_avg_paillier(v, counts, 2, 2, 0x1p30, sk, &rng, out), 0);
    assert_true(fabs(out[0] - (-0.3 + 12) / 4) < 1e-9 && fabs(out[1] - (1e-9 + 24) / 4) < 1e-9);
    /* 2^200·3 does not fit a 256-bit key with headroom for 2 terms. */
    const double big[] = {0x1p200, 0};
    const double *w[] = {big, u1};
    assert_int_equal(eng_priv_fl_avg_paillier(w, counts, 2, 2, 0x1p60, sk, &rng, out), ENG_PRIV_EOVERFLOW);
    eng_priv_pai_sk_free(sk);
}

enum { K = 10, DIM = 5, TEST = 4000 };

typedef struct data {
    double *X, *y;
    size_t n;
} data;

/* Labels y = [w*·x + b* > 0] for x ~ N(shift, I): linearly separable. */
static void draw(eng_priv_rng *rng, double shift, size_t n, data *d) {
    static const double wstar[DIM] = {1.5, -2.0, 0.7, 0.0, 1.0}, bstar = 0.3;
    d->X = malloc(n * DIM * sizeof *d->X);
    d->y = malloc(n * sizeof *d->y);
    d->n = n;
    for (size_t i = 0; i < n; i++) {
        double z = bstar;
        for (int k = 0; k < DIM; k++) {
            double x = d->X[i * DIM + k] = shift + eng_priv_dp_normal(rng);
            z += wstar[k] * x;
        }
        d->y[i] = z > 0;
    }
}

static double train_fed(const eng_priv_fl_client *c, eng_priv_fl_combine how, const eng_priv_pai_sk *sk,
                        const data *test, double *w) {
    eng_priv_fl_opts o;
    eng_priv_fl_defaults(&o);
    o.combine = how;
    eng_priv_rng rng;
    eng_priv_rng_seed(&rng, 43);
    for (int k = 0; k <= DIM; k++) w[k] = 0;
    assert_int_equal(eng_priv_fl_run(c, K, DIM, &o, sk, &rng, w), 0);
    return eng_priv_lr_accuracy(w, DIM, test->X, test->y, test->n);
}

static void test_fedavg_matches_centralised(void **state) {
    eng_priv_rng rng;
    eng_priv_rng_seed(&rng, 42);
    data part[K], pooled, test;
    eng_priv_fl_client c[K];
    size_t total = 0;
    for (int k = 0; k < K; k++) { /* 50 to 410 samples, feature means from -0.9 to 0.9 */
        draw(&rng, -0.9 + 0.2 * k, 50 + 40 * (size_t)k, &part[k]);
        c[k] = (eng_priv_fl_client){part[k].X, part[k].y, part[k].n};
        total += part[k].n;
    }
    pooled.X = malloc(total * DIM * sizeof *pooled.X);
    pooled.y = malloc(total * sizeof *pooled.y);
    pooled.n = 0;
    for (int k = 0; k < K; k++)
        for (size_t i = 0; i < part[k].n; i++, pooled.n++) {
            for (int j = 0; j < DIM; j++) pooled.X[pooled.n * DIM + j] = part[k].X[i * DIM + j];
            pooled.y[pooled.n] = part[k].y[i];
        }
    draw(&rng, 0, TEST, &test);

    /* Centralised: the same number of passes over the same data. */
    eng_priv_fl_opts o;
    eng_priv_fl_defaults(&o);
    eng_priv_lr_opts central = o.local;
    central.epochs = o.rounds * o.local.epochs;
    double wc[DIM + 1] = {0};
    assert_int_equal(eng_priv_lr_train(wc, DIM, pooled.X, pooled.y, pooled.n, &central, &rng), 0);
    double acc_c = eng_priv_lr_accuracy(wc, DIM, test.X, test.y, test.n);
    assert_true(acc_c > 0.95);

    double wp[DIM + 1], wm[DIM + 1], we[DIM + 1];
    double acc_p = train_fed(c, ENG_PRIV_FL_PLAIN, NULL, &test, wp);
    double acc_m = train_fed(c, ENG_PRIV_FL_MASKED, NULL, &test, wm);
    eng_priv_pai_sk *sk = fx_keygen(256, &rng);
    double acc_e = train_fed(c, ENG_PRIV_FL_PAILLIER, sk, &test, we);
    print_message("test accuracy: centralised %.4f, FedAvg plain %.4f, masked %.4f, Paillier %.4f\n", acc_c,
                  acc_p, acc_m, acc_e);
    assert_true(fabs(acc_p - acc_c) <= 0.02);
    assert_true(fabs(acc_m - acc_c) <= 0.02);
    assert_true(fabs(acc_e - acc_c) <= 0.02);
    /* Masked and plain see the same shuffles: only fixed-point rounding differs. */
    for (int k = 0; k <= DIM; k++) assert_true(fabs(wm[k] - wp[k]) < 1e-4);

    eng_priv_rng_seed(&rng, 44);
    o.combine = ENG_PRIV_FL_PAILLIER;
    assert_int_equal(eng_priv_fl_run(c, K, DIM, &o, NULL, &rng, wp), ENG_PRIV_EINVAL);
    assert_int_equal(eng_priv_fl_run(c, 0, DIM, &o, sk, &rng, wp), ENG_PRIV_EINVAL);
    o.local.lr = 0;
    char err[128];
    assert_int_equal(eng_priv_fl_check(&o, err, sizeof err), -1);
    assert_string_equal(err, "lr: 0, expected a positive step");
    eng_priv_pai_sk_free(sk);
    for (int k = 0; k < K; k++) free(part[k].X), free(part[k].y);
    free(pooled.X), free(pooled.y), free(test.X), free(test.y);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_window_features),
        cmocka_unit_test(test_averages),
        cmocka_unit_test(test_fedavg_matches_centralised),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
