/* PN-Counter: two replica -> count maps, P (increments) and N (decrements),
 * each joined by pointwise max. Body on the wire: the P map, then the N map,
 * each as varint n and n (replica, count) pairs. */
#include <stdlib.h>

#include "engine/crdt/crdt_int.h"
#include "engine/crdt/pncounter.h"

struct crdt_pncounter {
    crdt__vmap p, n;
};

crdt_pncounter *crdt_pncounter_new(void) { return calloc(1, sizeof(crdt_pncounter)); }

void crdt_pncounter_free(crdt_pncounter *c) {
    if (!c) return;
    crdt__vmap_free(&c->p);
    crdt__vmap_free(&c->n);
    free(c);
}

/* *out := a ⊔ b freshly allocated (b may be a zero counter). */
static int join(const crdt_pncounter *a, const crdt_pncounter *b, crdt_pncounter *out) {
    if (crdt__vmap_join(&a->p, &b->p, &out->p)) return CRDT_ENOMEM;
    if (crdt__vmap_join(&a->n, &b->n, &out->n)) {
        crdt__vmap_free(&out->p);
        return CRDT_ENOMEM;
    }
    return 0;
}

crdt_pncounter *crdt_pncounter_clone(const crdt_pncounter *c) {
    static const crdt_pncounter zero;
    crdt_pncounter *k = crdt_pncounter_new();
    if (k && join(c, &zero, k)) {
        free(k);
        return NULL;
    }
    return k;
}

int crdt_pncounter_add(crdt_pncounter *c, crdt_replica_t r, int64_t v, crdt_pncounter **delta) {
    crdt_pncounter *d = NULL;
    if (delta && !(d = crdt_pncounter_new())) return CRDT_ENOMEM;
    uint64_t mag = v < 0 ? (uint64_t)0 - (uint64_t)v : (uint64_t)v;
    int rc = v < 0 ? crdt__vmap_add(&c->n, r, mag, d ? &d->n : NULL)
                   : crdt__vmap_add(&c->p, r, mag, d ? &d->p : NULL);
    if (rc) {
        free(d);
        return rc;
    }
    if (delta) *delta = d;
    return 0;
}

int64_t crdt_pncounter_value(const crdt_pncounter *c) {
    uint64_t p = crdt__vmap_sum(&c->p), n = crdt__vmap_sum(&c->n);
    if (p >= n) return p - n > (uint64_t)INT64_MAX ? INT64_MAX : (int64_t)(p - n);
    return n - p > (uint64_t)INT64_MAX ? INT64_MIN : -(int64_t)(n - p);
}

int crdt_pncounter_merge(crdt_pncounter *into, const crdt_pncounter *from) {
    crdt_pncounter m;
    if (join(into, from, &m)) return CRDT_ENOMEM;
    crdt__vmap_free(&into->p);
    crdt__vmap_free(&into->n);
    *into = m;
    return 0;
}

bool crdt_pncounter_leq(const crdt_pncounter *a, const crdt_pncounter *b) {
    return crdt__vmap_leq(&a->p, &b->p) && crdt__vmap_leq(&a->n, &b->n);
}

bool crdt_pncounter_eq(const crdt_pncounter *a, const crdt_pncounter *b) {
    return crdt__vmap_eq(&a->p, &b->p) && crdt__vmap_eq(&a->n, &b->n);
}

static void *pncounter_create(void) { return crdt_pncounter_new(); }

static bool pncounter_is_bottom(const void *s) {
    const crdt_pncounter *c = s;
    return c->p.n == 0 && c->n.n == 0;
}

static int pncounter_apply(void *s, crdt_replica_t r, const crdt_op *op, void **delta) {
    if (op->kind != CRDT_OP_ADD) return CRDT_EINVAL;
    crdt_pncounter *d;
    int rc = crdt_pncounter_add(s, r, op->i, delta ? &d : NULL);
    if (rc == 0 && delta) *delta = d;
    return rc;
}

static void pncounter_encode(const void *s, crdt_buf *b) {
    const crdt_pncounter *c = s;
    crdt__vmap_encode(&c->p, b);
    crdt__vmap_encode(&c->n, b);
}

static int pncounter_decode(crdt_rd *rd, void **out) {
    crdt_pncounter *c = crdt_pncounter_new();
    if (!c) return CRDT_ENOMEM;
    int rc = crdt__vmap_decode(rd, &c->p, "PN-Counter increments");
    if (rc == 0) rc = crdt__vmap_decode(rd, &c->n, "PN-Counter decrements");
    if (rc) {
        crdt_pncounter_free(c);
        return rc;
    }
    *out = c;
    return 0;
}

CRDT__ADAPTERS(pncounter)
CRDT__CODEC(pncounter, crdt_pncounter)

const crdt_type crdt_pncounter_type = {
    CRDT_TYPE_ABI,       CRDT_PNCOUNTER,  "PN-Counter",     pncounter_create, CRDT__ADAPTER_SLOTS(pncounter),
    pncounter_is_bottom, pncounter_apply, pncounter_encode, pncounter_decode,
};
