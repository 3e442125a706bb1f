/* Per-type semantics and exact wire bytes, against hand computation: counter
 * overflow and saturation, register canonicalisation, add-wins and bounded
 * metadata in the OR-Set, the map's removal semantics, argument errors that
 * leave a state unchanged, byte-exact encodings of small states, and the
 * decoder's rejection of each kind of non-canonical input. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>

#include <cmocka.h>
#include <gsl/gsl_rng.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "engine/crdt/gcounter.h"
#include "engine/crdt/lww.h"
#include "engine/crdt/map.h"
#include "engine/crdt/orset.h"
#include "engine/crdt/pncounter.h"
#include "engine/crdt/xreg.h"

/* Asserts that t encodes s as exactly the n bytes `want`, and decodes them back. */
static void expect_bytes(const crdt_type *t, const void *s, const uint8_t *want, size_t n) {
    uint8_t *got;
    size_t len;
    assert_int_equal(crdt_encode(t, s, &got, &len), 0);
    assert_int_equal(len, n);
    assert_memory_equal(got, want, n);
    void *back = NULL;
    assert_int_equal(crdt_decode(t, want, n, &back, NULL, 0), 0);
    assert_true(t->eq(back, s));
    t->destroy(back);
    free(got);
}

static int decode_code(const crdt_type *t, const uint8_t *p, size_t n) {
    void *s = NULL;
    char err[200] = "";
    int rc = crdt_decode(t, p, n, &s, err, sizeof err);
    if (rc == 0)
        t->destroy(s);
    else
        assert_true(strncmp(err, "byte ", 5) == 0);
    return rc;
}

static void test_counters(void **state) {
    crdt_gcounter *g = crdt_gcounter_new(), *d = NULL;
    assert_int_equal(crdt_gcounter_inc(g, 1, 5, &d), 0);
    assert_int_equal(crdt_gcounter_inc(g, 300, 2, NULL), 0);
    static const uint8_t gbytes[] = {1, CRDT_GCOUNTER, 2, 0x01, 0x05, 0xAC, 0x02, 0x02};
    expect_bytes(&crdt_gcounter_type, g, gbytes, sizeof gbytes);
    assert_int_equal(crdt_gcounter_value(g), 7);
    crdt_gcounter_free(d);
    assert_int_equal(crdt_gcounter_inc(g, 1, UINT64_MAX - 5, NULL), 0);
    assert_int_equal(crdt_gcounter_inc(g, 1, 1, NULL), CRDT_EOVERFLOW);
    assert_int_equal(crdt_gcounter_get(g, 1), UINT64_MAX);
    assert_int_equal(crdt_gcounter_value(g), UINT64_MAX); /* saturates */
    assert_int_equal(crdt_gcounter_inc(g, 9, 0, &d), 0);
    assert_true(crdt_gcounter_type.is_bottom(d)); /* nothing changed: bottom delta */
    crdt_gcounter_free(d);
    crdt_gcounter_free(g);

    crdt_pncounter *p = crdt_pncounter_new(), *pd = NULL;
    assert_int_equal(crdt_pncounter_add(p, 2, -3, &pd), 0);
    static const uint8_t pbytes[] = {1, CRDT_PNCOUNTER, 0, 1, 0x02, 0x03};
    expect_bytes(&crdt_pncounter_type, pd, pbytes, sizeof pbytes);
    assert_int_equal(crdt_pncounter_add(p, 2, INT64_MIN, NULL), 0);
    assert_int_equal(crdt_pncounter_value(p), INT64_MIN); /* -3 + INT64_MIN saturates */
    assert_int_equal(crdt_pncounter_add(p, 3, INT64_MAX, NULL), 0);
    assert_int_equal(crdt_pncounter_value(p), -4);
    crdt_pncounter_free(pd);
    crdt_pncounter_free(p);
}

