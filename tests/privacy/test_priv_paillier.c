/* Paillier (engine/privacy/paillier.h): known answers for hand-chosen keys
 * (p = 11, q = 13 worked by hand; a 128-bit key computed independently with
 * Python's integers), CRT decryption against the textbook L(c^λ)·μ formula,
 * the homomorphic laws Dec(Enc(a)·Enc(b)) = a + b and Dec(Enc(a)^k) = k·a on
 * thousands of random signed values and at ±(largest encodable), the
 * fixed-point encoding and its overflow checks, the precomputed-randomness
 * pool, key generation, and the rejection of bad keys and inputs. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>

#include <cmocka.h>
#include <math.h>
#include <stdlib.h>

#include "engine/privacy/paillier.h"
#include "fixture.h"

static void assert_mpz_ui(mpz_srcptr x, unsigned long v) { assert_int_equal(mpz_cmp_ui(x, v), 0); }

/* n = 143, n² = 20449. Enc(42; 23) = (1 + 42·143)·23^143 = 6007·485 mod 20449
 * = 9637; Enc(100; 2) = 14301·13670 mod 20449 = 2230. */
static void test_textbook_key(void **state) {
    eng_priv_pai_sk *sk = fx_key_pq("11", "13");
    const eng_priv_pai_pk *pk = eng_priv_pai_sk_pk(sk);
    assert_int_equal(eng_priv_pai_pk_bits(pk), 8);
    assert_true(eng_priv_pai_pk_id(pk) == 143);
    mpz_t m, r, c1, c2, c;
    mpz_init_set_ui(m, 42);
    mpz_init_set_ui(r, 23);
    mpz_inits(c1, c2, c, NULL);
    assert_int_equal(eng_priv_pai_encrypt_r(pk, m, r, c1), 0);
    assert_mpz_ui(c1, 9637);
    mpz_set_ui(m, 100);
    mpz_set_ui(r, 2);
    assert_int_equal(eng_priv_pai_encrypt_r(pk, m, r, c2), 0);
    assert_mpz_ui(c2, 2230);
    assert_int_equal(eng_priv_pai_decrypt(sk, c1, m), 0);
    assert_mpz_ui(m, 42);
    eng_priv_pai_add(pk, c, c1, c2);
    assert_mpz_ui(c, 19060); /* 9637·2230 mod 20449 */
    assert_int_equal(eng_priv_pai_decrypt(sk, c, m), 0);
    assert_mpz_ui(m, 142);
    eng_priv_pai_decode_z(pk, m, r); /* 142 > (143-1)/2: past the headroom it reads as -1 */
    assert_int_equal(mpz_cmp_si(r, -1), 0);
    mpz_set_ui(r, 3);
    eng_priv_pai_mul(pk, c, c1, r);
    assert_mpz_ui(c, 10880); /* 9637^3 mod 20449 */
    assert_int_equal(eng_priv_pai_decrypt(sk, c, m), 0);
    assert_mpz_ui(m, 126);
    mpz_set_si(r, -1); /* k = -1 -> exponent 142: 42·(-1) = -42 = 101 mod 143 */
    eng_priv_pai_mul(pk, c, c1, r);
    assert_int_equal(eng_priv_pai_decrypt(sk, c, m), 0);
    assert_mpz_ui(m, 101);

    /* Inputs outside the domains. */
    mpz_set_ui(m, 143);
    mpz_set_ui(r, 2);
    assert_int_equal(eng_priv_pai_encrypt_r(pk, m, r, c), ENG_PRIV_EINVAL);
    mpz_set_si(m, -1);
    assert_int_equal(eng_priv_pai_encrypt_r(pk, m, r, c), ENG_PRIV_EINVAL);
    mpz_set_ui(m, 1);
    mpz_set_ui(r, 11); /* shares a factor with n */
    assert_int_equal(eng_priv_pai_encrypt_r(pk, m, r, c), ENG_PRIV_EINVAL);
    mpz_set_ui(r, 0);
    assert_int_equal(eng_priv_pai_encrypt_r(pk, m, r, c), ENG_PRIV_EINVAL);
    unsigned long bad[] = {0, 20449, 20450, 13 * 7};
    for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
        mpz_set_ui(c, bad[i]);
        assert_int_equal(eng_priv_pai_decrypt(sk, c, m), ENG_PRIV_EINVAL);
    }
    mpz_clears(m, r, c1, c2, c, NULL);
    eng_priv_pai_sk_free(sk);
}

