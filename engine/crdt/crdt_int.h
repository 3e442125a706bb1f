/* Internals shared by the CRDT implementations of engine/crdt/ (not for use
 * outside the folder): the (replica, counter) pair that is both a dot and a
 * version-vector entry, sorted replica -> counter maps (G-Counter entries,
 * version vectors), the canonical-double and key rules, and the adapters that
 * turn a type's typed functions into its crdt_type table. */
#ifndef CRDT_CRDT_INT_H
#define CRDT_CRDT_INT_H

#include <math.h>
#include <string.h>

#include "engine/crdt/crdt.h"

/* A dot (replica r's n-th event) or a map entry "replica r -> n". */
typedef struct crdt__dot {
    crdt_replica_t r;
    uint64_t n;
} crdt__dot;

static inline int crdt__dot_cmp(crdt__dot a, crdt__dot b) {
    if (a.r != b.r) return a.r < b.r ? -1 : 1;
    return (a.n > b.n) - (a.n < b.n);
}

/* replica -> counter, sorted by replica, counters > 0 (absent means 0). */
typedef struct crdt__vmap {
    crdt__dot *e;
    size_t n;
} crdt__vmap;

uint64_t crdt__vmap_get(const crdt__vmap *m, crdt_replica_t r);
/* Sets r -> v (v > 0), inserting if needed. 0 or CRDT_ENOMEM (m unchanged). */
int crdt__vmap_set(crdt__vmap *m, crdt_replica_t r, uint64_t v);
/* Adds n to r's counter; if delta is not NULL, *delta := {r -> new counter}
 * (empty when n == 0), freshly allocated. CRDT_EOVERFLOW past 2^64 - 1, or
 * CRDT_ENOMEM; m is unchanged on error. */
int crdt__vmap_add(crdt__vmap *m, crdt_replica_t r, uint64_t n, crdt__vmap *delta);
/* Sum of the counters, saturating at UINT64_MAX. */
uint64_t crdt__vmap_sum(const crdt__vmap *m);
/* *out := pointwise max of a and b, freshly allocated. 0 or CRDT_ENOMEM. */
int crdt__vmap_join(const crdt__vmap *a, const crdt__vmap *b, crdt__vmap *out);
int crdt__vmap_clone(const crdt__vmap *a, crdt__vmap *out);
bool crdt__vmap_leq(const crdt__vmap *a, const crdt__vmap *b); /* pointwise <= */
bool crdt__vmap_eq(const crdt__vmap *a, const crdt__vmap *b);
void crdt__vmap_free(crdt__vmap *m);
void crdt__vmap_encode(const crdt__vmap *m, crdt_buf *b);
int crdt__vmap_decode(crdt_rd *rd, crdt__vmap *m, const char *what);

/* Register values: no NaN, and -0 is written as +0, so that equal values
 * have one encoding and the orders used by the registers are total. */
static inline int crdt__f64_canon(double *v) {
    if (isnan(*v)) return CRDT_EINVAL;
    if (*v == 0) *v = 0.0;
    return 0;
}
static inline bool crdt__f64_is_canon(double v) { return !isnan(v) && !(v == 0 && signbit(v)); }
int crdt__rd_f64_canon(crdt_rd *rd, double *v, const char *what);

/* Element and key bytes: at most CRDT_KEY_MAX, not NULL unless empty. */
static inline bool crdt__key_ok(const void *k, size_t n) { return n <= CRDT_KEY_MAX && (k || n == 0); }
/* Byte-string order: memcmp on the common prefix, then the shorter first. */
static inline int crdt__key_cmp(const void *a, size_t na, const void *b, size_t nb) {
    size_t n = na < nb ? na : nb;
    int c = n ? memcmp(a, b, n) : 0;
    if (c) return c;
    return (na > nb) - (na < nb);
}

/* Defines, for type `name`, the void-pointer adapters name_v{destroy,clone,
 * merge,leq,eq} of its crdt_type table from its typed functions. */
#define CRDT__ADAPTERS(name)                                                                                 \
    static void name##_vdestroy(void *s) { crdt_##name##_free(s); }                                          \
    static void *name##_vclone(const void *s) { return crdt_##name##_clone(s); }                             \
    static int name##_vmerge(void *a, const void *b) { return crdt_##name##_merge(a, b); }                   \
    static bool name##_vleq(const void *a, const void *b) { return crdt_##name##_leq(a, b); }                \
    static bool name##_veq(const void *a, const void *b) { return crdt_##name##_eq(a, b); }

/* The crdt_type table entries CRDT__ADAPTERS provides, in slot order. */
#define CRDT__ADAPTER_SLOTS(name) name##_vdestroy, name##_vclone, name##_vmerge, name##_vleq, name##_veq

/* Defines the typed crdt_<name>_{encode,decode} of a type with state struct
 * T and table crdt_<name>_type. */
#define CRDT__CODEC(name, T)                                                                                 \
    int crdt_##name##_encode(const T *s, uint8_t **out, size_t *len) {                                       \
        return crdt_encode(&crdt_##name##_type, s, out, len);                                                \
    }                                                                                                        \
    int crdt_##name##_decode(const void *p, size_t len, T **out, char *err, size_t errlen) {                 \
        void *v = NULL;                                                                                      \
        int rc = crdt_decode(&crdt_##name##_type, p, len, &v, err, errlen);                                  \
        if (rc == 0) *out = v;                                                                               \
        return rc;                                                                                           \
    }

#endif
