/* Map of CRDTs: a keyed dot store whose entries carry a value of the map's
 * value type (engine/crdt/dstore.c). Body on the wire: the value type's tag
 * (one byte), the causal context, then the keys in byte order, each with its
 * dots and its value's body (docs/crdt.md). */
#include <stdlib.h>

#include "engine/crdt/causal.h"
#include "engine/crdt/map.h"

struct crdt_map {
    crdt__dstore ds;
};

crdt_map *crdt_map_new(const crdt_type *vt) {
    if (!vt || vt->tag == CRDT_MAP) return NULL;
    crdt_map *m = malloc(sizeof *m);
    if (m) crdt__ds_init(&m->ds, vt);
    return m;
}

void crdt_map_free(crdt_map *m) {
    if (!m) return;
    crdt__ds_free(&m->ds);
    free(m);
}

crdt_map *crdt_map_clone(const crdt_map *m) {
    crdt_map *k = malloc(sizeof *k);
    if (k && crdt__ds_clone(&m->ds, &k->ds)) {
        free(k);
        return NULL;
    }
    return k;
}

const crdt_type *crdt_map_value_type(const crdt_map *m) { return m->ds.vt; }

int crdt_map_update(crdt_map *m, crdt_replica_t r, const void *key, size_t klen, const crdt_op *op,
                    crdt_map **delta) {
    if (!op) return CRDT_EINVAL;
    crdt_map *d = crdt_map_new(m->ds.vt);
    if (!d) return CRDT_ENOMEM;
    int rc = crdt__ds_touch(&m->ds, r, key, klen, op, &d->ds);
    if (rc || !delta)
        crdt_map_free(d);
    else
        *delta = d;
    return rc;
}

int crdt_map_remove(crdt_map *m, const void *key, size_t klen, crdt_map **delta) {
    crdt_map *d = crdt_map_new(m->ds.vt);
    if (!d) return CRDT_ENOMEM;
    int rc = crdt__ds_drop(&m->ds, key, klen, &d->ds);
    if (rc || !delta)
        crdt_map_free(d);
    else
        *delta = d;
    return rc;
}

const void *crdt_map_get(const crdt_map *m, const void *key, size_t klen) {
    const crdt__dent *e = crdt__key_ok(key, klen) ? crdt__ds_find(&m->ds, key, klen) : NULL;
    return e && e->ndots ? e->val : NULL;
}

size_t crdt_map_size(const crdt_map *m) {
    size_t n = 0;
    for (size_t i = 0; i < m->ds.n; i++) n += m->ds.e[i].ndots > 0;
    return n;
}

bool crdt_map_next(const crdt_map *m, size_t *pos, const uint8_t **key, size_t *klen, const void **val) {
    while (*pos < m->ds.n && m->ds.e[*pos].ndots == 0) ++*pos;
    if (*pos >= m->ds.n) return false;
    const crdt__dent *e = &m->ds.e[(*pos)++];
    *key = e->key;
    *klen = e->klen;
    *val = e->val;
    return true;
}

void crdt_map_meta(const crdt_map *m, size_t *vv_entries, size_t *cloud_dots, size_t *hidden_keys) {
    *vv_entries = m->ds.cc.vv.n;
    *cloud_dots = m->ds.cc.ncloud;
    *hidden_keys = m->ds.n - crdt_map_size(m);
}

int crdt_map_merge(crdt_map *into, const crdt_map *from) {
    if (into->ds.vt != from->ds.vt) return CRDT_EINVAL;
    return crdt__ds_merge(&into->ds, &from->ds);
}

bool crdt_map_leq(const crdt_map *a, const crdt_map *b) {
    return a->ds.vt == b->ds.vt && crdt__ds_leq(&a->ds, &b->ds);
}
bool crdt_map_eq(const crdt_map *a, const crdt_map *b) { return crdt__ds_eq(&a->ds, &b->ds); }

static bool map_is_bottom(const void *s) { return crdt__ds_is_bottom(&((const crdt_map *)s)->ds); }

static int map_apply(void *s, crdt_replica_t r, const crdt_op *op, void **delta) {
    crdt_map *d = NULL;
    int rc = CRDT_EINVAL;
    if (op->kind == CRDT_OP_UPDATE)
        rc = crdt_map_update(s, r, op->bytes, op->len, op->inner, delta ? &d : NULL);
    else if (op->kind == CRDT_OP_DELETE)
        rc = crdt_map_remove(s, op->bytes, op->len, delta ? &d : NULL);
    if (rc == 0 && delta) *delta = d;
    return rc;
}

static void map_encode(const void *s, crdt_buf *b) {
    const crdt_map *m = s;
    crdt_buf_u8(b, (uint8_t)m->ds.vt->tag);
    crdt__ds_encode(&m->ds, b);
}

static int map_decode(crdt_rd *rd, void **out) {
    uint8_t tag;
    if (crdt_rd_u8(rd, &tag, "the map's value type")) return rd->err;
    const crdt_type *vt = crdt_type_by_tag(tag);
    if (!vt || vt->tag == CRDT_MAP) {
        rd->pos--;
        return crdt_rd_fail(rd, CRDT_ETYPE, "map value type tag %u is not a value CRDT", tag);
    }
    crdt_map *m = crdt_map_new(vt);
    if (!m) return CRDT_ENOMEM;
    int rc = crdt__ds_decode(rd, &m->ds);
    if (rc) {
        free(m);
        return rc;
    }
    *out = m;
    return 0;
}

CRDT__ADAPTERS(map)
CRDT__CODEC(map, crdt_map)

const crdt_type crdt_map_type = {
    CRDT_TYPE_ABI, CRDT_MAP,  "map",      NULL,       CRDT__ADAPTER_SLOTS(map),
    map_is_bottom, map_apply, map_encode, map_decode,
};
