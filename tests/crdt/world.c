/* The replicated system the CRDT tests run: replicas apply random operations
 * (each checked against the delta law: new state == old state ⊔ delta),
 * keep the deltas in a delta group, and broadcast the group as encoded bytes
 * over a network that drops, duplicates and reorders messages; a receiver
 * merges what it gets and forwards it only if it grew (the delta-based
 * anti-entropy of Almeida et al. 2018, Algorithm 2). Occasional full-state
 * messages play the role of periodic anti-entropy. Every message also
 * carries an HLC stamp and the model events it contains. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>

#include <cmocka.h>
#include <stdlib.h>
#include <string.h>

#include "crdt/harness.h"

#define POOL_CAP 48

static uint8_t long_key[CRDT_KEY_MAX];

void world_key(int i, const void **p, size_t *len) {
    static const struct {
        const char *p;
        size_t n;
    } keys[W_NKEYS - 1] = {{"", 0}, {"a", 1}, {"b", 1}, {"\0\xff", 2}, {"sensor/17/temp", 14}};
    assert_true(i >= 0 && i < W_NKEYS);
    if (i == W_NKEYS - 1) {
        memset(long_key, 'k', sizeof long_key);
        *p = long_key;
        *len = sizeof long_key;
        return;
    }
    *p = keys[i].p;
    *len = keys[i].n;
}

int world_key_index(const void *p, size_t len) {
    for (int i = 0; i < W_NKEYS; i++) {
        const void *k;
        size_t n;
        world_key(i, &k, &n);
        if (n == len && (n == 0 || memcmp(k, p, n) == 0)) return i;
    }
    fail_msg("not a world key");
    return -1;
}

crdt_replica_t world_rid(int r) { return r == 0 ? UINT64_MAX : (crdt_replica_t)(W_MAXREP - r) * 1000003u; }

/* Physical clocks tick in whole milliseconds, so that replicas often read
 * the same time and HLC stamps of different replicas tie. */
int64_t world_pt(const world *w, int r) { return (w->now + w->skew[r]) / 1000000 * 1000000; }

static void *xclone(const world *w, const void *s) {
    void *c = w->tc->t->clone(s);
    assert_non_null(c);
    return c;
}

static void pool_add(world *w, const void *s) {
    if (w->npool < POOL_CAP) {
        w->pool[w->npool++] = xclone(w, s);
        return;
    }
    size_t i = gsl_rng_uniform_int(w->rng, POOL_CAP);
    w->tc->t->destroy(w->pool[i]);
    w->pool[i] = xclone(w, s);
}

world *world_new(const tcase *tc, unsigned long seed, int nrep, wnet net) {
    assert_true(nrep >= 1 && nrep <= W_MAXREP);
    world *w = calloc(1, sizeof *w);
    assert_non_null(w);
    w->tc = tc;
    w->net = net;
    w->nrep = nrep;
    w->rng = gsl_rng_alloc(gsl_rng_mt19937);
    gsl_rng_set(w->rng, seed);
    w->now = 1700000000LL * 1000000000LL;
    for (int r = 0; r < nrep; r++) {
        w->st[r] = case_new_state(tc);
        crdt_hlc_init(&w->clk[r], 0);
        w->skew[r] = (int64_t)gsl_rng_uniform_int(w->rng, 10000001) - 5000000; /* within +-5 ms */
    }
    w->model = tc->model.create(tc);
    w->pool = calloc(POOL_CAP, sizeof *w->pool);
    assert_non_null(w->pool);
    return w;
}

void world_free(world *w) {
    const crdt_type *t = w->tc->t;
    for (int r = 0; r < w->nrep; r++) {
        t->destroy(w->st[r]);
        if (w->out[r]) t->destroy(w->out[r]);
        free(w->outev[r]);
        free(w->known[r]);
    }
    for (size_t i = 0; i < w->nq; i++) {
        free(w->q[i].bytes);
        free(w->q[i].ev);
    }
    for (size_t i = 0; i < w->npool; i++) t->destroy(w->pool[i]);
    free(w->q);
    free(w->pool);
    w->tc->model.destroy(w->model);
    gsl_rng_free(w->rng);
    free(w);
}

static int new_event(world *w, int rep) {
    if (w->nev == w->capev) {
        w->capev = w->capev ? 2 * w->capev : 256;
        for (int r = 0; r < w->nrep; r++) {
            w->known[r] = realloc(w->known[r], (size_t)w->capev * sizeof *w->known[r]);
            assert_non_null(w->known[r]);
            memset(w->known[r] + w->nev, 0, (size_t)(w->capev - w->nev) * sizeof *w->known[r]);
        }
    }
    w->known[rep][w->nev] = true;
    return w->nev++;
}

/* Joins a delta (and its events) into replica r's unsent delta group. */
static void out_add(world *w, int r, const void *delta, const int *ev, size_t nev) {
    if (!w->out[r])
        w->out[r] = xclone(w, delta);
    else
        assert_int_equal(w->tc->t->merge(w->out[r], delta), 0);
    w->outev[r] = realloc(w->outev[r], (w->noutev[r] + nev + 1) * sizeof *w->outev[r]);
    assert_non_null(w->outev[r]);
    memcpy(w->outev[r] + w->noutev[r], ev, nev * sizeof *ev);
    w->noutev[r] += nev;
}

static void enqueue(world *w, int from, int to, const uint8_t *bytes, size_t len, const int *ev, size_t nev) {
    if (w->nq == w->capq) {
        w->capq = w->capq ? 2 * w->capq : 64;
        w->q = realloc(w->q, w->capq * sizeof *w->q);
        assert_non_null(w->q);
    }
    wmsg *m = &w->q[w->nq++];
    m->to = to;
    m->len = len;
    m->bytes = malloc(len);
    m->ev = malloc((nev + 1) * sizeof *ev);
    assert_true(m->bytes && m->ev);
    memcpy(m->bytes, bytes, len);
    memcpy(m->ev, ev, nev * sizeof *ev);
    m->nev = nev;
    assert_int_equal(crdt_hlc_now(&w->clk[from], world_pt(w, from), &m->stamp), 0);
}

