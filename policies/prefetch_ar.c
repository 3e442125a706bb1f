/* `ar`: an autoregressive model per key. Each key's reads per window over
 * the last `prefetch.ar.history` windows are fitted by least squares to
 *   x_t = c + a_1 x_{t-1} + ... + a_p x_{t-p}      (p = prefetch.ar.order)
 * and the fit, applied to the newest p windows, predicts the next (clipped
 * at 0). A key with less history than a fit needs is predicted by its mean
 * so far; a key never read in the history window is predicted 0 without a
 * fit. Each key is refitted every REFIT windows (the fit changes little
 * from one window to the next, and a fit is the policy's whole cost); the
 * newest windows still enter every prediction. With p at least a key's
 * period, a strictly periodic key is predicted exactly (x_t = x_{t-P}
 * fits with no residual). */
#include "policies/prefetch_ar.h"

#include <gsl/gsl_multifit.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "policies/prefetch_int.h"

#define REFIT 8

typedef struct ar {
    size_t p, h;
    double *hist;  /* per key, a ring of the last h windows' reads */
    double *coefs; /* per key, its last fit (p + 1 values) */
    uint8_t *fitted;
    size_t nkeys, windows;
    double *x; /* one key's series, oldest first */
    gsl_multifit_linear_workspace *ws;
    gsl_matrix *X, *cov;
    gsl_vector *y, *c;
} ar;

static void ar_free(void *state) {
    ar *a = state;
    free(a->hist);
    free(a->coefs);
    free(a->fitted);
    free(a->x);
    if (a->ws) gsl_multifit_linear_free(a->ws);
    if (a->X) gsl_matrix_free(a->X);
    if (a->cov) gsl_matrix_free(a->cov);
    if (a->y) gsl_vector_free(a->y);
    if (a->c) gsl_vector_free(a->c);
    free(a);
}

/* Fits into coef the series x of n values with the workspace sized for
 * the rows of n. */
static int fit(ar *a, const double *x, size_t n, double *coef) {
    size_t p = a->p, rows = n - p;
    for (size_t t = p; t < n; t++) {
        gsl_matrix_set(a->X, t - p, 0, 1.0);
        for (size_t i = 1; i <= p; i++) gsl_matrix_set(a->X, t - p, i, x[t - i]);
        gsl_vector_set(a->y, t - p, x[t]);
    }
    double chisq;
    if (rows != a->X->size1) return -1;
    if (gsl_multifit_linear(a->X, a->y, a->c, a->cov, &chisq, a->ws) != GSL_SUCCESS) return -1;
    for (size_t i = 0; i <= p; i++) coef[i] = gsl_vector_get(a->c, i);
    return 0;
}

static ar *ar_new(size_t p, size_t h) {
    ar *a = calloc(1, sizeof *a);
    if (!a) return NULL;
    a->p = p;
    a->h = h;
    a->x = malloc(h * sizeof *a->x);
    a->ws = gsl_multifit_linear_alloc(h - p, p + 1);
    a->X = gsl_matrix_alloc(h - p, p + 1);
    a->cov = gsl_matrix_alloc(p + 1, p + 1);
    a->y = gsl_vector_alloc(h - p);
    a->c = gsl_vector_alloc(p + 1);
    if (!a->x || !a->ws || !a->X || !a->cov || !a->y || !a->c) {
        ar_free(a);
        return NULL;
    }
    return a;
}

int pol_prefetch_ar_fit(const double *x, size_t n, size_t p, double *coef) {
    if (n < 2 * p + 2) return -1;
    ar *a = ar_new(p, n);
    if (!a) return -1;
    gsl_error_handler_t *old = gsl_set_error_handler_off();
    int rc = fit(a, x, n, coef);
    gsl_set_error_handler(old);
    ar_free(a);
    return rc;
}

static void *init(const eng_prefetch_opts *o, uint64_t seed, char *err, size_t errlen) {
    ar *a = ar_new(o->ar_order, o->ar_history);
    if (!a) snprintf(err, errlen, "prefetch: out of memory");
    return a;
}

/* Key k's prediction from its series x of n windows, oldest first. */
static double predict(ar *a, size_t k, const double *x, size_t n) {
    double sum = 0, *coef = a->coefs + k * (a->p + 1);
    for (size_t i = 0; i < n; i++) sum += x[i];
    if (sum == 0) return 0;
    if (n < a->h) return sum / (double)n;
    if (!a->fitted[k] || a->windows % REFIT == 0) a->fitted[k] = fit(a, x, n, coef) == 0;
    if (!a->fitted[k]) return sum / (double)n;
    double y = coef[0];
    for (size_t i = 1; i <= a->p; i++) y += coef[i] * x[n - i];
    return y > 0 ? y : 0;
}

static int observe(void *state, const uint32_t *counts, size_t nkeys, double *score) {
    ar *a = state;
    if (nkeys > a->nkeys) {
        double *hist = realloc(a->hist, nkeys * a->h * sizeof *hist);
        if (hist) a->hist = hist;
        double *coefs = realloc(a->coefs, nkeys * (a->p + 1) * sizeof *coefs);
        if (coefs) a->coefs = coefs;
        uint8_t *fitted = realloc(a->fitted, nkeys);
        if (fitted) a->fitted = fitted;
        if (!hist || !coefs || !fitted) return -1;
        for (size_t i = a->nkeys * a->h; i < nkeys * a->h; i++) hist[i] = 0;
        memset(fitted + a->nkeys, 0, nkeys - a->nkeys);
        a->nkeys = nkeys;
    }
    size_t slot = a->windows % a->h;
    a->windows++;
    size_t n = a->windows < a->h ? a->windows : a->h;
    gsl_error_handler_t *old = gsl_set_error_handler_off();
    for (size_t k = 0; k < nkeys; k++) {
        double *ring = a->hist + k * a->h;
        ring[slot] = counts[k];
        for (size_t i = 0; i < n; i++) a->x[i] = ring[(a->windows - n + i) % a->h];
        score[k] = predict(a, k, a->x, n);
    }
    gsl_set_error_handler(old);
    return 0;
}

const eng_prefetch_policy pol_prefetch_ar_ops = {ENG_PREFETCH_POLICY_ABI, "ar", 1, 1, init, observe, ar_free};
