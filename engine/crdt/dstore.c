/* Keyed dot stores: the state of the add-wins OR-Set (keys only) and of the
 * map (keys with embedded CRDT values), with the delta-mutators and the join
 * of Almeida, Shoker and Baquero (JPDC 2018, sections 6-7). A key lives while
 * it holds a dot no remove has seen; a remove records the dots it saw in the
 * causal context instead of keeping a tombstone per element. */
#include <assert.h>
#include <stdlib.h>

#include "engine/crdt/causal.h"

void crdt__ds_init(crdt__dstore *s, const crdt_type *vt) {
    memset(s, 0, sizeof *s);
    s->vt = vt;
}

static void ent_free(const crdt_type *vt, crdt__dent *e) {
    free(e->key);
    free(e->dots);
    if (vt && e->val) vt->destroy(e->val);
}

void crdt__ds_free(crdt__dstore *s) {
    crdt__cc_free(&s->cc);
    for (size_t i = 0; i < s->n; i++) ent_free(s->vt, &s->e[i]);
    free(s->e);
    crdt__ds_init(s, s->vt);
}

static uint8_t *key_dup(const void *k, size_t n) {
    uint8_t *p = malloc(n + 1);
    if (p && n) memcpy(p, k, n);
    return p;
}

static crdt__dot *dots_dup(const crdt__dot *d, size_t n) {
    crdt__dot *p = malloc((n + 1) * sizeof *p);
    if (p && n) memcpy(p, d, n * sizeof *p);
    return p;
}

/* Index of key, or of where it would be inserted. */
static size_t find(const crdt__dstore *s, const void *key, size_t klen, bool *found) {
    size_t lo = 0, hi = s->n;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (crdt__key_cmp(s->e[mid].key, s->e[mid].klen, key, klen) < 0)
            lo = mid + 1;
        else
            hi = mid;
    }
    *found = lo < s->n && crdt__key_cmp(s->e[lo].key, s->e[lo].klen, key, klen) == 0;
    return lo;
}

const crdt__dent *crdt__ds_find(const crdt__dstore *s, const void *key, size_t klen) {
    bool found;
    size_t i = find(s, key, klen, &found);
    return found ? &s->e[i] : NULL;
}

int crdt__ds_clone(const crdt__dstore *s, crdt__dstore *out) {
    static const crdt__cc none;
    crdt__ds_init(out, s->vt);
    if (crdt__cc_join(&s->cc, &none, &out->cc) || !(out->e = calloc(s->n + 1, sizeof *out->e))) goto fail;
    for (; out->n < s->n; out->n++) {
        const crdt__dent *e = &s->e[out->n];
        crdt__dent *c = &out->e[out->n];
        c->klen = e->klen;
        c->ndots = e->ndots;
        if (!(c->key = key_dup(e->key, e->klen)) || !(c->dots = dots_dup(e->dots, e->ndots)) ||
            (s->vt && !(c->val = s->vt->clone(e->val)))) {
            ent_free(s->vt, c);
            goto fail;
        }
    }
    return 0;
fail:
    crdt__ds_free(out);
    return CRDT_ENOMEM;
}

int crdt__ds_touch(crdt__dstore *s, crdt_replica_t r, const void *key, size_t klen, const crdt_op *inner,
                   crdt__dstore *delta) {
    if (!crdt__key_ok(key, klen) || (s->vt != NULL) != (inner != NULL)) return CRDT_EINVAL;
    bool found;
    size_t i = find(s, key, klen, &found);
    crdt__dot d;
    int rc = crdt__cc_next(&s->cc, r, &d);
    if (rc) return rc;
    size_t nold = found ? s->e[i].ndots : 0;
    crdt__ds_init(delta, s->vt);
    crdt__cc cc = {{NULL, 0}, NULL, 0};
    crdt__dent fresh = {0};
    crdt__dot *ctx = dots_dup(found ? s->e[i].dots : NULL, nold);
    rc = CRDT_ENOMEM;
    if (!ctx) goto fail;
    ctx[nold] = d;
    if (crdt__cc_of_dots(ctx, nold + 1, &delta->cc) || crdt__cc_join(&s->cc, &delta->cc, &cc)) goto fail;
    if (!(delta->e = calloc(1, sizeof *delta->e))) goto fail;
    delta->n = 1;
    crdt__dent *de = &delta->e[0];
    de->klen = klen;
    de->ndots = 1;
    if (!(de->key = key_dup(key, klen)) || !(de->dots = dots_dup(&d, 1))) goto fail;
    if (!(fresh.dots = dots_dup(&d, 1))) goto fail;
    if (!found) {
        crdt__dent *e = realloc(s->e, (s->n + 1) * sizeof *e);
        if (!e) goto fail;
        s->e = e;
        fresh.klen = klen;
        if (!(fresh.key = key_dup(key, klen)) || (s->vt && !(fresh.val = s->vt->create()))) goto fail;
    }
    if (s->vt && (rc = s->vt->apply(found ? s->e[i].val : fresh.val, r, inner, &de->val))) goto fail;
    free(ctx);
    crdt__cc_free(&s->cc);
    s->cc = cc;
    if (found) {
        free(s->e[i].dots);
        s->e[i].dots = fresh.dots;
        s->e[i].ndots = 1;
        return 0;
    }
    fresh.ndots = 1;
    memmove(s->e + i + 1, s->e + i, (s->n - i) * sizeof *s->e);
    s->e[i] = fresh;
    s->n++;
    return 0;
fail:
    free(ctx);
    crdt__cc_free(&cc);
    ent_free(s->vt, &fresh);
    crdt__ds_free(delta);
    return rc;
}

