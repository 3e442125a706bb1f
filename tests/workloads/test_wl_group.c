/* Device groups as a whole: bit-identical output for the same seed and a
 * different one for another, seq numbers contiguous per device across
 * slices for every arrival kind, the population starting at the first
 * slice's t0, the borrowed stream drawn only at creation, and the engine
 * source interface. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>

#include <cmocka.h>
#include <string.h>

#include "workloads/wl_support.h"

static wl_opts kind_opts(wl_kind kind) {
    wl_opts o;
    wl_opts_defaults(&o);
    o.kind = kind;
    o.period = 2 * RT_S;
    o.jitter = 300 * RT_MS;
    o.rate = 0.5;
    o.burst_factor = kind == WL_POISSON ? 1.0 : 4.0;
    o.burst_on_mean = 5 * RT_S;
    o.burst_off_mean = 20 * RT_S;
    o.day = 100 * RT_S;
    o.anomaly_rate = 0.05;
    return o;
}

static void test_same_seed_same_bits(void **state) {
    (void)state;
    for (wl_kind k = WL_PERIODIC; k <= WL_DIURNAL; k++) {
        wl_opts o = kind_opts(k);
        o.values = k % 2 ? WL_VAL_SEASONAL : WL_VAL_RANDOM_WALK;
        eng_batch a, b, c;
        eng_batch_init(&a);
        eng_batch_init(&b);
        eng_batch_init(&c);
        wls_collect(&o, 7, 300, 51, 60 * RT_S, 300 * RT_MS, &a);
        wls_collect(&o, 7, 300, 51, 60 * RT_S, 300 * RT_MS, &b);
        wls_collect(&o, 7, 300, 52, 60 * RT_S, 300 * RT_MS, &c);
        assert_true(a.n > 1000);
        assert_int_equal(a.n, b.n);
        assert_memory_equal(a.r, b.r, a.n * sizeof *a.r);
        assert_true(a.n != c.n || memcmp(a.r, c.r, a.n * sizeof *a.r) != 0);
        eng_batch_free(&a);
        eng_batch_free(&b);
        eng_batch_free(&c);
    }
}

/* Every kind, slices of 37 ms over 2 minutes: every device's readings are
 * numbered 0, 1, 2, ... in time order. */
static void test_seq_contiguous_across_slices(void **state) {
    (void)state;
    for (wl_kind k = WL_PERIODIC; k <= WL_DIURNAL; k++) {
        wl_opts o = kind_opts(k);
        eng_batch b;
        eng_batch_init(&b);
        wls_collect(&o, 1000, 200, 53, 120 * RT_S, 37 * RT_MS, &b);
        assert_true(b.n > 1000);
        wls_sort_by_device(&b);
        wls_assert_seq_contiguous(&b, 1000);
        eng_batch_free(&b);
    }
}

/* A group first asked at t0 = 50 s starts there: nothing earlier, every
 * periodic device's first send within one period of t0. */
static void test_population_starts_at_first_slice(void **state) {
    (void)state;
    wl_opts o = kind_opts(WL_PERIODIC);
    o.jitter = 0;
    gsl_rng *rng = gsl_rng_alloc(gsl_rng_mt19937);
    wl_group *g = wl_group_new(&o, 0, 100, rng);
    eng_batch b;
    eng_batch_init(&b);
    assert_int_equal(wl_group_emit(g, 50 * RT_S, 52 * RT_S, &b), 0);
    assert_int_equal(b.n, 100);
    for (size_t i = 0; i < b.n; i++) {
        assert_int_equal(b.r[i].seq, 0);
        assert_true(b.r[i].ts >= 50 * RT_S && b.r[i].ts < 52 * RT_S);
    }
    eng_batch_free(&b);
    wl_group_free(g);
    gsl_rng_free(rng);
}

/* The group draws its own stream's seed from the borrowed one at creation
 * and never touches it again: the owner's other draws do not change the
 * readings. */
static void test_borrowed_stream_used_only_at_creation(void **state) {
    (void)state;
    wl_opts o = kind_opts(WL_MMPP);
    eng_batch a, b;
    eng_batch_init(&a);
    eng_batch_init(&b);
    for (int interleave = 0; interleave <= 1; interleave++) {
        gsl_rng *rng = gsl_rng_alloc(gsl_rng_mt19937);
        gsl_rng_set(rng, 54);
        wl_group *g = wl_group_new(&o, 0, 100, rng);
        unsigned long before = gsl_rng_get(rng);
        for (int s = 0; s < 30; s++) {
            if (interleave) gsl_rng_uniform(rng);
            assert_int_equal(wl_group_emit(g, s * RT_S, (s + 1) * RT_S, interleave ? &b : &a), 0);
        }
        gsl_rng_set(rng, 54);
        for (int i = 0; i < 8; i++) gsl_rng_get(rng);
        assert_int_equal(gsl_rng_get(rng), before);
        wl_group_free(g);
        gsl_rng_free(rng);
    }
    assert_int_equal(a.n, b.n);
    assert_memory_equal(a.r, b.r, a.n * sizeof *a.r);
    eng_batch_free(&a);
    eng_batch_free(&b);
}

static void test_engine_source(void **state) {
    (void)state;
    const eng_source_ops *ops = wl_source();
    assert_int_equal(ops->abi, ENG_SOURCE_ABI);
    assert_string_equal(ops->name, "synthetic");
    wl_opts o = kind_opts(WL_POISSON);
    gsl_rng *rng = gsl_rng_alloc(gsl_rng_mt19937);
    void *src = ops->open(&o, 3, 3000, 1000, rng);
    assert_non_null(src);
    eng_batch b;
    eng_batch_init(&b);
    assert_int_equal(ops->emit(src, 0, 10 * RT_S, &b), 0);
    assert_true(b.n > 4000 && b.n < 6000); /* Poisson(5000) */
    for (size_t i = 0; i < b.n; i++) assert_true(b.r[i].device >= 3000 && b.r[i].device < 4000);
    ops->close(src);
    o.rate = -1;
    assert_null(ops->open(&o, 3, 3000, 1000, rng));
    eng_batch_free(&b);
    gsl_rng_free(rng);
}

/* An empty group is valid and silent. */
static void test_empty_group(void **state) {
    (void)state;
    for (wl_kind k = WL_PERIODIC; k <= WL_DIURNAL; k++) {
        wl_opts o = kind_opts(k);
        eng_batch b;
        eng_batch_init(&b);
        wls_collect(&o, 0, 0, 55, 10 * RT_S, RT_S, &b);
        assert_int_equal(b.n, 0);
    }
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_same_seed_same_bits),
        cmocka_unit_test(test_seq_contiguous_across_slices),
        cmocka_unit_test(test_population_starts_at_first_slice),
        cmocka_unit_test(test_borrowed_stream_used_only_at_creation),
        cmocka_unit_test(test_engine_source),
        cmocka_unit_test(test_empty_group),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
