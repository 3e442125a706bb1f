/* The latency histogram of engine/metrics.c against known distributions:
 * quantiles of uniform integers, weights, merging, adding to two at once,
 * the share above a limit at bucket edges, and the summary it fills. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>

#include <cmocka.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "engine/metrics.h"

static eng_hist *new_hist(void) {
    eng_hist *h = malloc(sizeof *h);
    assert_non_null(h);
    eng_hist_reset(h);
    return h;
}

static void assert_rel(double got, double want, double tol) {
    if (fabs(got - want) > tol * fabs(want))
        fail_msg("got %.10g, want %.10g within %g%%", got, want, tol * 100);
}

/* Uniform integers 1..100000 us: the q-quantile is q * 100000 us. */
static void test_uniform_quantiles(void **state) {
    eng_hist *h = new_hist();
    for (rt_time_t us = 1; us <= 100000; us++) eng_hist_add(h, us * RT_US, 1);
    assert_int_equal(h->n, 100000);
    assert_rel(eng_hist_quantile(h, 0.50), 50000e3, 0.01);
    assert_rel(eng_hist_quantile(h, 0.95), 95000e3, 0.01);
    assert_rel(eng_hist_quantile(h, 0.99), 99000e3, 0.01);
    assert_rel(eng_hist_mean(h), 50000.5e3, 1e-12);
    /* the extremes: bucket middles within half a bucket (0.5%) of min and max */
    assert_rel(eng_hist_quantile(h, 0.0), 1e3, 0.005);
    assert_rel(eng_hist_quantile(h, 1.0), 100000e3, 0.005);
    /* half of the values lie above 50000 us */
    assert_rel(eng_hist_share_above(h, 50000 * RT_US), 0.5, 0.01);
    free(h);
}

/* A constant: every quantile is that value exactly (clamped to min = max). */
static void test_constant_and_empty(void **state) {
    eng_hist *h = new_hist();
    assert_true(eng_hist_quantile(h, 0.5) == 0.0);
    assert_true(eng_hist_share_above(h, 0) == 0.0);
    assert_true(eng_hist_mean(h) == 0.0);
    eng_hist_add(h, 7 * RT_MS, 1000);
    assert_true(eng_hist_quantile(h, 0.01) == 7e6);
    assert_true(eng_hist_quantile(h, 0.99) == 7e6);
    assert_true(eng_hist_share_above(h, 7 * RT_MS) == 0.0);
    assert_true(eng_hist_share_above(h, 7 * RT_MS - 1) == 1.0);
    free(h);
}

/* Adding v with weight w is adding v w times. */
static void test_weights(void **state) {
    eng_hist *a = new_hist(), *b = new_hist();
    const rt_time_t v[] = {500, 3 * RT_MS, 250 * RT_MS, 4 * RT_S};
    const uint64_t w[] = {3, 17, 1, 40};
    for (size_t i = 0; i < 4; i++) {
        eng_hist_add(a, v[i], w[i]);
        for (uint64_t k = 0; k < w[i]; k++) eng_hist_add(b, v[i], 1);
    }
    eng_hist_add(a, 9 * RT_S, 0); /* weight 0 adds nothing */
    assert_memory_equal(a->count, b->count, sizeof a->count);
    assert_int_equal(a->n, 61);
    assert_int_equal(a->under, 3);
    assert_true(a->min == 500 && a->max == 4 * RT_S);
    assert_rel(a->sum_ns, b->sum_ns, 1e-15);
    assert_true(eng_hist_quantile(a, 0.9) == eng_hist_quantile(b, 0.9));
    free(a);
    free(b);
}

/* merge(A, B) equals one histogram that saw both streams. */
static void test_merge(void **state) {
    eng_hist *a = new_hist(), *b = new_hist(), *both = new_hist(), *empty = new_hist();
    for (rt_time_t i = 1; i <= 1000; i++) {
        eng_hist_add(i % 2 ? a : b, i * i * RT_US, i % 5 + 1);
        eng_hist_add(both, i * i * RT_US, i % 5 + 1);
    }
    eng_hist_merge(a, b);
    eng_hist_merge(a, empty);
    assert_memory_equal(a->count, both->count, sizeof a->count);
    assert_int_equal(a->n, both->n);
    assert_true(a->min == both->min && a->max == both->max);
    assert_rel(a->sum_ns, both->sum_ns, 1e-12);
    eng_hist_merge(empty, both); /* into an empty one: a copy */
    assert_true(empty->min == both->min && empty->max == both->max && empty->n == both->n);
    free(a);
    free(b);
    free(both);
    free(empty);
}

/* Adding to two histograms at once is adding to each, including below the
 * first bucket, at zero weight and for negative values (clamped to 0). */
