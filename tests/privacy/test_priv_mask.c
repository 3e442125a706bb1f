/* Pairwise additive masks (engine/privacy/mask.h): fixed point mod 2^64 by
 * hand; masks cancel exactly in the sum of all clients; a single masked
 * vector has uniformly distributed bits; dropped clients are handled by the
 * survivors revealing seeds, after which the server holds exactly the sum of
 * the survivors; and the protocol refuses out-of-order steps (late vectors
 * from a dropped client, duplicates, missing reveals). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>

#include <cmocka.h>
#include <math.h>
#include <string.h>

#include "engine/privacy/mask.h"
#include "engine/privacy/rng.h"

static void test_fixed_point(void **state) {
    double x[] = {1.5, -1.5, 0.124, -0.125, 0};
    uint64_t w[5];
    assert_int_equal(eng_priv_mask_encode(x, 5, 4, 1, w), 0);
    assert_true(w[0] == 6 && w[1] == UINT64_MAX - 5 && w[2] == 0 && w[3] == UINT64_MAX && w[4] == 0);
    double back[5];
    eng_priv_mask_decode(w, 5, 4, back);
    assert_true(back[0] == 1.5 && back[1] == -1.5 && back[2] == 0 && back[3] == -0.25);
    double big[] = {0x1p61, -0x1p61, 0x1p62};
    assert_int_equal(eng_priv_mask_encode(big, 2, 1, 2, w), 0); /* limit (2^63-1)/2 = 2^62 - 1 */
    assert_int_equal(eng_priv_mask_encode(big + 2, 1, 1, 2, w), ENG_PRIV_EOVERFLOW);
    assert_int_equal(eng_priv_mask_encode(big + 2, 1, 1, 1, w), 0);
    double huge = 0x1p63, nan = NAN;
    assert_int_equal(eng_priv_mask_encode(&huge, 1, 1, 1, w), ENG_PRIV_EOVERFLOW);
    assert_int_equal(eng_priv_mask_encode(&nan, 1, 1, 1, w), ENG_PRIV_EINVAL);
    assert_int_equal(eng_priv_mask_encode(x, 1, 0, 1, w), ENG_PRIV_EINVAL);
    assert_int_equal(eng_priv_mask_encode(x, 1, 1, 0, w), ENG_PRIV_EINVAL);
    w[0] = (uint64_t)1 << 63; /* INT64_MIN */
    eng_priv_mask_decode(w, 1, 1, back);
    assert_true(back[0] == -0x1p63);
}

enum { N = 7, DIM = 33 };

static void seeds_of(const uint8_t master[32], uint32_t self, eng_priv_seed *s) {
    for (uint32_t j = 0; j < N; j++) eng_priv_mask_pair_seed(master, self, j, &s[j]);
}

/* Random plain vectors x[i] and their masked versions y[i] for round 9. */
static void setup(uint64_t x[N][DIM], uint64_t y[N][DIM], uint8_t master[32]) {
    eng_priv_rng rng;
    eng_priv_rng_seed(&rng, 31);
    eng_priv_rng_bytes(&rng, master, 32);
    for (uint32_t i = 0; i < N; i++) {
        for (int k = 0; k < DIM; k++) x[i][k] = eng_priv_rng_u64(&rng) >> 8;
        memcpy(y[i], x[i], sizeof y[i]);
        eng_priv_seed s[N];
        seeds_of(master, i, s);
        eng_priv_mask_client(i, N, s, 9, y[i], DIM);
    }
}

static void test_masks_cancel(void **state) {
    uint64_t x[N][DIM], y[N][DIM], want[DIM] = {0}, got[DIM];
    uint8_t master[32];
    setup(x, y, master);
    eng_priv_mask_agg *a = eng_priv_mask_agg_new(N, DIM, 9);
    for (uint32_t i = 0; i < N; i++) {
        for (int k = 0; k < DIM; k++) want[k] += x[i][k];
        assert_int_equal(eng_priv_mask_agg_add(a, i, y[i]), 0);
    }
    uint32_t survivors;
    assert_int_equal(eng_priv_mask_agg_sum(a, got, &survivors), 0);
    assert_int_equal(survivors, N);
    assert_memory_equal(got, want, sizeof want);
    eng_priv_mask_agg_free(a);

    /* Pair seeds are symmetric and distinct; another round gives other masks. */
    eng_priv_seed s1, s2, s3;
    eng_priv_mask_pair_seed(master, 2, 5, &s1);
    eng_priv_mask_pair_seed(master, 5, 2, &s2);
    eng_priv_mask_pair_seed(master, 2, 6, &s3);
    assert_memory_equal(&s1, &s2, sizeof s1);
    assert_memory_not_equal(&s1, &s3, sizeof s1);
    uint64_t r9[4] = {0}, r10[4] = {0};
    eng_priv_mask_stream_apply(&s1, 9, 1, r9, 4);
    eng_priv_mask_stream_apply(&s1, 10, 1, r10, 4);
    assert_memory_not_equal(r9, r10, sizeof r9);
    eng_priv_mask_stream_apply(&s1, 9, -1, r9, 4);
    assert_true(r9[0] == 0 && r9[1] == 0 && r9[2] == 0 && r9[3] == 0);
}

/* What the server sees of one client whose values are all 0: the bits of
 * the masked words are fair coins (each count within 5 sd of half). */
