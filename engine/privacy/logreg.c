/* Logistic regression trained by per-sample SGD: the local model a
 * federated client fits to its windowed features between two FedAvg rounds
 * (fedavg.h). */
#include <math.h>
#include <stdlib.h>

#include "engine/check.h"
#include "engine/privacy/fedavg.h"

void eng_priv_lr_defaults(eng_priv_lr_opts *o) { *o = (eng_priv_lr_opts){.epochs = 1, .lr = 0.1, .l2 = 0}; }

int eng_priv_lr_check(const eng_priv_lr_opts *o, char *err, size_t errlen) {
    ENG_CHECK(o->epochs >= 1, err, errlen, "epochs: %u, expected at least 1", o->epochs);
    ENG_CHECK(isfinite(o->lr) && o->lr > 0, err, errlen, "lr: %g, expected a positive step", o->lr);
    ENG_CHECK(isfinite(o->l2) && o->l2 >= 0, err, errlen, "l2: %g, expected >= 0", o->l2);
    return 0;
}

static double margin(const double *w, size_t dim, const double *x) {
    double z = w[dim];
    for (size_t k = 0; k < dim; k++) z += w[k] * x[k];
    return z;
}

double eng_priv_lr_prob(const double *w, size_t dim, const double *x) {
    return 1 / (1 + exp(-margin(w, dim, x)));
}

double eng_priv_lr_accuracy(const double *w, size_t dim, const double *X, const double *y, size_t n) {
    if (!n) return 0;
    size_t right = 0;
    for (size_t i = 0; i < n; i++) right += (margin(w, dim, X + i * dim) > 0) == (y[i] > 0.5);
    return (double)right / (double)n;
}

int eng_priv_lr_train(double *w, size_t dim, const double *X, const double *y, size_t n,
                      const eng_priv_lr_opts *o, eng_priv_rng *rng) {
    if (!n) return ENG_PRIV_OK;
    size_t *order = malloc(n * sizeof *order);
    if (!order) return ENG_PRIV_ENOMEM;
    for (size_t i = 0; i < n; i++) order[i] = i;
    for (uint32_t e = 0; e < o->epochs; e++) {
        for (size_t i = n - 1; i > 0; i--) {
            size_t j = (size_t)eng_priv_rng_below(rng, i + 1), t = order[i];
            order[i] = order[j];
            order[j] = t;
        }
        for (size_t s = 0; s < n; s++) {
            const double *x = X + order[s] * dim;
            double g = eng_priv_lr_prob(w, dim, x) - y[order[s]];
            for (size_t k = 0; k < dim; k++) w[k] -= o->lr * (g * x[k] + o->l2 * w[k]);
            w[dim] -= o->lr * g;
        }
    }
    free(order);
    return ENG_PRIV_OK;
}
