/* Add-wins OR-Set: a keyed dot store without values (engine/crdt/dstore.c).
 * Body on the wire: the causal context, then the elements in byte order,
 * each with its dots (docs/crdt.md). */
#include <stdlib.h>

#include "engine/crdt/causal.h"
#include "engine/crdt/orset.h"

struct crdt_orset {
    crdt__dstore ds;
};

crdt_orset *crdt_orset_new(void) {
    crdt_orset *s = malloc(sizeof *s);
    if (s) crdt__ds_init(&s->ds, NULL);
    return s;
}

void crdt_orset_free(crdt_orset *s) {
    if (!s) return;
    crdt__ds_free(&s->ds);
    free(s);
}

crdt_orset *crdt_orset_clone(const crdt_orset *s) {
    crdt_orset *k = malloc(sizeof *k);
    if (k && crdt__ds_clone(&s->ds, &k->ds)) {
        free(k);
        return NULL;
    }
    return k;
}

/* Runs a dot-store mutator, wrapping its delta in a new set if wanted. */
static int mutate(crdt_orset *s, crdt_replica_t r, const void *e, size_t len, bool add, crdt_orset **delta) {
    crdt_orset *d = crdt_orset_new();
    if (!d) return CRDT_ENOMEM;
    int rc = add ? crdt__ds_touch(&s->ds, r, e, len, NULL, &d->ds) : crdt__ds_drop(&s->ds, e, len, &d->ds);
    if (rc || !delta)
        crdt_orset_free(d);
    else
        *delta = d;
    return rc;
}

int crdt_orset_add(crdt_orset *s, crdt_replica_t r, const void *e, size_t len, crdt_orset **delta) {
    return mutate(s, r, e, len, true, delta);
}

int crdt_orset_remove(crdt_orset *s, const void *e, size_t len, crdt_orset **delta) {
    return mutate(s, 0, e, len, false, delta);
}

bool crdt_orset_contains(const crdt_orset *s, const void *e, size_t len) {
    return crdt__key_ok(e, len) && crdt__ds_find(&s->ds, e, len) != NULL;
}

size_t crdt_orset_size(const crdt_orset *s) { return s->ds.n; }

bool crdt_orset_next(const crdt_orset *s, size_t *pos, const uint8_t **e, size_t *len) {
    if (*pos >= s->ds.n) return false;
    *e = s->ds.e[*pos].key;
    *len = s->ds.e[*pos].klen;
    ++*pos;
    return true;
}

void crdt_orset_meta(const crdt_orset *s, size_t *vv_entries, size_t *cloud_dots) {
    *vv_entries = s->ds.cc.vv.n;
    *cloud_dots = s->ds.cc.ncloud;
}

int crdt_orset_merge(crdt_orset *into, const crdt_orset *from) {
    return crdt__ds_merge(&into->ds, &from->ds);
}
bool crdt_orset_leq(const crdt_orset *a, const crdt_orset *b) { return crdt__ds_leq(&a->ds, &b->ds); }
bool crdt_orset_eq(const crdt_orset *a, const crdt_orset *b) { return crdt__ds_eq(&a->ds, &b->ds); }

static void *orset_create(void) { return crdt_orset_new(); }

static bool orset_is_bottom(const void *s) { return crdt__ds_is_bottom(&((const crdt_orset *)s)->ds); }

static int orset_apply(void *s, crdt_replica_t r, const crdt_op *op, void **delta) {
    if (op->kind != CRDT_OP_INSERT && op->kind != CRDT_OP_ERASE) return CRDT_EINVAL;
    crdt_orset *d;
    int rc = mutate(s, r, op->bytes, op->len, op->kind == CRDT_OP_INSERT, delta ? &d : NULL);
    if (rc == 0 && delta) *delta = d;
    return rc;
}

static void orset_encode(const void *s, crdt_buf *b) { crdt__ds_encode(&((const crdt_orset *)s)->ds, b); }

static int orset_decode(crdt_rd *rd, void **out) {
    crdt_orset *s = crdt_orset_new();
    if (!s) return CRDT_ENOMEM;
    int rc = crdt__ds_decode(rd, &s->ds);
    if (rc) {
        free(s);
        return rc;
    }
    *out = s;
    return 0;
}

CRDT__ADAPTERS(orset)
CRDT__CODEC(orset, crdt_orset)

const crdt_type crdt_orset_type = {
    CRDT_TYPE_ABI,   CRDT_ORSET,  "OR-Set",     orset_create, CRDT__ADAPTER_SLOTS(orset),
    orset_is_bottom, orset_apply, orset_encode, orset_decode,
};
