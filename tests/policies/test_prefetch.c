/* The edge cache, its oracle bounds and the prefetch predictors against
 * independent truth: the textbook reference string (Silberschatz, Galvin
 * and Gagne, Operating System Concepts, 9th ed., section 9.4: 3 frames,
 * 9 faults for OPT, 12 for LRU), fetch latencies and bytes by hand, EWMA
 * rates by hand, AR(2) coefficients recovered from a simulated series, the
 * prefetch oracle never beaten and the budget never exceeded on random
 * streams, and the LSTM learning a strictly periodic pattern. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>

#include <cmocka.h>
#include <gsl/gsl_randist.h>
#include <gsl/gsl_rng.h>
#include <stdlib.h>
#include <string.h>

#include "policies/prefetch.h"
#include "policies/prefetch_ar.h"

static const eng_pf_net net = {.rtt = 40 * RT_MS, .bandwidth = 1e6};

/* The textbook string, its pages renamed to keys in order of first use. */
static const int pages[] = {7, 0, 1, 2, 0, 3, 0, 4, 2, 3, 0, 3, 2, 1, 2, 0, 1, 7, 0, 1};
#define NPAGES (sizeof pages / sizeof pages[0])

static void textbook(uint32_t *keys) {
    int name[8];
    uint32_t next = 0;
    for (int p = 0; p < 8; p++) name[p] = -1;
    for (size_t i = 0; i < NPAGES; i++) {
        if (name[pages[i]] < 0) name[pages[i]] = (int)next++;
        keys[i] = (uint32_t)name[pages[i]];
    }
}

static eng_prefetch_opts opts(uint32_t budget) {
    eng_prefetch_opts o;
    eng_prefetch_defaults(&o);
    o.budget = budget;
    return o;
}

/* Runs the textbook string through a cache of 3 one-byte frames, one read
 * per window. */
static void run_textbook(const char *policy, eng_pf_stats *st, eng_pf_stream *s, eng_pf_cache **out) {
    static eng_prefetch_opts o;
    o = opts(3);
    uint32_t keys[NPAGES], one = 1;
    textbook(keys);
    eng_pf_cache *c = eng_pf_cache_new(&o, pol_prefetch_find(policy), &net, 1, NULL, 0);
    assert_non_null(c);
    for (size_t i = 0; i < NPAGES; i++)
        assert_int_equal(eng_pf_cache_window(c, (rt_time_t)i * RT_S, &keys[i], &one, 1), 0);
    eng_pf_cache_stats(c, st);
    eng_pf_cache_stream(c, s);
    *out = c;
}

static void test_belady_textbook(void **state) {
    eng_pf_stats st;
    eng_pf_stream s;
    eng_pf_cache *c;
    run_textbook("lru", &st, &s, &c);
    assert_int_equal(s.nwindows, NPAGES);
    assert_int_equal(s.nkeys, 6);
    assert_int_equal(NPAGES - eng_pf_oracle_demand(&s, 3), 9); /* OPT: 9 faults */
    /* with 4 frames OPT takes 8 faults (the same book) */
    assert_int_equal(NPAGES - eng_pf_oracle_demand(&s, 4), 8);
    eng_pf_cache_free(c);
}

static void test_lru_textbook(void **state) {
    eng_pf_stats st;
    eng_pf_stream s;
    eng_pf_cache *c;
    run_textbook("lru", &st, &s, &c);
    assert_int_equal(st.misses, 12); /* LRU: 12 faults */
    assert_int_equal(st.hits, 8);
    assert_int_equal(st.reads, NPAGES);
    assert_int_equal(st.prefetch_bytes, 0);
    /* each miss fetches 1 B + the 40 B header */
    assert_int_equal(st.demand_bytes, 12 * 41);
    /* a miss alone in its window waits 40 ms + 41 B / 1 MB/s = 40.041 ms;
     * a hit 50 us: 8 of 20 reads are hits, so the median is a miss */
    assert_int_equal(st.latency.max, 40 * RT_MS + 41 * RT_US);
    assert_int_equal(st.latency.min, 50 * RT_US);
    assert_true(st.peak_bytes <= 3);
    eng_pf_cache_free(c);
}

static void test_none_textbook(void **state) {
    eng_pf_stats st;
    eng_pf_stream s;
    eng_pf_cache *c;
    run_textbook("none", &st, &s, &c);
    assert_int_equal(st.misses, NPAGES);
    assert_int_equal(st.hits, 0);
    assert_int_equal(st.peak_bytes, 0);
    eng_pf_cache_free(c);
}

