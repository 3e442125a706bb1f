/* G-Counter: a grow-only counter, one non-decreasing entry per replica; its
 * value is the sum of the entries and merge takes the pointwise maximum.
 * Edge gateways count readings, bytes and events with it. */
#ifndef CRDT_GCOUNTER_H
#define CRDT_GCOUNTER_H

#include "engine/crdt/crdt.h"

typedef struct crdt_gcounter crdt_gcounter;

extern const crdt_type crdt_gcounter_type;

/* A zero counter (bottom), or NULL on out of memory; free with _free. */
crdt_gcounter *crdt_gcounter_new(void);
void crdt_gcounter_free(crdt_gcounter *c);
/* A deep copy the caller frees, or NULL on out of memory. */
crdt_gcounter *crdt_gcounter_clone(const crdt_gcounter *c);

/* Adds n as replica r. If delta is not NULL, *delta becomes a new counter
 * (the caller frees it) holding only r's new entry (bottom when n == 0), so
 * that the new c equals old c ⊔ *delta. CRDT_EOVERFLOW if r's entry would
 * pass 2^64 - 1, CRDT_ENOMEM; c is unchanged on error. */
int crdt_gcounter_inc(crdt_gcounter *c, crdt_replica_t r, uint64_t n, crdt_gcounter **delta);

/* The sum of all entries, saturating at UINT64_MAX. */
uint64_t crdt_gcounter_value(const crdt_gcounter *c);
/* Replica r's entry (0 if it never incremented). */
uint64_t crdt_gcounter_get(const crdt_gcounter *c, crdt_replica_t r);

/* into := into ⊔ from. 0, or CRDT_ENOMEM with into unchanged. */
int crdt_gcounter_merge(crdt_gcounter *into, const crdt_gcounter *from);
bool crdt_gcounter_leq(const crdt_gcounter *a, const crdt_gcounter *b);
bool crdt_gcounter_eq(const crdt_gcounter *a, const crdt_gcounter *b);

/* Encoding and decoding as crdt_encode / crdt_decode with crdt_gcounter_type. */
int crdt_gcounter_encode(const crdt_gcounter *c, uint8_t **out, size_t *len);
int crdt_gcounter_decode(const void *p, size_t len, crdt_gcounter **out, char *err, size_t errlen);

#endif
