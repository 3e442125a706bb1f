/* The Paillier key structures, shared by the paillier_*.c files of
 * engine/privacy/ (not for use outside the folder). */
#ifndef ENG_PRIV_PAILLIER_INT_H
#define ENG_PRIV_PAILLIER_INT_H

#include "engine/privacy/paillier.h"

struct eng_priv_pai_pk {
    mpz_t n, n2;
    mpz_t half; /* (n-1)/2: the largest encodable magnitude */
    uint32_t bits;
    uint64_t id; /* n mod 2^64 */
};

/* Decryption by CRT: mp = L_p(c^(p-1) mod p²)·hp mod p (same for q), where
 * L_p(x) = (x-1)/p and hp = L_p(g^(p-1) mod p²)^-1 mod p; then
 * m = mp + p·((mq - mp)·pinv mod q). */
struct eng_priv_pai_sk {
    eng_priv_pai_pk pk;
    mpz_t p, q, p2, q2, pm1, qm1, hp, hq;
    mpz_t pinv; /* p^-1 mod q */
};

/* Fills pk from n (no checks) / releases its numbers. */
void eng_priv__pai_pk_init(eng_priv_pai_pk *pk, mpz_srcptr n);
void eng_priv__pai_pk_clear(eng_priv_pai_pk *pk);
/* r uniform in [1, n) with gcd(r, n) = 1. */
void eng_priv__pai_random_unit(const eng_priv_pai_pk *pk, eng_priv_rng *rng, mpz_t r);
/* c := (1 + m·n)·rn mod n² for m in [0, n) and rn = r^n mod n². */
void eng_priv__pai_encrypt_rn(const eng_priv_pai_pk *pk, mpz_srcptr m, mpz_srcptr rn, mpz_t c);

#endif
