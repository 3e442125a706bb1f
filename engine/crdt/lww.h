/* LWW-Register: a double that the latest write wins, "latest" meaning the
 * greatest (HLC timestamp, replica id) pair, so concurrent writes resolve the
 * same way at every replica and a write that causally follows another always
 * wins over it. Edge gateways keep last readings and configuration with it.
 * Timestamps come from the writer's crdt_hlc_clock (engine/crdt/hlc.h). */
#ifndef CRDT_LWW_H
#define CRDT_LWW_H

#include "engine/crdt/crdt.h"

typedef struct crdt_lww crdt_lww;

extern const crdt_type crdt_lww_type;

/* An empty register (bottom), or NULL on out of memory. */
crdt_lww *crdt_lww_new(void);
void crdt_lww_free(crdt_lww *x);
crdt_lww *crdt_lww_clone(const crdt_lww *x);

/* Replica r writes v at timestamp ts (NaN is CRDT_EINVAL; -0 is stored as
 * +0). The write takes effect if (ts, r, v) is greater than the current
 * (timestamp, replica, value) — the value compared last only so that the
 * order is total. If delta is not NULL, *delta becomes a new register the
 * caller frees: the write if it took effect, bottom otherwise. */
int crdt_lww_set(crdt_lww *x, crdt_hlc ts, crdt_replica_t r, double v, crdt_lww **delta);

/* true and the winning write's value, timestamp and replica (any of the out
 * pointers may be NULL), or false if nothing was ever written. */
bool crdt_lww_value(const crdt_lww *x, double *v, crdt_hlc *ts, crdt_replica_t *r);

/* into := into ⊔ from: the greater write. Always 0. */
int crdt_lww_merge(crdt_lww *into, const crdt_lww *from);
bool crdt_lww_leq(const crdt_lww *a, const crdt_lww *b);
bool crdt_lww_eq(const crdt_lww *a, const crdt_lww *b);

int crdt_lww_encode(const crdt_lww *x, uint8_t **out, size_t *len);
int crdt_lww_decode(const void *p, size_t len, crdt_lww **out, char *err, size_t errlen);

#endif
