/* The replicated document of edge-cloud sync (sync_doc.h): its parts, the
 * updates an edge window and the cloud's baselines make, merging, and the
 * wire encoding. A window touches hundreds of keys, each update returning a
 * one-key delta; joining them one by one into a growing delta would cost
 * O(k^2), so they are joined as a binary counter (pairs, then pairs of pairs):
 * O(k log k). */
#include "engine/sync_doc.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "engine/crdt/gcounter.h"
#include "engine/crdt/lww.h"
#include "engine/crdt/pncounter.h"
#include "engine/crdt/xreg.h"
#include "engine/sync.h"

enum { TAG_VALUES = 1, TAG_ALARMS = 2, TAG_BASELINES = 3 };

static const crdt_type *value_type(size_t v) {
    static const crdt_type *const t[ENG_SYNC_NVALUES] = {
        &crdt_gcounter_type, &crdt_pncounter_type, &crdt_minreg_type, &crdt_maxreg_type, &crdt_lww_type};
    return t[v];
}

/* The CRDT type of part i, and for a map part the type of its values. */
static const crdt_type *part_type(const eng_sync_doc *d, size_t i, const crdt_type **vt) {
    size_t a = eng_sync_doc_alarms_part(d);
    *vt = i < a ? value_type(i % ENG_SYNC_NVALUES) : i == a ? NULL : &crdt_lww_type;
    return i == a ? &crdt_orset_type : &crdt_map_type;
}

static int part_tag(const eng_sync_doc *d, size_t i) {
    size_t a = eng_sync_doc_alarms_part(d);
    return i < a ? TAG_VALUES : i == a ? TAG_ALARMS : TAG_BASELINES;
}

/* Whether a replica holding `scope` sees part i. */
static bool in_scope(const eng_sync_doc *d, size_t i, int32_t scope) {
    if (part_tag(d, i) != TAG_VALUES) return true;
    return scope == ENG_SYNC_ALL_SITES || (scope >= 0 && (size_t)scope == i / ENG_SYNC_NVALUES);
}

static bool part_set(const eng_sync_doc *d, size_t i) {
    const crdt_type *vt;
    return d->parts[i] && !part_type(d, i, &vt)->is_bottom(d->parts[i]);
}

/* A new bottom state for part i. */
static void *part_new(const eng_sync_doc *d, size_t i) {
    const crdt_type *vt, *t = part_type(d, i, &vt);
    void *s = t == &crdt_map_type ? (void *)crdt_map_new(vt) : t->create();
    if (!s) abort();
    return s;
}

void *eng_sync_doc_part(eng_sync_doc *d, size_t i) {
    if (!d->parts[i]) d->parts[i] = part_new(d, i);
    return d->parts[i];
}

eng_sync_doc *eng_sync_doc_new(uint32_t nsites) {
    eng_sync_doc *d = malloc(sizeof *d);
    if (!d) abort();
    d->nsites = nsites;
    d->parts = calloc(eng_sync_doc_nparts(d), sizeof *d->parts);
    if (!d->parts) abort();
    return d;
}

void eng_sync_doc_free(eng_sync_doc *d) {
    if (!d) return;
    const crdt_type *vt;
    for (size_t i = 0; i < eng_sync_doc_nparts(d); i++)
        if (d->parts[i]) part_type(d, i, &vt)->destroy(d->parts[i]);
    free(d->parts);
    free(d);
}

bool eng_sync_doc_is_bottom(const eng_sync_doc *d, int32_t scope) {
    for (size_t i = 0; i < eng_sync_doc_nparts(d); i++)
        if (in_scope(d, i, scope) && part_set(d, i)) return false;
    return true;
}

int32_t eng_sync_doc_span(const eng_sync_doc *d, bool *shared) {
    int32_t site = ENG_SYNC_SITE_NONE;
    *shared = false;
    for (size_t i = 0; i < eng_sync_doc_nparts(d); i++) {
        if (!part_set(d, i)) continue;
        if (part_tag(d, i) != TAG_VALUES) {
            *shared = true;
            continue;
        }
        int32_t s = (int32_t)(i / ENG_SYNC_NVALUES);
        site = site == ENG_SYNC_SITE_NONE || site == s ? s : ENG_SYNC_ALL_SITES;
    }
    return site;
}