/* p = 2^64 - 59, q = 2^64 - 83 (primes); values from Python:
 * (1 + m·n)·pow(r, n, n²) % n². */
static void test_128bit_known_answer(void **state) {
    eng_priv_pai_sk *sk = fx_key_pq("18446744073709551557", "18446744073709551533");
    const eng_priv_pai_pk *pk = eng_priv_pai_sk_pk(sk);
    mpz_t m, r, c, want;
    mpz_init_set_str(m, "0123456789abcdef0123456789abcdef", 16);
    mpz_init_set_str(r, "0fedcba9876543210fedcba987654321", 16);
    mpz_init_set_str(want, "41d71e628de9b39c289d687b9c2f28a74613f39989cf89b2b1aaadc0ccaccce0", 16);
    mpz_init(c);
    assert_int_equal(eng_priv_pai_encrypt_r(pk, m, r, c), 0);
    assert_int_equal(mpz_cmp(c, want), 0);
    assert_int_equal(eng_priv_pai_decrypt(sk, c, r), 0);
    assert_int_equal(mpz_cmp(r, m), 0);
    assert_true(eng_priv_pai_pk_id(pk) == 0x0000000000001321ULL);
    mpz_clears(m, r, c, want, NULL);
    eng_priv_pai_sk_free(sk);
}

/* m = L(c^λ mod n²)·μ mod n, λ = lcm(p-1, q-1), μ = L((n+1)^λ mod n²)^-1. */
static void textbook_decrypt(mpz_srcptr p, mpz_srcptr q, mpz_srcptr c, mpz_t m) {
    mpz_t n, n2, lam, t, mu;
    mpz_inits(n, n2, lam, t, mu, NULL);
    mpz_mul(n, p, q);
    mpz_mul(n2, n, n);
    mpz_sub_ui(lam, p, 1);
    mpz_sub_ui(t, q, 1);
    mpz_lcm(lam, lam, t);
    mpz_add_ui(mu, n, 1);
    mpz_powm(mu, mu, lam, n2);
    mpz_sub_ui(mu, mu, 1);
    mpz_divexact(mu, mu, n);
    mpz_invert(mu, mu, n);
    mpz_powm(t, c, lam, n2);
    mpz_sub_ui(t, t, 1);
    mpz_divexact(t, t, n);
    mpz_mul(t, t, mu);
    mpz_mod(m, t, n);
    mpz_clears(n, n2, lam, t, mu, NULL);
}

static void test_crt_matches_textbook(void **state) {
    eng_priv_rng rng;
    eng_priv_rng_seed(&rng, 11);
    eng_priv_pai_sk *sk = fx_keygen(256, &rng);
    const eng_priv_pai_pk *pk = eng_priv_pai_sk_pk(sk);
    uint8_t *bytes;
    size_t len;
    assert_int_equal(eng_priv_pai_sk_encode(sk, &bytes, &len), 0);
    mpz_t p, q, c, n2, a, b;
    mpz_inits(p, q, c, n2, a, b, NULL);
    /* The primes from the documented format: len32 p, len32 q after 2 bytes. */
    size_t lp = (size_t)bytes[2] << 24 | (size_t)bytes[3] << 16 | (size_t)bytes[4] << 8 | bytes[5];
    mpz_import(p, lp, 1, 1, 1, 0, bytes + 6);
    mpz_import(q, len - 10 - lp, 1, 1, 1, 0, bytes + 10 + lp);
    free(bytes);
    mpz_mul(n2, eng_priv_pai_pk_n(pk), eng_priv_pai_pk_n(pk));
    for (int i = 0; i < 200; i++) {
        do eng_priv_rng_mpz_below(&rng, c, n2);
        while (eng_priv_pai_ct_check(pk, c) != 0);
        assert_int_equal(eng_priv_pai_decrypt(sk, c, a), 0);
        textbook_decrypt(p, q, c, b);
        assert_int_equal(mpz_cmp(a, b), 0);
    }
    mpz_clears(p, q, c, n2, a, b, NULL);
    eng_priv_pai_sk_free(sk);
}

