/* The run order of a sweep and how shards split it: run i is seed offset
 * i / variants of variant i mod variants, and shard I of N runs the i with
 * i mod N = I - 1 (worked by hand below); the shards together run every run
 * exactly once. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>

#include <cmocka.h>
#include <stdlib.h>

#include "experiments/sweep.h"

/* 3 variants, seeds 5 and 6: i = 0..5 is (v0,5) (v1,5) (v2,5) (v0,6) (v1,6) (v2,6). */
static void test_index_order(void **unused) {
    xp_sweep_item *r;
    size_t n;
    assert_int_equal(xp_sweep_plan(3, 5, 2, 1, 1, &r, &n), 0);
    assert_int_equal(n, 6);
    const size_t variant[6] = {0, 1, 2, 0, 1, 2};
    const uint64_t seed[6] = {5, 5, 5, 6, 6, 6};
    for (size_t i = 0; i < n; i++) {
        assert_int_equal(r[i].index, i);
        assert_int_equal(r[i].variant, variant[i]);
        assert_int_equal(r[i].seed, seed[i]);
    }
    free(r);
}

/* Shard 2 of 4 runs i = 1 and 5: (v1,5) and (v2,6). */
static void test_one_shard(void **unused) {
    xp_sweep_item *r;
    size_t n;
    assert_int_equal(xp_sweep_plan(3, 5, 2, 2, 4, &r, &n), 0);
    assert_int_equal(n, 2);
    assert_true(r[0].index == 1 && r[0].variant == 1 && r[0].seed == 5);
    assert_true(r[1].index == 5 && r[1].variant == 2 && r[1].seed == 6);
    free(r);
}

static void test_shards_cover_every_run_once(void **unused) {
    const size_t variants = 6, total = 6 * 5;
    for (unsigned shards = 1; shards <= 9; shards++) {
        int seen[30] = {0};
        for (unsigned k = 1; k <= shards; k++) {
            xp_sweep_item *r;
            size_t n;
            assert_int_equal(xp_sweep_plan(variants, 1, 5, k, shards, &r, &n), 0);
            for (size_t i = 0; i < n; i++) seen[r[i].index]++;
            free(r);
        }
        for (size_t i = 0; i < total; i++) assert_int_equal(seen[i], 1);
    }
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_index_order),
        cmocka_unit_test(test_one_shard),
        cmocka_unit_test(test_shards_cover_every_run_once),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
