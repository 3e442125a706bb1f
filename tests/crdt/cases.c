/* The types under test, each with a random operation generator and an
 * independent sequential model of its value:
 *   G-/PN-Counter: the sum of all increments;
 *   max/min register: the extremum of all writes;
 *   LWW-Register: the write with the greatest (HLC timestamp, replica id);
 *   OR-Set: an element is in iff one of its adds was seen by no later
 *     operation on that element (a remove, or a re-add, which replaces the
 *     dots it saw) at the replica where that operation ran;
 *   map: key presence as the OR-Set (updates add, removes remove), and each
 *     key's value the model of its value type fed every update of the key. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>

#include <cmocka.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>

#include "crdt/harness.h"
#include "engine/crdt/gcounter.h"
#include "engine/crdt/lww.h"
#include "engine/crdt/map.h"
#include "engine/crdt/orset.h"
#include "engine/crdt/pncounter.h"
#include "engine/crdt/xreg.h"

void *case_new_state(const tcase *tc) {
    void *s = tc->vt ? (void *)crdt_map_new(tc->vt) : tc->t->create();
    assert_non_null(s);
    return s;
}

static double random_value(world *w) {
    static const double pick[] = {-INFINITY, -2.5, -1, -0.0, 0.0, 1, 2.5, INFINITY};
    if (gsl_rng_uniform(w->rng) < 0.5) return pick[gsl_rng_uniform_int(w->rng, 8)];
    return gsl_rng_uniform(w->rng) * 20 - 10;
}

static void random_key(world *w, crdt_op *op) {
    world_key((int)gsl_rng_uniform_int(w->rng, W_NKEYS), &op->bytes, &op->len);
}

static void gen_gc(world *w, int rep, crdt_op *op) {
    *op = (crdt_op){.kind = CRDT_OP_INC, .u = gsl_rng_uniform_int(w->rng, 6)};
}

static void gen_pn(world *w, int rep, crdt_op *op) {
    *op = (crdt_op){.kind = CRDT_OP_ADD, .i = (int64_t)gsl_rng_uniform_int(w->rng, 11) - 5};
}

static void gen_xreg(world *w, int rep, crdt_op *op) {
    *op = (crdt_op){.kind = CRDT_OP_WRITE, .d = random_value(w)};
}

static void gen_lww(world *w, int rep, crdt_op *op) {
    *op = (crdt_op){.kind = CRDT_OP_WRITE, .d = random_value(w)};
    assert_int_equal(crdt_hlc_now(&w->clk[rep], world_pt(w, rep), &op->ts), 0);
}

static void gen_orset(world *w, int rep, crdt_op *op) {
    *op = (crdt_op){.kind = gsl_rng_uniform(w->rng) < 0.6 ? CRDT_OP_INSERT : CRDT_OP_ERASE};
    random_key(w, op);
}

static void gen_map(world *w, int rep, crdt_op *op) {
    bool update = gsl_rng_uniform(w->rng) < 0.8;
    *op = (crdt_op){.kind = update ? CRDT_OP_UPDATE : CRDT_OP_DELETE};
    random_key(w, op);
    if (update) {
        case_of(w->tc->vt)->gen_op(w, rep, &w->inner);
        op->inner = &w->inner;
    }
}

typedef struct sum_model {
    uint64_t u;
    int64_t i;
} sum_model;

static void *zalloc(size_t n) {
    void *p = calloc(1, n);
    assert_non_null(p);
    return p;
}

static void *sum_create(const tcase *tc) { return zalloc(sizeof(sum_model)); }

static void sum_on_op(void *m, const world *w, int rep, int ev, const crdt_op *op) {
    sum_model *s = m;
    s->u += op->u;
    s->i += op->i;
}

static void gc_check(const void *m, const void *state) {
    assert_int_equal(crdt_gcounter_value(state), ((const sum_model *)m)->u);
}

static void pn_check(const void *m, const void *state) {
    assert_int_equal(crdt_pncounter_value(state), ((const sum_model *)m)->i);
}

/* Registers: the winning write so far (xreg by value, LWW by stamp). */
typedef struct reg_model {
    bool set;
    double v;
    crdt_hlc ts;
    crdt_replica_t r;
} reg_model;

