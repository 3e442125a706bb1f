/* Federated averaging (McMahan et al., AISTATS 2017) of logistic-regression
 * models: each client (a device or an edge gateway) trains on its own
 * windowed sensor features with SGD for a few epochs from the global model,
 * and the server replaces the global model by the average of the clients'
 * models weighted by their sample counts. The raw data never leaves the
 * client; the models can be combined in plaintext, through pairwise masks
 * (mask.h) so the server sees only the sum, or through Paillier (paillier.h)
 * so only the key holder sees the sum.
 *
 * A model of `dim` features is dim + 1 doubles: the weights, then the bias.
 * Labels are 0 or 1. */
#ifndef ENG_PRIV_FEDAVG_H
#define ENG_PRIV_FEDAVG_H

#include <stddef.h>
#include <stdint.h>

#include "engine/privacy/mask.h"
#include "engine/privacy/paillier.h"
#include "engine/privacy/rng.h"

/* --- windowed features (features.c) --- */
#define ENG_PRIV_FEATURES 5 /* per window: mean, standard deviation, min, max, last - first */

/* Cuts series[0..n) into windows of `window` values every `stride` values and
 * writes ENG_PRIV_FEATURES doubles per window into X (row after row); the
 * standard deviation is the population one. Returns the number of windows,
 * 0 if n < window or window or stride is 0. X must hold that many rows. */
size_t eng_priv_window_features(const double *series, size_t n, size_t window, size_t stride, double *X);

/* --- logistic regression (logreg.c) --- */
typedef struct eng_priv_lr_opts {
    uint32_t epochs; /* passes over the local data per round */
    double lr;       /* SGD step size */
    double l2;       /* L2 penalty on the weights (not the bias) */
} eng_priv_lr_opts;

void eng_priv_lr_defaults(eng_priv_lr_opts *o); /* 1 epoch, lr 0.1, l2 0 */
/* 0, or -1 with a message naming the field (epochs >= 1, lr > 0, l2 >= 0). */
int eng_priv_lr_check(const eng_priv_lr_opts *o, char *err, size_t errlen);
/* P(y = 1 | x) under model w. */
double eng_priv_lr_prob(const double *w, size_t dim, const double *x);
/* Share of the n rows of X (dim columns) whose label y the model predicts
 * (threshold 1/2); 0 when n == 0. */
double eng_priv_lr_accuracy(const double *w, size_t dim, const double *X, const double *y, size_t n);
/* Trains w in place: o->epochs passes of per-sample SGD on the log-loss, in
 * an order rng shuffles each epoch. Returns 0 or ENG_PRIV_ENOMEM. */
int eng_priv_lr_train(double *w, size_t dim, const double *X, const double *y, size_t n,
                      const eng_priv_lr_opts *o, eng_priv_rng *rng);

/* --- combining the clients' models (fedavg.c, fedavg_secure.c) ---
 * Each computes out := Σ_k counts[k]·u[k] / Σ_k counts[k] over K models of
 * p doubles (u[k] points to model k), returning ENG_PRIV_EINVAL if K == 0 or
 * every count is 0. The secure ones encode counts[k]·u[k] in fixed point at
 * `scale` with headroom for K terms (ENG_PRIV_EOVERFLOW if a value does not
 * fit) and the count as an integer, so the average is exact up to the
 * rounding of each term to 1/scale. */
int eng_priv_fl_avg_plain(const double *const *u, const uint64_t *counts, size_t K, size_t p, double *out);
/* Every client masks [counts[k]·u[k], counts[k]] with the pair seeds of
 * `master` for `round`; clients with dropped[k] set (dropped may be NULL)
 * mask but never send, the survivors reveal their seeds with them, and the
 * server averages the survivors (ENG_PRIV_EINVAL if none survives). */
int eng_priv_fl_avg_masked(const double *const *u, const uint64_t *counts, size_t K, size_t p, double scale,
                           const uint8_t master[32], uint64_t round, const uint8_t *dropped, double *out);
/* Every client encrypts [counts[k]·u[k], counts[k]] under sk's public key
 * with randomness from rng; the server multiplies the ciphertexts; the key
 * holder decrypts the sums and divides. */
int eng_priv_fl_avg_paillier(const double *const *u, const uint64_t *counts, size_t K, size_t p, double scale,
                             const eng_priv_pai_sk *sk, eng_priv_rng *rng, double *out);

/* --- the training loop (fedavg.c) --- */
typedef enum eng_priv_fl_combine {
    ENG_PRIV_FL_PLAIN = 0,
    ENG_PRIV_FL_MASKED,
    ENG_PRIV_FL_PAILLIER,
} eng_priv_fl_combine;

typedef struct eng_priv_fl_client {
    const double *X; /* n rows of dim features */
    const double *y; /* n labels, 0 or 1 */
    size_t n;
} eng_priv_fl_client;

typedef struct eng_priv_fl_opts {
    uint32_t rounds;
    eng_priv_lr_opts local;
    eng_priv_fl_combine combine;
    double scale; /* fixed-point scale of the secure combinations */
} eng_priv_fl_opts;

/* 20 rounds, eng_priv_lr_defaults, plaintext, scale ENG_PRIV_MASK_SCALE. */
void eng_priv_fl_defaults(eng_priv_fl_opts *o);
int eng_priv_fl_check(const eng_priv_fl_opts *o, char *err, size_t errlen);

/* Runs o->rounds rounds over all K clients from the model in w (dim + 1
 * doubles), leaving the final global model there. rng drives the local
 * shuffles, the mask setup (one secret per run, round r uses stream r) and
 * the Paillier randomness; sk is needed (and only read) for
 * ENG_PRIV_FL_PAILLIER. Returns 0, ENG_PRIV_EINVAL (bad options, K == 0, no
 * samples, no key), ENG_PRIV_EOVERFLOW or ENG_PRIV_ENOMEM; w is then
 * unspecified. */
int eng_priv_fl_run(const eng_priv_fl_client *clients, size_t K, size_t dim, const eng_priv_fl_opts *o,
                    const eng_priv_pai_sk *sk, eng_priv_rng *rng, double *w);

#endif
