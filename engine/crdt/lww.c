/* LWW-Register: an optional write (HLC timestamp, replica, canonical double)
 * joined by taking the greater write in (l, c, replica, value) order; bottom
 * is the empty register. Body on the wire: one byte 0 (empty), or 1 then l
 * (zigzag varint), c (varint), replica (varint), value (8 bytes IEEE 754
 * little-endian). */
#include <stdlib.h>

#include "engine/crdt/crdt_int.h"
#include "engine/crdt/lww.h"

struct crdt_lww {
    bool set;
    crdt_hlc ts;
    crdt_replica_t r;
    double v;
};

crdt_lww *crdt_lww_new(void) { return calloc(1, sizeof(crdt_lww)); }
void crdt_lww_free(crdt_lww *x) { free(x); }

crdt_lww *crdt_lww_clone(const crdt_lww *x) {
    crdt_lww *k = malloc(sizeof *k);
    if (k) *k = *x;
    return k;
}

/* Order of two non-empty registers' writes. */
static int cmp(const crdt_lww *a, const crdt_lww *b) {
    int c = crdt_hlc_cmp(a->ts, b->ts);
    if (c) return c;
    if (a->r != b->r) return a->r < b->r ? -1 : 1;
    return (a->v > b->v) - (a->v < b->v);
}

/* Whether from's write beats into's (an empty register loses to any write). */
static bool wins(const crdt_lww *from, const crdt_lww *into) {
    return from->set && (!into->set || cmp(from, into) > 0);
}

int crdt_lww_set(crdt_lww *x, crdt_hlc ts, crdt_replica_t r, double v, crdt_lww **delta) {
    if (crdt__f64_canon(&v)) return CRDT_EINVAL;
    crdt_lww w = {true, ts, r, v};
    bool keep = wins(&w, x);
    if (delta) {
        crdt_lww *d = keep ? crdt_lww_clone(&w) : crdt_lww_new();
        if (!d) return CRDT_ENOMEM;
        *delta = d;
    }
    if (keep) *x = w;
    return 0;
}

bool crdt_lww_value(const crdt_lww *x, double *v, crdt_hlc *ts, crdt_replica_t *r) {
    if (!x->set) return false;
    if (v) *v = x->v;
    if (ts) *ts = x->ts;
    if (r) *r = x->r;
    return true;
}

int crdt_lww_merge(crdt_lww *into, const crdt_lww *from) {
    if (wins(from, into)) *into = *from;
    return 0;
}

bool crdt_lww_leq(const crdt_lww *a, const crdt_lww *b) { return !a->set || (b->set && cmp(a, b) <= 0); }

bool crdt_lww_eq(const crdt_lww *a, const crdt_lww *b) {
    return a->set == b->set && (!a->set || cmp(a, b) == 0);
}

static void *lww_create(void) { return crdt_lww_new(); }

static bool lww_is_bottom(const void *s) { return !((const crdt_lww *)s)->set; }

static int lww_apply(void *s, crdt_replica_t r, const crdt_op *op, void **delta) {
    if (op->kind != CRDT_OP_WRITE) return CRDT_EINVAL;
    crdt_lww *d;
    int rc = crdt_lww_set(s, op->ts, r, op->d, delta ? &d : NULL);
    if (rc == 0 && delta) *delta = d;
    return rc;
}

static void lww_encode(const void *s, crdt_buf *b) {
    const crdt_lww *x = s;
    crdt_buf_u8(b, x->set);
    if (!x->set) return;
    crdt_buf_svar(b, x->ts.l);
    crdt_buf_uvar(b, x->ts.c);
    crdt_buf_uvar(b, x->r);
    crdt_buf_f64(b, x->v);
}

static int lww_decode(crdt_rd *rd, void **out) {
    uint8_t set;
    crdt_lww w = {0};
    uint64_t c = 0;
    if (crdt_rd_u8(rd, &set, "the register flag")) return rd->err;
    if (set > 1) return crdt_rd_fail(rd, CRDT_EMALFORMED, "register flag %u is neither 0 nor 1", set);
    if (set) {
        crdt_rd_svar(rd, &w.ts.l, "the HLC physical part");
        if (crdt_rd_uvar(rd, &c, "the HLC counter") == 0 && c > UINT32_MAX)
            return crdt_rd_fail(rd, CRDT_EMALFORMED, "HLC counter %llu exceeds 32 bits",
                                (unsigned long long)c);
        crdt_rd_uvar(rd, &w.r, "the writer's replica id");
        if (crdt__rd_f64_canon(rd, &w.v, "the register value")) return rd->err;
        w.set = true;
        w.ts.c = (uint32_t)c;
    }
    crdt_lww *x = crdt_lww_clone(&w);
    if (!x) return CRDT_ENOMEM;
    *out = x;
    return 0;
}

CRDT__ADAPTERS(lww)
CRDT__CODEC(lww, crdt_lww)

const crdt_type crdt_lww_type = {
    CRDT_TYPE_ABI, CRDT_LWW,  "LWW-Register", lww_create, CRDT__ADAPTER_SLOTS(lww),
    lww_is_bottom, lww_apply, lww_encode,     lww_decode,
};
