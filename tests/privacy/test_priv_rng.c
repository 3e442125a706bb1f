/* The ChaCha20 generator behind every key, nonce, mask and noise draw of
 * engine/privacy/: the block function against RFC 8439 (section 2.3.2 and
 * appendix A.1 vector 1); the generator's layout (64-bit counter, 64-bit
 * stream id) against OpenSSL's ChaCha20 as computed by Python's
 * `cryptography` package; and the uniformity of the bounded draws. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>

#include <cmocka.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "engine/privacy/rng.h"

static void hex(const char *h, uint8_t *out, size_t n) {
    for (size_t i = 0; i < n; i++) {
        unsigned v;
        sscanf(h + 2 * i, "%2x", &v);
        out[i] = (uint8_t)v;
    }
}

static void test_rfc8439_block(void **state) {
    uint32_t key[8];
    for (uint32_t i = 0; i < 8; i++)
        key[i] = (4 * i) | (4 * i + 1) << 8 | (4 * i + 2) << 16 | (4 * i + 3) << 24; /* bytes 00..1f */
    const uint32_t in[4] = {1, 0x09000000, 0x4a000000, 0}; /* nonce 00 00 00 09 00 00 00 4a ... */
    uint8_t out[64], want[64];
    eng_priv_chacha20_block(key, in, out);
    hex("10f1e7e4d13b5915500fdd1fa32071c4c7d1f4c733c068030422aa9ac3d46c4e"
        "d2826446079faa0914c2d705d98b02a2b5129cd1de164eb9cbd083e8a2503c4e",
        want, 64);
    assert_memory_equal(out, want, 64);

    const uint32_t zero_key[8] = {0}, zero_in[4] = {0};
    eng_priv_chacha20_block(zero_key, zero_in, out);
    hex("76b8e0ada0f13d90405d6ae55386bd28bdd219b8a08ded1aa836efcc8b770dc7"
        "da41597c5157488d7724e03fb8d84a376a43b8f41518a11cc387b669b2ee6586",
        want, 64);
    assert_memory_equal(out, want, 64);
}

/* Key 07 00 .. 00, stream id 5: OpenSSL ChaCha20 with IV = counter 0 (8 bytes
 * LE) then 5 (8 bytes LE), i.e. the same four input words. */
static void test_stream_layout(void **state) {
    uint8_t key[32] = {7}, got[64], want[64];
    eng_priv_rng r;
    eng_priv_rng_init(&r, key, 5);
    eng_priv_rng_bytes(&r, got, 3); /* reads that straddle calls and blocks */
    eng_priv_rng_bytes(&r, got + 3, 61);
    hex("4ebdc85eec7800cb15279510b7f50e22d7bf7e60982bf2ea7f53086ce06110cd"
        "d42677424abc104742fdabd6a54a356a532aaf9725395692c37dfde45ab2edee",
        want, 64);
    assert_memory_equal(got, want, 64);
    assert_true(eng_priv_rng_u64(&r) == 0x0539ad2d20774833ULL); /* block 1, little-endian words */
    assert_true(eng_priv_rng_u64(&r) == 0xfd599ec9e0a1b715ULL);

    eng_priv_rng a, b;
    eng_priv_rng_seed(&a, 7);
    eng_priv_rng_init(&b, key, 0);
    for (int i = 0; i < 20; i++) assert_true(eng_priv_rng_u64(&a) == eng_priv_rng_u64(&b));
    eng_priv_rng_seed(&b, 8);
    assert_true(eng_priv_rng_u64(&a) != eng_priv_rng_u64(&b));
    assert_int_equal(eng_priv_rng_os(&a), 0);
    assert_int_equal(eng_priv_rng_os(&b), 0);
    assert_true(eng_priv_rng_u64(&a) != eng_priv_rng_u64(&b));
}

/* Counts of rng_below(6) and of the top bit of mpz_below(2^70 + 1) over N
 * draws: each cell within 5 standard deviations of its expectation. */
static void test_bounded_draws(void **state) {
    eng_priv_rng r;
    eng_priv_rng_seed(&r, 1);
    enum { N = 60000 };
    size_t cnt[6] = {0};
    for (int i = 0; i < N; i++) cnt[eng_priv_rng_below(&r, 6)]++;
    double p = 1.0 / 6, sd = sqrt(N * p * (1 - p));
    for (int k = 0; k < 6; k++) assert_true(fabs((double)cnt[k] - N * p) < 5 * sd);

    mpz_t bound, x;
    mpz_inits(bound, x, NULL);
    mpz_ui_pow_ui(bound, 2, 70);
    mpz_add_ui(bound, bound, 1);
    size_t top = 0, over = 0;
    for (int i = 0; i < 4000; i++) {
        eng_priv_rng_mpz_below(&r, x, bound);
        over += mpz_cmp(x, bound) >= 0;
        top += mpz_tstbit(x, 69);
    }
    assert_int_equal(over, 0);
    assert_true(fabs((double)top - 2000) < 5 * sqrt(1000.0));
    mpz_clears(bound, x, NULL);

    double lo = 1, hi = 0, sum = 0;
    for (int i = 0; i < N; i++) {
        double u = eng_priv_rng_open01(&r);
        lo = fmin(lo, u), hi = fmax(hi, u), sum += u;
    }
    assert_true(lo > 0 && hi < 1);
    assert_true(fabs(sum / N - 0.5) < 5 * sqrt(1.0 / 12 / N));
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_rfc8439_block),
        cmocka_unit_test(test_stream_layout),
        cmocka_unit_test(test_bounded_draws),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