/* Misses of one window are pipelined: the i-th arrives after rtt + i x (its
 * size + header) / bandwidth. */
static void test_pipelined_misses(void **state) {
    eng_prefetch_opts o = opts(1 << 20);
    eng_pf_cache *c = eng_pf_cache_new(&o, pol_prefetch_find("none"), &net, 1, NULL, 0);
    uint32_t keys[] = {0, 1}, bytes[] = {960, 1960};
    assert_int_equal(eng_pf_cache_window(c, 0, keys, bytes, 2), 0);
    eng_pf_stats st;
    eng_pf_cache_stats(c, &st);
    assert_int_equal(st.latency.min, 40 * RT_MS + 1 * RT_MS); /* 1000 B at 1 MB/s */
    assert_int_equal(st.latency.max, 40 * RT_MS + 3 * RT_MS); /* then 2000 B more */
    eng_pf_cache_free(c);
}

static void test_ewma_by_hand(void **state) {
    eng_prefetch_opts o = opts(1000);
    o.ewma_alpha = 0.5;
    const eng_prefetch_policy *p = pol_prefetch_find("ewma");
    void *st = p->init(&o, 1, NULL, 0);
    uint32_t counts[2];
    double score[2];
    const uint32_t key0[] = {1, 0, 1, 1};
    const double want0[] = {0.5, 0.25, 0.625, 0.8125};
    for (int w = 0; w < 4; w++) {
        counts[0] = key0[w];
        counts[1] = 1;
        size_t nkeys = w < 2 ? 1 : 2; /* key 1 first read in window 2 */
        assert_int_equal(p->observe(st, counts, nkeys, score), 0);
        assert_float_equal(score[0], want0[w], 1e-12);
    }
    assert_float_equal(score[1], 0.75, 1e-12); /* 0.5, then 0.5 x 1 + 0.5 x 0.5 */
    p->free(st);
}

/* x_t = 0.5 + 0.6 x_{t-1} - 0.3 x_{t-2} + N(0, 0.1^2): least squares on
 * 20,000 values recovers the coefficients to within a few standard errors
 * (about 0.007 each). */
static void test_ar2_recovery(void **state) {
    enum { N = 20000 };
    double *x = malloc(N * sizeof *x), coef[3];
    gsl_rng *r = gsl_rng_alloc(gsl_rng_mt19937);
    gsl_rng_set(r, 7);
    x[0] = x[1] = 0.5 / (1 - 0.6 + 0.3);
    for (size_t t = 2; t < N; t++) x[t] = 0.5 + 0.6 * x[t - 1] - 0.3 * x[t - 2] + gsl_ran_gaussian(r, 0.1);
    assert_int_equal(pol_prefetch_ar_fit(x, N, 2, coef), 0);
    assert_float_equal(coef[0], 0.5, 0.03);
    assert_float_equal(coef[1], 0.6, 0.03);
    assert_float_equal(coef[2], -0.3, 0.03);
    /* too short a series for two lags is refused */
    assert_int_equal(pol_prefetch_ar_fit(x, 5, 2, coef), -1);
    gsl_rng_free(r);
    free(x);
}

/* A window of reads of random distinct keys: some periodic, some random. */
static size_t random_window(gsl_rng *r, uint32_t w, uint32_t nkeys, uint32_t *keys) {
    size_t n = 0;
    for (uint32_t k = 0; k < nkeys; k++) {
        uint32_t period = 1u + k % 5;
        int read = k % 2 ? (w + k) % period == 0 : gsl_rng_uniform(r) < 1.0 / period;
        if (read) keys[n++] = k;
    }
    return n;
}

/* Over many seeds and budgets, no policy hits more than the prefetch
 * oracle; with equal sizes LRU never beats Belady's MIN; no cache ever
 * holds more than its budget; hits + misses = reads. */
