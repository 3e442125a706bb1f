/* Paillier keys: generation, construction from given primes with the checks
 * that make decryption correct, and the public key alone (what devices and
 * gateways hold to encrypt). paillier.h documents the API. */
#include <stdlib.h>

#include "engine/privacy/paillier_int.h"
#include "engine/privacy/priv_int.h"

void eng_priv__pai_pk_init(eng_priv_pai_pk *pk, mpz_srcptr n) {
    mpz_init_set(pk->n, n);
    mpz_init(pk->n2);
    mpz_mul(pk->n2, n, n);
    mpz_init(pk->half);
    mpz_sub_ui(pk->half, n, 1);
    mpz_tdiv_q_2exp(pk->half, pk->half, 1);
    pk->bits = (uint32_t)mpz_sizeinbase(n, 2);
    uint8_t b[8] = {0};
    size_t count = 0;
    mpz_t low;
    mpz_init(low);
    mpz_tdiv_r_2exp(low, n, 64);
    mpz_export(b, &count, 1, 1, 1, 0, low);
    mpz_clear(low);
    pk->id = 0;
    for (size_t i = 0; i < count; i++) pk->id = pk->id << 8 | b[i];
}

void eng_priv__pai_pk_clear(eng_priv_pai_pk *pk) {
    mpz_clear(pk->n);
    mpz_clear(pk->n2);
    mpz_clear(pk->half);
}

void eng_priv__pai_random_unit(const eng_priv_pai_pk *pk, eng_priv_rng *rng, mpz_t r) {
    mpz_t g;
    mpz_init(g);
    do {
        eng_priv_rng_mpz_below(rng, r, pk->n);
        mpz_gcd(g, r, pk->n);
    } while (mpz_sgn(r) == 0 || mpz_cmp_ui(g, 1) != 0);
    mpz_clear(g);
}

int eng_priv_pai_pk_new(mpz_srcptr n, eng_priv_pai_pk **out) {
    if (mpz_cmp_ui(n, 15) < 0 || mpz_even_p(n) || mpz_sizeinbase(n, 2) > ENG_PRIV_PAI_MAX_BITS)
        return ENG_PRIV_EKEY;
    eng_priv_pai_pk *pk = malloc(sizeof *pk);
    if (!pk) return ENG_PRIV_ENOMEM;
    eng_priv__pai_pk_init(pk, n);
    *out = pk;
    return ENG_PRIV_OK;
}

void eng_priv_pai_pk_free(eng_priv_pai_pk *pk) {
    if (!pk) return;
    eng_priv__pai_pk_clear(pk);
    free(pk);
}

mpz_srcptr eng_priv_pai_pk_n(const eng_priv_pai_pk *pk) { return pk->n; }
uint32_t eng_priv_pai_pk_bits(const eng_priv_pai_pk *pk) { return pk->bits; }
uint64_t eng_priv_pai_pk_id(const eng_priv_pai_pk *pk) { return pk->id; }
int eng_priv_pai_pk_eq(const eng_priv_pai_pk *a, const eng_priv_pai_pk *b) { return !mpz_cmp(a->n, b->n); }

/* hp = L_p((1+n)^(p-1) mod p²)^-1 mod p. */
static void crt_h(mpz_t h, mpz_srcptr n, mpz_srcptr p, mpz_srcptr p2, mpz_srcptr pm1) {
    mpz_add_ui(h, n, 1);
    mpz_powm(h, h, pm1, p2);
    mpz_sub_ui(h, h, 1);
    mpz_divexact(h, h, p);
    mpz_invert(h, h, p);
}

