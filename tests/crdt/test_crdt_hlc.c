/* Hybrid logical clocks: the update rules of Kulkarni et al. (2014) on
 * hand-worked sequences; rejection of far-future peers and clock exhaustion;
 * and, over a random run of several nodes with skewed and wandering physical
 * clocks, the paper's guarantees: each node's timestamps strictly increase,
 * a receive is stamped after the send it follows, l never lags physical time
 * and never leads it by more than the clock offset bound. Finally the reason
 * the LWW register uses an HLC: a write that causally follows another wins
 * even when its writer's physical clock is behind. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>

#include <cmocka.h>
#include <gsl/gsl_rng.h>

#include "engine/crdt/hlc.h"
#include "engine/crdt/lww.h"

static crdt_hlc H(int64_t l, uint32_t c) { return (crdt_hlc){l, c}; }

static void expect(crdt_hlc got, int64_t l, uint32_t c) {
    assert_int_equal(got.l, l);
    assert_int_equal(got.c, c);
}

static void test_rules_by_hand(void **state) {
    crdt_hlc_clock k;
    crdt_hlc t;
    crdt_hlc_init(&k, 0);
    assert_int_equal(crdt_hlc_now(&k, 100, &t), 0), expect(t, 100, 0);
    assert_int_equal(crdt_hlc_now(&k, 100, &t), 0), expect(t, 100, 1); /* same pt: c counts */
    assert_int_equal(crdt_hlc_now(&k, 90, &t), 0), expect(t, 100, 2);  /* pt went back: l holds */
    assert_int_equal(crdt_hlc_now(&k, 150, &t), 0), expect(t, 150, 0); /* pt passed l: c resets */
    /* receive, l.m largest: c = c.m + 1 */
    assert_int_equal(crdt_hlc_recv(&k, 160, H(200, 5), &t), 0), expect(t, 200, 6);
    /* l' = l.m >= pt: c = max(c, c.m) + 1 */
    assert_int_equal(crdt_hlc_recv(&k, 170, H(200, 3), &t), 0), expect(t, 200, 7);
    /* l' largest: c = c + 1 */
    assert_int_equal(crdt_hlc_recv(&k, 100, H(190, 9), &t), 0), expect(t, 200, 8);
    /* pt largest: c = 0 */
    assert_int_equal(crdt_hlc_recv(&k, 300, H(100, 9), &t), 0), expect(t, 300, 0);
    /* pt = l' = l.m: c = max(c, c.m) + 1 */
    assert_int_equal(crdt_hlc_recv(&k, 300, H(300, 4), &t), 0), expect(t, 300, 5);
}

static void test_offset_and_exhaustion(void **state) {
    crdt_hlc_clock k;
    crdt_hlc t;
    crdt_hlc_init(&k, 1000000); /* 1 ms */
    assert_int_equal(crdt_hlc_now(&k, 5000000, &t), 0);
    assert_int_equal(crdt_hlc_recv(&k, 5000000, H(7000000, 0), &t), CRDT_ECLOCK);
    expect(k.last, 5000000, 0); /* unchanged */
    assert_int_equal(crdt_hlc_recv(&k, 5000000, H(6000000, 2), &t), 0), expect(t, 6000000, 3);
    assert_int_equal(crdt_hlc_recv(&k, INT64_MIN, H(INT64_MAX, 0), &t), CRDT_ECLOCK); /* no overflow */

    crdt_hlc_init(&k, 0);
    k.last = H(5, UINT32_MAX);
    assert_int_equal(crdt_hlc_now(&k, 5, &t), 0), expect(t, 6, 0); /* c carries into l */
    k.last = H(INT64_MAX, UINT32_MAX);
    assert_int_equal(crdt_hlc_now(&k, 0, &t), CRDT_ECLOCK);
    assert_int_equal(crdt_hlc_recv(&k, 0, H(INT64_MAX, 3), &t), CRDT_ECLOCK);
    expect(k.last, INT64_MAX, UINT32_MAX);
}

enum { NODES = 4, EVENTS = 100000 };
#define EPS 5000000 /* physical clocks stay within 5 ms of each other */

typedef struct hmsg {
    int to;
    int64_t at; /* true delivery time */
    crdt_hlc stamp;
} hmsg;

