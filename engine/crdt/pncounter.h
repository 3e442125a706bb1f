/* PN-Counter: a counter that goes up and down, kept as two G-Counters (P for
 * increments, N for decrements) whose value is P - N. Edge gateways use it
 * for gauges such as devices online or items in a queue. */
#ifndef CRDT_PNCOUNTER_H
#define CRDT_PNCOUNTER_H

#include "engine/crdt/crdt.h"

typedef struct crdt_pncounter crdt_pncounter;

extern const crdt_type crdt_pncounter_type;

/* A zero counter (bottom), or NULL on out of memory; free with _free. */
crdt_pncounter *crdt_pncounter_new(void);
void crdt_pncounter_free(crdt_pncounter *c);
crdt_pncounter *crdt_pncounter_clone(const crdt_pncounter *c);

/* Adds v (any sign) as replica r: |v| goes to r's P entry if v > 0, to its N
 * entry if v < 0. If delta is not NULL, *delta becomes a new counter the
 * caller frees, holding only the changed entry (bottom when v == 0), so that
 * the new c equals old c ⊔ *delta. CRDT_EOVERFLOW if the entry would pass
 * 2^64 - 1, CRDT_ENOMEM; c is unchanged on error. */
int crdt_pncounter_add(crdt_pncounter *c, crdt_replica_t r, int64_t v, crdt_pncounter **delta);

/* P - N, saturating at INT64_MIN and INT64_MAX. */
int64_t crdt_pncounter_value(const crdt_pncounter *c);

/* into := into ⊔ from (both halves). 0, or CRDT_ENOMEM with into unchanged. */
int crdt_pncounter_merge(crdt_pncounter *into, const crdt_pncounter *from);
bool crdt_pncounter_leq(const crdt_pncounter *a, const crdt_pncounter *b);
bool crdt_pncounter_eq(const crdt_pncounter *a, const crdt_pncounter *b);

int crdt_pncounter_encode(const crdt_pncounter *c, uint8_t **out, size_t *len);
int crdt_pncounter_decode(const void *p, size_t len, crdt_pncounter **out, char *err, size_t errlen);

#endif
