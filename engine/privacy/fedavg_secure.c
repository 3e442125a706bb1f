/* The two secure ways to combine federated models: pairwise masks (the
 * server learns only the sum) and Paillier (the server multiplies
 * ciphertexts; the key holder learns only the sum). Both carry the weighted
 * model counts[k]·u[k] in fixed point plus the count itself, and divide at
 * the end; fedavg.h documents them. Each call plays every client, the
 * server and (for Paillier) the key holder of one round in one process. */
#include <stdlib.h>

#include "engine/privacy/fedavg.h"

/* t := counts[k]·u[k]. */
static void weighted(const double *u, uint64_t count, size_t p, double *t) {
    for (size_t c = 0; c < p; c++) t[c] = (double)count * u[c];
}

static int mask_round(eng_priv_mask_agg *agg, const double *const *u, const uint64_t *counts, size_t K,
                      size_t p, double scale, const uint8_t master[32], uint64_t round,
                      const uint8_t *dropped, double *t, uint64_t *y, eng_priv_seed *seeds) {
    for (size_t k = 0; k < K; k++) {
        weighted(u[k], counts[k], p, t);
        int rc = eng_priv_mask_encode(t, p, scale, (uint32_t)K, y);
        if (rc) return rc;
        y[p] = counts[k];
        for (size_t j = 0; j < K; j++) eng_priv_mask_pair_seed(master, (uint32_t)k, (uint32_t)j, &seeds[j]);
        eng_priv_mask_client((uint32_t)k, (uint32_t)K, seeds, round, y, p + 1);
        rc = dropped && dropped[k] ? eng_priv_mask_agg_drop(agg, (uint32_t)k)
                                   : eng_priv_mask_agg_add(agg, (uint32_t)k, y);
        if (rc) return rc;
    }
    for (size_t s = 0; dropped && s < K; s++)
        for (size_t d = 0; d < K && !dropped[s]; d++) {
            if (!dropped[d]) continue;
            eng_priv_mask_pair_seed(master, (uint32_t)s, (uint32_t)d, &seeds[0]);
            int rc = eng_priv_mask_agg_reveal(agg, (uint32_t)s, (uint32_t)d, &seeds[0]);
            if (rc) return rc;
        }
    uint32_t survivors;
    int rc = eng_priv_mask_agg_sum(agg, y, &survivors);
    if (rc) return rc;
    if (!survivors || !y[p]) return ENG_PRIV_EINVAL;
    eng_priv_mask_decode(y, p, scale, t);
    return ENG_PRIV_OK;
}

int eng_priv_fl_avg_masked(const double *const *u, const uint64_t *counts, size_t K, size_t p, double scale,
                           const uint8_t master[32], uint64_t round, const uint8_t *dropped, double *out) {
    if (!K || K > UINT32_MAX) return ENG_PRIV_EINVAL;
    eng_priv_mask_agg *agg = eng_priv_mask_agg_new((uint32_t)K, p + 1, round);
    double *t = malloc(p * sizeof *t + 1);
    uint64_t *y = malloc((p + 1) * sizeof *y);
    eng_priv_seed *seeds = malloc(K * sizeof *seeds);
    int rc = agg && t && y && seeds ? ENG_PRIV_OK : ENG_PRIV_ENOMEM;
    if (!rc) rc = mask_round(agg, u, counts, K, p, scale, master, round, dropped, t, y, seeds);
    if (!rc)
        for (size_t c = 0; c < p; c++) out[c] = t[c] / (double)y[p];
    eng_priv_mask_agg_free(agg);
    free(t);
    free(y);
    free(seeds);
    return rc;
}

/* acc[c] := Π_k Enc(encoding of client k's value c); value p is the count. */
static int encrypt_sum(const eng_priv_pai_pk *pk, const double *const *u, const uint64_t *counts, size_t K,
                       size_t p, double scale, eng_priv_rng *rng, double *t, mpz_t *acc) {
    mpz_t m, ct;
    mpz_inits(m, ct, NULL);
    int rc = ENG_PRIV_OK;
    for (size_t k = 0; k < K && !rc; k++) {
        weighted(u[k], counts[k], p, t);
        for (size_t c = 0; c <= p && !rc; c++) {
            if (c < p) {
                rc = eng_priv_pai_encode(pk, t[c], scale, (uint32_t)K, m);
            } else {
                mpz_set_ui(ct, 0);
                mpz_import(ct, 1, 1, sizeof counts[k], 0, 0, &counts[k]);
                rc = eng_priv_pai_encode_z(pk, ct, (uint32_t)K, m);
            }
            if (!rc) rc = eng_priv_pai_encrypt(pk, m, rng, ct);
            if (!rc) eng_priv_pai_add(pk, acc[c], acc[c], ct);
        }
    }
    mpz_clears(m, ct, NULL);
    return rc;
}

int eng_priv_fl_avg_paillier(const double *const *u, const uint64_t *counts, size_t K, size_t p, double scale,
                             const eng_priv_pai_sk *sk, eng_priv_rng *rng, double *out) {
    if (!K || K > UINT32_MAX) return ENG_PRIV_EINVAL;
    const eng_priv_pai_pk *pk = eng_priv_pai_sk_pk(sk);
    mpz_t *acc = malloc((p + 1) * sizeof *acc);
    double *t = malloc(p * sizeof *t + 1);
    if (!acc || !t) {
        free(acc);
        free(t);
        return ENG_PRIV_ENOMEM;
    }
    for (size_t c = 0; c <= p; c++) mpz_init_set_ui(acc[c], 1); /* Enc(0) with r = 1 */
    int rc = encrypt_sum(pk, u, counts, K, p, scale, rng, t, acc);
    for (size_t c = 0; c <= p && !rc; c++) rc = eng_priv_pai_decrypt(sk, acc[c], acc[c]);
    if (!rc) {
        double total = eng_priv_pai_decode(pk, acc[p], 1);
        if (total == 0) rc = ENG_PRIV_EINVAL;
        for (size_t c = 0; c < p && !rc; c++) out[c] = eng_priv_pai_decode(pk, acc[c], scale) / total;
    }
    for (size_t c = 0; c <= p; c++) mpz_clear(acc[c]);
    free(acc);
    free(t);
    return rc;
}
