/* The Paillier byte formats (engine/privacy/paillier.h): encodings of the
 * p = 11, q = 13 key and of one ciphertext written out by hand from the
 * documented layout; round trips of a 512-bit key; each kind of malformed or
 * mismatched input rejected with its code and a located message; and random
 * mutations and truncations of valid encodings, which must be rejected or
 * decode to a valid object, never crash (run under the sanitizers). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>

#include <cmocka.h>
#include <stdlib.h>
#include <string.h>

#include "engine/privacy/paillier.h"
#include "fixture.h"

static void test_layout_by_hand(void **state) {
    eng_priv_pai_sk *sk = fx_key_pq("11", "13");
    const eng_priv_pai_pk *pk = eng_priv_pai_sk_pk(sk);
    uint8_t *b;
    size_t len;
    assert_int_equal(eng_priv_pai_pk_encode(pk, &b, &len), 0);
    const uint8_t pkb[] = {1, 1, 0, 0, 0, 1, 0x8f};
    assert_int_equal(len, sizeof pkb);
    assert_memory_equal(b, pkb, len);
    free(b);
    assert_int_equal(eng_priv_pai_sk_encode(sk, &b, &len), 0);
    const uint8_t skb[] = {1, 2, 0, 0, 0, 1, 11, 0, 0, 0, 1, 13};
    assert_int_equal(len, sizeof skb);
    assert_memory_equal(b, skb, len);
    free(b);

    /* Enc(42; 23) = 9637 = 0x25a5; n² = 20449 takes 2 bytes; key id 143. */
    const uint8_t ctb[] = {1, 3, 0, 0, 0, 0, 0, 0, 0, 0x8f, 0, 0, 0, 2, 0x25, 0xa5};
    assert_int_equal(eng_priv_pai_ct_size(pk), sizeof ctb);
    mpz_t c;
    mpz_init_set_ui(c, 9637);
    uint8_t out[sizeof ctb];
    eng_priv_pai_ct_encode(pk, c, out);
    assert_memory_equal(out, ctb, sizeof ctb);
    mpz_set_ui(c, 1); /* fixed width: leading zeros kept */
    eng_priv_pai_ct_encode(pk, c, out);
    assert_int_equal(out[14], 0);
    assert_int_equal(out[15], 1);
    assert_int_equal(eng_priv_pai_ct_decode(pk, ctb, sizeof ctb, c, NULL, 0), 0);
    assert_int_equal(mpz_cmp_ui(c, 9637), 0);
    mpz_clear(c);

    eng_priv_pai_pk *pk2;
    assert_int_equal(eng_priv_pai_pk_decode(pkb, sizeof pkb, &pk2, NULL, 0), 0);
    assert_true(eng_priv_pai_pk_eq(pk, pk2));
    eng_priv_pai_pk_free(pk2);
    eng_priv_pai_sk *sk2;
    assert_int_equal(eng_priv_pai_sk_decode(skb, sizeof skb, &sk2, NULL, 0), 0);
    assert_true(eng_priv_pai_pk_eq(pk, eng_priv_pai_sk_pk(sk2)));
    eng_priv_pai_sk_free(sk2);
    eng_priv_pai_sk_free(sk);
}

typedef struct bad {
    const char *what;
    uint8_t b[24];
    size_t len;
    int code;
} bad;