/* A random signed value of up to `bits` bits, often at the edges. */
static void random_signed(eng_priv_rng *rng, mpz_t v, mpz_srcptr max) {
    switch (eng_priv_rng_below(rng, 5)) {
    case 0:
        mpz_set(v, max);
        break;
    case 1:
        mpz_set_si(v, (long)eng_priv_rng_below(rng, 3) - 1);
        break;
    case 2:
        mpz_set_si(v, (int64_t)eng_priv_rng_u64(rng) >> (eng_priv_rng_below(rng, 63)));
        break;
    default:
        eng_priv_rng_mpz_below(rng, v, max);
    }
    if (eng_priv_rng_below(rng, 2)) mpz_neg(v, v);
}

static void enc_signed(const eng_priv_pai_pk *pk, eng_priv_pai_pool *pool, eng_priv_rng *rng, mpz_srcptr v,
                       uint32_t terms, mpz_t c) {
    mpz_t m;
    mpz_init(m);
    assert_int_equal(eng_priv_pai_encode_z(pk, v, terms, m), 0);
    if (pool && eng_priv_pai_pool_left(pool))
        assert_int_equal(eng_priv_pai_encrypt_pool(pool, m, c), 0);
    else
        assert_int_equal(eng_priv_pai_encrypt(pk, m, rng, c), 0);
    mpz_clear(m);
}

static void dec_signed(const eng_priv_pai_sk *sk, mpz_srcptr c, mpz_t v) {
    assert_int_equal(eng_priv_pai_decrypt(sk, c, v), 0);
    eng_priv_pai_decode_z(eng_priv_pai_sk_pk(sk), v, v);
}

/* `rounds` random pairs (a, b) and (k, a): Dec(Enc(a)·Enc(b)) = a + b with
 * headroom for 2 terms, Dec(Enc(a)^k) = k·a for |k| <= 1000. The first
 * encryptions come from a pool of `pooled` precomputed values. */
static void check_laws(const eng_priv_pai_sk *sk, eng_priv_rng *rng, int rounds, size_t pooled) {
    const eng_priv_pai_pk *pk = eng_priv_pai_sk_pk(sk);
    eng_priv_pai_pool *pool = eng_priv_pai_pool_new(pk, pooled, rng);
    mpz_t max, half, a, b, ca, cb, c, got, want, k;
    mpz_inits(max, half, a, b, ca, cb, c, got, want, k, NULL);
    eng_priv_pai_max_abs(pk, max);
    mpz_tdiv_q_ui(half, max, 2);
    for (int i = 0; i < rounds; i++) {
        random_signed(rng, a, half);
        random_signed(rng, b, half);
        enc_signed(pk, pool, rng, a, 2, ca);
        enc_signed(pk, pool, rng, b, 2, cb);
        eng_priv_pai_add(pk, c, ca, cb);
        dec_signed(sk, c, got);
        mpz_add(want, a, b);
        assert_int_equal(mpz_cmp(got, want), 0);

        mpz_set_si(k, (long)eng_priv_rng_below(rng, 2001) - 1000);
        mpz_tdiv_q_ui(want, max, 1000);
        random_signed(rng, a, want);
        enc_signed(pk, NULL, rng, a, 1000, ca);
        eng_priv_pai_mul(pk, c, ca, k);
        dec_signed(sk, c, got);
        mpz_mul(want, a, k);
        assert_int_equal(mpz_cmp(got, want), 0);
    }
    assert_int_equal(eng_priv_pai_pool_left(pool), 0);
    eng_priv_pai_pool_free(pool);
    mpz_clears(max, half, a, b, ca, cb, c, got, want, k, NULL);
}

