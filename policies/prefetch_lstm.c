/* `lstm`: a small LSTM, trained online, predicts from each key's reads in
 * the last `prefetch.lstm.history` windows (read or not, oldest first)
 * the probability that the key is read in the next window. One network
 * serves every key of an edge (it learns access patterns, not key names):
 * an LSTM layer of `prefetch.lstm.hidden` cells (policies/nn/lstm.h) and a
 * dense head to one logit. After each window it takes one Adam step
 * (policies/nn/adam.h, gradient norm clipped at 1) on the binary
 * cross-entropy of its predictions for that window, every key one
 * example, then predicts the next window from the updated histories. */
#include <gsl/gsl_rng.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "policies/nn/adam.h"
#include "policies/nn/lstm.h"
#include "policies/nn/mlp.h"
#include "policies/prefetch_int.h"

#define BATCH 64 /* keys per forward pass */

typedef struct lstm {
    size_t t, hidden;
    pol_nn_lstm *cell;
    pol_nn_mlp *head;
    pol_nn_adam *adam;
    float *ring; /* per key, the last t windows' reads (0 or 1) */
    size_t nkeys, windows;
    float *x, *dh, *dout; /* t x BATCH inputs; t x BATCH x hidden; BATCH */
} lstm;

static void lstm_free(void *state) {
    lstm *l = state;
    pol_nn_lstm_free(l->cell);
    pol_nn_mlp_free(l->head);
    pol_nn_adam_free(l->adam);
    free(l->ring);
    free(l->x);
    free(l->dh);
    free(l->dout);
    free(l);
}

static void *init(const eng_prefetch_opts *o, uint64_t seed, char *err, size_t errlen) {
    lstm *l = calloc(1, sizeof *l);
    if (!l) goto oom;
    l->t = o->lstm_history;
    l->hidden = o->lstm_hidden;
    size_t sizes[] = {l->hidden, 1};
    l->cell = pol_nn_lstm_new(1, l->hidden, l->t, BATCH);
    l->head = pol_nn_mlp_new(sizes, 2, POL_NN_TANH, POL_NN_LINEAR, BATCH);
    l->x = malloc(l->t * BATCH * sizeof *l->x);
    l->dh = calloc(l->t * BATCH * l->hidden, sizeof *l->dh);
    l->dout = malloc(BATCH * sizeof *l->dout);
    if (!l->cell || !l->head || !l->x || !l->dh || !l->dout) goto oom;
    pol_nn_adam_opts ao;
    pol_nn_adam_defaults(&ao);
    ao.lr = o->lstm_lr;
    ao.max_grad_norm = 1.0;
    if (!(l->adam = pol_nn_adam_new(&ao, l->cell->nparams + l->head->nparams))) goto oom;
    gsl_rng *rng = gsl_rng_alloc(gsl_rng_mt19937);
    if (!rng) goto oom;
    gsl_rng_set(rng, (unsigned long)seed);
    int rc = pol_nn_lstm_init(l->cell, rng) || pol_nn_mlp_init(l->head, POL_NN_INIT_XAVIER, 1.0, 1.0, rng);
    gsl_rng_free(rng);
    if (rc) goto oom;
    return l;
oom:
    snprintf(err, errlen, "prefetch: out of memory");
    if (l) lstm_free(l);
    return NULL;
}

static double sigmoid(double z) { return 1.0 / (1.0 + exp(-z)); }

/* Loads the histories of keys [k0, k0 + n) into l->x (time-major) and runs
 * the network; returns the n logits. */
static const float *forward(lstm *l, size_t k0, size_t n) {
    for (size_t s = 0; s < l->t; s++)
        for (size_t b = 0; b < n; b++) l->x[s * n + b] = l->ring[(k0 + b) * l->t + (l->windows + s) % l->t];
    const float *h = pol_nn_lstm_forward(l->cell, l->x, l->t, n, NULL, NULL);
    return pol_nn_mlp_forward(l->head, h + (l->t - 1) * n * l->hidden, n);
}

/* One Adam step on the window just read: the histories before it predict it. */
static void train(lstm *l, const uint32_t *counts, size_t nkeys) {
    pol_nn_lstm_zero_grad(l->cell);
    pol_nn_mlp_zero_grad(l->head);
    for (size_t k0 = 0; k0 < nkeys; k0 += BATCH) {
        size_t n = nkeys - k0 < BATCH ? nkeys - k0 : BATCH;
        const float *logit = forward(l, k0, n);
        for (size_t b = 0; b < n; b++)
            l->dout[b] = (float)((sigmoid(logit[b]) - (counts[k0 + b] > 0)) / (double)nkeys);
        float *dlast = l->dh + (l->t - 1) * n * l->hidden;
        memset(l->dh, 0, l->t * n * l->hidden * sizeof *l->dh);
        pol_nn_mlp_backward(l->head, l->dout, dlast);
        pol_nn_lstm_backward(l->cell, l->dh, NULL);
    }
    pol_nn_param_ref blocks[] = {pol_nn_lstm_ref(l->cell), pol_nn_mlp_ref(l->head)};
    pol_nn_adam_step(l->adam, blocks, 2);
}

static int observe(void *state, const uint32_t *counts, size_t nkeys, double *score) {
    lstm *l = state;
    if (nkeys > l->nkeys) {
        float *ring = realloc(l->ring, nkeys * l->t * sizeof *ring);
        if (!ring) return POL_NN_ENOMEM;
        memset(ring + l->nkeys * l->t, 0, (nkeys - l->nkeys) * l->t * sizeof *ring);
        l->ring = ring;
        l->nkeys = nkeys;
    }
    train(l, counts, nkeys);
    for (size_t k = 0; k < nkeys; k++) l->ring[k * l->t + l->windows % l->t] = counts[k] > 0;
    l->windows++;
    for (size_t k0 = 0; k0 < nkeys; k0 += BATCH) {
        size_t n = nkeys - k0 < BATCH ? nkeys - k0 : BATCH;
        const float *logit = forward(l, k0, n);
        for (size_t b = 0; b < n; b++) score[k0 + b] = sigmoid(logit[b]);
    }
    return 0;
}

const eng_prefetch_policy pol_prefetch_lstm_ops = {
    ENG_PREFETCH_POLICY_ABI, "lstm", 1, 1, init, observe, lstm_free};