static void test_add2(void **state) {
    eng_hist *a = new_hist(), *b = new_hist(), *one = new_hist();
    eng_hist_add(b, 7 * RT_MS, 3); /* b starts non-empty */
    eng_hist *b_alone = new_hist();
    eng_hist_add(b_alone, 7 * RT_MS, 3);
    for (rt_time_t i = -2; i <= 2000; i++) {
        rt_time_t v = i * i * i * 37;
        uint64_t w = i < 0 ? 1 : (uint64_t)(i % 4);
        eng_hist_add2(a, b, v, w);
        eng_hist_add(one, v, w);
        eng_hist_add(b_alone, v, w);
    }
    assert_memory_equal(a, one, sizeof *a);
    assert_memory_equal(b, b_alone, sizeof *b);
    free(a);
    free(b);
    free(one);
    free(b_alone);
}

/* Bucket edges: lo(0) = 1000 ns, lo(1) = 1010 ns, lo(2) = 1020.1 ns. With
 * 1 sample at 500 ns, 2 at 1005, 3 at 1015 and 4 at 5000, a limit on an
 * edge splits the samples exactly: above 1010 are 7 of 10, above 1000 are 9. */
static void test_share_above_edges(void **state) {
    assert_true(eng_hist_bucket_lo(0) == 1000.0);
    assert_rel(eng_hist_bucket_lo(1), 1010.0, 1e-15);
    assert_rel(eng_hist_bucket_lo(2), 1020.1, 1e-15);
    eng_hist *h = new_hist();
    eng_hist_add(h, 500, 1);
    eng_hist_add(h, 1005, 2);
    eng_hist_add(h, 1015, 3);
    eng_hist_add(h, 5000, 4);
    assert_true(eng_hist_share_above(h, 1010) == 0.7);
    assert_true(eng_hist_share_above(h, 1000) == 0.9);
    assert_true(eng_hist_share_above(h, 499) == 1.0);
    assert_true(eng_hist_share_above(h, 5000) == 0.0);
    /* inside a bucket: the 4 samples at 5000 ns lie in bucket 161,
     * [4962.96, 5012.59) ns (1000 * 1.01^161 = 4962.9646), taken as spread
     * evenly over [4962.96, 5000] (the observed maximum): above 4981 ns are
     * 4 * (5000 - 4981) / (5000 - 4962.9646) = 76 / 37.0354 = 2.05209 of 10 */
    assert_rel(eng_hist_bucket_lo(161), 4962.9646, 1e-8);
    assert_rel(eng_hist_share_above(h, 4981), 0.205209, 1e-5);
    free(h);
}

/* The summary's latency fields, in ms. */
static void test_finish_latency(void **state) {
    eng_metrics *m = eng_metrics_new();
    assert_non_null(m);
    eng_hist_add(&m->latency, 10 * RT_MS, 90);
    eng_hist_add(&m->latency, 200 * RT_MS, 10);
    eng_metrics_finish_latency(m, 100.0);
    const eng_summary *s = &m->summary;
    /* bucket middles, within half a bucket */
    assert_rel(s->latency_p50_ms, 10.0, 0.005);
    assert_rel(s->latency_p95_ms, 200.0, 0.005);
    assert_rel(s->latency_p99_ms, 200.0, 0.005);
    assert_rel(s->latency_mean_ms, 0.9 * 10 + 0.1 * 200, 1e-12);
    assert_true(s->latency_max_ms == 200.0);
    assert_true(s->slo_ms == 100.0);
    assert_true(s->slo_violation_share == 0.1);
    eng_metrics_free(m);
}

/* The sample and batch tables grow past their first allocation intact. */
static void test_tables_grow(void **state) {
    eng_metrics *m = eng_metrics_new();
    for (uint64_t i = 0; i < 5000; i++) {
        eng_sample s = {.t = (rt_time_t)i, .in = i};
        eng_batch_row b = {.id = i, .records = 2 * i};
        eng_metrics_add_sample(m, &s);
        eng_metrics_add_batch(m, &b);
    }
    assert_int_equal(m->nsamples, 5000);
    assert_int_equal(m->nbatches, 5000);
    for (uint64_t i = 0; i < 5000; i++) {
        assert_int_equal(m->samples[i].in, i);
        assert_int_equal(m->batches[i].records, 2 * i);
    }
    eng_metrics_free(m);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_uniform_quantiles), cmocka_unit_test(test_constant_and_empty),
        cmocka_unit_test(test_weights),           cmocka_unit_test(test_merge),
        cmocka_unit_test(test_share_above_edges), cmocka_unit_test(test_finish_latency),
        cmocka_unit_test(test_tables_grow),       cmocka_unit_test(test_add2),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
