/* G-Counter: a replica -> count map (crdt__vmap) joined by pointwise max.
 * Body on the wire: the map (varint n, then n (replica, count) pairs). */
#include <stdlib.h>

#include "engine/crdt/crdt_int.h"
#include "engine/crdt/gcounter.h"

struct crdt_gcounter {
    crdt__vmap m;
};

crdt_gcounter *crdt_gcounter_new(void) { return calloc(1, sizeof(crdt_gcounter)); }

void crdt_gcounter_free(crdt_gcounter *c) {
    if (!c) return;
    crdt__vmap_free(&c->m);
    free(c);
}

crdt_gcounter *crdt_gcounter_clone(const crdt_gcounter *c) {
    crdt_gcounter *k = crdt_gcounter_new();
    if (k && crdt__vmap_clone(&c->m, &k->m)) {
        free(k);
        return NULL;
    }
    return k;
}

int crdt_gcounter_inc(crdt_gcounter *c, crdt_replica_t r, uint64_t n, crdt_gcounter **delta) {
    crdt_gcounter *d = NULL;
    if (delta && !(d = crdt_gcounter_new())) return CRDT_ENOMEM;
    int rc = crdt__vmap_add(&c->m, r, n, d ? &d->m : NULL);
    if (rc) {
        free(d);
        return rc;
    }
    if (delta) *delta = d;
    return 0;
}

uint64_t crdt_gcounter_value(const crdt_gcounter *c) { return crdt__vmap_sum(&c->m); }

uint64_t crdt_gcounter_get(const crdt_gcounter *c, crdt_replica_t r) { return crdt__vmap_get(&c->m, r); }

int crdt_gcounter_merge(crdt_gcounter *into, const crdt_gcounter *from) {
    crdt__vmap m;
    if (crdt__vmap_join(&into->m, &from->m, &m)) return CRDT_ENOMEM;
    crdt__vmap_free(&into->m);
    into->m = m;
    return 0;
}

bool crdt_gcounter_leq(const crdt_gcounter *a, const crdt_gcounter *b) {
    return crdt__vmap_leq(&a->m, &b->m);
}

bool crdt_gcounter_eq(const crdt_gcounter *a, const crdt_gcounter *b) { return crdt__vmap_eq(&a->m, &b->m); }

static void *gcounter_create(void) { return crdt_gcounter_new(); }

static bool gcounter_is_bottom(const void *s) { return ((const crdt_gcounter *)s)->m.n == 0; }

static int gcounter_apply(void *s, crdt_replica_t r, const crdt_op *op, void **delta) {
    if (op->kind != CRDT_OP_INC) return CRDT_EINVAL;
    crdt_gcounter *d;
    int rc = crdt_gcounter_inc(s, r, op->u, delta ? &d : NULL);
    if (rc == 0 && delta) *delta = d;
    return rc;
}

static void gcounter_encode(const void *s, crdt_buf *b) {
    crdt__vmap_encode(&((const crdt_gcounter *)s)->m, b);
}

static int gcounter_decode(crdt_rd *rd, void **out) {
    crdt_gcounter *c = crdt_gcounter_new();
    if (!c) return CRDT_ENOMEM;
    int rc = crdt__vmap_decode(rd, &c->m, "G-Counter entries");
    if (rc) {
        free(c);
        return rc;
    }
    *out = c;
    return 0;
}

CRDT__ADAPTERS(gcounter)
CRDT__CODEC(gcounter, crdt_gcounter)

const crdt_type crdt_gcounter_type = {
    CRDT_TYPE_ABI,      CRDT_GCOUNTER,  "G-Counter",     gcounter_create, CRDT__ADAPTER_SLOTS(gcounter),
    gcounter_is_bottom, gcounter_apply, gcounter_encode, gcounter_decode,
};
