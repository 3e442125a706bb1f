/* Max and min registers: a register holding the largest (or the smallest)
 * double ever written anywhere; merge keeps the extremum, so they need no
 * clock. One implementation serves both orders, fixed when the register is
 * made; the wire tags differ (crdt_maxreg_type, crdt_minreg_type). Edge
 * gateways keep peaks, troughs and high-water marks with them. */
#ifndef CRDT_XREG_H
#define CRDT_XREG_H

#include "engine/crdt/crdt.h"

typedef struct crdt_xreg crdt_xreg;

extern const crdt_type crdt_maxreg_type;
extern const crdt_type crdt_minreg_type;

/* An empty register (bottom) of either order, or NULL on out of memory. */
crdt_xreg *crdt_maxreg_new(void);
crdt_xreg *crdt_minreg_new(void);
void crdt_xreg_free(crdt_xreg *x);
crdt_xreg *crdt_xreg_clone(const crdt_xreg *x);
bool crdt_xreg_is_max(const crdt_xreg *x);

/* Offers v (NaN is CRDT_EINVAL; -0 is stored as +0). The register keeps v if
 * it is empty or v beats its value. If delta is not NULL, *delta becomes a
 * new register of the same order the caller frees: {v} if v was kept,
 * bottom otherwise, so that the new x equals old x ⊔ *delta. */
int crdt_xreg_write(crdt_xreg *x, double v, crdt_xreg **delta);

/* true and *v = the value, or false if nothing was ever written. */
bool crdt_xreg_value(const crdt_xreg *x, double *v);

/* into := into ⊔ from: the extremum of the two. Both must have the same
 * order (asserted). Always 0. */
int crdt_xreg_merge(crdt_xreg *into, const crdt_xreg *from);
bool crdt_xreg_leq(const crdt_xreg *a, const crdt_xreg *b);
bool crdt_xreg_eq(const crdt_xreg *a, const crdt_xreg *b);

/* Encodes with the tag of x's order; decode accepts either order. */
int crdt_xreg_encode(const crdt_xreg *x, uint8_t **out, size_t *len);
int crdt_xreg_decode(const void *p, size_t len, crdt_xreg **out, char *err, size_t errlen);

#endif