int eng_sync_doc_merge(eng_sync_doc *into, eng_sync_doc *from, eng_sync_doc **grown) {
    if (grown) *grown = NULL;
    for (size_t i = 0; i < eng_sync_doc_nparts(from); i++) {
        if (!part_set(from, i)) continue;
        const crdt_type *vt, *t = part_type(from, i, &vt);
        if (!into->parts[i]) into->parts[i] = part_new(into, i);
        if (t->leq(from->parts[i], into->parts[i])) continue;
        int rc = t->merge(into->parts[i], from->parts[i]);
        if (rc) return rc;
        if (!grown) continue;
        if (!*grown) *grown = eng_sync_doc_new(from->nsites);
        (*grown)->parts[i] = from->parts[i];
        from->parts[i] = NULL;
    }
    return 0;
}

int eng_sync_doc_join(eng_sync_doc *into, const eng_sync_doc *from, int32_t scope) {
    for (size_t i = 0; i < eng_sync_doc_nparts(from); i++) {
        if (!in_scope(from, i, scope) || !part_set(from, i)) continue;
        const crdt_type *vt, *t = part_type(from, i, &vt);
        if (!into->parts[i]) into->parts[i] = part_new(into, i);
        int rc = t->merge(into->parts[i], from->parts[i]);
        if (rc) return rc;
    }
    return 0;
}

void eng_sync_doc_drop_sites(eng_sync_doc *d, const uint8_t *keep) {
    const crdt_type *vt;
    for (size_t i = 0; i < eng_sync_doc_alarms_part(d); i++) {
        if (!d->parts[i] || keep[i / ENG_SYNC_NVALUES]) continue;
        part_type(d, i, &vt)->destroy(d->parts[i]);
        d->parts[i] = NULL;
    }
}

/* Joins deltas of one type as a binary counter: stack entries hold 2^k
 * deltas each, strictly decreasing in k, so at most 64 are ever stacked. */
typedef struct acc {
    const crdt_type *t;
    void *st[64];
    uint64_t w[64];
    size_t n;
    int err;
} acc;

static void acc_fold(acc *a) {
    void *top = a->st[--a->n];
    int rc = a->t->merge(a->st[a->n - 1], top);
    if (rc && !a->err) a->err = rc;
    a->w[a->n - 1] += a->w[a->n];
    a->t->destroy(top);
}

static void acc_push(acc *a, void *delta) {
    if (a->t->is_bottom(delta) || a->err) {
        a->t->destroy(delta);
        return;
    }
    a->st[a->n] = delta;
    a->w[a->n++] = 1;
    while (a->n >= 2 && a->w[a->n - 2] <= a->w[a->n - 1]) acc_fold(a);
}

/* The join of everything pushed (NULL if nothing was), or NULL with *rc set. */
static void *acc_take(acc *a, int *rc) {
    while (a->n >= 2) acc_fold(a);
    if (a->err && !*rc) *rc = a->err;
    if (a->err && a->n) a->t->destroy(a->st[0]);
    return a->err || !a->n ? NULL : a->st[0];
}

static void key_of(uint8_t k[ENG_SYNC_KEY_BYTES], uint32_t device, uint16_t metric) {
    k[0] = (uint8_t)(device >> 24), k[1] = (uint8_t)(device >> 16), k[2] = (uint8_t)(device >> 8);
    k[3] = (uint8_t)device, k[4] = (uint8_t)(metric >> 8), k[5] = (uint8_t)metric;
}

static int rec_ops(const eng_rec *r, crdt_hlc_clock *clk, rt_time_t now, crdt_op op[ENG_SYNC_NVALUES]) {
    double milli = r->value * 1000.0;
    if (!(fabs(milli) < 9.2e18) || r->count == 0) return CRDT_EINVAL;
    op[ENG_SYNC_COUNT] = (crdt_op){.kind = CRDT_OP_INC, .u = r->count};
    op[ENG_SYNC_SUM] = (crdt_op){.kind = CRDT_OP_ADD, .i = llround(milli)};
    op[ENG_SYNC_MIN] = (crdt_op){.kind = CRDT_OP_WRITE, .d = r->min};
    op[ENG_SYNC_MAX] = (crdt_op){.kind = CRDT_OP_WRITE, .d = r->max};
    op[ENG_SYNC_LAST] = (crdt_op){.kind = CRDT_OP_WRITE, .d = r->value / r->count};
    return crdt_hlc_now(clk, now, &op[ENG_SYNC_LAST].ts);
}