/* Builds the key of primes p, q whose conditions the caller checked. */
static eng_priv_pai_sk *sk_build(mpz_srcptr p, mpz_srcptr q) {
    eng_priv_pai_sk *sk = malloc(sizeof *sk);
    if (!sk) return NULL;
    mpz_t n;
    mpz_init(n);
    mpz_mul(n, p, q);
    eng_priv__pai_pk_init(&sk->pk, n);
    mpz_clear(n);
    mpz_inits(sk->p, sk->q, sk->p2, sk->q2, sk->pm1, sk->qm1, sk->hp, sk->hq, sk->pinv, NULL);
    mpz_set(sk->p, p);
    mpz_set(sk->q, q);
    mpz_mul(sk->p2, p, p);
    mpz_mul(sk->q2, q, q);
    mpz_sub_ui(sk->pm1, p, 1);
    mpz_sub_ui(sk->qm1, q, 1);
    crt_h(sk->hp, sk->pk.n, sk->p, sk->p2, sk->pm1);
    crt_h(sk->hq, sk->pk.n, sk->q, sk->q2, sk->qm1);
    mpz_invert(sk->pinv, sk->p, sk->q);
    return sk;
}

/* Distinct, equal bit length, gcd(pq, (p-1)(q-1)) = 1, pq small enough. */
static int pq_fit(mpz_srcptr p, mpz_srcptr q) {
    if (mpz_cmp(p, q) == 0 || mpz_sizeinbase(p, 2) != mpz_sizeinbase(q, 2)) return 0;
    mpz_t n, phi, t;
    mpz_inits(n, phi, t, NULL);
    mpz_mul(n, p, q);
    mpz_sub_ui(phi, p, 1);
    mpz_sub_ui(t, q, 1);
    mpz_mul(phi, phi, t);
    mpz_gcd(t, n, phi);
    int ok = mpz_cmp_ui(t, 1) == 0 && mpz_sizeinbase(n, 2) <= ENG_PRIV_PAI_MAX_BITS;
    mpz_clears(n, phi, t, NULL);
    return ok;
}

int eng_priv_pai_sk_from_pq(mpz_srcptr p, mpz_srcptr q, eng_priv_pai_sk **out) {
    if (mpz_cmp_ui(p, 3) < 0 || mpz_cmp_ui(q, 3) < 0) return ENG_PRIV_EKEY;
    if (!pq_fit(p, q) || !mpz_probab_prime_p(p, 24) || !mpz_probab_prime_p(q, 24)) return ENG_PRIV_EKEY;
    eng_priv_pai_sk *sk = sk_build(p, q);
    if (!sk) return ENG_PRIV_ENOMEM;
    *out = sk;
    return ENG_PRIV_OK;
}

/* A prime of exactly `bits` bits with its top two bits set. */
static void gen_prime(mpz_t p, uint32_t bits, eng_priv_rng *rng) {
    do {
        eng_priv_rng_mpz_bits(rng, p, bits);
        mpz_setbit(p, bits - 1);
        mpz_setbit(p, bits - 2);
        mpz_setbit(p, 0);
        mpz_nextprime(p, p);
    } while (mpz_sizeinbase(p, 2) != bits);
}

int eng_priv_pai_keygen(uint32_t bits, eng_priv_rng *rng, eng_priv_pai_sk **out) {
    if (bits % 2 || bits < ENG_PRIV_PAI_KEYGEN_MIN_BITS || bits > ENG_PRIV_PAI_MAX_BITS)
        return ENG_PRIV_EINVAL;
    mpz_t p, q;
    mpz_inits(p, q, NULL);
    do {
        gen_prime(p, bits / 2, rng);
        gen_prime(q, bits / 2, rng);
    } while (!pq_fit(p, q));
    eng_priv_pai_sk *sk = sk_build(p, q);
    eng_priv__mpz_clear_wipe(p);
    eng_priv__mpz_clear_wipe(q);
    if (!sk) return ENG_PRIV_ENOMEM;
    *out = sk;
    return ENG_PRIV_OK;
}

void eng_priv_pai_sk_free(eng_priv_pai_sk *sk) {
    if (!sk) return;
    mpz_ptr secret[] = {sk->p, sk->q, sk->p2, sk->q2, sk->pm1, sk->qm1, sk->hp, sk->hq, sk->pinv};
    for (size_t i = 0; i < sizeof secret / sizeof *secret; i++) eng_priv__mpz_clear_wipe(secret[i]);
    eng_priv__pai_pk_clear(&sk->pk);
    free(sk);
}

const eng_priv_pai_pk *eng_priv_pai_sk_pk(const eng_priv_pai_sk *sk) { return &sk->pk; }
