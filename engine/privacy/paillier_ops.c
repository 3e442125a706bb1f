/* Paillier encryption (g = n+1, so g^m = 1 + m·n mod n² costs one
 * multiplication), decryption by CRT, and the homomorphic operations the
 * aggregator applies to ciphertexts it cannot read. paillier.h documents the
 * API; paillier_int.h the CRT quantities. */
#include "engine/privacy/paillier_int.h"
#include "engine/privacy/priv_int.h"

static int plain_ok(const eng_priv_pai_pk *pk, mpz_srcptr m) {
    return mpz_sgn(m) >= 0 && mpz_cmp(m, pk->n) < 0;
}

/* c := (1 + m·n)·rn mod n², rn = r^n mod n² already computed. */
void eng_priv__pai_encrypt_rn(const eng_priv_pai_pk *pk, mpz_srcptr m, mpz_srcptr rn, mpz_t c) {
    mpz_t gm;
    mpz_init(gm);
    mpz_mul(gm, m, pk->n);
    mpz_add_ui(gm, gm, 1);
    mpz_mul(c, gm, rn);
    mpz_mod(c, c, pk->n2);
    mpz_clear(gm);
}

int eng_priv_pai_encrypt_r(const eng_priv_pai_pk *pk, mpz_srcptr m, mpz_srcptr r, mpz_t c) {
    if (!plain_ok(pk, m) || mpz_sgn(r) <= 0 || mpz_cmp(r, pk->n) >= 0) return ENG_PRIV_EINVAL;
    mpz_t rn;
    mpz_init(rn);
    mpz_gcd(rn, r, pk->n);
    int unit = mpz_cmp_ui(rn, 1) == 0;
    if (unit) {
        mpz_powm(rn, r, pk->n, pk->n2);
        eng_priv__pai_encrypt_rn(pk, m, rn, c);
    }
    eng_priv__mpz_clear_wipe(rn);
    return unit ? ENG_PRIV_OK : ENG_PRIV_EINVAL;
}

int eng_priv_pai_encrypt(const eng_priv_pai_pk *pk, mpz_srcptr m, eng_priv_rng *rng, mpz_t c) {
    if (!plain_ok(pk, m)) return ENG_PRIV_EINVAL;
    mpz_t r;
    mpz_init(r);
    eng_priv__pai_random_unit(pk, rng, r);
    mpz_powm(r, r, pk->n, pk->n2);
    eng_priv__pai_encrypt_rn(pk, m, r, c);
    eng_priv__mpz_clear_wipe(r);
    return ENG_PRIV_OK;
}

int eng_priv_pai_ct_check(const eng_priv_pai_pk *pk, mpz_srcptr c) {
    if (mpz_sgn(c) <= 0 || mpz_cmp(c, pk->n2) >= 0) return ENG_PRIV_EINVAL;
    mpz_t g;
    mpz_init(g);
    mpz_gcd(g, c, pk->n);
    int ok = mpz_cmp_ui(g, 1) == 0;
    mpz_clear(g);
    return ok ? ENG_PRIV_OK : ENG_PRIV_EINVAL;
}

/* out := L_p(c^(p-1) mod p²)·hp mod p. */
static void half_dec(mpz_t out, mpz_srcptr c, mpz_srcptr p, mpz_srcptr p2, mpz_srcptr pm1, mpz_srcptr hp) {
    mpz_mod(out, c, p2);
    mpz_powm(out, out, pm1, p2);
    mpz_sub_ui(out, out, 1);
    mpz_divexact(out, out, p);
    mpz_mul(out, out, hp);
    mpz_mod(out, out, p);
}

int eng_priv_pai_decrypt(const eng_priv_pai_sk *sk, mpz_srcptr c, mpz_t m) {
    int rc = eng_priv_pai_ct_check(&sk->pk, c);
    if (rc) return rc;
    mpz_t mp, mq;
    mpz_inits(mp, mq, NULL);
    half_dec(mp, c, sk->p, sk->p2, sk->pm1, sk->hp);
    half_dec(mq, c, sk->q, sk->q2, sk->qm1, sk->hq);
    mpz_sub(mq, mq, mp);
    mpz_mul(mq, mq, sk->pinv);
    mpz_mod(mq, mq, sk->q);
    mpz_mul(mq, mq, sk->p);
    mpz_add(m, mp, mq);
    eng_priv__mpz_clear_wipe(mp);
    eng_priv__mpz_clear_wipe(mq);
    return ENG_PRIV_OK;
}

void eng_priv_pai_add(const eng_priv_pai_pk *pk, mpz_t c, mpz_srcptr a, mpz_srcptr b) {
    mpz_mul(c, a, b);
    mpz_mod(c, c, pk->n2);
}

void eng_priv_pai_mul(const eng_priv_pai_pk *pk, mpz_t c, mpz_srcptr a, mpz_srcptr k) {
    mpz_t e;
    mpz_init(e);
    mpz_mod(e, k, pk->n);
    mpz_powm(c, a, e, pk->n2);
    mpz_clear(e);
}