static void test_rejections(void **state) {
    const bad pks[] = {
        {"empty", {0}, 0, ENG_PRIV_ETRUNC},
        {"version 2", {2, 1, 0, 0, 0, 1, 0x8f}, 7, ENG_PRIV_EVERSION},
        {"secret-key kind", {1, 2, 0, 0, 0, 1, 0x8f}, 7, ENG_PRIV_ETYPE},
        {"length cut", {1, 1, 0, 0}, 4, ENG_PRIV_ETRUNC},
        {"magnitude cut", {1, 1, 0, 0, 0, 2, 0x8f}, 7, ENG_PRIV_ETRUNC},
        {"length 0", {1, 1, 0, 0, 0, 0}, 6, ENG_PRIV_EMALFORMED},
        {"length 2^32-1", {1, 1, 0xff, 0xff, 0xff, 0xff, 1}, 7, ENG_PRIV_EMALFORMED},
        {"leading zero", {1, 1, 0, 0, 0, 2, 0, 0x8f}, 8, ENG_PRIV_EMALFORMED},
        {"trailing byte", {1, 1, 0, 0, 0, 1, 0x8f, 0}, 8, ENG_PRIV_ETRAILING},
        {"even modulus", {1, 1, 0, 0, 0, 1, 0x90}, 7, ENG_PRIV_EKEY},
        {"modulus 13", {1, 1, 0, 0, 0, 1, 13}, 7, ENG_PRIV_EKEY},
    };
    char err[200];
    for (size_t i = 0; i < sizeof pks / sizeof *pks; i++) {
        eng_priv_pai_pk *pk = NULL;
        int rc = eng_priv_pai_pk_decode(pks[i].b, pks[i].len, &pk, err, sizeof err);
        if (rc != pks[i].code) fail_msg("public key, %s: got %d (%s)", pks[i].what, rc, err);
        assert_null(pk);
        assert_non_null(strstr(err, "byte "));
    }
    const bad sks[] = {
        {"p = q", {1, 2, 0, 0, 0, 1, 11, 0, 0, 0, 1, 11}, 12, ENG_PRIV_EKEY},
        {"composite p", {1, 2, 0, 0, 0, 1, 15, 0, 0, 0, 1, 13}, 12, ENG_PRIV_EKEY},
        {"unequal lengths", {1, 2, 0, 0, 0, 1, 7, 0, 0, 0, 1, 11}, 12, ENG_PRIV_EKEY},
        {"q missing", {1, 2, 0, 0, 0, 1, 11}, 7, ENG_PRIV_ETRUNC},
        {"public-key kind", {1, 1, 0, 0, 0, 1, 11, 0, 0, 0, 1, 13}, 12, ENG_PRIV_ETYPE},
        {"trailing byte", {1, 2, 0, 0, 0, 1, 11, 0, 0, 0, 1, 13, 0}, 13, ENG_PRIV_ETRAILING},
    };
    for (size_t i = 0; i < sizeof sks / sizeof *sks; i++) {
        eng_priv_pai_sk *sk = NULL;
        int rc = eng_priv_pai_sk_decode(sks[i].b, sks[i].len, &sk, err, sizeof err);
        if (rc != sks[i].code) fail_msg("secret key, %s: got %d (%s)", sks[i].what, rc, err);
        assert_null(sk);
    }
    eng_priv_pai_sk *sk = fx_key_pq("11", "13");
    const eng_priv_pai_pk *pk = eng_priv_pai_sk_pk(sk);
    const bad cts[] = {
        {"other key", {1, 3, 0, 0, 0, 0, 0, 0, 0, 0x8d, 0, 0, 0, 2, 0x25, 0xa5}, 16, ENG_PRIV_EKEY},
        {"zero", {1, 3, 0, 0, 0, 0, 0, 0, 0, 0x8f, 0, 0, 0, 2, 0, 0}, 16, ENG_PRIV_EMALFORMED},
        {"n²", {1, 3, 0, 0, 0, 0, 0, 0, 0, 0x8f, 0, 0, 0, 2, 0x4f, 0xe1}, 16, ENG_PRIV_EMALFORMED},
        {"above n²", {1, 3, 0, 0, 0, 0, 0, 0, 0, 0x8f, 0, 0, 0, 2, 0xff, 0xff}, 16, ENG_PRIV_EMALFORMED},
        {"multiple of 11", {1, 3, 0, 0, 0, 0, 0, 0, 0, 0x8f, 0, 0, 0, 2, 0, 121}, 16, ENG_PRIV_EMALFORMED},
        {"short width", {1, 3, 0, 0, 0, 0, 0, 0, 0, 0x8f, 0, 0, 0, 1, 0xa5}, 15, ENG_PRIV_EMALFORMED},
        {"cut", {1, 3, 0, 0, 0, 0, 0, 0, 0, 0x8f, 0, 0, 0, 2, 0x25}, 15, ENG_PRIV_ETRUNC},
        {"id cut", {1, 3, 0, 0, 0}, 5, ENG_PRIV_ETRUNC},
        {"trailing", {1, 3, 0, 0, 0, 0, 0, 0, 0, 0x8f, 0, 0, 0, 2, 0x25, 0xa5, 9}, 17, ENG_PRIV_ETRAILING},
        {"key kind", {1, 1, 0, 0, 0, 1, 0x8f}, 7, ENG_PRIV_ETYPE},
    };
    mpz_t c;
    mpz_init_set_ui(c, 5);
    for (size_t i = 0; i < sizeof cts / sizeof *cts; i++) {
        int rc = eng_priv_pai_ct_decode(pk, cts[i].b, cts[i].len, c, err, sizeof err);
        if (rc != cts[i].code) fail_msg("ciphertext, %s: got %d (%s)", cts[i].what, rc, err);
        assert_int_equal(mpz_cmp_ui(c, 5), 0); /* untouched */
    }
    mpz_clear(c);
    eng_priv_pai_sk_free(sk);
}

/* Mutates a copy of b: flips 1-3 random bytes, sometimes cuts or extends. */
static size_t mutate(eng_priv_rng *rng, const uint8_t *b, size_t len, uint8_t *out) {
    memcpy(out, b, len);
    for (uint64_t k = 1 + eng_priv_rng_below(rng, 3); k; k--)
        out[eng_priv_rng_below(rng, len)] ^= (uint8_t)(1 + eng_priv_rng_below(rng, 255));
    switch (eng_priv_rng_below(rng, 4)) {
    case 0:
        return eng_priv_rng_below(rng, len);
    case 1:
        out[len] = (uint8_t)eng_priv_rng_u64(rng);
        return len + 1;
    default:
        return len;
    }
}