static void *reg_create(const tcase *tc) { return zalloc(sizeof(reg_model)); }

static void xreg_on_op(void *m, bool max, const crdt_op *op) {
    reg_model *g = m;
    double v = op->d == 0 ? 0.0 : op->d;
    if (!g->set || (max ? v > g->v : v < g->v)) *g = (reg_model){.set = true, .v = v};
}

static void max_on_op(void *m, const world *w, int rep, int ev, const crdt_op *op) {
    xreg_on_op(m, true, op);
}
static void min_on_op(void *m, const world *w, int rep, int ev, const crdt_op *op) {
    xreg_on_op(m, false, op);
}

static void xreg_check(const void *m, const void *state) {
    const reg_model *g = m;
    double v;
    assert_int_equal(crdt_xreg_value(state, &v), g->set);
    if (g->set) assert_memory_equal(&v, &g->v, sizeof v);
}

static void lww_on_op(void *m, const world *w, int rep, int ev, const crdt_op *op) {
    reg_model *g = m;
    crdt_replica_t r = world_rid(rep);
    int c = g->set ? crdt_hlc_cmp(op->ts, g->ts) : 1;
    assert_true(c != 0 || r != g->r); /* an HLC never issues one stamp twice */
    if (c > 0 || (c == 0 && r > g->r)) *g = (reg_model){true, op->d == 0 ? 0.0 : op->d, op->ts, r};
}

static void lww_check(const void *m, const void *state) {
    const reg_model *g = m;
    double v;
    crdt_hlc ts;
    crdt_replica_t r;
    assert_int_equal(crdt_lww_value(state, &v, &ts, &r), g->set);
    if (!g->set) return;
    assert_memory_equal(&v, &g->v, sizeof v);
    assert_int_equal(crdt_hlc_cmp(ts, g->ts), 0);
    assert_int_equal(r, g->r);
}

/* Add-wins presence: which add events exist (and of which key), and which
 * have been seen by a later remove or re-add of their key. */
typedef struct pres_model {
    int *key_of; /* key index of an add event, -1 for other events */
    bool *seen;
    int n;
} pres_model;

static void pres_on_op(pres_model *p, const world *w, int rep, int ev, int key, bool add) {
    p->key_of = realloc(p->key_of, (size_t)(ev + 1) * sizeof *p->key_of);
    p->seen = realloc(p->seen, (size_t)(ev + 1) * sizeof *p->seen);
    assert_true(p->key_of && p->seen);
    for (; p->n <= ev; p->n++) p->key_of[p->n] = -1, p->seen[p->n] = false;
    for (int a = 0; a < ev; a++)
        if (p->key_of[a] == key && w->known[rep][a]) p->seen[a] = true;
    if (add) p->key_of[ev] = key;
}

static bool pres_has(const pres_model *p, int key) {
    for (int a = 0; a < p->n; a++)
        if (p->key_of[a] == key && !p->seen[a]) return true;
    return false;
}

static void pres_free(pres_model *p) {
    free(p->key_of);
    free(p->seen);
}

static void *orset_create(const tcase *tc) { return zalloc(sizeof(pres_model)); }

static void orset_destroy(void *m) {
    pres_free(m);
    free(m);
}

static void orset_on_op(void *m, const world *w, int rep, int ev, const crdt_op *op) {
    pres_on_op(m, w, rep, ev, world_key_index(op->bytes, op->len), op->kind == CRDT_OP_INSERT);
}

static void orset_check(const void *m, const void *state) {
    size_t n = 0;
    for (int k = 0; k < W_NKEYS; k++) {
        const void *p;
        size_t len;
        world_key(k, &p, &len);
        bool in = pres_has(m, k);
        assert_int_equal(crdt_orset_contains(state, p, len), in);
        n += in;
    }
    assert_int_equal(crdt_orset_size(state), n);
}

typedef struct map_model {
    pres_model keys;
    const model_ops *vm;
    const tcase *vc;
    void *val[W_NKEYS];
} map_model;

static void *map_create(const tcase *tc) {
    map_model *m = zalloc(sizeof *m);
    m->vc = case_of(tc->vt);
    m->vm = &m->vc->model;
    return m;
}

