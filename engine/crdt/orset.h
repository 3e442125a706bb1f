/* Add-wins observed-remove set of byte strings (elements of at most
 * CRDT_KEY_MAX bytes), in the optimized delta-state form of Almeida, Shoker
 * and Baquero (JPDC 2018): each add tags its element with a fresh dot, a
 * remove drops the dots it has seen, and an element stays while it holds a
 * dot no remove has seen — so an add concurrent with a remove wins. Removes
 * leave no tombstones: what was seen is a causal context (a version vector
 * plus the dots beyond it), one counter per replica once all deltas have
 * arrived. Edge gateways track active devices and alarm sets with it. */
#ifndef CRDT_ORSET_H
#define CRDT_ORSET_H

#include "engine/crdt/crdt.h"

typedef struct crdt_orset crdt_orset;

extern const crdt_type crdt_orset_type;

/* An empty set (bottom), or NULL on out of memory. */
crdt_orset *crdt_orset_new(void);
void crdt_orset_free(crdt_orset *s);
crdt_orset *crdt_orset_clone(const crdt_orset *s);

/* Replica r adds element (e, len): a new dot replaces the dots the element
 * held here. If delta is not NULL, *delta becomes a new set the caller frees
 * holding the element with the new dot and a context of the new and replaced
 * dots. CRDT_EINVAL if len > CRDT_KEY_MAX; s is unchanged on error. */
int crdt_orset_add(crdt_orset *s, crdt_replica_t r, const void *e, size_t len, crdt_orset **delta);

/* Removes the element (its dots seen here). *delta (if not NULL, caller
 * frees) is a set with no elements and a context of those dots — bottom if
 * the element was absent. An add this replica has not seen survives. */
int crdt_orset_remove(crdt_orset *s, const void *e, size_t len, crdt_orset **delta);

bool crdt_orset_contains(const crdt_orset *s, const void *e, size_t len);
size_t crdt_orset_size(const crdt_orset *s);
/* Iterates the elements in byte order: start with *pos = 0; each call that
 * returns true sets *e (borrowed, valid until s changes) and *len. */
bool crdt_orset_next(const crdt_orset *s, size_t *pos, const uint8_t **e, size_t *len);
/* Metadata size: version-vector entries and dots in the cloud beyond it. */
void crdt_orset_meta(const crdt_orset *s, size_t *vv_entries, size_t *cloud_dots);

/* into := into ⊔ from. 0, or CRDT_ENOMEM with into unchanged. */
int crdt_orset_merge(crdt_orset *into, const crdt_orset *from);
bool crdt_orset_leq(const crdt_orset *a, const crdt_orset *b);
bool crdt_orset_eq(const crdt_orset *a, const crdt_orset *b);

int crdt_orset_encode(const crdt_orset *s, uint8_t **out, size_t *len);
int crdt_orset_decode(const void *p, size_t len, crdt_orset **out, char *err, size_t errlen);

#endif
