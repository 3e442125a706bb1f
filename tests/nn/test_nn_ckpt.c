/* Checkpoint blobs of policies/nn: named arrays survive a round trip bit
 * for bit, and a blob that is truncated, altered, not a checkpoint, or does
 * not fit the model reading it is refused with a message. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>

#include <cmocka.h>
#include <string.h>

#include "policies/nn/ckpt.h"

static float W[5] = {1.5f, -2.25f, 3e-20f, 0.0f, 1e20f};
static double CFG[2] = {0.99, 123456789.0};

static void write_blob(pol_nn_blob *b) {
    *b = (pol_nn_blob){0};
    assert_int_equal(pol_nn_blob_put(b, "net/w", POL_NN_F32, W, 5), 0);
    assert_int_equal(pol_nn_blob_put(b, "net/config", POL_NN_F64, CFG, 2), 0);
    assert_int_equal(pol_nn_blob_finish(b), 0);
}

static void test_round_trip(void **s) {
    pol_nn_blob b;
    write_blob(&b);
    /* header 12 + records (2+5+1+8+20) + (2+10+1+8+16) + crc 4 */
    assert_int_equal(b.len, 12 + 36 + 37 + 4);
    char err[128];
    pol_nn_blob_reader r;
    assert_int_equal(pol_nn_blob_open(&r, b.data, b.len, err, sizeof err), 0);
    assert_true(pol_nn_blob_has(&r, "net/w"));
    assert_false(pol_nn_blob_has(&r, "net/v"));
    float w[5];
    double cfg[2];
    assert_int_equal(pol_nn_blob_get(&r, "net/config", POL_NN_F64, cfg, 2), 0);
    assert_int_equal(pol_nn_blob_get(&r, "net/w", POL_NN_F32, w, 5), 0);
    assert_memory_equal(w, W, sizeof W);
    assert_memory_equal(cfg, CFG, sizeof CFG);
    pol_nn_blob_free(&b);
}

static void test_rejects_damage(void **s) {
    pol_nn_blob b;
    write_blob(&b);
    char err[128];
    pol_nn_blob_reader r;
    for (size_t i = 0; i < b.len; i++) {
        b.data[i] ^= 0x10;
        assert_int_equal(pol_nn_blob_open(&r, b.data, b.len, err, sizeof err), POL_NN_ECORRUPT);
        b.data[i] ^= 0x10;
    }
    assert_int_equal(pol_nn_blob_open(&r, b.data, b.len - 1, err, sizeof err), POL_NN_ECORRUPT);
    assert_non_null(strstr(err, "corrupt"));
    assert_int_equal(pol_nn_blob_open(&r, "SPKNN", 5, err, sizeof err), POL_NN_ECORRUPT);
    assert_non_null(strstr(err, "not a sparkiot model checkpoint"));
    pol_nn_blob_free(&b);
}

static void test_rejects_mismatch(void **s) {
    pol_nn_blob b;
    write_blob(&b);
    char err[128];
    pol_nn_blob_reader r;
    assert_int_equal(pol_nn_blob_open(&r, b.data, b.len, err, sizeof err), 0);
    float w[6];
    assert_int_equal(pol_nn_blob_get(&r, "net/w", POL_NN_F32, w, 6), POL_NN_EMISMATCH);
    assert_string_equal(err, "checkpoint array 'net/w' has 5 float32 values, this model needs 6 float32");
    double d[5];
    assert_int_equal(pol_nn_blob_get(&r, "net/w", POL_NN_F64, d, 5), POL_NN_EMISMATCH);
    assert_int_equal(pol_nn_blob_get(&r, "net/b", POL_NN_F32, w, 1), POL_NN_EMISMATCH);
    assert_string_equal(err, "checkpoint has no array 'net/b'");
    pol_nn_blob_free(&b);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_round_trip),
        cmocka_unit_test(test_rejects_damage),
        cmocka_unit_test(test_rejects_mismatch),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
