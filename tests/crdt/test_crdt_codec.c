/* The wire format of every CRDT type: states and deltas from random runs
 * round-trip (decode(encode(x)) = x, and re-encoding gives the same bytes);
 * every proper prefix of an encoding is rejected; appended bytes, a wrong
 * version and a wrong type are rejected with their codes; random corruptions
 * and random bytes are rejected or decode to a state that re-encodes to the
 * very same bytes (decoders accept canonical encodings only) and merges
 * cleanly. Run under the sanitizer build, this is also the never-crash,
 * never-read-out-of-bounds check. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>

#include <cmocka.h>
#include <stdlib.h>
#include <string.h>

#include "crdt/harness.h"

enum { WORLDS = 6, CORRUPTIONS = 40 };

static void *decode_ok(const crdt_type *t, const uint8_t *p, size_t n) {
    void *s = NULL;
    char err[200] = "";
    int rc = crdt_decode(t, p, n, &s, err, sizeof err);
    if (rc) fail_msg("%s: %s", t->name, err);
    return s;
}

/* Decodes input that may be invalid: either a clean rejection with a
 * message, or a canonical valid state. */
static void decode_any_input(const tcase *tc, const uint8_t *p, size_t n, const void *other) {
    const crdt_type *t = tc->t;
    void *s = NULL;
    char err[200] = "";
    int rc = crdt_decode(t, p, n, &s, err, sizeof err);
    if (rc) {
        assert_true(rc >= CRDT_ECLOCK && rc < 0);
        assert_true(strlen(err) > 0);
        assert_null(s);
        return;
    }
    uint8_t *again;
    size_t len;
    assert_int_equal(crdt_encode(t, s, &again, &len), 0);
    assert_int_equal(len, n);
    assert_memory_equal(again, p, n);
    free(again);
    void *j = t->clone(s);
    assert_int_equal(t->merge(j, s), 0);
    assert_true(t->eq(j, s));
    int mrc = t->merge(j, other); /* states from unrelated histories still join without harm */
    assert_true(mrc == 0 || mrc == CRDT_EINVAL);
    t->destroy(j);
    t->destroy(s);
}

static void corrupt(gsl_rng *rng, uint8_t *b, size_t *n, size_t cap) {
    size_t i = *n ? gsl_rng_uniform_int(rng, *n) : 0;
    switch (gsl_rng_uniform_int(rng, 4)) {
    case 0:
        if (*n) b[i] ^= (uint8_t)(1u << gsl_rng_uniform_int(rng, 8));
        break;
    case 1:
        if (*n) b[i] = (uint8_t)gsl_rng_uniform_int(rng, 256);
        break;
    case 2:
        if (*n < cap) {
            memmove(b + i + 1, b + i, *n - i);
            b[i] = (uint8_t)gsl_rng_uniform_int(rng, 256);
            ++*n;
        }
        break;
    default:
        if (*n) {
            memmove(b + i, b + i + 1, *n - i - 1);
            --*n;
        }
    }
}

static void codec_of(const tcase *tc, const void *s, gsl_rng *rng, const void *other) {
    const crdt_type *t = tc->t;
    uint8_t *enc;
    size_t n;
    assert_int_equal(crdt_encode(t, s, &enc, &n), 0);
    void *back = decode_ok(t, enc, n);
    assert_true(t->eq(back, s));
    uint8_t *again;
    size_t n2;
    assert_int_equal(crdt_encode(t, back, &again, &n2), 0);
    assert_int_equal(n2, n);
    assert_memory_equal(again, enc, n);
    t->destroy(back);
    free(again);

    /* each prefix in an allocation of its own size, so a read past it is a sanitizer error */
    for (size_t k = 0; k < n; k++) {
        void *x = NULL;
        uint8_t *exact = malloc(k ? k : 1);
        memcpy(exact, enc, k);
        assert_true(crdt_decode(t, exact, k, &x, NULL, 0) < 0);
        assert_null(x);
        free(exact);
    }
    uint8_t *buf = malloc(n + 16);
    assert_non_null(buf);
    memcpy(buf, enc, n);
    buf[n] = 0;
    void *x = NULL;
    assert_int_equal(crdt_decode(t, buf, n + 1, &x, NULL, 0), CRDT_ETRAILING);
    buf[0] = CRDT_WIRE_VERSION + 1;
    assert_int_equal(crdt_decode(t, buf, n, &x, NULL, 0), CRDT_EVERSION);
    buf[0] = CRDT_WIRE_VERSION;
    buf[1] = t->tag == CRDT_GCOUNTER ? CRDT_PNCOUNTER : CRDT_GCOUNTER;
    assert_int_equal(crdt_decode(t, buf, n, &x, NULL, 0), CRDT_ETYPE);
    assert_null(x);
    for (int c = 0; c < CORRUPTIONS; c++) {
        size_t m = n;
        memcpy(buf, enc, n);
        int hits = 1 + (int)gsl_rng_uniform_int(rng, 3);
        for (int h = 0; h < hits; h++) corrupt(rng, buf, &m, n + 16);
        uint8_t *exact = malloc(m ? m : 1);
        memcpy(exact, buf, m);
        decode_any_input(tc, exact, m, other);
        free(exact);
    }
    free(buf);
    free(enc);
}

static void test_codec(void **state) {
    const tcase *tc = *state;
    for (unsigned long seed = 1; seed <= WORLDS; seed++) {
        world *w = world_new(tc, 300 + seed, 3 + (int)(seed % 3), (wnet){0.2, 0.1});
        world_run(w, 150);
        world_full_exchange(w);
        for (size_t i = 0; i < w->npool; i++) codec_of(tc, w->pool[i], w->rng, w->pool[0]);
        world_free(w);
    }
}

/* Random bytes behind a valid header reach deep into every decoder. */
static void test_random_bytes(void **state) {
    const tcase *tc = *state;
    gsl_rng *rng = gsl_rng_alloc(gsl_rng_mt19937);
    gsl_rng_set(rng, 77);
    void *bottom = case_new_state(tc);
    for (int k = 0; k < 3000; k++) {
        size_t n = 2 + gsl_rng_uniform_int(rng, 40);
        uint8_t *b = malloc(n);
        b[0] = CRDT_WIRE_VERSION;
        b[1] = (uint8_t)tc->t->tag;
        for (size_t i = 2; i < n; i++)
            b[i] = (uint8_t)(gsl_rng_uniform(rng) < 0.5 ? gsl_rng_uniform_int(rng, 4)
                                                        : gsl_rng_uniform_int(rng, 256));
        decode_any_input(tc, b, n, bottom);
        free(b);
    }
    tc->t->destroy(bottom);
    gsl_rng_free(rng);
}

int main(void) {
    static const CMUnitTestFunction fn[] = {test_codec, test_random_bytes};
    static const char *const label[] = {"encodings of random states", "random bytes"};
    struct CMUnitTest tests[32];
    size_t n = case_tests(tests, 32, fn, label, 2);
    return _cmocka_run_group_tests("crdt_codec", tests, n, NULL, NULL);
}