static void test_masked_vector_is_uniform(void **state) {
    enum { W = 4096 };
    static uint64_t y[W];
    memset(y, 0, sizeof y);
    uint8_t master[32] = {1, 2, 3};
    eng_priv_seed s[3];
    for (uint32_t j = 0; j < 3; j++) eng_priv_mask_pair_seed(master, 1, j, &s[j]);
    eng_priv_mask_client(1, 3, s, 0, y, W);
    for (int b = 0; b < 64; b++) {
        size_t ones = 0;
        for (int k = 0; k < W; k++) ones += y[k] >> b & 1;
        assert_true(fabs((double)ones - W / 2.0) < 5 * sqrt(W / 4.0));
    }
}

static void test_dropped_clients(void **state) {
    uint64_t x[N][DIM], y[N][DIM], want[DIM] = {0}, got[DIM];
    uint8_t master[32];
    setup(x, y, master);
    const int dropped[N] = {0, 0, 1, 0, 0, 1, 0};
    eng_priv_mask_agg *a = eng_priv_mask_agg_new(N, DIM, 9);
    uint32_t survivors;
    for (uint32_t i = 0; i < N; i++) {
        if (dropped[i]) {
            assert_int_equal(eng_priv_mask_agg_drop(a, i), 0);
            continue;
        }
        for (int k = 0; k < DIM; k++) want[k] += x[i][k];
        assert_int_equal(eng_priv_mask_agg_sum(a, got, &survivors), ENG_PRIV_ESTATE); /* 6 not in yet */
        assert_int_equal(eng_priv_mask_agg_add(a, i, y[i]), 0);
    }
    /* The orphaned masks make the sum wrong until every reveal is in. */
    assert_int_equal(eng_priv_mask_agg_add(a, 2, y[2]), ENG_PRIV_ESTATE); /* late: refused */
    assert_int_equal(eng_priv_mask_agg_add(a, 0, y[0]), ENG_PRIV_ESTATE); /* duplicate */
    assert_int_equal(eng_priv_mask_agg_drop(a, 0), ENG_PRIV_ESTATE);      /* already added */
    assert_int_equal(eng_priv_mask_agg_add(a, N, y[0]), ENG_PRIV_EINVAL);
    eng_priv_seed s;
    eng_priv_mask_pair_seed(master, 2, 5, &s);
    assert_int_equal(eng_priv_mask_agg_reveal(a, 2, 5, &s), ENG_PRIV_ESTATE); /* 2 is no survivor */
    assert_int_equal(eng_priv_mask_agg_reveal(a, 0, 1, &s), ENG_PRIV_ESTATE); /* 1 did not drop */
    for (uint32_t i = 0; i < N; i++)
        for (uint32_t d = 0; d < N; d++) {
            if (dropped[i] || !dropped[d]) continue;
            assert_int_equal(eng_priv_mask_agg_sum(a, got, &survivors), ENG_PRIV_ESTATE);
            eng_priv_mask_pair_seed(master, i, d, &s);
            assert_int_equal(eng_priv_mask_agg_reveal(a, i, d, &s), 0);
            assert_int_equal(eng_priv_mask_agg_reveal(a, i, d, &s), ENG_PRIV_ESTATE); /* twice */
        }
    assert_int_equal(eng_priv_mask_agg_sum(a, got, &survivors), 0);
    assert_int_equal(survivors, N - 2);
    assert_memory_equal(got, want, sizeof want);
    eng_priv_mask_agg_free(a);
    assert_null(eng_priv_mask_agg_new(0, DIM, 0));
}

/* Real values through the whole path: the decoded sum is within n half-steps. */
static void test_real_values(void **state) {
    enum { K = 5, D = 8 };
    eng_priv_rng rng;
    eng_priv_rng_seed(&rng, 33);
    uint8_t master[32];
    eng_priv_rng_bytes(&rng, master, 32);
    double x[K][D], want[D] = {0}, got[D];
    eng_priv_mask_agg *a = eng_priv_mask_agg_new(K, D, 1);
    for (uint32_t i = 0; i < K; i++) {
        uint64_t w[D];
        for (int k = 0; k < D; k++) want[k] += x[i][k] = 200 * eng_priv_rng_open01(&rng) - 100;
        assert_int_equal(eng_priv_mask_encode(x[i], D, ENG_PRIV_MASK_SCALE, K, w), 0);
        eng_priv_seed s[K];
        for (uint32_t j = 0; j < K; j++) eng_priv_mask_pair_seed(master, i, j, &s[j]);
        eng_priv_mask_client(i, K, s, 1, w, D);
        assert_int_equal(eng_priv_mask_agg_add(a, i, w), 0);
    }
    uint64_t sum[D];
    uint32_t survivors;
    assert_int_equal(eng_priv_mask_agg_sum(a, sum, &survivors), 0);
    eng_priv_mask_decode(sum, D, ENG_PRIV_MASK_SCALE, got);
    for (int k = 0; k < D; k++) assert_true(fabs(got[k] - want[k]) <= K * 0.5 / ENG_PRIV_MASK_SCALE + 1e-12);
    eng_priv_mask_agg_free(a);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_fixed_point),
        cmocka_unit_test(test_masks_cancel),
        cmocka_unit_test(test_masked_vector_is_uniform),
        cmocka_unit_test(test_dropped_clients),
        cmocka_unit_test(test_real_values),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