int crdt__ds_drop(crdt__dstore *s, const void *key, size_t klen, crdt__dstore *delta) {
    if (!crdt__key_ok(key, klen)) return CRDT_EINVAL;
    crdt__ds_init(delta, s->vt);
    bool found;
    size_t i = find(s, key, klen, &found);
    if (!found || s->e[i].ndots == 0) return 0;
    crdt__dent *e = &s->e[i];
    if (crdt__cc_of_dots(e->dots, e->ndots, &delta->cc)) return CRDT_ENOMEM;
    free(e->dots);
    e->dots = NULL;
    e->ndots = 0;
    if (!s->vt || s->vt->is_bottom(e->val)) {
        ent_free(s->vt, e);
        memmove(s->e + i, s->e + i + 1, (s->n - i - 1) * sizeof *s->e);
        s->n--;
    }
    return 0;
}

/* The dots of one key after a join: those both sides hold, and those one
 * side holds that the other side's context has not seen. x or y may be NULL. */
static int join_dots(const crdt__dent *x, const crdt__cc *cx, const crdt__dent *y, const crdt__cc *cy,
                     crdt__dot **out, size_t *n) {
    size_t nx = x ? x->ndots : 0, ny = y ? y->ndots : 0, i = 0, j = 0, k = 0;
    crdt__dot *d = malloc((nx + ny + 1) * sizeof *d);
    if (!d) return CRDT_ENOMEM;
    while (i < nx || j < ny) {
        int c = i == nx ? 1 : j == ny ? -1 : crdt__dot_cmp(x->dots[i], y->dots[j]);
        if (c == 0)
            d[k++] = x->dots[i];
        else if (c < 0 && !crdt__cc_has(cy, x->dots[i]))
            d[k++] = x->dots[i];
        else if (c > 0 && !crdt__cc_has(cx, y->dots[j]))
            d[k++] = y->dots[j];
        i += c <= 0;
        j += c >= 0;
    }
    *out = d;
    *n = k;
    return 0;
}

enum { FRESH_KEY = 1, FRESH_DOTS = 2, FRESH_VAL = 4 };

/* Frees the parts of e a merge allocated (flags f), not those it borrows. */
static void free_fresh(const crdt_type *vt, crdt__dent *e, unsigned f) {
    if (f & FRESH_KEY) free(e->key);
    if (f & FRESH_DOTS) free(e->dots);
    if (f & FRESH_VAL) vt->destroy(e->val);
}

/* Builds in *e the join of entries x (of a, may be NULL) and y (of b, may be
 * NULL) of one key, borrowing x's parts where they do not change and setting
 * *f to the parts it allocated. */
static int merge_entry(const crdt__dstore *a, const crdt__dent *x, const crdt__dstore *b, const crdt__dent *y,
                       crdt__dent *e, unsigned *f) {
    const crdt_type *vt = a->vt;
    crdt__dot *d;
    size_t nd;
    assert(x || y);
    *e = x ? *x : (crdt__dent){0};
    *f = 0;
    if (join_dots(x, &a->cc, y, &b->cc, &d, &nd)) return CRDT_ENOMEM;
    if (x && nd == x->ndots && (nd == 0 || memcmp(d, x->dots, nd * sizeof *d) == 0)) {
        free(d);
    } else {
        e->dots = d;
        e->ndots = nd;
        *f |= FRESH_DOTS;
    }
    if (!x) {
        if (!(e->key = key_dup(y->key, y->klen))) goto fail;
        e->klen = y->klen;
        *f |= FRESH_KEY;
    }
    if (vt && y && (!x || !vt->leq(y->val, x->val))) {
        void *v = vt->clone(x ? x->val : y->val);
        if (!v) goto fail;
        if (x && vt->merge(v, y->val)) {
            vt->destroy(v);
            goto fail;
        }
        e->val = v;
        *f |= FRESH_VAL;
    }
    return 0;
fail:
    free_fresh(vt, e, *f);
    return CRDT_ENOMEM;
}

