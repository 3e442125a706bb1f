/* Federated averaging: the round loop (every client trains locally from the
 * global model, the server combines the models weighted by sample counts)
 * and the plaintext combination. The masked and Paillier combinations are
 * in fedavg_secure.c; fedavg.h documents the API. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "engine/check.h"
#include "engine/privacy/fedavg.h"
#include "engine/privacy/priv_int.h"

int eng_priv_fl_avg_plain(const double *const *u, const uint64_t *counts, size_t K, size_t p, double *out) {
    double total = 0;
    for (size_t k = 0; k < K; k++) total += (double)counts[k];
    if (total == 0) return ENG_PRIV_EINVAL;
    for (size_t c = 0; c < p; c++) {
        double s = 0;
        for (size_t k = 0; k < K; k++) s += (double)counts[k] * u[k][c];
        out[c] = s / total;
    }
    return ENG_PRIV_OK;
}

void eng_priv_fl_defaults(eng_priv_fl_opts *o) {
    o->rounds = 20;
    eng_priv_lr_defaults(&o->local);
    o->combine = ENG_PRIV_FL_PLAIN;
    o->scale = ENG_PRIV_MASK_SCALE;
}

int eng_priv_fl_check(const eng_priv_fl_opts *o, char *err, size_t errlen) {
    ENG_CHECK(o->rounds >= 1, err, errlen, "rounds: %u, expected at least 1", o->rounds);
    ENG_CHECK(o->combine <= ENG_PRIV_FL_PAILLIER, err, errlen, "combine: %d, unknown", (int)o->combine);
    ENG_CHECK(isfinite(o->scale) && o->scale > 0, err, errlen, "scale: %g, expected > 0", o->scale);
    return eng_priv_lr_check(&o->local, err, errlen);
}

static int combine(const eng_priv_fl_opts *o, const double *const *u, const uint64_t *counts, size_t K,
                   size_t p, const uint8_t master[32], uint64_t round, const eng_priv_pai_sk *sk,
                   eng_priv_rng *rng, double *w) {
    switch (o->combine) {
    case ENG_PRIV_FL_MASKED:
        return eng_priv_fl_avg_masked(u, counts, K, p, o->scale, master, round, NULL, w);
    case ENG_PRIV_FL_PAILLIER:
        return eng_priv_fl_avg_paillier(u, counts, K, p, o->scale, sk, rng, w);
    default:
        return eng_priv_fl_avg_plain(u, counts, K, p, w);
    }
}

int eng_priv_fl_run(const eng_priv_fl_client *clients, size_t K, size_t dim, const eng_priv_fl_opts *o,
                    const eng_priv_pai_sk *sk, eng_priv_rng *rng, double *w) {
    char msg[160];
    if (!K || eng_priv_fl_check(o, msg, sizeof msg) || (o->combine == ENG_PRIV_FL_PAILLIER && !sk))
        return ENG_PRIV_EINVAL;
    size_t p = dim + 1;
    double *models = malloc(K * p * sizeof *models);
    const double **u = malloc(K * sizeof *u);
    uint64_t *counts = malloc(K * sizeof *counts);
    int rc = models && u && counts ? ENG_PRIV_OK : ENG_PRIV_ENOMEM;
    uint8_t master[32];
    eng_priv_rng_bytes(rng, master, sizeof master);
    for (uint32_t r = 0; r < o->rounds && !rc; r++) {
        for (size_t k = 0; k < K && !rc; k++) {
            double *m = models + k * p;
            memcpy(m, w, p * sizeof *m);
            rc = eng_priv_lr_train(m, dim, clients[k].X, clients[k].y, clients[k].n, &o->local, rng);
            u[k] = m;
            counts[k] = clients[k].n;
        }
        if (!rc) rc = combine(o, u, counts, K, p, master, r, sk, rng, w);
    }
    eng_priv__wipe(master, sizeof master);
    free(models);
    free(u);
    free(counts);
    return rc;
}