static void test_homomorphic_laws(void **state) {
    eng_priv_rng rng;
    eng_priv_rng_seed(&rng, 12);
    eng_priv_pai_sk *sk = fx_keygen(256, &rng);
    check_laws(sk, &rng, 3000, 1000);
    eng_priv_pai_sk_free(sk);
    sk = fx_keygen(512, &rng);
    check_laws(sk, &rng, 300, 100);
    const eng_priv_pai_pk *pk = eng_priv_pai_sk_pk(sk);
    mpz_t max, half, a, b, ca, cb, c, got, want;
    mpz_inits(max, half, a, b, ca, cb, c, got, want, NULL);
    eng_priv_pai_max_abs(pk, max);
    mpz_tdiv_q_ui(half, max, 2);

    /* ±max: encodable alone, round-trips, and +max + -max = 0, max + -1 = max - 1. */
    enc_signed(pk, NULL, &rng, max, 1, ca);
    dec_signed(sk, ca, got);
    assert_int_equal(mpz_cmp(got, max), 0);
    mpz_neg(b, max);
    enc_signed(pk, NULL, &rng, b, 1, cb);
    dec_signed(sk, cb, got);
    assert_int_equal(mpz_cmp(got, b), 0);
    eng_priv_pai_add(pk, c, ca, cb);
    dec_signed(sk, c, got);
    assert_int_equal(mpz_sgn(got), 0);
    mpz_set_si(b, -1);
    enc_signed(pk, NULL, &rng, b, 1, cb);
    eng_priv_pai_add(pk, c, ca, cb);
    dec_signed(sk, c, got);
    mpz_sub_ui(want, max, 1);
    assert_int_equal(mpz_cmp(got, want), 0);

    /* One past the headroom is refused. */
    mpz_add_ui(a, max, 1);
    assert_int_equal(eng_priv_pai_encode_z(pk, a, 1, got), ENG_PRIV_EOVERFLOW);
    mpz_neg(a, a);
    assert_int_equal(eng_priv_pai_encode_z(pk, a, 1, got), ENG_PRIV_EOVERFLOW);
    mpz_add_ui(a, half, 1);
    assert_int_equal(eng_priv_pai_encode_z(pk, a, 2, got), ENG_PRIV_EOVERFLOW);
    assert_int_equal(eng_priv_pai_encode_z(pk, half, 2, got), 0);
    assert_int_equal(eng_priv_pai_encode_z(pk, half, 0, got), ENG_PRIV_EINVAL);
    mpz_clears(max, half, a, b, ca, cb, c, got, want, NULL);
    eng_priv_pai_sk_free(sk);
}

