/* Precomputed Paillier randomness: values r^n mod n² computed ahead, each
 * handed out once, so that an encryption on the hot path (a device or an
 * edge gateway encrypting every reading) is one multiplication mod n².
 * paillier.h states the security trade-off. */
#include <stdlib.h>

#include "engine/privacy/paillier_int.h"
#include "engine/privacy/priv_int.h"

struct eng_priv_pai_pool {
    const eng_priv_pai_pk *pk;
    mpz_t *rn;
    size_t count, next; /* rn[next..count) are unused */
};

eng_priv_pai_pool *eng_priv_pai_pool_new(const eng_priv_pai_pk *pk, size_t count, eng_priv_rng *rng) {
    eng_priv_pai_pool *pool = malloc(sizeof *pool);
    mpz_t *rn = count ? calloc(count, sizeof *rn) : NULL;
    if (!pool || (count && !rn)) {
        free(pool);
        free(rn);
        return NULL;
    }
    for (size_t i = 0; i < count; i++) {
        mpz_init(rn[i]);
        eng_priv__pai_random_unit(pk, rng, rn[i]);
        mpz_powm(rn[i], rn[i], pk->n, pk->n2);
    }
    *pool = (eng_priv_pai_pool){pk, rn, count, 0};
    return pool;
}

void eng_priv_pai_pool_free(eng_priv_pai_pool *pool) {
    if (!pool) return;
    for (size_t i = pool->next; i < pool->count; i++) eng_priv__mpz_clear_wipe(pool->rn[i]);
    free(pool->rn);
    free(pool);
}

size_t eng_priv_pai_pool_left(const eng_priv_pai_pool *pool) { return pool->count - pool->next; }

int eng_priv_pai_encrypt_pool(eng_priv_pai_pool *pool, mpz_srcptr m, mpz_t c) {
    if (mpz_sgn(m) < 0 || mpz_cmp(m, pool->pk->n) >= 0) return ENG_PRIV_EINVAL;
    if (pool->next == pool->count) return ENG_PRIV_EEMPTY;
    mpz_ptr rn = pool->rn[pool->next++];
    eng_priv__pai_encrypt_rn(pool->pk, m, rn, c);
    eng_priv__mpz_clear_wipe(rn);
    return ENG_PRIV_OK;
}