int crdt__ds_merge(crdt__dstore *a, const crdt__dstore *b) {
    assert(a->vt == b->vt);
    const crdt_type *vt = a->vt;
    size_t cap = a->n + b->n + 1, k = 0, i = 0, j = 0;
    crdt__cc cc = {{NULL, 0}, NULL, 0};
    crdt__dent *out = malloc(cap * sizeof *out);
    size_t *src = malloc(cap * sizeof *src); /* index of the entry of a it borrows from, or SIZE_MAX */
    uint8_t *fresh = malloc(cap), *used = calloc(a->n + 1, 1);
    if (!out || !src || !fresh || !used || crdt__cc_join(&a->cc, &b->cc, &cc)) goto fail;
    while (i < a->n || j < b->n) {
        int c = i == a->n   ? 1
                : j == b->n ? -1
                            : crdt__key_cmp(a->e[i].key, a->e[i].klen, b->e[j].key, b->e[j].klen);
        const crdt__dent *x = c <= 0 ? &a->e[i] : NULL, *y = c >= 0 ? &b->e[j] : NULL;
        src[k] = c <= 0 ? i : SIZE_MAX;
        i += c <= 0;
        j += c >= 0;
        unsigned f;
        if (merge_entry(a, x, b, y, &out[k], &f)) goto fail;
        fresh[k] = (uint8_t)f;
        if (out[k].ndots == 0 && (!vt || vt->is_bottom(out[k].val)))
            free_fresh(vt, &out[k], f);
        else
            k++;
    }
    for (size_t t = 0; t < k; t++) {
        if (src[t] == SIZE_MAX) continue;
        crdt__dent *old = &a->e[src[t]];
        used[src[t]] = 1;
        if (fresh[t] & FRESH_DOTS) free(old->dots);
        if (fresh[t] & FRESH_VAL) vt->destroy(old->val);
    }
    for (size_t t = 0; t < a->n; t++)
        if (!used[t]) ent_free(vt, &a->e[t]);
    free(a->e);
    crdt__cc_free(&a->cc);
    a->e = out;
    a->n = k;
    a->cc = cc;
    free(src);
    free(fresh);
    free(used);
    return 0;
fail:
    for (size_t t = 0; t < k; t++) free_fresh(vt, &out[t], fresh[t]);
    crdt__cc_free(&cc);
    free(out);
    free(src);
    free(fresh);
    free(used);
    return CRDT_ENOMEM;
}

bool crdt__ds_leq(const crdt__dstore *a, const crdt__dstore *b) {
    if (!crdt__cc_leq(&a->cc, &b->cc)) return false;
    size_t i = 0, j = 0;
    while (i < a->n || j < b->n) {
        int c = i == a->n   ? 1
                : j == b->n ? -1
                            : crdt__key_cmp(a->e[i].key, a->e[i].klen, b->e[j].key, b->e[j].klen);
        const crdt__dent *x = c <= 0 ? &a->e[i] : NULL, *y = c >= 0 ? &b->e[j] : NULL;
        i += c <= 0;
        j += c >= 0;
        /* a's dots are all in b's context, so a dot of x missing from y is removed in a ⊔ b; a dot
         * of y that a has seen survives only if x still holds it. */
        for (size_t t = 0; y && t < y->ndots; t++)
            if (crdt__cc_has(&a->cc, y->dots[t]) && !(x && crdt__dots_has(x->dots, x->ndots, y->dots[t])))
                return false;
        if (a->vt && x && (y ? !a->vt->leq(x->val, y->val) : !a->vt->is_bottom(x->val))) return false;
    }
    return true;
}

bool crdt__ds_eq(const crdt__dstore *a, const crdt__dstore *b) {
    if (a->vt != b->vt || a->n != b->n || !crdt__cc_eq(&a->cc, &b->cc)) return false;
    for (size_t i = 0; i < a->n; i++) {
        const crdt__dent *x = &a->e[i], *y = &b->e[i];
        if (crdt__key_cmp(x->key, x->klen, y->key, y->klen) != 0 || x->ndots != y->ndots ||
            (x->ndots && memcmp(x->dots, y->dots, x->ndots * sizeof *x->dots) != 0) ||
            (a->vt && !a->vt->eq(x->val, y->val)))
            return false;
    }
    return true;
}

