/* Sorted replica -> counter maps joined by pointwise maximum: the entries of
 * a G-Counter (and of each half of a PN-Counter) and the version vector of
 * a causal context. Wire form: varint count, then (replica, counter) varint
 * pairs with replicas strictly increasing and counters > 0. */
#include <stdlib.h>

#include "engine/crdt/crdt_int.h"

static size_t find(const crdt__vmap *m, crdt_replica_t r, bool *found) {
    size_t lo = 0, hi = m->n;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (m->e[mid].r < r)
            lo = mid + 1;
        else
            hi = mid;
    }
    *found = lo < m->n && m->e[lo].r == r;
    return lo;
}

uint64_t crdt__vmap_get(const crdt__vmap *m, crdt_replica_t r) {
    bool found;
    size_t i = find(m, r, &found);
    return found ? m->e[i].n : 0;
}

int crdt__vmap_set(crdt__vmap *m, crdt_replica_t r, uint64_t v) {
    bool found;
    size_t i = find(m, r, &found);
    if (found) {
        m->e[i].n = v;
        return 0;
    }
    crdt__dot *e = realloc(m->e, (m->n + 1) * sizeof *e);
    if (!e) return CRDT_ENOMEM;
    memmove(e + i + 1, e + i, (m->n - i) * sizeof *e);
    e[i] = (crdt__dot){r, v};
    m->e = e;
    m->n++;
    return 0;
}

int crdt__vmap_add(crdt__vmap *m, crdt_replica_t r, uint64_t n, crdt__vmap *delta) {
    uint64_t v = crdt__vmap_get(m, r);
    if (n > UINT64_MAX - v) return CRDT_EOVERFLOW;
    crdt__vmap d = {NULL, 0};
    if (delta && n > 0 && crdt__vmap_set(&d, r, v + n)) return CRDT_ENOMEM;
    if (n > 0 && crdt__vmap_set(m, r, v + n)) {
        crdt__vmap_free(&d);
        return CRDT_ENOMEM;
    }
    if (delta) *delta = d;
    return 0;
}

uint64_t crdt__vmap_sum(const crdt__vmap *m) {
    uint64_t s = 0;
    for (size_t i = 0; i < m->n; i++) s = m->e[i].n > UINT64_MAX - s ? UINT64_MAX : s + m->e[i].n;
    return s;
}

int crdt__vmap_join(const crdt__vmap *a, const crdt__vmap *b, crdt__vmap *out) {
    crdt__dot *e = malloc((a->n + b->n + 1) * sizeof *e);
    if (!e) return CRDT_ENOMEM;
    size_t i = 0, j = 0, k = 0;
    while (i < a->n || j < b->n) {
        if (j == b->n || (i < a->n && a->e[i].r < b->e[j].r))
            e[k++] = a->e[i++];
        else if (i == a->n || b->e[j].r < a->e[i].r)
            e[k++] = b->e[j++];
        else {
            e[k] = a->e[i++];
            if (b->e[j].n > e[k].n) e[k].n = b->e[j].n;
            k++, j++;
        }
    }
    out->e = e;
    out->n = k;
    return 0;
}

int crdt__vmap_clone(const crdt__vmap *a, crdt__vmap *out) {
    crdt__vmap empty = {NULL, 0};
    return crdt__vmap_join(a, &empty, out);
}

bool crdt__vmap_leq(const crdt__vmap *a, const crdt__vmap *b) {
    size_t j = 0;
    for (size_t i = 0; i < a->n; i++) {
        while (j < b->n && b->e[j].r < a->e[i].r) j++;
        if (j == b->n || b->e[j].r != a->e[i].r || b->e[j].n < a->e[i].n) return false;
    }
    return true;
}

bool crdt__vmap_eq(const crdt__vmap *a, const crdt__vmap *b) {
    return a->n == b->n && (a->n == 0 || memcmp(a->e, b->e, a->n * sizeof *a->e) == 0);
}

void crdt__vmap_free(crdt__vmap *m) {
    free(m->e);
    m->e = NULL;
    m->n = 0;
}

void crdt__vmap_encode(const crdt__vmap *m, crdt_buf *b) {
    crdt_buf_uvar(b, m->n);
    for (size_t i = 0; i < m->n; i++) {
        crdt_buf_uvar(b, m->e[i].r);
        crdt_buf_uvar(b, m->e[i].n);
    }
}

int crdt__vmap_decode(crdt_rd *rd, crdt__vmap *m, const char *what) {
    size_t n;
    if (crdt_rd_count(rd, &n, 2, what)) return rd->err;
    crdt__dot *e = malloc((n + 1) * sizeof *e);
    if (!e) return CRDT_ENOMEM;
    for (size_t i = 0; i < n; i++) {
        if (crdt_rd_uvar(rd, &e[i].r, "a replica id")) break;
        if (i > 0 && e[i].r <= e[i - 1].r) {
            crdt_rd_fail(rd, CRDT_EMALFORMED, "%s: replica ids not strictly increasing", what);
            break;
        }
        if (crdt_rd_uvar(rd, &e[i].n, "a counter")) break;
        if (e[i].n == 0) {
            crdt_rd_fail(rd, CRDT_EMALFORMED, "%s: zero counter (absent entries are not encoded)", what);
            break;
        }
    }
    if (rd->err) {
        free(e);
        return rd->err;
    }
    m->e = e;
    m->n = n;
    return 0;
}
