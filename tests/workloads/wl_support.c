/* Helpers shared by the workload tests (see wl_support.h). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>

#include <cmocka.h>
#include <math.h>
#include <stdlib.h>

#include "workloads/wl_support.h"

void wls_collect(const wl_opts *o, uint32_t first, uint32_t n, unsigned long seed, rt_time_t end,
                 rt_time_t slice, eng_batch *all) {
    gsl_rng *rng = gsl_rng_alloc(gsl_rng_mt19937);
    gsl_rng_set(rng, seed);
    wl_group *g = wl_group_new(o, first, n, rng);
    assert_non_null(g);
    for (rt_time_t t = 0; t < end; t += slice) {
        rt_time_t t1 = t + slice < end ? t + slice : end;
        size_t from = all->n;
        assert_int_equal(wl_group_emit(g, t, t1, all), 0);
        for (size_t i = from; i < all->n; i++) {
            assert_true(all->r[i].ts >= t && all->r[i].ts < t1);
            assert_true(all->r[i].device >= first && all->r[i].device < first + n);
        }
    }
    wl_group_free(g);
    gsl_rng_free(rng);
}

void wls_window_counts(const wl_opts *o, uint32_t n, unsigned long seed, rt_time_t window, int windows,
                       double *mean, double *var) {
    gsl_rng *rng = gsl_rng_alloc(gsl_rng_mt19937);
    gsl_rng_set(rng, seed);
    wl_group *g = wl_group_new(o, 0, n, rng);
    assert_non_null(g);
    eng_batch b;
    eng_batch_init(&b);
    double sum = 0, sumsq = 0;
    for (int w = 0; w < windows; w++) {
        b.n = 0;
        assert_int_equal(wl_group_emit(g, w * window, (w + 1) * window, &b), 0);
        sum += (double)b.n;
        sumsq += (double)b.n * (double)b.n;
    }
    *mean = sum / windows;
    *var = (sumsq - sum * sum / windows) / (windows - 1);
    eng_batch_free(&b);
    wl_group_free(g);
    gsl_rng_free(rng);
}

static int by_device(const void *pa, const void *pb) {
    const eng_rec *a = pa, *b = pb;
    if (a->device != b->device) return a->device < b->device ? -1 : 1;
    return (a->seq > b->seq) - (a->seq < b->seq);
}

void wls_sort_by_device(eng_batch *b) { qsort(b->r, b->n, sizeof *b->r, by_device); }

void wls_assert_seq_contiguous(const eng_batch *b, uint32_t first) {
    uint32_t expect_dev = first, expect_seq = 0;
    for (size_t i = 0; i < b->n; i++) {
        const eng_rec *r = &b->r[i];
        if (r->device != expect_dev) {
            assert_true(r->device > expect_dev);
            expect_dev = r->device;
            expect_seq = 0;
        }
        assert_int_equal(r->seq, expect_seq);
        if (expect_seq > 0) assert_true(r->ts >= b->r[i - 1].ts);
        expect_seq++;
    }
}

static int cmp_double(const void *pa, const void *pb) {
    double a = *(const double *)pa, b = *(const double *)pb;
    return (a > b) - (a < b);
}

double wls_ks(double *x, size_t n, double (*cdf)(double x, const void *arg), const void *arg) {
    qsort(x, n, sizeof *x, cmp_double);
    double d = 0;
    for (size_t i = 0; i < n; i++) {
        double f = cdf(x[i], arg);
        double lo = f - (double)i / (double)n, hi = (double)(i + 1) / (double)n - f;
        if (lo > d) d = lo;
        if (hi > d) d = hi;
    }
    return d;
}

/* Asymptotic: P(sqrt(n) D > 1.9495) = 0.001. */
double wls_ks_critical(size_t n) { return 1.9495 / sqrt((double)n); }