static void test_registers(void **state) {
    crdt_xreg *mx = crdt_maxreg_new(), *mn = crdt_minreg_new(), *d = NULL;
    double v;
    assert_false(crdt_xreg_value(mx, &v));
    assert_int_equal(crdt_xreg_write(mx, NAN, NULL), CRDT_EINVAL);
    assert_int_equal(crdt_xreg_write(mx, 1.5, NULL), 0);
    static const uint8_t xbytes[] = {1, CRDT_MAXREG, 1, 0, 0, 0, 0, 0, 0, 0xF8, 0x3F};
    expect_bytes(&crdt_maxreg_type, mx, xbytes, sizeof xbytes);
    assert_int_equal(crdt_xreg_write(mx, 1.0, &d), 0);
    assert_true(crdt_maxreg_type.is_bottom(d)); /* a lower offer changes nothing */
    crdt_xreg_free(d);
    assert_int_equal(crdt_xreg_write(mn, -0.0, NULL), 0);
    assert_true(crdt_xreg_value(mn, &v) && v == 0 && !signbit(v));
    assert_int_equal(crdt_xreg_write(mn, -INFINITY, NULL), 0);
    assert_true(crdt_xreg_value(mn, &v) && v == -INFINITY);
    crdt_xreg *back = NULL;
    uint8_t *enc;
    size_t n;
    assert_int_equal(crdt_xreg_encode(mn, &enc, &n), 0);
    assert_int_equal(enc[1], CRDT_MINREG);
    assert_int_equal(crdt_xreg_decode(enc, n, &back, NULL, 0), 0);
    assert_false(crdt_xreg_is_max(back));
    assert_true(crdt_xreg_eq(back, mn));
    free(enc);
    crdt_xreg_free(back);
    crdt_xreg_free(mx);
    crdt_xreg_free(mn);

    crdt_lww *r = crdt_lww_new(), *ld = NULL;
    assert_int_equal(crdt_lww_set(r, (crdt_hlc){-1, 2}, 7, 0.5, NULL), 0);
    static const uint8_t lbytes[] = {1, CRDT_LWW, 1, 0x01, 0x02, 0x07, 0, 0, 0, 0, 0, 0, 0xE0, 0x3F};
    expect_bytes(&crdt_lww_type, r, lbytes, sizeof lbytes);
    assert_int_equal(crdt_lww_set(r, (crdt_hlc){-1, 1}, 9, 3.0, &ld), 0); /* older stamp loses */
    assert_true(crdt_lww_type.is_bottom(ld));
    crdt_lww_free(ld);
    /* same stamp: the higher replica id wins, whatever the values */
    assert_int_equal(crdt_lww_set(r, (crdt_hlc){-1, 2}, 8, 0.25, NULL), 0);
    assert_int_equal(crdt_lww_set(r, (crdt_hlc){-1, 2}, 6, 9.0, NULL), 0);
    crdt_replica_t who;
    assert_true(crdt_lww_value(r, &v, NULL, &who) && v == 0.25 && who == 8);
    assert_int_equal(crdt_lww_set(r, (crdt_hlc){5, 0}, 1, NAN, NULL), CRDT_EINVAL);
    crdt_lww_free(r);
}

static void test_orset_add_wins(void **state) {
    crdt_orset *a = crdt_orset_new(), *b = crdt_orset_new(), *d = NULL, *da = NULL, *db = NULL;
    assert_int_equal(crdt_orset_add(a, 1, "x", 1, &d), 0);
    static const uint8_t obytes[] = {1, CRDT_ORSET, 1, 1, 1, 0, 1, 1, 'x', 1, 1, 1};
    expect_bytes(&crdt_orset_type, d, obytes, sizeof obytes);
    assert_int_equal(crdt_orset_merge(b, d), 0);
    crdt_orset_free(d);
    assert_int_equal(crdt_orset_remove(a, "x", 1, &da), 0); /* A removes x ... */
    assert_int_equal(crdt_orset_add(b, 2, "x", 1, &db), 0); /* ... while B adds it again */
    assert_int_equal(crdt_orset_merge(a, db), 0);
    assert_int_equal(crdt_orset_merge(b, da), 0);
    assert_true(crdt_orset_contains(a, "x", 1) && crdt_orset_contains(b, "x", 1)); /* the add wins */
    assert_true(crdt_orset_eq(a, b));
    crdt_orset_free(da);
    crdt_orset_free(db);
    assert_int_equal(crdt_orset_remove(b, "x", 1, &db), 0); /* a remove that saw every add */
    assert_int_equal(crdt_orset_merge(a, db), 0);
    assert_false(crdt_orset_contains(a, "x", 1));
    assert_int_equal(crdt_orset_size(a), 0);
    crdt_orset_free(db);
    uint8_t big[CRDT_KEY_MAX + 1] = {0};
    assert_int_equal(crdt_orset_add(a, 1, big, sizeof big, NULL), CRDT_EINVAL);
    assert_int_equal(crdt_orset_add(a, 1, big, CRDT_KEY_MAX, NULL), 0);
    crdt_orset_free(a);
    crdt_orset_free(b);
}