static void test_guarantees_under_skew(void **state) {
    gsl_rng *rng = gsl_rng_alloc(gsl_rng_mt19937);
    gsl_rng_set(rng, 2014);
    crdt_hlc_clock k[NODES];
    crdt_hlc last[NODES];
    int64_t off[NODES], pt[NODES], now = 0;
    static hmsg q[EVENTS];
    size_t nq = 0;
    for (int i = 0; i < NODES; i++) {
        crdt_hlc_init(&k[i], 0);
        off[i] = (int64_t)gsl_rng_uniform_int(rng, EPS / 2 + 1) - EPS / 4;
        pt[i] = now + off[i];
        last[i] = H(INT64_MIN, 0);
    }
    int64_t max_lead = 0;
    uint32_t max_c = 0;
    for (int e = 0; e < EVENTS; e++) {
        now += (int64_t)gsl_rng_uniform_int(rng, 20000); /* 0-20 us between events */
        for (int i = 0; i < NODES; i++) {
            /* offsets wander within [-EPS/2, EPS/2] but physical clocks never run backwards */
            int64_t o = off[i] + (int64_t)gsl_rng_uniform_int(rng, 20001) - 10000;
            if (o > EPS / 2) o = EPS / 2;
            if (o < -EPS / 2) o = -EPS / 2;
            if (now + o >= pt[i]) off[i] = o;
            pt[i] = now + off[i];
        }
        int i = (int)gsl_rng_uniform_int(rng, NODES);
        crdt_hlc t;
        size_t due = nq;
        for (size_t m = 0; m < nq && due == nq; m++)
            if (q[m].to == i && q[m].at <= now) due = m;
        if (due < nq) {
            crdt_hlc sent = q[due].stamp;
            q[due] = q[--nq];
            assert_int_equal(crdt_hlc_recv(&k[i], pt[i], sent, &t), 0);
            assert_true(crdt_hlc_cmp(t, sent) > 0); /* a receive follows its send */
        } else {
            assert_int_equal(crdt_hlc_now(&k[i], pt[i], &t), 0);
            if (gsl_rng_uniform(rng) < 0.5) {
                int to = (int)gsl_rng_uniform_int(rng, NODES - 1);
                q[nq++] = (hmsg){to >= i ? to + 1 : to, now + (int64_t)gsl_rng_uniform_int(rng, 3000000), t};
            }
        }
        assert_true(crdt_hlc_cmp(t, last[i]) > 0); /* strictly monotonic per node */
        last[i] = t;
        assert_true(t.l >= pt[i]);
        assert_true(t.l - pt[i] <= EPS); /* bounded drift: |l - pt| <= epsilon (Theorem 2) */
        if (t.l - pt[i] > max_lead) max_lead = t.l - pt[i];
        if (t.c > max_c) max_c = t.c;
    }
    /* skew mattered: clocks did lead physical time, and c stayed small */
    assert_true(max_lead > EPS / 10);
    assert_true(max_c < 1000);
    gsl_rng_free(rng);
}

static void test_monotonic_when_pt_jumps_back(void **state) {
    crdt_hlc_clock k;
    crdt_hlc t, prev;
    crdt_hlc_init(&k, 0);
    assert_int_equal(crdt_hlc_now(&k, 10000000000, &prev), 0);
    for (int i = 0; i < 1000; i++) { /* physical clock stepped back 1 s (an NTP correction) */
        assert_int_equal(crdt_hlc_now(&k, 9000000000 + i, &t), 0);
        assert_true(crdt_hlc_cmp(t, prev) > 0);
        assert_int_equal(t.l, 10000000000);
        prev = t;
    }
    assert_int_equal(crdt_hlc_now(&k, 10000000001, &t), 0), expect(t, 10000000001, 0);
}

static void test_lww_causal_write_wins(void **state) {
    crdt_hlc_clock a, b;
    crdt_hlc ta, tb;
    crdt_hlc_init(&a, 0);
    crdt_hlc_init(&b, 0);
    crdt_lww *ra = crdt_lww_new(), *rb = crdt_lww_new(), *d = NULL;
    assert_int_equal(crdt_hlc_now(&a, 1000000000, &ta), 0); /* A's clock is 0.5 s ahead of B's */
    assert_int_equal(crdt_lww_set(ra, ta, 1, 10.0, &d), 0);
    assert_int_equal(crdt_hlc_recv(&b, 500000000, ta, &tb), 0); /* B receives A's write ... */
    assert_int_equal(crdt_lww_merge(rb, d), 0);
    crdt_lww_free(d);
    assert_int_equal(crdt_hlc_now(&b, 500000001, &tb), 0); /* ... then overwrites it */
    assert_int_equal(crdt_lww_set(rb, tb, 2, 20.0, &d), 0);
    assert_int_equal(crdt_lww_merge(ra, d), 0);
    double v;
    assert_true(crdt_lww_value(ra, &v, NULL, NULL));
    assert_true(v == 20.0); /* physical timestamps alone would have kept 10 */
    assert_true(crdt_lww_eq(ra, rb));
    crdt_lww_free(d);
    crdt_lww_free(ra);
    crdt_lww_free(rb);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_rules_by_hand),         cmocka_unit_test(test_offset_and_exhaustion),
        cmocka_unit_test(test_guarantees_under_skew), cmocka_unit_test(test_monotonic_when_pt_jumps_back),
        cmocka_unit_test(test_lww_causal_write_wins),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
