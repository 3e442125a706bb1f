/* Max and min registers: an optional canonical double, joined by max (or
 * min); bottom is the empty register. Body on the wire: one byte 0 (empty)
 * or 1 followed by the value as 8 bytes IEEE 754 little-endian. */
#include <assert.h>
#include <stdio.h>
#include <stdlib.h>

#include "engine/crdt/crdt_int.h"
#include "engine/crdt/xreg.h"

struct crdt_xreg {
    bool max; /* order: true keeps the largest value, false the smallest */
    bool set;
    double v;
};

static crdt_xreg *xreg_new(bool max) {
    crdt_xreg *x = calloc(1, sizeof *x);
    if (x) x->max = max;
    return x;
}

crdt_xreg *crdt_maxreg_new(void) { return xreg_new(true); }
crdt_xreg *crdt_minreg_new(void) { return xreg_new(false); }
void crdt_xreg_free(crdt_xreg *x) { free(x); }
bool crdt_xreg_is_max(const crdt_xreg *x) { return x->max; }

crdt_xreg *crdt_xreg_clone(const crdt_xreg *x) {
    crdt_xreg *k = malloc(sizeof *k);
    if (k) *k = *x;
    return k;
}

/* Whether value a beats b in x's order. */
static bool beats(const crdt_xreg *x, double a, double b) { return x->max ? a > b : a < b; }

int crdt_xreg_write(crdt_xreg *x, double v, crdt_xreg **delta) {
    if (crdt__f64_canon(&v)) return CRDT_EINVAL;
    bool keep = !x->set || beats(x, v, x->v);
    if (delta) {
        crdt_xreg *d = xreg_new(x->max);
        if (!d) return CRDT_ENOMEM;
        d->set = keep;
        d->v = keep ? v : 0;
        *delta = d;
    }
    if (keep) {
        x->set = true;
        x->v = v;
    }
    return 0;
}

bool crdt_xreg_value(const crdt_xreg *x, double *v) {
    if (x->set) *v = x->v;
    return x->set;
}

int crdt_xreg_merge(crdt_xreg *into, const crdt_xreg *from) {
    assert(into->max == from->max);
    if (from->set && (!into->set || beats(into, from->v, into->v))) {
        into->set = true;
        into->v = from->v;
    }
    return 0;
}

bool crdt_xreg_leq(const crdt_xreg *a, const crdt_xreg *b) {
    assert(a->max == b->max);
    return !a->set || (b->set && !beats(a, a->v, b->v));
}

bool crdt_xreg_eq(const crdt_xreg *a, const crdt_xreg *b) {
    return a->max == b->max && a->set == b->set && (!a->set || a->v == b->v);
}

static void *maxreg_create(void) { return crdt_maxreg_new(); }
static void *minreg_create(void) { return crdt_minreg_new(); }

static bool xreg_is_bottom(const void *s) { return !((const crdt_xreg *)s)->set; }

static int xreg_apply(void *s, crdt_replica_t r, const crdt_op *op, void **delta) {
    if (op->kind != CRDT_OP_WRITE) return CRDT_EINVAL;
    crdt_xreg *d;
    int rc = crdt_xreg_write(s, op->d, delta ? &d : NULL);
    if (rc == 0 && delta) *delta = d;
    return rc;
}

static void xreg_encode(const void *s, crdt_buf *b) {
    const crdt_xreg *x = s;
    crdt_buf_u8(b, x->set);
    if (x->set) crdt_buf_f64(b, x->v);
}

static int xreg_decode(crdt_rd *rd, bool max, void **out) {
    uint8_t set;
    double v = 0;
    if (crdt_rd_u8(rd, &set, "the register flag")) return rd->err;
    if (set > 1) return crdt_rd_fail(rd, CRDT_EMALFORMED, "register flag %u is neither 0 nor 1", set);
    if (set && crdt__rd_f64_canon(rd, &v, "the register value")) return rd->err;
    crdt_xreg *x = xreg_new(max);
    if (!x) return CRDT_ENOMEM;
    x->set = set;
    x->v = v;
    *out = x;
    return 0;
}

static int maxreg_decode(crdt_rd *rd, void **out) { return xreg_decode(rd, true, out); }
static int minreg_decode(crdt_rd *rd, void **out) { return xreg_decode(rd, false, out); }

CRDT__ADAPTERS(xreg)

const crdt_type crdt_maxreg_type = {
    CRDT_TYPE_ABI,  CRDT_MAXREG, "max register", maxreg_create, CRDT__ADAPTER_SLOTS(xreg),
    xreg_is_bottom, xreg_apply,  xreg_encode,    maxreg_decode,
};

const crdt_type crdt_minreg_type = {
    CRDT_TYPE_ABI,  CRDT_MINREG, "min register", minreg_create, CRDT__ADAPTER_SLOTS(xreg),
    xreg_is_bottom, xreg_apply,  xreg_encode,    minreg_decode,
};

int crdt_xreg_encode(const crdt_xreg *x, uint8_t **out, size_t *len) {
    return crdt_encode(x->max ? &crdt_maxreg_type : &crdt_minreg_type, x, out, len);
}

int crdt_xreg_decode(const void *p, size_t len, crdt_xreg **out, char *err, size_t errlen) {
    const crdt_type *t = NULL;
    void *v = NULL;
    int rc = crdt_decode_any(p, len, &t, &v, err, errlen);
    if (rc == 0 && t != &crdt_maxreg_type && t != &crdt_minreg_type) {
        t->destroy(v);
        if (err && errlen) snprintf(err, errlen, "byte 1: type %s, expected a max or min register", t->name);
        return CRDT_ETYPE;
    }
    if (rc == 0) *out = v;
    return rc;
}
