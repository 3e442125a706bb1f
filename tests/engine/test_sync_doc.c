/* The replicated document of edge-cloud sync: what a window of records does
 * to each value (hand-computed counts, sums in thousandths, extremes, latest
 * means), the alarm rule (an anomalous window adds the device, a normal one
 * removes it), the baselines (mean of every reading of a metric over all
 * sites), merging, scopes, digests, and the wire form (round trip to the same
 * bytes, every proper prefix rejected, a site out of range rejected). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>

#include <cmocka.h>
#include <stdlib.h>
#include <string.h>

#include "engine/crdt/gcounter.h"
#include "engine/crdt/lww.h"
#include "engine/crdt/pncounter.h"
#include "engine/crdt/xreg.h"
#include "engine/sync.h"
#include "engine/sync_baseline.h"
#include "engine/sync_doc.h"
#include "engine/sync_monitor.h"

static eng_rec agg(uint32_t dev, uint16_t metric, uint32_t count, double sum, double min, double max,
                   uint16_t flags) {
    eng_rec r = {0, 0, dev, 0, sum, min, max, count, metric, flags};
    return r;
}

/* Applies window recs of `site` to d as replica r at time t (the delta is dropped). */
static void apply(eng_sync_doc *d, crdt_replica_t r, crdt_hlc_clock *clk, rt_time_t t, uint32_t site,
                  const eng_rec *recs, size_t n) {
    eng_sync_doc *delta;
    assert_int_equal(eng_sync_doc_window(d, r, clk, t, site, recs, n, &delta), 0);
    eng_sync_doc_free(delta);
}

/* The baselines of every site of d as replica r at time t; *delta as
 * eng_sync_doc_baselines. */
static void baselines(eng_sync_doc *d, crdt_hlc_clock *clk, rt_time_t t, eng_sync_doc **delta) {
    eng_sync_totals *tot = eng_sync_totals_new(d->nsites);
    for (uint32_t s = 0; s < d->nsites; s++) eng_sync_totals_update(tot, d, s);
    assert_int_equal(eng_sync_doc_baselines(d, tot, 1, clk, t, delta), 0);
    eng_sync_totals_free(tot);
}

static const void *value(const eng_sync_doc *d, uint32_t site, eng_sync_value v, uint32_t dev,
                         uint16_t metric) {
    uint8_t k[6] = {(uint8_t)(dev >> 24), (uint8_t)(dev >> 16),   (uint8_t)(dev >> 8),
                    (uint8_t)dev,         (uint8_t)(metric >> 8), (uint8_t)metric};
    const crdt_map *m = d->parts[site * ENG_SYNC_NVALUES + v];
    return m ? crdt_map_get(m, k, sizeof k) : NULL;
}

static int alarmed(const eng_sync_doc *d, uint32_t dev) {
    uint8_t e[4] = {(uint8_t)(dev >> 24), (uint8_t)(dev >> 16), (uint8_t)(dev >> 8), (uint8_t)dev};
    const crdt_orset *a = d->parts[eng_sync_doc_alarms_part(d)];
    return a && crdt_orset_contains(a, e, sizeof e);
}

static double reg(const void *x) {
    double v = -1;
    assert_true(crdt_xreg_value(x, &v));
    return v;
}

static double last(const void *x) {
    double v = -1;
    assert_true(crdt_lww_value(x, &v, NULL, NULL));
    return v;
}

