/* Shared setup of the privacy tests (tests/privacy/test_priv_*.c): Paillier
 * keys from hand-chosen primes and seeded keys of a given size. Include
 * after cmocka.h. */
#ifndef TEST_PRIV_FIXTURE_H
#define TEST_PRIV_FIXTURE_H

#include "engine/privacy/paillier.h"

/* The key of primes p and q, written in decimal; the test fails if refused. */
static inline eng_priv_pai_sk *fx_key_pq(const char *p, const char *q) {
    mpz_t a, b;
    mpz_init_set_str(a, p, 10);
    mpz_init_set_str(b, q, 10);
    eng_priv_pai_sk *sk = NULL;
    assert_int_equal(eng_priv_pai_sk_from_pq(a, b, &sk), 0);
    mpz_clears(a, b, NULL);
    return sk;
}

/* A new key of `bits` bits drawn from rng. */
static inline eng_priv_pai_sk *fx_keygen(uint32_t bits, eng_priv_rng *rng) {
    eng_priv_pai_sk *sk = NULL;
    assert_int_equal(eng_priv_pai_keygen(bits, rng, &sk), 0);
    return sk;
}

#endif