static void test_fixed_point(void **state) {
    eng_priv_pai_sk *sk = fx_key_pq("11", "13"); /* largest magnitude (143-1)/2 = 71 */
    const eng_priv_pai_pk *pk = eng_priv_pai_sk_pk(sk);
    mpz_t m;
    mpz_init(m);
    assert_int_equal(eng_priv_pai_encode(pk, -3.25, 4, 1, m), 0);
    assert_mpz_ui(m, 143 - 13);
    assert_true(eng_priv_pai_decode(pk, m, 4) == -3.25);
    assert_int_equal(eng_priv_pai_encode(pk, 2.5, 1, 1, m), 0); /* halves away from zero */
    assert_mpz_ui(m, 3);
    assert_int_equal(eng_priv_pai_encode(pk, -2.5, 1, 1, m), 0);
    assert_mpz_ui(m, 140);
    assert_int_equal(eng_priv_pai_encode(pk, 71, 1, 1, m), 0);
    assert_int_equal(eng_priv_pai_encode(pk, 71.6, 1, 1, m), ENG_PRIV_EOVERFLOW);
    assert_int_equal(eng_priv_pai_encode(pk, -72, 1, 1, m), ENG_PRIV_EOVERFLOW);
    assert_int_equal(eng_priv_pai_encode(pk, 35, 1, 2, m), 0);
    assert_int_equal(eng_priv_pai_encode(pk, 36, 1, 2, m), ENG_PRIV_EOVERFLOW);
    assert_int_equal(eng_priv_pai_encode(pk, NAN, 1, 1, m), ENG_PRIV_EINVAL);
    assert_int_equal(eng_priv_pai_encode(pk, 1, 0, 1, m), ENG_PRIV_EINVAL);
    assert_int_equal(eng_priv_pai_encode(pk, 1e300, 1e300, 1, m), ENG_PRIV_EINVAL);
    mpz_clear(m);
    eng_priv_pai_sk_free(sk);

    eng_priv_rng rng;
    eng_priv_rng_seed(&rng, 13);
    sk = fx_keygen(256, &rng);
    pk = eng_priv_pai_sk_pk(sk);
    mpz_t ca, cb;
    mpz_inits(m, ca, cb, NULL);
    double xs[] = {0.1, -0.1, 1234.5678, -1e6, 3.0e-10};
    for (size_t i = 0; i < 5; i++) {
        for (size_t j = 0; j < 5; j++) {
            assert_int_equal(eng_priv_pai_encode(pk, xs[i], ENG_PRIV_PAI_SCALE, 2, m), 0);
            assert_int_equal(eng_priv_pai_encrypt(pk, m, &rng, ca), 0);
            assert_int_equal(eng_priv_pai_encode(pk, xs[j], ENG_PRIV_PAI_SCALE, 2, m), 0);
            assert_int_equal(eng_priv_pai_encrypt(pk, m, &rng, cb), 0);
            eng_priv_pai_add(pk, ca, ca, cb);
            assert_int_equal(eng_priv_pai_decrypt(sk, ca, m), 0);
            /* Each term is off by at most half a step. */
            assert_true(fabs(eng_priv_pai_decode(pk, m, ENG_PRIV_PAI_SCALE) - (xs[i] + xs[j])) <=
                        0x1p-32 + 1e-9);
        }
    }
    mpz_clears(m, ca, cb, NULL);
    eng_priv_pai_sk_free(sk);
}

static void test_pool(void **state) {
    eng_priv_rng rng;
    eng_priv_rng_seed(&rng, 14);
    eng_priv_pai_sk *sk = fx_keygen(256, &rng);
    const eng_priv_pai_pk *pk = eng_priv_pai_sk_pk(sk);
    eng_priv_pai_pool *pool = eng_priv_pai_pool_new(pk, 3, &rng);
    assert_non_null(pool);
    mpz_t m, c[3], out;
    mpz_init_set_ui(m, 77);
    mpz_init(out);
    for (int i = 0; i < 3; i++) {
        mpz_init(c[i]);
        assert_int_equal(eng_priv_pai_pool_left(pool), 3 - i);
        assert_int_equal(eng_priv_pai_encrypt_pool(pool, m, c[i]), 0);
        assert_int_equal(eng_priv_pai_decrypt(sk, c[i], out), 0);
        assert_mpz_ui(out, 77);
    }
    /* Each precomputed value served once: same plaintext, three ciphertexts. */
    assert_int_not_equal(mpz_cmp(c[0], c[1]), 0);
    assert_int_not_equal(mpz_cmp(c[1], c[2]), 0);
    assert_int_not_equal(mpz_cmp(c[0], c[2]), 0);
    assert_int_equal(eng_priv_pai_encrypt_pool(pool, m, out), ENG_PRIV_EEMPTY);
    mpz_set(m, eng_priv_pai_pk_n(pk));
    assert_int_equal(eng_priv_pai_encrypt_pool(pool, m, out), ENG_PRIV_EINVAL);
    eng_priv_pai_pool_free(pool);
    eng_priv_pai_pool_free(NULL);
    for (int i = 0; i < 3; i++) mpz_clear(c[i]);
    mpz_clears(m, out, NULL);
    eng_priv_pai_sk_free(sk);
}