static void test_window_values(void **unused) {
    eng_sync_doc *d = eng_sync_doc_new(2), *delta;
    crdt_hlc_clock clk;
    crdt_hlc_init(&clk, 0);
    eng_rec w1[] = {agg(7, 1, 4, 10.0, 1.5, 4.0, 0), agg(8, 1, 2, -3.25, -2, -1.25, ENG_REC_ANOMALY)};
    assert_int_equal(eng_sync_doc_window(d, 3, &clk, RT_S, 1, w1, 2, &delta), 0);
    /* the delta holds exactly what changed: site 1's maps and the alarms */
    bool shared;
    assert_int_equal(eng_sync_doc_span(delta, &shared), 1);
    assert_true(shared);
    assert_false(eng_sync_doc_is_bottom(delta, ENG_SYNC_SITE_NONE));
    eng_sync_doc_free(delta);
    eng_rec w2[] = {agg(7, 1, 1, 9.0, 9.0, 9.0, 0), agg(8, 1, 1, 5.0, 5.0, 5.0, 0)};
    assert_int_equal(eng_sync_doc_window(d, 3, &clk, 2 * RT_S, 1, w2, 2, &delta), 0);
    eng_sync_doc_free(delta);
    assert_int_equal(crdt_gcounter_value(value(d, 1, ENG_SYNC_COUNT, 7, 1)), 5);
    assert_int_equal(crdt_pncounter_value(value(d, 1, ENG_SYNC_SUM, 7, 1)), 19000);
    assert_int_equal(crdt_pncounter_value(value(d, 1, ENG_SYNC_SUM, 8, 1)), 1750); /* -3250 + 5000 */
    assert_true(reg(value(d, 1, ENG_SYNC_MIN, 7, 1)) == 1.5);
    assert_true(reg(value(d, 1, ENG_SYNC_MAX, 7, 1)) == 9.0);
    assert_true(reg(value(d, 1, ENG_SYNC_MIN, 8, 1)) == -2.0);
    assert_true(last(value(d, 1, ENG_SYNC_LAST, 7, 1)) == 9.0); /* the second window's mean */
    assert_true(last(value(d, 1, ENG_SYNC_LAST, 8, 1)) == 5.0);
    assert_null(value(d, 0, ENG_SYNC_COUNT, 7, 1));
    /* device 8 was anomalous in window 1 and normal in window 2 */
    assert_false(alarmed(d, 8));
    eng_rec w3[] = {agg(8, 2, 1, 99, 99, 99, ENG_REC_ANOMALY), agg(8, 1, 1, 5, 5, 5, 0)};
    assert_int_equal(eng_sync_doc_window(d, 3, &clk, 3 * RT_S, 1, w3, 2, &delta), 0);
    eng_sync_doc_free(delta);
    assert_true(alarmed(d, 8)); /* one anomalous metric is enough */
    assert_false(alarmed(d, 7));
    eng_sync_doc_free(d);
}

static void test_baselines(void **unused) {
    eng_sync_doc *d = eng_sync_doc_new(2), *delta;
    crdt_hlc_clock clk;
    crdt_hlc_init(&clk, 0);
    eng_rec a[] = {agg(1, 0, 2, 10, 4, 6, 0), agg(1, 1, 1, 100, 100, 100, 0)};
    eng_rec b[] = {agg(5, 0, 3, 2, 0, 1, 0)};
    apply(d, 2, &clk, RT_S, 0, a, 2);
    apply(d, 3, &clk, RT_S, 1, b, 1);
    baselines(d, &clk, 2 * RT_S, &delta);
    assert_non_null(delta);
    const crdt_map *base = delta->parts[eng_sync_doc_alarms_part(d) + 1];
    assert_int_equal(crdt_map_size(base), 2);
    uint8_t m0[2] = {0, 0}, m1[2] = {0, 1};
    /* metric 0: (10 + 2) / (2 + 3) readings; metric 1: 100 / 1 */
    assert_true(last(crdt_map_get(base, m0, 2)) == 12.0 / 5.0);
    assert_true(last(crdt_map_get(base, m1, 2)) == 100.0);
    eng_sync_doc_free(delta);
    /* nothing changed: no writes */
    baselines(d, &clk, 3 * RT_S, &delta);
    assert_null(delta);
    eng_sync_doc_free(d);
}

/* Totals are per site: a site's new values count once it is read again,
 * and the other sites' totals stand. */
static void test_baselines_per_site(void **unused) {
    eng_sync_doc *d = eng_sync_doc_new(2), *delta;
    crdt_hlc_clock clk;
    crdt_hlc_init(&clk, 0);
    eng_sync_totals *t = eng_sync_totals_new(2);
    eng_rec a = agg(1, 0, 4, 40, 10, 10, 0), b = agg(9, 0, 1, 5, 5, 5, 0);
    apply(d, 2, &clk, RT_S, 0, &a, 1);
    eng_sync_totals_update(t, d, 0);
    apply(d, 3, &clk, RT_S, 1, &b, 1);
    uint8_t m0[2] = {0, 0};
    assert_int_equal(eng_sync_doc_baselines(d, t, 1, &clk, 2 * RT_S, &delta), 0);
    assert_true(last(crdt_map_get(delta->parts[eng_sync_doc_alarms_part(d) + 1], m0, 2)) ==
                10.0); /* 40 / 4 */
    eng_sync_doc_free(delta);
    eng_sync_totals_update(t, d, 1);
    assert_int_equal(eng_sync_doc_baselines(d, t, 1, &clk, 3 * RT_S, &delta), 0);
    assert_true(last(crdt_map_get(delta->parts[eng_sync_doc_alarms_part(d) + 1], m0, 2)) == 9.0); /* 45 / 5 */
    eng_sync_doc_free(delta);
    eng_sync_totals_free(t);
    eng_sync_doc_free(d);
}