/* Deltas arriving out of order leave dots in the cloud; once the gap fills,
 * the context folds back into one counter per replica. */
static void test_orset_context_compaction(void **state) {
    crdt_orset *a = crdt_orset_new(), *b = crdt_orset_new(), *d[3];
    const char *el[3] = {"p", "q", "r"};
    for (int i = 0; i < 3; i++) assert_int_equal(crdt_orset_add(a, 4, el[i], 1, &d[i]), 0);
    size_t vv, cloud;
    assert_int_equal(crdt_orset_merge(b, d[2]), 0);
    assert_int_equal(crdt_orset_merge(b, d[1]), 0);
    crdt_orset_meta(b, &vv, &cloud);
    assert_int_equal(vv, 0);
    assert_int_equal(cloud, 2);
    assert_int_equal(crdt_orset_merge(b, d[0]), 0);
    crdt_orset_meta(b, &vv, &cloud);
    assert_int_equal(vv, 1);
    assert_int_equal(cloud, 0);
    assert_true(crdt_orset_eq(a, b));
    for (int i = 0; i < 3; i++) crdt_orset_free(d[i]);
    crdt_orset_free(a);
    crdt_orset_free(b);
}

/* Thousands of adds and removes leave metadata of one counter per replica,
 * not a tombstone per remove. */
static void test_orset_metadata_bounded(void **state) {
    gsl_rng *rng = gsl_rng_alloc(gsl_rng_mt19937);
    gsl_rng_set(rng, 9);
    enum { R = 3, OPS = 3000 };
    crdt_orset *s[R], **deltas = malloc(OPS * sizeof *deltas);
    int from[OPS];
    for (int r = 0; r < R; r++) s[r] = crdt_orset_new();
    for (int k = 0; k < OPS; k++) {
        int r = (int)gsl_rng_uniform_int(rng, R);
        char e = (char)('a' + gsl_rng_uniform_int(rng, 5));
        from[k] = r;
        if (gsl_rng_uniform(rng) < 0.5)
            assert_int_equal(crdt_orset_add(s[r], (crdt_replica_t)r, &e, 1, &deltas[k]), 0);
        else
            assert_int_equal(crdt_orset_remove(s[r], &e, 1, &deltas[k]), 0);
    }
    for (int k = OPS - 1; k > 0; k--) { /* deliver in a random order */
        int j = (int)gsl_rng_uniform_int(rng, (unsigned long)k + 1);
        crdt_orset *t = deltas[k];
        deltas[k] = deltas[j], deltas[j] = t;
        int f = from[k];
        from[k] = from[j], from[j] = f;
    }
    for (int k = 0; k < OPS; k++) {
        for (int r = 0; r < R; r++)
            if (r != from[k]) assert_int_equal(crdt_orset_merge(s[r], deltas[k]), 0);
        crdt_orset_free(deltas[k]);
    }
    for (int r = 0; r < R; r++) {
        size_t vv, cloud;
        crdt_orset_meta(s[r], &vv, &cloud);
        assert_int_equal(cloud, 0);
        assert_true(vv <= R);
        assert_true(crdt_orset_eq(s[r], s[R - 1]));
        uint8_t *enc;
        size_t n;
        assert_int_equal(crdt_orset_encode(s[r], &enc, &n), 0);
        assert_true(n < 64); /* 5 elements and 3 counters, whatever the history */
        free(enc);
    }
    for (int r = 0; r < R; r++) crdt_orset_free(s[r]);
    free(deltas);
    gsl_rng_free(rng);
}

static int64_t pn_at(const crdt_map *m, const char *key) {
    const void *v = crdt_map_get(m, key, strlen(key));
    assert_non_null(v);
    return crdt_pncounter_value(v);
}

/* Map removal: an update concurrent with a remove wins, and values are not
 * reset — the key shows every update it ever had. */