static void test_keygen(void **state) {
    eng_priv_rng r1, r2;
    eng_priv_rng_seed(&r1, 15);
    eng_priv_rng_seed(&r2, 15);
    eng_priv_pai_sk *a, *b, *c;
    assert_int_equal(eng_priv_pai_keygen(384, &r1, &a), 0);
    assert_int_equal(eng_priv_pai_keygen(384, &r2, &b), 0); /* same seed, same key */
    assert_true(eng_priv_pai_pk_eq(eng_priv_pai_sk_pk(a), eng_priv_pai_sk_pk(b)));
    assert_int_equal(eng_priv_pai_keygen(384, &r1, &c), 0);
    assert_false(eng_priv_pai_pk_eq(eng_priv_pai_sk_pk(a), eng_priv_pai_sk_pk(c)));
    for (eng_priv_pai_sk **k = (eng_priv_pai_sk *[]){a, b, c}, **e = k + 3; k < e; k++) {
        assert_int_equal(eng_priv_pai_pk_bits(eng_priv_pai_sk_pk(*k)), 384);
        /* Re-deriving the key from its encoded primes passes every check. */
        uint8_t *bytes;
        size_t len;
        eng_priv_pai_sk *back;
        assert_int_equal(eng_priv_pai_sk_encode(*k, &bytes, &len), 0);
        assert_int_equal(eng_priv_pai_sk_decode(bytes, len, &back, NULL, 0), 0);
        assert_int_equal(len, 2 + 4 + 24 + 4 + 24); /* two 192-bit primes */
        free(bytes);
        eng_priv_pai_sk_free(back);
        eng_priv_pai_sk_free(*k);
    }
    eng_priv_pai_sk *x = NULL;
    assert_int_equal(eng_priv_pai_keygen(255, &r1, &x), ENG_PRIV_EINVAL);
    assert_int_equal(eng_priv_pai_keygen(62, &r1, &x), ENG_PRIV_EINVAL);
    assert_int_equal(eng_priv_pai_keygen(ENG_PRIV_PAI_MAX_BITS + 2, &r1, &x), ENG_PRIV_EINVAL);
    assert_null(x);
}

/* Distinct primes of equal length always satisfy the gcd condition (q - 1
 * = j·p would need q > 2p), so the refusals here are of the other checks. */
static void test_bad_primes(void **state) {
    const char *bad[][2] = {{"11", "11"}, {"7", "11"}, {"15", "13"}, {"11", "1"}, {"2", "3"}, {"-11", "13"}};
    for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
        mpz_t p, q;
        mpz_init_set_str(p, bad[i][0], 10);
        mpz_init_set_str(q, bad[i][1], 10);
        eng_priv_pai_sk *sk = NULL;
        assert_int_equal(eng_priv_pai_sk_from_pq(p, q, &sk), ENG_PRIV_EKEY);
        assert_null(sk);
        mpz_clears(p, q, NULL);
    }
    mpz_t n;
    mpz_init_set_ui(n, 144);
    eng_priv_pai_pk *pk = NULL;
    assert_int_equal(eng_priv_pai_pk_new(n, &pk), ENG_PRIV_EKEY);
    mpz_set_ui(n, 13);
    assert_int_equal(eng_priv_pai_pk_new(n, &pk), ENG_PRIV_EKEY);
    mpz_ui_pow_ui(n, 2, ENG_PRIV_PAI_MAX_BITS);
    mpz_add_ui(n, n, 1);
    assert_int_equal(eng_priv_pai_pk_new(n, &pk), ENG_PRIV_EKEY);
    assert_null(pk);
    mpz_set_ui(n, 143);
    assert_int_equal(eng_priv_pai_pk_new(n, &pk), 0);
    assert_int_equal(eng_priv_pai_pk_bits(pk), 8);
    eng_priv_pai_pk_free(pk);
    mpz_clear(n);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_textbook_key),
        cmocka_unit_test(test_128bit_known_answer),
        cmocka_unit_test(test_crt_matches_textbook),
        cmocka_unit_test(test_homomorphic_laws),
        cmocka_unit_test(test_fixed_point),
        cmocka_unit_test(test_pool),
        cmocka_unit_test(test_keygen),
        cmocka_unit_test(test_bad_primes),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