typedef struct dev_flag {
    uint32_t device;
    int anomaly;
} dev_flag;

static int by_device(const void *a, const void *b) {
    const dev_flag *x = a, *y = b;
    if (x->device != y->device) return x->device < y->device ? -1 : 1;
    return 0;
}

/* Adds devices with an anomalous record to the alarms and removes devices
 * whose records are all normal; pushes the deltas onto `al`. */
static int window_alarms(eng_sync_doc *d, crdt_replica_t r, const eng_rec *recs, size_t n, acc *al) {
    dev_flag *f = malloc((n ? n : 1) * sizeof *f);
    if (!f) return CRDT_ENOMEM;
    for (size_t i = 0; i < n; i++) f[i] = (dev_flag){recs[i].device, (recs[i].flags & ENG_REC_ANOMALY) != 0};
    qsort(f, n, sizeof *f, by_device);
    size_t a = eng_sync_doc_alarms_part(d);
    if (!d->parts[a]) d->parts[a] = part_new(d, a);
    crdt_orset *set = d->parts[a];
    int rc = 0;
    for (size_t i = 0; i < n && !rc;) {
        uint32_t dev = f[i].device;
        int anomaly = 0;
        for (; i < n && f[i].device == dev; i++) anomaly |= f[i].anomaly;
        uint8_t e[4] = {(uint8_t)(dev >> 24), (uint8_t)(dev >> 16), (uint8_t)(dev >> 8), (uint8_t)dev};
        crdt_orset *delta = NULL;
        if (anomaly)
            rc = crdt_orset_add(set, r, e, sizeof e, &delta);
        else if (crdt_orset_contains(set, e, sizeof e))
            rc = crdt_orset_remove(set, e, sizeof e, &delta);
        if (delta) acc_push(al, delta);
    }
    free(f);
    return rc;
}

int eng_sync_doc_window(eng_sync_doc *d, crdt_replica_t r, crdt_hlc_clock *clk, rt_time_t now, uint32_t site,
                        const eng_rec *recs, size_t n, eng_sync_doc **delta) {
    acc a[ENG_SYNC_NVALUES + 1];
    size_t base = (size_t)site * ENG_SYNC_NVALUES;
    for (size_t v = 0; v < ENG_SYNC_NVALUES; v++) {
        a[v] = (acc){.t = &crdt_map_type};
        if (!d->parts[base + v]) d->parts[base + v] = part_new(d, base + v);
    }
    a[ENG_SYNC_NVALUES] = (acc){.t = &crdt_orset_type};
    int rc = 0;
    for (size_t i = 0; i < n && !rc; i++) {
        uint8_t key[ENG_SYNC_KEY_BYTES];
        key_of(key, recs[i].device, recs[i].metric);
        crdt_op inner[ENG_SYNC_NVALUES];
        rc = rec_ops(&recs[i], clk, now, inner);
        for (size_t v = 0; v < ENG_SYNC_NVALUES && !rc; v++) {
            crdt_map *dm = NULL;
            rc = crdt_map_update(d->parts[base + v], r, key, sizeof key, &inner[v], &dm);
            if (dm) acc_push(&a[v], dm);
        }
    }
    if (!rc) rc = window_alarms(d, r, recs, n, &a[ENG_SYNC_NVALUES]);
    eng_sync_doc *out = eng_sync_doc_new(d->nsites);
    for (size_t v = 0; v < ENG_SYNC_NVALUES; v++) out->parts[base + v] = acc_take(&a[v], &rc);
    out->parts[eng_sync_doc_alarms_part(d)] = acc_take(&a[ENG_SYNC_NVALUES], &rc);
    if (rc) {
        eng_sync_doc_free(out);
        return rc;
    }
    *delta = out;
    return 0;
}