static void test_map_removal(void **state) {
    crdt_map *a = crdt_map_new(&crdt_pncounter_type), *b = crdt_map_new(&crdt_pncounter_type), *d = NULL,
             *da = NULL, *db = NULL;
    crdt_op add = {.kind = CRDT_OP_ADD, .i = -3};
    assert_int_equal(crdt_map_update(a, 2, "k", 1, &add, &d), 0);
    static const uint8_t mbytes[] = {1, CRDT_MAP, CRDT_PNCOUNTER, 1, 2, 1, 0, 1, 1, 'k', 1, 2, 1, 0, 1, 2, 3};
    expect_bytes(&crdt_map_type, d, mbytes, sizeof mbytes);
    assert_int_equal(crdt_map_merge(b, d), 0);
    crdt_map_free(d);
    add.i = 5;
    assert_int_equal(crdt_map_remove(a, "k", 1, &da), 0);
    assert_null(crdt_map_get(a, "k", 1));
    assert_int_equal(crdt_map_update(b, 3, "k", 1, &add, &db), 0);
    assert_int_equal(crdt_map_merge(a, db), 0);
    assert_int_equal(crdt_map_merge(b, da), 0);
    assert_true(crdt_map_eq(a, b));
    assert_int_equal(pn_at(a, "k"), 2); /* -3 survives the remove: no reset */
    crdt_map_free(da);
    crdt_map_free(db);
    assert_int_equal(crdt_map_remove(a, "k", 1, NULL), 0);
    size_t vv, cloud, hidden;
    crdt_map_meta(a, &vv, &cloud, &hidden);
    assert_int_equal(crdt_map_size(a), 0);
    assert_int_equal(hidden, 1);
    assert_int_equal(vv, 2);
    assert_int_equal(cloud, 0);
    add.i = 1;
    assert_int_equal(crdt_map_update(a, 2, "k", 1, &add, NULL), 0);
    assert_int_equal(pn_at(a, "k"), 3);

    crdt_map *before = crdt_map_clone(a);
    crdt_op wrong = {.kind = CRDT_OP_INC, .u = 1};
    assert_int_equal(crdt_map_update(a, 2, "z", 1, &wrong, &d), CRDT_EINVAL);
    assert_int_equal(crdt_map_update(a, 2, "k", 1, NULL, &d), CRDT_EINVAL);
    assert_true(crdt_map_eq(a, before)); /* a rejected update changes nothing */
    crdt_map *other = crdt_map_new(&crdt_gcounter_type);
    assert_int_equal(crdt_map_merge(a, other), CRDT_EINVAL);
    assert_false(crdt_map_leq(other, a));
    assert_null(crdt_map_new(&crdt_map_type)); /* no maps of maps */
    crdt_map_free(other);
    crdt_map_free(before);
    crdt_map_free(a);
    crdt_map_free(b);
}

