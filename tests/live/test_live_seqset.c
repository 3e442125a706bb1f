/* The committed-pairs set (live/seqset.h) against a bitmap model: after
 * random additions (repeats included) it holds exactly the pairs added,
 * each device's intervals are exactly the model's maximal runs (so a
 * device whose seqs have no gaps costs one interval), its encoding has the
 * documented size and decodes to the same set, and malformed encodings
 * (truncated, overlapping or adjacent intervals) are refused. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>

#include <cmocka.h>
#include <stdlib.h>
#include <string.h>

#include "live/seqset.h"

#define DEVICES 40
#define SEQS 500

static char model[DEVICES][SEQS];

static void check_equal(const live_seqset *s) {
    uint64_t pairs = 0;
    for (uint32_t d = 0; d < DEVICES; d++)
        for (uint32_t q = 0; q < SEQS + 5; q++) {
            int want = q < SEQS && model[d][q];
            assert_int_equal(live_seqset_has(s, d * 7919, q), want);
            pairs += want;
        }
    assert_int_equal(s->pairs, pairs);
}

/* Maximal runs of set bits in device d's model. */
static uint32_t runs(uint32_t d) {
    uint32_t n = 0;
    for (uint32_t q = 0; q < SEQS; q++) n += model[d][q] && (q == 0 || !model[d][q - 1]);
    return n;
}

static void test_matches_model(void **state) {
    live_seqset s;
    live_seqset_init(&s);
    memset(model, 0, sizeof model);
    srand(3);
    for (int i = 0; i < 12000; i++) {
        uint32_t d = (uint32_t)rand() % DEVICES, q = (uint32_t)rand() % SEQS;
        assert_int_equal(live_seqset_add(&s, d * 7919, q), !model[d][q]);
        model[d][q] = 1;
    }
    for (uint32_t q = 0; q < SEQS; q++) { /* device 0: every seq, in order */
        live_seqset_add(&s, 0, q);
        model[0][q] = 1;
    }
    check_equal(&s);
    size_t size = 4;
    for (size_t i = 0; i < s.cap; i++) {
        const live_seqdev *d = &s.dev[i];
        if (!d->iv) continue;
        assert_int_equal(d->n, runs(d->device / 7919));
        size += 8 + 8 * (size_t)d->n;
    }
    const live_seqdev *d0 = &s.dev[0];
    for (size_t i = 0; i < s.cap && (!d0->iv || d0->device != 0); i++) d0 = &s.dev[i];
    assert_int_equal(d0->n, 1);
    assert_int_equal(live_seqset_size(&s), size);
    uint8_t *buf = malloc(size);
    assert_int_equal(live_seqset_encode(&s, buf), size);
    live_seqset t;
    live_seqset_init(&t);
    assert_int_equal(live_seqset_decode(&t, buf, size), size);
    check_equal(&t);
    live_seqset_free(&t);
    live_seqset_init(&t);
    assert_int_equal(live_seqset_decode(&t, buf, size - 1), 0);
    assert_int_equal(t.pairs, 0);
    free(buf);
    live_seqset_free(&s);
}

static void test_refuses_overlaps(void **state) {
    /* one device (5) with [0, 3) then [3, 6): adjacent, so not as encoded */
    static const uint8_t adjacent[] = {1, 0, 0, 0, 5, 0, 0, 0, 2, 0, 0, 0, 0, 0,
                                       0, 0, 3, 0, 0, 0, 3, 0, 0, 0, 6, 0, 0, 0};
    static const uint8_t empty[] = {1, 0, 0, 0, 5, 0, 0, 0, 1, 0, 0, 0, 4, 0, 0, 0, 4, 0, 0, 0};
    live_seqset s;
    live_seqset_init(&s);
    assert_int_equal(live_seqset_decode(&s, adjacent, sizeof adjacent), 0);
    assert_int_equal(live_seqset_decode(&s, empty, sizeof empty), 0);
    static const uint8_t good[] = {1, 0, 0, 0, 5, 0, 0, 0, 1, 0, 0, 0, 2, 0, 0, 0, 4, 0, 0, 0};
    assert_int_equal(live_seqset_decode(&s, good, sizeof good), sizeof good);
    assert_true(live_seqset_has(&s, 5, 2) && live_seqset_has(&s, 5, 3) && !live_seqset_has(&s, 5, 4));
    live_seqset_free(&s);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_matches_model),
        cmocka_unit_test(test_refuses_overlaps),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