static void map_destroy(void *mm) {
    map_model *m = mm;
    pres_free(&m->keys);
    for (int k = 0; k < W_NKEYS; k++)
        if (m->val[k]) m->vm->destroy(m->val[k]);
    free(m);
}

static void map_on_op(void *mm, const world *w, int rep, int ev, const crdt_op *op) {
    map_model *m = mm;
    int k = world_key_index(op->bytes, op->len);
    pres_on_op(&m->keys, w, rep, ev, k, op->kind == CRDT_OP_UPDATE);
    if (op->kind != CRDT_OP_UPDATE) return;
    if (!m->val[k]) m->val[k] = m->vm->create(m->vc);
    m->vm->on_op(m->val[k], w, rep, ev, op->inner);
}

static void map_check(const void *mm, const void *state) {
    const map_model *m = mm;
    size_t n = 0;
    for (int k = 0; k < W_NKEYS; k++) {
        const void *p;
        size_t len;
        world_key(k, &p, &len);
        const void *v = crdt_map_get(state, p, len);
        if (!pres_has(&m->keys, k)) {
            assert_null(v);
            continue;
        }
        assert_non_null(v);
        m->vm->check(m->val[k], v);
        n++;
    }
    assert_int_equal(crdt_map_size(state), n);
}

static const tcase c_gc = {
    "G-Counter", &crdt_gcounter_type, NULL, gen_gc, {sum_create, free, sum_on_op, gc_check}};
static const tcase c_pn = {
    "PN-Counter", &crdt_pncounter_type, NULL, gen_pn, {sum_create, free, sum_on_op, pn_check}};
static const tcase c_max = {
    "max register", &crdt_maxreg_type, NULL, gen_xreg, {reg_create, free, max_on_op, xreg_check}};
static const tcase c_min = {
    "min register", &crdt_minreg_type, NULL, gen_xreg, {reg_create, free, min_on_op, xreg_check}};
static const tcase c_lww = {
    "LWW-Register", &crdt_lww_type, NULL, gen_lww, {reg_create, free, lww_on_op, lww_check}};
static const tcase c_orset = {
    "OR-Set", &crdt_orset_type, NULL, gen_orset, {orset_create, orset_destroy, orset_on_op, orset_check}};

#define MAP_CASE(id, name, vt)                                                                               \
    static const tcase id = {                                                                                \
        name, &crdt_map_type, vt, gen_map, {map_create, map_destroy, map_on_op, map_check}};
MAP_CASE(c_map_gc, "map of G-Counters", &crdt_gcounter_type)
MAP_CASE(c_map_pn, "map of PN-Counters", &crdt_pncounter_type)
MAP_CASE(c_map_max, "map of max registers", &crdt_maxreg_type)
MAP_CASE(c_map_min, "map of min registers", &crdt_minreg_type)
MAP_CASE(c_map_lww, "map of LWW-Registers", &crdt_lww_type)
MAP_CASE(c_map_orset, "map of OR-Sets", &crdt_orset_type)

const tcase *const cases[] = {&c_gc,     &c_pn,     &c_max,     &c_min,     &c_lww,     &c_orset,
                              &c_map_gc, &c_map_pn, &c_map_max, &c_map_min, &c_map_lww, &c_map_orset};
const size_t ncases = sizeof cases / sizeof cases[0];

const tcase *case_of(const crdt_type *t) {
    for (size_t i = 0; i < ncases; i++)
        if (cases[i]->t == t && !cases[i]->vt) return cases[i];
    fail_msg("no case for type %s", t->name);
    return NULL;
}

size_t case_tests(struct CMUnitTest *tests, size_t cap, const CMUnitTestFunction *fn,
                  const char *const *label, size_t nfn) {
    static char names[64][96];
    size_t n = 0;
    assert_true(ncases * nfn <= cap && ncases * nfn <= 64);
    for (size_t i = 0; i < ncases; i++)
        for (size_t k = 0; k < nfn; k++, n++) {
            snprintf(names[n], sizeof names[n], "%s, %s", cases[i]->name, label[k]);
            tests[n] = (struct CMUnitTest){names[n], fn[k], NULL, NULL, (void *)cases[i]};
        }
    return n;
}