/* Each rule of canonical form, broken once. */
static void test_decoder_rejects(void **state) {
    const crdt_type *gc = &crdt_gcounter_type, *os = &crdt_orset_type;
    static const uint8_t ok[] = {1, 1, 2, 1, 5, 2, 1};
    assert_int_equal(decode_code(gc, ok, sizeof ok), 0);
    static const uint8_t overlong[] = {1, 1, 1, 0x81, 0x00, 5};
    assert_int_equal(decode_code(gc, overlong, sizeof overlong), CRDT_EMALFORMED);
    static const uint8_t too_wide[] = {1,    1,    1,    1,    0xff, 0xff, 0xff,
                                       0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x02};
    assert_int_equal(decode_code(gc, too_wide, sizeof too_wide), CRDT_EMALFORMED);
    static const uint8_t unsorted[] = {1, 1, 2, 2, 5, 1, 1};
    assert_int_equal(decode_code(gc, unsorted, sizeof unsorted), CRDT_EMALFORMED);
    static const uint8_t zero[] = {1, 1, 1, 1, 0};
    assert_int_equal(decode_code(gc, zero, sizeof zero), CRDT_EMALFORMED);
    /* a count of 2^63 entries in 1 byte: rejected before any allocation */
    static const uint8_t huge[] = {1, 1, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x01};
    assert_int_equal(decode_code(gc, huge, sizeof huge), CRDT_ETRUNC);
    static const uint8_t version[] = {2, 1, 0};
    assert_int_equal(decode_code(gc, version, sizeof version), CRDT_EVERSION);
    static const uint8_t tag[] = {1, 9, 0};
    void *s = NULL;
    const crdt_type *t = NULL;
    assert_int_equal(crdt_decode_any(tag, sizeof tag, &t, &s, NULL, 0), CRDT_ETYPE);
    static const uint8_t empty_set[] = {1, 6, 0, 0, 0};
    assert_int_equal(crdt_decode_any(empty_set, sizeof empty_set, &t, &s, NULL, 0), 0);
    assert_ptr_equal(t, os);
    os->destroy(s);

    static const uint8_t nan[] = {1, CRDT_MAXREG, 1, 0, 0, 0, 0, 0, 0, 0xF8, 0x7F};
    assert_int_equal(decode_code(&crdt_maxreg_type, nan, sizeof nan), CRDT_EMALFORMED);
    static const uint8_t negzero[] = {1, CRDT_MINREG, 1, 0, 0, 0, 0, 0, 0, 0, 0x80};
    assert_int_equal(decode_code(&crdt_minreg_type, negzero, sizeof negzero), CRDT_EMALFORMED);
    static const uint8_t flag[] = {1, CRDT_LWW, 2};
    assert_int_equal(decode_code(&crdt_lww_type, flag, sizeof flag), CRDT_EMALFORMED);
    static const uint8_t wide_c[] = {1, CRDT_LWW, 1, 0, 0x80, 0x80, 0x80, 0x80, 0x10,
                                     1, 0,        0, 0, 0,    0,    0,    0,    0};
    assert_int_equal(decode_code(&crdt_lww_type, wide_c, sizeof wide_c), CRDT_EMALFORMED);

    /* OR-Set: context {1: 1} and cloud {(1, 2)} — (1, 2) should have been folded in */
    static const uint8_t unfolded[] = {1, 6, 1, 1, 1, 1, 1, 2, 0};
    assert_int_equal(decode_code(os, unfolded, sizeof unfolded), CRDT_EMALFORMED);
    static const uint8_t dot_unseen[] = {1, 6, 1, 1, 1, 0, 1, 1, 'x', 1, 1, 2};
    assert_int_equal(decode_code(os, dot_unseen, sizeof dot_unseen), CRDT_EMALFORMED);
    static const uint8_t no_dots[] = {1, 6, 1, 1, 1, 0, 1, 1, 'x', 0, 0, 0};
    assert_int_equal(decode_code(os, no_dots, sizeof no_dots), CRDT_EMALFORMED);
    static const uint8_t shared_dot[] = {1, 6, 1, 1, 1, 0, 2, 1, 'x', 1, 1, 1, 1, 'y', 1, 1, 1};
    assert_int_equal(decode_code(os, shared_dot, sizeof shared_dot), CRDT_EMALFORMED);
    static const uint8_t keys_unsorted[] = {1, 6, 1, 1, 2, 0, 2, 1, 'y', 1, 1, 1, 1, 'x', 1, 1, 2};
    assert_int_equal(decode_code(os, keys_unsorted, sizeof keys_unsorted), CRDT_EMALFORMED);
    uint8_t long_key[8 + CRDT_KEY_MAX + 1 + 3] = {1, 6, 1, 1, 1, 0, 1, 0x81, 0x02};
    long_key[9 + CRDT_KEY_MAX + 1] = 1;
    assert_int_equal(decode_code(os, long_key, sizeof long_key), CRDT_EMALFORMED);
    static const uint8_t map_of_map[] = {1, CRDT_MAP, CRDT_MAP, 0, 0, 0};
    assert_int_equal(decode_code(&crdt_map_type, map_of_map, sizeof map_of_map), CRDT_ETYPE);
    static const uint8_t hidden_bottom[] = {1, CRDT_MAP, CRDT_GCOUNTER, 0, 0, 1, 1, 'k', 0, 0};
    assert_int_equal(decode_code(&crdt_map_type, hidden_bottom, sizeof hidden_bottom), CRDT_EMALFORMED);
    static const uint8_t hidden_kept[] = {1, CRDT_MAP, CRDT_GCOUNTER, 0, 0, 1, 1, 'k', 0, 1, 1, 1};
    assert_int_equal(decode_code(&crdt_map_type, hidden_kept, sizeof hidden_kept), 0);
}

static void test_strerror(void **state) {
    for (int c = CRDT_ECLOCK; c <= CRDT_OK; c++) {
        assert_true(strlen(crdt_strerror(c)) > 0);
        for (int k = CRDT_ECLOCK; k < c; k++) assert_string_not_equal(crdt_strerror(c), crdt_strerror(k));
    }
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_counters),
        cmocka_unit_test(test_registers),
        cmocka_unit_test(test_orset_add_wins),
        cmocka_unit_test(test_orset_context_compaction),
        cmocka_unit_test(test_orset_metadata_bounded),
        cmocka_unit_test(test_map_removal),
        cmocka_unit_test(test_decoder_rejects),
        cmocka_unit_test(test_strerror),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
