/* Lattice laws of every CRDT type (and of maps of every value type), checked
 * on states and deltas sampled from seeded random replicated runs: join is
 * idempotent, commutative and associative, bottom is its identity, every
 * join inflates both sides (a ≤ a ⊔ b), and the type's own order `leq`
 * agrees with the join (a ≤ b iff a ⊔ b = b) and is antisymmetric. The
 * delta law (state after an update = state before ⊔ the update's delta) is
 * checked on every operation of every run, inside the harness. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>

#include <cmocka.h>
#include <stdlib.h>

#include "crdt/harness.h"

enum { WORLDS = 25, TRIPLES = 200 };

static void *join(const crdt_type *t, const void *a, const void *b) {
    void *j = t->clone(a);
    assert_non_null(j);
    assert_int_equal(t->merge(j, b), 0);
    return j;
}

static void check_laws(const tcase *tc, const void *a, const void *b, const void *c) {
    const crdt_type *t = tc->t;
    void *aa = join(t, a, a), *ab = join(t, a, b), *ba = join(t, b, a);
    void *ab_c = join(t, ab, c), *bc = join(t, b, c), *a_bc = join(t, a, bc);
    void *bot = case_new_state(tc), *bot_a = join(t, bot, a);
    assert_true(t->eq(aa, a));
    assert_true(t->eq(ab, ba));
    assert_true(t->eq(ab_c, a_bc));
    assert_true(t->eq(bot_a, a));
    assert_true(t->is_bottom(bot));
    assert_true(t->leq(bot, a));
    assert_true(t->leq(a, a));
    assert_true(t->leq(a, ab));
    assert_true(t->leq(b, ab));
    assert_int_equal(t->leq(a, b), t->eq(ab, b));
    if (t->leq(a, b) && t->leq(b, a)) assert_true(t->eq(a, b));
    void *all[] = {aa, ab, ba, ab_c, bc, a_bc, bot, bot_a};
    for (size_t i = 0; i < sizeof all / sizeof all[0]; i++) t->destroy(all[i]);
}

static void laws_of(const tcase *tc) {
    size_t checked = 0;
    for (unsigned long seed = 1; seed <= WORLDS; seed++) {
        world *w = world_new(tc, seed, 3 + (int)(seed % 3), (wnet){0.2, 0.1});
        world_run(w, 150);
        world_full_exchange(w);
        assert_true(w->npool >= 3);
        for (int k = 0; k < TRIPLES; k++) {
            size_t i = gsl_rng_uniform_int(w->rng, w->npool), j = gsl_rng_uniform_int(w->rng, w->npool),
                   l = gsl_rng_uniform_int(w->rng, w->npool);
            check_laws(tc, w->pool[i], w->pool[j], w->pool[l]);
            checked++;
        }
        world_free(w);
    }
    assert_int_equal(checked, WORLDS * TRIPLES);
}

static void test_laws(void **state) { laws_of(*state); }

int main(void) {
    static const CMUnitTestFunction fn[] = {test_laws};
    static const char *const label[] = {"lattice laws"};
    struct CMUnitTest tests[32];
    size_t n = case_tests(tests, 32, fn, label, 1);
    return _cmocka_run_group_tests("crdt_laws", tests, n, NULL, NULL);
}
