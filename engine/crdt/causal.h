/* Causal CRDT internals of engine/crdt/ (not for use outside the folder),
 * after Almeida, Shoker and Baquero, "Delta state replicated data types"
 * (JPDC 2018), section 6: a causal context — the set of dots (replica, n) a
 * state has seen, kept as a version vector plus a "cloud" of dots beyond it —
 * and a keyed dot store, which maps byte-string keys to the set of dots that
 * keep them alive plus, for the map, an embedded CRDT value. The OR-Set is a
 * dot store without values; the map is one with values. */
#ifndef CRDT_CAUSAL_H
#define CRDT_CAUSAL_H

#include "engine/crdt/crdt_int.h"

/* Canonical form: vv as in crdt__vmap; cloud sorted, unique, and every dot
 * (r, n) in it has n > vv[r] + 1 (a dot vv[r] + 1 is folded into vv). */
typedef struct crdt__cc {
    crdt__vmap vv;
    crdt__dot *cloud;
    size_t ncloud;
} crdt__cc;

/* Whether sorted, unique dots d[0..n) hold x. */
bool crdt__dots_has(const crdt__dot *d, size_t n, crdt__dot x);
/* qsort comparator of dots, by (replica, n). */
int crdt__dot_qcmp(const void *a, const void *b);

bool crdt__cc_has(const crdt__cc *c, crdt__dot d);
/* The next dot for replica r: one past the largest r-dot seen. CRDT_EOVERFLOW
 * if that would pass 2^64 - 1. */
int crdt__cc_next(const crdt__cc *c, crdt_replica_t r, crdt__dot *d);
/* *out := a ∪ b (canonical, freshly allocated). 0 or CRDT_ENOMEM. */
int crdt__cc_join(const crdt__cc *a, const crdt__cc *b, crdt__cc *out);
/* *out := the context holding exactly the n dots d (any order, repeats allowed). */
int crdt__cc_of_dots(const crdt__dot *d, size_t n, crdt__cc *out);
bool crdt__cc_leq(const crdt__cc *a, const crdt__cc *b); /* a ⊆ b */
bool crdt__cc_eq(const crdt__cc *a, const crdt__cc *b);
void crdt__cc_free(crdt__cc *c);
void crdt__cc_encode(const crdt__cc *c, crdt_buf *b);
int crdt__cc_decode(crdt_rd *rd, crdt__cc *c);

/* One key of a dot store: dots sorted and unique; val is NULL in an OR-Set
 * and a state of the store's value type in a map. An entry exists while it
 * has dots or a non-bottom value; it is visible ("present") while it has dots. */
typedef struct crdt__dent {
    uint8_t *key;
    size_t klen;
    crdt__dot *dots;
    size_t ndots;
    void *val;
} crdt__dent;

/* Entries sorted by key (crdt__key_cmp); every dot of every entry is in cc
 * and belongs to one entry only. */
typedef struct crdt__dstore {
    crdt__cc cc;
    const crdt_type *vt; /* value type, NULL for an OR-Set */
    crdt__dent *e;
    size_t n;
} crdt__dstore;

void crdt__ds_init(crdt__dstore *s, const crdt_type *vt);
static inline bool crdt__ds_is_bottom(const crdt__dstore *s) {
    return s->n == 0 && s->cc.vv.n == 0 && s->cc.ncloud == 0;
}
void crdt__ds_free(crdt__dstore *s);
int crdt__ds_clone(const crdt__dstore *s, crdt__dstore *out);
/* The entry of key, or NULL. */
const crdt__dent *crdt__ds_find(const crdt__dstore *s, const void *key, size_t klen);

/* The add (OR-Set) / update (map) delta-mutator of Almeida et al.: replica
 * r makes a new dot that replaces the key's dots; in a map, `inner` is then
 * applied to the key's value. *delta (initialised by the callee, owned by
 * the caller) holds the new dot under the key, the inner delta, and a
 * context of the new and replaced dots. On error s is unchanged. */
int crdt__ds_touch(crdt__dstore *s, crdt_replica_t r, const void *key, size_t klen, const crdt_op *inner,
                   crdt__dstore *delta);
/* The remove mutator: drops the key's dots; *delta is a bare context of them
 * (empty if the key was not present). A map keeps the key's value. */
int crdt__ds_drop(crdt__dstore *s, const void *key, size_t klen, crdt__dstore *delta);

/* into := into ⊔ from: contexts unite; a dot survives if both have it or the
 * other side has not seen it; map values join. 0 or CRDT_ENOMEM (into unchanged). */
int crdt__ds_merge(crdt__dstore *into, const crdt__dstore *from);
bool crdt__ds_leq(const crdt__dstore *a, const crdt__dstore *b);
bool crdt__ds_eq(const crdt__dstore *a, const crdt__dstore *b);

/* Wire form: context, varint entry count, then per entry: key (bytes), varint
 * dot count, dots as (replica, n) varint pairs, and the value body in a map. */
void crdt__ds_encode(const crdt__dstore *s, crdt_buf *b);
/* Decodes into s, initialised with its value type. */
int crdt__ds_decode(crdt_rd *rd, crdt__dstore *s);

#endif
