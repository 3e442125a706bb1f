/* Causal contexts: the dots a causal CRDT state has seen, as a version vector
 * plus a cloud of dots past it, compacted after every union so that the
 * metadata of a replica that has received everything is one counter per
 * replica. Used by the OR-Set and the map (engine/crdt/dstore.c).
 * Wire form: the version vector (vmap), varint cloud size, then the cloud's
 * (replica, n) varint pairs in increasing order, each with n > vv[r] + 1. */
#include <stdlib.h>

#include "engine/crdt/causal.h"

bool crdt__dots_has(const crdt__dot *d, size_t n, crdt__dot x) {
    size_t lo = 0, hi = n;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        int k = crdt__dot_cmp(d[mid], x);
        if (k == 0) return true;
        if (k < 0)
            lo = mid + 1;
        else
            hi = mid;
    }
    return false;
}

int crdt__dot_qcmp(const void *a, const void *b) {
    return crdt__dot_cmp(*(const crdt__dot *)a, *(const crdt__dot *)b);
}

bool crdt__cc_has(const crdt__cc *c, crdt__dot d) {
    return d.n <= crdt__vmap_get(&c->vv, d.r) || crdt__dots_has(c->cloud, c->ncloud, d);
}

int crdt__cc_next(const crdt__cc *c, crdt_replica_t r, crdt__dot *d) {
    uint64_t top = crdt__vmap_get(&c->vv, r);
    for (size_t i = 0; i < c->ncloud; i++)
        if (c->cloud[i].r == r && c->cloud[i].n > top) top = c->cloud[i].n;
    if (top == UINT64_MAX) return CRDT_EOVERFLOW;
    *d = (crdt__dot){r, top + 1};
    return 0;
}

/* Folds into vv every cloud dot that extends it, drops cloud dots vv already
 * covers; cloud must be sorted and unique. 0 or CRDT_ENOMEM. */
static int compact(crdt__vmap *vv, crdt__dot *cloud, size_t *ncloud) {
    size_t w = 0, i = 0;
    while (i < *ncloud) {
        crdt_replica_t r = cloud[i].r;
        uint64_t v0 = crdt__vmap_get(vv, r), v = v0;
        for (; i < *ncloud && cloud[i].r == r; i++) {
            if (cloud[i].n <= v) continue;
            if (cloud[i].n - v == 1)
                v++;
            else
                cloud[w++] = cloud[i];
        }
        if (v != v0 && crdt__vmap_set(vv, r, v)) return CRDT_ENOMEM;
    }
    *ncloud = w;
    return 0;
}

/* *out := the compacted context (vv, cloud[0..k)), taking both; on failure
 * frees them and returns CRDT_ENOMEM. */
static int settle(crdt__vmap vv, crdt__dot *cloud, size_t k, crdt__cc *out) {
    if (compact(&vv, cloud, &k)) {
        crdt__vmap_free(&vv);
        free(cloud);
        return CRDT_ENOMEM;
    }
    out->vv = vv;
    out->cloud = cloud;
    out->ncloud = k;
    return 0;
}

int crdt__cc_join(const crdt__cc *a, const crdt__cc *b, crdt__cc *out) {
    crdt__dot *cloud = malloc((a->ncloud + b->ncloud + 1) * sizeof *cloud);
    if (!cloud) return CRDT_ENOMEM;
    size_t i = 0, j = 0, k = 0;
    while (i < a->ncloud || j < b->ncloud) {
        int c = i == a->ncloud ? 1 : j == b->ncloud ? -1 : crdt__dot_cmp(a->cloud[i], b->cloud[j]);
        cloud[k++] = c <= 0 ? a->cloud[i] : b->cloud[j];
        i += c <= 0;
        j += c >= 0;
    }
    crdt__vmap vv;
    if (crdt__vmap_join(&a->vv, &b->vv, &vv)) {
        free(cloud);
        return CRDT_ENOMEM;
    }
    return settle(vv, cloud, k, out);
}

int crdt__cc_of_dots(const crdt__dot *d, size_t n, crdt__cc *out) {
    crdt__dot *cloud = malloc((n + 1) * sizeof *cloud);
    if (!cloud) return CRDT_ENOMEM;
    if (n) memcpy(cloud, d, n * sizeof *cloud);
    qsort(cloud, n, sizeof *cloud, crdt__dot_qcmp);
    size_t k = 0;
    for (size_t i = 0; i < n; i++)
        if (k == 0 || crdt__dot_cmp(cloud[k - 1], cloud[i]) != 0) cloud[k++] = cloud[i];
    return settle((crdt__vmap){NULL, 0}, cloud, k, out);
}

bool crdt__cc_leq(const crdt__cc *a, const crdt__cc *b) {
    /* With b canonical, b holds 1..n of replica r only if b.vv[r] >= n. */
    if (!crdt__vmap_leq(&a->vv, &b->vv)) return false;
    for (size_t i = 0; i < a->ncloud; i++)
        if (!crdt__cc_has(b, a->cloud[i])) return false;
    return true;
}

bool crdt__cc_eq(const crdt__cc *a, const crdt__cc *b) {
    return crdt__vmap_eq(&a->vv, &b->vv) && a->ncloud == b->ncloud &&
           (a->ncloud == 0 || memcmp(a->cloud, b->cloud, a->ncloud * sizeof *a->cloud) == 0);
}

void crdt__cc_free(crdt__cc *c) {
    crdt__vmap_free(&c->vv);
    free(c->cloud);
    c->cloud = NULL;
    c->ncloud = 0;
}

void crdt__cc_encode(const crdt__cc *c, crdt_buf *b) {
    crdt__vmap_encode(&c->vv, b);
    crdt_buf_uvar(b, c->ncloud);
    for (size_t i = 0; i < c->ncloud; i++) {
        crdt_buf_uvar(b, c->cloud[i].r);
        crdt_buf_uvar(b, c->cloud[i].n);
    }
}

int crdt__cc_decode(crdt_rd *rd, crdt__cc *c) {
    size_t n;
    c->cloud = NULL;
    c->ncloud = 0;
    if (crdt__vmap_decode(rd, &c->vv, "version vector")) return rd->err ? rd->err : CRDT_ENOMEM;
    if (crdt_rd_count(rd, &n, 2, "dot cloud size")) goto fail;
    if (!(c->cloud = malloc((n + 1) * sizeof *c->cloud))) {
        crdt__vmap_free(&c->vv);
        return CRDT_ENOMEM;
    }
    for (size_t i = 0; i < n; i++) {
        crdt__dot d;
        if (crdt_rd_uvar(rd, &d.r, "a cloud dot's replica") ||
            crdt_rd_uvar(rd, &d.n, "a cloud dot's counter"))
            goto fail;
        if (i > 0 && crdt__dot_cmp(c->cloud[i - 1], d) >= 0) {
            crdt_rd_fail(rd, CRDT_EMALFORMED, "dot cloud not strictly increasing");
            goto fail;
        }
        uint64_t v = crdt__vmap_get(&c->vv, d.r);
        if (d.n <= v || d.n - v == 1) {
            crdt_rd_fail(rd, CRDT_EMALFORMED, "cloud dot (%llu, %llu) not past version vector entry %llu + 1",
                         (unsigned long long)d.r, (unsigned long long)d.n, (unsigned long long)v);
            goto fail;
        }
        c->cloud[c->ncloud++] = d;
    }
    return 0;
fail:
    crdt__cc_free(c);
    return rd->err;
}