/* Sends state s from replica `from` to `to` through the faulty network. */
static void send_state(world *w, int from, int to, const void *s, const int *ev, size_t nev) {
    uint8_t *bytes;
    size_t len;
    assert_int_equal(crdt_encode(w->tc->t, s, &bytes, &len), 0);
    w->sent++;
    if (gsl_rng_uniform(w->rng) < w->net.p_drop)
        w->dropped++;
    else
        enqueue(w, from, to, bytes, len, ev, nev);
    if (gsl_rng_uniform(w->rng) < w->net.p_dup) {
        w->duplicated++;
        enqueue(w, from, to, bytes, len, ev, nev);
    }
    free(bytes);
}

static void flush(world *w, int r) {
    if (!w->out[r]) return;
    for (int p = 0; p < w->nrep; p++)
        if (p != r) send_state(w, r, p, w->out[r], w->outev[r], w->noutev[r]);
    w->tc->t->destroy(w->out[r]);
    w->out[r] = NULL;
    w->noutev[r] = 0;
}

static void full_sync(world *w, int r, int p) {
    int *ev = malloc(((size_t)w->nev + 1) * sizeof *ev);
    size_t n = 0;
    assert_non_null(ev);
    for (int e = 0; e < w->nev; e++)
        if (w->known[r][e]) ev[n++] = e;
    send_state(w, r, p, w->st[r], ev, n);
    free(ev);
}

/* Delivers the message at index i (taking it out of the queue). */
static void deliver(world *w, size_t i) {
    wmsg m = w->q[i];
    w->q[i] = w->q[--w->nq];
    const crdt_type *t = w->tc->t;
    void *s = NULL;
    char err[200];
    int rc = crdt_decode(t, m.bytes, m.len, &s, err, sizeof err);
    if (rc) fail_msg("decoding a message: %s", err);
    crdt_hlc got;
    assert_int_equal(crdt_hlc_recv(&w->clk[m.to], world_pt(w, m.to), m.stamp, &got), 0);
    assert_true(crdt_hlc_cmp(got, m.stamp) > 0);
    bool grows = !t->leq(s, w->st[m.to]);
    assert_int_equal(t->merge(w->st[m.to], s), 0);
    for (size_t e = 0; e < m.nev; e++) w->known[m.to][m.ev[e]] = true;
    if (grows) out_add(w, m.to, s, m.ev, m.nev);
    if (gsl_rng_uniform(w->rng) < 0.2) pool_add(w, s);
    t->destroy(s);
    free(m.bytes);
    free(m.ev);
    w->delivered++;
}

static void do_op(world *w, int r) {
    const crdt_type *t = w->tc->t;
    crdt_op op;
    w->tc->gen_op(w, r, &op);
    void *before = xclone(w, w->st[r]), *delta = NULL;
    assert_int_equal(t->apply(w->st[r], world_rid(r), &op, &delta), 0);
    assert_non_null(delta);
    void *expect = xclone(w, before);
    assert_int_equal(t->merge(expect, delta), 0);
    assert_true(t->eq(expect, w->st[r])); /* applying the mutator == merging its delta */
    assert_true(t->leq(before, w->st[r]));
    assert_true(t->leq(delta, w->st[r]));
    int ev = new_event(w, r);
    w->tc->model.on_op(w->model, w, r, ev, &op);
    out_add(w, r, delta, &ev, 1);
    pool_add(w, delta);
    t->destroy(before);
    t->destroy(expect);
    t->destroy(delta);
}

void world_run(world *w, int steps) {
    for (int s = 0; s < steps; s++) {
        w->now += (int64_t)gsl_rng_uniform_int(w->rng, 2000000);
        int r = (int)gsl_rng_uniform_int(w->rng, (unsigned long)w->nrep);
        double u = gsl_rng_uniform(w->rng);
        if (u < 0.40 || (u >= 0.63 && w->nq == 0))
            do_op(w, r);
        else if (u < 0.60)
            flush(w, r);
        else if (u < 0.63)
            full_sync(w, r, (int)gsl_rng_uniform_int(w->rng, (unsigned long)w->nrep));
        else
            deliver(w, gsl_rng_uniform_int(w->rng, w->nq));
        if (gsl_rng_uniform(w->rng) < 0.05) pool_add(w, w->st[r]);
    }
}

void world_drain(world *w) {
    wnet saved = w->net;
    w->net.p_drop = 0;
    for (;;) {
        for (int r = 0; r < w->nrep; r++) flush(w, r);
        if (w->nq == 0) break;
        while (w->nq) deliver(w, gsl_rng_uniform_int(w->rng, w->nq));
    }
    w->net = saved;
}

void world_full_exchange(world *w) {
    const crdt_type *t = w->tc->t;
    void *all = xclone(w, w->st[0]);
    for (int r = 1; r < w->nrep; r++) assert_int_equal(t->merge(all, w->st[r]), 0);
    for (int r = 0; r < w->nrep; r++) {
        assert_int_equal(t->merge(w->st[r], all), 0);
        for (int e = 0; e < w->nev; e++) w->known[r][e] = true;
    }
    pool_add(w, all);
    t->destroy(all);
}

void world_check_converged(const world *w) {
    for (int r = 0; r < w->nrep; r++) {
        assert_true(w->tc->t->eq(w->st[r], w->st[0]));
        w->tc->model.check(w->model, w->st[r]);
    }
}