void crdt__ds_encode(const crdt__dstore *s, crdt_buf *b) {
    crdt__cc_encode(&s->cc, b);
    crdt_buf_uvar(b, s->n);
    for (size_t i = 0; i < s->n; i++) {
        const crdt__dent *e = &s->e[i];
        crdt_buf_bytes(b, e->key, e->klen);
        crdt_buf_uvar(b, e->ndots);
        for (size_t t = 0; t < e->ndots; t++) {
            crdt_buf_uvar(b, e->dots[t].r);
            crdt_buf_uvar(b, e->dots[t].n);
        }
        if (s->vt) s->vt->encode_body(e->val, b);
    }
}

/* Rejects a dot held by two entries (a dot names one event). */
static int check_unique_dots(crdt_rd *rd, const crdt__dstore *s) {
    size_t total = 0, k = 0;
    for (size_t i = 0; i < s->n; i++) total += s->e[i].ndots;
    crdt__dot *all = malloc((total + 1) * sizeof *all);
    if (!all) return CRDT_ENOMEM;
    for (size_t i = 0; i < s->n; i++)
        for (size_t t = 0; t < s->e[i].ndots; t++) all[k++] = s->e[i].dots[t];
    qsort(all, total, sizeof *all, crdt__dot_qcmp);
    bool dup = false;
    for (size_t i = 1; i < total && !dup; i++) dup = crdt__dot_cmp(all[i - 1], all[i]) == 0;
    free(all);
    return dup ? crdt_rd_fail(rd, CRDT_EMALFORMED, "a dot appears under two keys") : 0;
}

static int decode_entry(crdt_rd *rd, crdt__dstore *s, crdt__dent *e) {
    const uint8_t *key;
    size_t klen;
    if (crdt_rd_bytes(rd, &key, &klen, CRDT_KEY_MAX, "a key")) return rd->err;
    if (s->n > 0 && crdt__key_cmp(s->e[s->n - 1].key, s->e[s->n - 1].klen, key, klen) >= 0)
        return crdt_rd_fail(rd, CRDT_EMALFORMED, "keys not strictly increasing");
    if (crdt_rd_count(rd, &e->ndots, 2, "a key's dot count")) return rd->err;
    e->klen = klen;
    if (!(e->key = key_dup(key, klen)) || !(e->dots = malloc((e->ndots + 1) * sizeof *e->dots)))
        return CRDT_ENOMEM;
    for (size_t t = 0; t < e->ndots; t++) {
        crdt__dot *d = &e->dots[t];
        if (crdt_rd_uvar(rd, &d->r, "a dot's replica") || crdt_rd_uvar(rd, &d->n, "a dot's counter"))
            return rd->err;
        if (t > 0 && crdt__dot_cmp(e->dots[t - 1], *d) >= 0)
            return crdt_rd_fail(rd, CRDT_EMALFORMED, "a key's dots not strictly increasing");
        if (d->n == 0 || !crdt__cc_has(&s->cc, *d))
            return crdt_rd_fail(rd, CRDT_EMALFORMED, "dot (%llu, %llu) is not in the causal context",
                                (unsigned long long)d->r, (unsigned long long)d->n);
    }
    if (s->vt) {
        int rc = s->vt->decode_body(rd, &e->val);
        if (rc) return rc;
    }
    if (e->ndots == 0 && (!s->vt || s->vt->is_bottom(e->val)))
        return crdt_rd_fail(rd, CRDT_EMALFORMED, "an entry with neither dots nor a value");
    return 0;
}

int crdt__ds_decode(crdt_rd *rd, crdt__dstore *s) {
    size_t n;
    int rc = crdt__cc_decode(rd, &s->cc);
    if (rc) return rc;
    /* An entry takes at least a key length, a dot count and a dot (OR-Set) or a value (map). */
    if (crdt_rd_count(rd, &n, s->vt ? 3 : 4, "entry count")) goto fail;
    if (!(s->e = calloc(n + 1, sizeof *s->e))) {
        rc = CRDT_ENOMEM;
        goto fail;
    }
    for (size_t i = 0; i < n; i++) {
        crdt__dent e = {0};
        if ((rc = decode_entry(rd, s, &e))) {
            ent_free(s->vt, &e);
            goto fail;
        }
        s->e[s->n++] = e;
    }
    if ((rc = check_unique_dots(rd, s))) goto fail;
    return 0;
fail:
    crdt__ds_free(s);
    return rd->err ? rd->err : rc;
}
