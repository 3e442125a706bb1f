/* Map of CRDTs keyed by byte strings (keys of at most CRDT_KEY_MAX bytes):
 * every value has the one CRDT type the map was made with (any type of
 * engine/crdt/ but the map). Key presence is an add-wins OR-Set over the keys:
 * an update of a key makes it present with a fresh dot, a remove hides it,
 * and an update concurrent with a remove wins. Values are never reset: a
 * key's value is the join of every update ever made to it, also across a
 * remove, so a key removed and updated again (or updated concurrently with
 * the remove) shows all its updates — the price of keeping merge a lattice
 * join for values that carry no causal context (docs/crdt.md). A removed key
 * keeps its value state; its dots go, as in the OR-Set. Edge gateways keep
 * per-device and per-metric counters and registers with it. */
#ifndef CRDT_MAP_H
#define CRDT_MAP_H

#include "engine/crdt/crdt.h"

typedef struct crdt_map crdt_map;

/* Its create slot is NULL: a map needs its value type (crdt_map_new). */
extern const crdt_type crdt_map_type;

/* An empty map (bottom) whose values are of type vt, or NULL if vt is the
 * map type or on out of memory. vt must outlive the map (the types of
 * engine/crdt/ are static). */
crdt_map *crdt_map_new(const crdt_type *vt);
void crdt_map_free(crdt_map *m);
crdt_map *crdt_map_clone(const crdt_map *m);
const crdt_type *crdt_map_value_type(const crdt_map *m);

/* Replica r applies op (an operation of the value type, e.g. CRDT_OP_ADD
 * for PN-Counter values) to the value under key, making the key present with
 * a new dot. If delta is not NULL, *delta becomes a new map the caller frees
 * holding the key with the new dot and the value's delta, and a context of
 * the new and replaced dots. CRDT_EINVAL for a key longer than CRDT_KEY_MAX
 * or an operation the value type rejects; m is unchanged on error. */
int crdt_map_update(crdt_map *m, crdt_replica_t r, const void *key, size_t klen, const crdt_op *op,
                    crdt_map **delta);

/* Hides the key (drops its dots seen here; the value state stays). *delta
 * (if not NULL, caller frees) is a map with no entries and a context of those
 * dots — bottom if the key was not present. */
int crdt_map_remove(crdt_map *m, const void *key, size_t klen, crdt_map **delta);

/* The value under a present key (borrowed, of the value type, valid until m
 * changes), or NULL if the key is absent or removed. */
const void *crdt_map_get(const crdt_map *m, const void *key, size_t klen);
size_t crdt_map_size(const crdt_map *m); /* present keys */
/* Iterates the present keys in byte order: start with *pos = 0; each call
 * that returns true sets *key, *klen and *val (borrowed, valid until m changes). */
bool crdt_map_next(const crdt_map *m, size_t *pos, const uint8_t **key, size_t *klen, const void **val);
/* Metadata size: version-vector entries, dots in the cloud beyond it, and
 * removed keys whose value state is kept. */
void crdt_map_meta(const crdt_map *m, size_t *vv_entries, size_t *cloud_dots, size_t *hidden_keys);

/* into := into ⊔ from. 0, CRDT_EINVAL if the value types differ, or
 * CRDT_ENOMEM; into is unchanged on error. */
int crdt_map_merge(crdt_map *into, const crdt_map *from);
/* false when the value types differ */
bool crdt_map_leq(const crdt_map *a, const crdt_map *b);
bool crdt_map_eq(const crdt_map *a, const crdt_map *b);

int crdt_map_encode(const crdt_map *m, uint8_t **out, size_t *len);
int crdt_map_decode(const void *p, size_t len, crdt_map **out, char *err, size_t errlen);

#endif