static void test_round_trips_and_mutations(void **state) {
    eng_priv_rng rng;
    eng_priv_rng_seed(&rng, 21);
    eng_priv_pai_sk *sk = fx_keygen(512, &rng);
    const eng_priv_pai_pk *pk = eng_priv_pai_sk_pk(sk);
    uint8_t *pkb, *skb;
    size_t pkl, skl, ctl = eng_priv_pai_ct_size(pk);
    assert_int_equal(ctl, 2 + 8 + 4 + 128);
    assert_int_equal(eng_priv_pai_pk_encode(pk, &pkb, &pkl), 0);
    assert_int_equal(eng_priv_pai_sk_encode(sk, &skb, &skl), 0);
    assert_int_equal(pkl, 2 + 4 + 64);
    mpz_t m, c, back;
    mpz_init_set_ui(m, 123456789);
    mpz_inits(c, back, NULL);
    assert_int_equal(eng_priv_pai_encrypt(pk, m, &rng, c), 0);
    uint8_t *ctb = malloc(ctl);
    eng_priv_pai_ct_encode(pk, c, ctb);

    eng_priv_pai_pk *pk2;
    eng_priv_pai_sk *sk2;
    assert_int_equal(eng_priv_pai_pk_decode(pkb, pkl, &pk2, NULL, 0), 0);
    assert_int_equal(eng_priv_pai_sk_decode(skb, skl, &sk2, NULL, 0), 0);
    assert_int_equal(eng_priv_pai_ct_decode(pk2, ctb, ctl, back, NULL, 0), 0);
    assert_int_equal(eng_priv_pai_decrypt(sk2, back, back), 0);
    assert_int_equal(mpz_cmp(back, m), 0);
    eng_priv_pai_pk_free(pk2);
    eng_priv_pai_sk_free(sk2);

    /* A ciphertext under another key of the same size is refused by id. */
    eng_priv_pai_sk *other = fx_keygen(512, &rng);
    assert_int_equal(eng_priv_pai_ct_decode(eng_priv_pai_sk_pk(other), ctb, ctl, back, NULL, 0),
                     ENG_PRIV_EKEY);
    eng_priv_pai_sk_free(other);

    uint8_t *buf = malloc(ctl + skl + pkl + 1);
    char err[200];
    size_t accepted = 0;
    for (int i = 0; i < 600; i++) {
        size_t n = mutate(&rng, pkb, pkl, buf);
        eng_priv_pai_pk *p = NULL;
        int rc = eng_priv_pai_pk_decode(buf, n, &p, err, sizeof err);
        assert_true(rc <= 0);
        assert_true(rc == 0 ? p != NULL : p == NULL);
        accepted += rc == 0;
        eng_priv_pai_pk_free(p);

        n = mutate(&rng, ctb, ctl, buf);
        mpz_set_ui(back, 0);
        rc = eng_priv_pai_ct_decode(pk, buf, n, back, err, sizeof err);
        assert_true(rc <= 0);
        if (rc == 0)
            assert_int_equal(eng_priv_pai_ct_check(pk, back), 0), accepted++;
        else
            assert_int_equal(mpz_sgn(back), 0);

        if (i % 10 == 0) { /* decoding a secret key tests primality: fewer rounds */
            n = mutate(&rng, skb, skl, buf);
            eng_priv_pai_sk *s = NULL;
            rc = eng_priv_pai_sk_decode(buf, n, &s, err, sizeof err);
            assert_true(rc <= 0);
            if (rc == 0) { /* a flip may land on another fitting prime: then it is a working key */
                mpz_set_ui(m, 5);
                assert_int_equal(eng_priv_pai_encrypt(eng_priv_pai_sk_pk(s), m, &rng, c), 0);
                assert_int_equal(eng_priv_pai_decrypt(s, c, m), 0);
                assert_int_equal(mpz_cmp_ui(m, 5), 0);
            } else {
                assert_null(s);
            }
            eng_priv_pai_sk_free(s);
        }

        n = eng_priv_rng_below(&rng, 40);
        eng_priv_rng_bytes(&rng, buf, n);
        assert_true(eng_priv_pai_ct_decode(pk, buf, n, back, NULL, 0) < 0);
    }
    /* Flips inside a ciphertext's magnitude mostly give another valid one. */
    assert_true(accepted > 0);
    free(buf);
    free(ctb);
    free(pkb);
    free(skb);
    mpz_clears(m, c, back, NULL);
    eng_priv_pai_sk_free(sk);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_layout_by_hand),
        cmocka_unit_test(test_rejections),
        cmocka_unit_test(test_round_trips_and_mutations),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