static void test_oracle_never_beaten(void **state) {
    enum { KEYS = 24, WINDOWS = 120 };
    static const uint32_t sizes[] = {64, 512, 4096};
    uint32_t keys[KEYS], bytes[KEYS];
    for (uint64_t seed = 1; seed <= 40; seed++) {
        int unit = seed % 2 == 0;
        eng_prefetch_opts o = opts(unit ? 1 + (uint32_t)(seed % 7) : 1024u * (1 + (uint32_t)(seed % 9)));
        o.ar_order = 4;
        o.ar_history = 16;
        o.lstm_history = 6;
        o.lstm_hidden = 4;
        for (const eng_prefetch_policy *const *p = pol_prefetch_all(); *p; p++) {
            gsl_rng *r = gsl_rng_alloc(gsl_rng_mt19937);
            gsl_rng_set(r, (unsigned long)seed);
            eng_pf_cache *c = eng_pf_cache_new(&o, *p, &net, seed, NULL, 0);
            for (uint32_t w = 0; w < WINDOWS; w++) {
                size_t n = random_window(r, w, KEYS, keys);
                for (size_t i = 0; i < n; i++) bytes[i] = unit ? 1 : sizes[(keys[i] * 7 + seed) % 3];
                assert_int_equal(eng_pf_cache_window(c, (rt_time_t)w * RT_S, keys, bytes, n), 0);
            }
            eng_pf_stats st;
            eng_pf_stream s;
            eng_pf_cache_stats(c, &st);
            eng_pf_cache_stream(c, &s);
            assert_int_equal(st.hits + st.misses, st.reads);
            assert_true(st.peak_bytes <= o.budget);
            assert_true(st.wasted_bytes <= st.prefetch_bytes);
            assert_true(st.hits <= eng_pf_oracle_prefetch(&s, o.budget));
            if (unit && !(*p)->prefetches) assert_true(st.hits <= eng_pf_oracle_demand(&s, o.budget));
            eng_pf_cache_free(c);
            gsl_rng_free(r);
        }
    }
}

/* Runs `policy` on 8 keys of 100 B, key k read in the windows w with
 * w mod 4 = k mod 4 (two keys a window), in a cache of two items; returns
 * the hit rate over the last `tail` of `windows` windows. */
static double periodic_hit_rate(const char *policy, uint32_t windows, uint32_t tail) {
    eng_prefetch_opts o = opts(200);
    o.ar_order = 4;
    o.ar_history = 16;
    eng_pf_cache *c = eng_pf_cache_new(&o, pol_prefetch_find(policy), &net, 3, NULL, 0);
    eng_pf_stats before, after;
    for (uint32_t w = 0; w < windows; w++) {
        if (w == windows - tail) eng_pf_cache_stats(c, &before);
        uint32_t keys[2] = {w % 4, w % 4 + 4}, bytes[2] = {100, 100};
        assert_int_equal(eng_pf_cache_window(c, (rt_time_t)w * RT_S, keys, bytes, 2), 0);
    }
    eng_pf_cache_stats(c, &after);
    assert_true(after.peak_bytes <= 200);
    eng_pf_cache_free(c);
    return (double)(after.hits - before.hits) / (double)(after.reads - before.reads);
}

static void test_lstm_learns_periodic(void **state) {
    /* LRU holds the two keys just read, which come back 4 windows later:
     * it never hits; the oracle hits everything */
    assert_float_equal(periodic_hit_rate("lru", 200, 100), 0.0, 1e-12);
    assert_true(periodic_hit_rate("lstm", 600, 200) >= 0.95);
    /* AR(4) with x_t = x_{t-4} fits exactly */
    assert_float_equal(periodic_hit_rate("ar", 200, 100), 1.0, 1e-12);
}

static void test_registry(void **state) {
    const char *names[] = {"none", "lru", "ewma", "ar", "lstm"};
    for (size_t i = 0; i < 5; i++) {
        assert_string_equal(pol_prefetch_names[i], names[i]);
        assert_ptr_equal(pol_prefetch_all()[i], pol_prefetch_find(names[i]));
        assert_int_equal(pol_prefetch_all()[i]->abi, ENG_PREFETCH_POLICY_ABI);
    }
    assert_null(pol_prefetch_names[5]);
    assert_null(pol_prefetch_find("belady"));
}

static void test_check(void **state) {
    char err[256];
    eng_prefetch_opts o = opts(1000);
    assert_int_equal(eng_prefetch_check(&o, err, sizeof err), 0);
    o.config_period = 12;
    assert_int_equal(eng_prefetch_check(&o, err, sizeof err), -1);
    assert_non_null(strstr(err, "prefetch.config_period"));
    o = opts(1000);
    o.ar_history = 2 * o.ar_order;
    assert_int_equal(eng_prefetch_check(&o, err, sizeof err), -1);
    assert_non_null(strstr(err, "prefetch.ar.history"));
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_belady_textbook),
        cmocka_unit_test(test_lru_textbook),
        cmocka_unit_test(test_none_textbook),
        cmocka_unit_test(test_pipelined_misses),
        cmocka_unit_test(test_ewma_by_hand),
        cmocka_unit_test(test_ar2_recovery),
        cmocka_unit_test(test_oracle_never_beaten),
        cmocka_unit_test(test_lstm_learns_periodic),
        cmocka_unit_test(test_registry),
        cmocka_unit_test(test_check),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