static eng_sync_doc *sample_doc(void) {
    eng_sync_doc *d = eng_sync_doc_new(3), *delta;
    crdt_hlc_clock clk;
    crdt_hlc_init(&clk, 0);
    eng_rec a[] = {agg(1, 0, 2, 10, 4, 6, ENG_REC_ANOMALY), agg(2, 3, 1, -1, -1, -1, 0)};
    eng_rec b[] = {agg(40, 1, 3, 2.5, 0, 1, 0)};
    apply(d, 2, &clk, RT_S, 0, a, 2);
    apply(d, 4, &clk, RT_S, 2, b, 1);
    baselines(d, &clk, 2 * RT_S, &delta);
    eng_sync_doc_free(delta);
    return d;
}

static void test_merge_and_scope(void **unused) {
    eng_sync_doc *d = sample_doc(), *site0 = eng_sync_doc_new(3), *into = eng_sync_doc_new(3), *grown;
    assert_int_equal(eng_sync_doc_join(site0, d, 0), 0);
    bool shared;
    assert_int_equal(eng_sync_doc_span(site0, &shared), 0); /* only site 0's maps and the shared parts came */
    assert_true(shared);
    eng_sync_digest *g0 = eng_sync_digest_of(d, 0), *g1 = eng_sync_digest_of(site0, 0);
    eng_sync_digest *g2 = eng_sync_digest_of(site0, ENG_SYNC_ALL_SITES),
                    *g3 = eng_sync_digest_of(d, ENG_SYNC_ALL_SITES);
    assert_int_equal(eng_sync_digest_diff(g0, g1), 0);
    /* site 2's one key is the whole difference seen from everywhere */
    assert_int_equal(eng_sync_digest_diff(g2, g3), 1);
    /* 2 keys of site 0, 1 alarm, 3 baselines (metrics 0, 1 and 3) */
    assert_int_equal(g0->n, 6);
    assert_int_equal(eng_sync_doc_merge(into, site0, &grown), 0);
    assert_non_null(grown);
    eng_sync_doc_free(grown);
    assert_int_equal(eng_sync_doc_merge(into, d, &grown), 0);
    assert_int_equal(eng_sync_doc_span(grown, &(bool){0}), 2); /* only site 2 was new */
    eng_sync_doc_free(grown);
    eng_sync_doc *again = sample_doc();
    assert_int_equal(eng_sync_doc_merge(into, again, &grown), 0);
    assert_null(grown); /* merging what is already there grows nothing */
    eng_sync_digest_free(g0);
    eng_sync_digest_free(g1);
    eng_sync_digest_free(g2);
    eng_sync_digest_free(g3);
    eng_sync_doc_free(again);
    eng_sync_doc_free(site0);
    eng_sync_doc_free(into);
    eng_sync_doc_free(d);
}

static void test_codec(void **unused) {
    eng_sync_doc *d = sample_doc();
    crdt_buf b;
    crdt_buf_init(&b);
    eng_sync_doc_encode(d, ENG_SYNC_ALL_SITES, &b);
    assert_false(b.oom);
    assert_int_equal(b.len, eng_sync_doc_size(d, ENG_SYNC_ALL_SITES));
    crdt_rd rd;
    crdt_rd_init(&rd, b.p, b.len);
    eng_sync_doc *back;
    assert_int_equal(eng_sync_doc_decode(&rd, 3, &back), 0);
    assert_int_equal(rd.pos, b.len);
    crdt_buf again;
    crdt_buf_init(&again);
    eng_sync_doc_encode(back, ENG_SYNC_ALL_SITES, &again);
    assert_int_equal(again.len, b.len);
    assert_memory_equal(again.p, b.p, b.len);
    for (size_t n = 0; n < b.len; n++) {
        uint8_t *cut = malloc(n ? n : 1);
        memcpy(cut, b.p, n);
        crdt_rd_init(&rd, cut, n);
        eng_sync_doc *x = NULL;
        assert_true(eng_sync_doc_decode(&rd, 3, &x) < 0);
        assert_null(x);
        free(cut);
    }
    /* a site beyond the document's is refused */
    eng_sync_doc *narrow = NULL;
    crdt_rd_init(&rd, b.p, b.len);
    assert_int_equal(eng_sync_doc_decode(&rd, 2, &narrow), CRDT_EMALFORMED);
    assert_null(narrow);
    crdt_buf_free(&again);
    crdt_buf_free(&b);
    eng_sync_doc_free(back);
    eng_sync_doc_free(d);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_window_values),
        cmocka_unit_test(test_baselines),
        cmocka_unit_test(test_baselines_per_site),
        cmocka_unit_test(test_merge_and_scope),
        cmocka_unit_test(test_codec),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