void eng_sync_doc_encode(const eng_sync_doc *d, int32_t scope, crdt_buf *b) {
    size_t n = 0;
    for (size_t i = 0; i < eng_sync_doc_nparts(d); i++) n += in_scope(d, i, scope) && part_set(d, i);
    crdt_buf_uvar(b, n);
    for (size_t i = 0; i < eng_sync_doc_nparts(d); i++) {
        if (!in_scope(d, i, scope) || !part_set(d, i)) continue;
        int tag = part_tag(d, i);
        crdt_buf_u8(b, (uint8_t)tag);
        if (tag == TAG_VALUES) {
            crdt_buf_uvar(b, i / ENG_SYNC_NVALUES);
            crdt_buf_u8(b, (uint8_t)(i % ENG_SYNC_NVALUES));
        }
        const crdt_type *vt;
        uint8_t *p = NULL;
        size_t len = 0;
        if (crdt_encode(part_type(d, i, &vt), d->parts[i], &p, &len) != 0) b->oom = true;
        crdt_buf_bytes(b, p, len);
        free(p);
    }
}

size_t eng_sync_doc_size(const eng_sync_doc *d, int32_t scope) {
    crdt_buf b;
    crdt_buf_init(&b);
    eng_sync_doc_encode(d, scope, &b);
    if (b.oom) abort();
    size_t len = b.len;
    crdt_buf_free(&b);
    return len;
}

/* Reads one part's header into *i, its index in d; 0 or rd's error. */
static int read_part_index(crdt_rd *rd, const eng_sync_doc *d, size_t *i) {
    uint8_t tag, kind;
    uint64_t site;
    if (crdt_rd_u8(rd, &tag, "part tag")) return rd->err;
    if (tag == TAG_ALARMS || tag == TAG_BASELINES) {
        *i = eng_sync_doc_alarms_part(d) + (size_t)(tag - TAG_ALARMS);
        return 0;
    }
    if (tag != TAG_VALUES) return crdt_rd_fail(rd, CRDT_EMALFORMED, "part tag %u is not 1, 2 or 3", tag);
    if (crdt_rd_uvar(rd, &site, "site") || crdt_rd_u8(rd, &kind, "value kind")) return rd->err;
    if (site >= d->nsites || kind >= ENG_SYNC_NVALUES)
        return crdt_rd_fail(rd, CRDT_EMALFORMED, "site %llu, value kind %u out of range",
                            (unsigned long long)site, kind);
    *i = (size_t)site * ENG_SYNC_NVALUES + kind;
    return 0;
}

int eng_sync_doc_decode(crdt_rd *rd, uint32_t nsites, eng_sync_doc **out) {
    eng_sync_doc *d = eng_sync_doc_new(nsites);
    size_t n, i = 0, next = 0;
    if (crdt_rd_count(rd, &n, 3, "part count")) goto fail;
    for (size_t k = 0; k < n; k++) {
        if (read_part_index(rd, d, &i)) goto fail;
        if (i < next) {
            crdt_rd_fail(rd, CRDT_EMALFORMED, "part %zu out of order", k);
            goto fail;
        }
        next = i + 1;
        const uint8_t *p;
        size_t len;
        if (crdt_rd_bytes(rd, &p, &len, rd->len, "part")) goto fail;
        const crdt_type *vt, *t = part_type(d, i, &vt);
        char msg[160];
        int rc = crdt_decode(t, p, len, &d->parts[i], msg, sizeof msg);
        if (rc) {
            crdt_rd_fail(rd, rc, "part %zu: %s", k, msg);
            goto fail;
        }
        if ((vt && crdt_map_value_type(d->parts[i]) != vt) || t->is_bottom(d->parts[i])) {
            crdt_rd_fail(rd, CRDT_EMALFORMED, "part %zu: wrong value type or bottom", k);
            goto fail;
        }
    }
    *out = d;
    return 0;
fail:
    eng_sync_doc_free(d);
    return rd->err ? rd->err : CRDT_EMALFORMED;
}
