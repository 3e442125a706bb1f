/* Replica digests and the cloud agent's divergence bookkeeping
 * (sync_monitor.h). A value's hash is FNV-1a over its canonical CRDT
 * encoding, so equal states hash alike; a (device, metric) key folds the
 * hashes of its five values in value order. */
#include "engine/sync_monitor.h"

#include <stdlib.h>
#include <string.h>

#include "engine/sync.h"

enum { KEY_VALUES = 1, KEY_ALARM = 2, KEY_BASELINE = 3 };

static void *xrealloc(void *p, size_t n) {
    p = realloc(p, n ? n : 1);
    if (!p) abort();
    return p;
}

static uint64_t fnv(uint64_t h, const uint8_t *p, size_t n) {
    for (size_t i = 0; i < n; i++) h = (h ^ p[i]) * 0x100000001b3ULL;
    return h;
}

static uint64_t hash_state(const crdt_type *t, const void *s) {
    uint8_t *p;
    size_t len;
    if (crdt_encode(t, s, &p, &len) != 0) abort();
    uint64_t h = fnv(0xcbf29ce484222325ULL, p, len);
    free(p);
    return h;
}

static uint64_t be(const uint8_t *p, size_t n) {
    uint64_t v = 0;
    for (size_t i = 0; i < n; i++) v = v << 8 | p[i];
    return v;
}

typedef struct vent {
    uint64_t key, hash;
    unsigned kind;
} vent;

static int by_key_kind(const void *a, const void *b) {
    const vent *x = a, *y = b;
    if (x->key != y->key) return x->key < y->key ? -1 : 1;
    return (x->kind > y->kind) - (x->kind < y->kind);
}

typedef struct acc {
    vent *v;
    size_t n, cap;
} acc;

static void add(acc *a, uint64_t key, unsigned kind, uint64_t hash) {
    if (a->n == a->cap) {
        a->cap = a->cap ? 2 * a->cap : 256;
        a->v = xrealloc(a->v, a->cap * sizeof *a->v);
    }
    a->v[a->n++] = (vent){key, hash, kind};
}

/* Every key of the site maps `scope` sees, with its values' hashes. */
static void site_values(const eng_sync_doc *d, int32_t scope, acc *a) {
    for (size_t i = 0; i < eng_sync_doc_alarms_part(d); i++) {
        int32_t site = (int32_t)(i / ENG_SYNC_NVALUES);
        if (!d->parts[i] || (scope != ENG_SYNC_ALL_SITES && scope != site)) continue;
        const crdt_map *m = d->parts[i];
        const uint8_t *key;
        size_t klen, pos = 0;
        const void *val;
        while (crdt_map_next(m, &pos, &key, &klen, &val))
            add(a, (uint64_t)KEY_VALUES << 60 | be(key, klen), (unsigned)(i % ENG_SYNC_NVALUES),
                hash_state(crdt_map_value_type(m), val));
    }
}

static void shared_values(const eng_sync_doc *d, acc *a) {
    size_t ia = eng_sync_doc_alarms_part(d);
    const crdt_orset *alarms = d->parts[ia];
    const crdt_map *base = d->parts[ia + 1];
    const uint8_t *key;
    size_t klen, pos = 0;
    while (alarms && crdt_orset_next(alarms, &pos, &key, &klen))
        add(a, (uint64_t)KEY_ALARM << 60 | be(key, klen), 0, 1);
    const void *val;
    pos = 0;
    while (base && crdt_map_next(base, &pos, &key, &klen, &val))
        add(a, (uint64_t)KEY_BASELINE << 60 | be(key, klen), 0, hash_state(crdt_map_value_type(base), val));
}

eng_sync_digest *eng_sync_digest_of(const eng_sync_doc *d, int32_t scope) {
    acc a = {0};
    site_values(d, scope, &a);
    shared_values(d, &a);
    if (a.n) qsort(a.v, a.n, sizeof *a.v, by_key_kind);
    eng_sync_digest *g = malloc(sizeof *g);
    if (!g) abort();
    g->e = xrealloc(NULL, a.n * sizeof *g->e);
    g->n = 0;
    for (size_t i = 0; i < a.n;) {
        uint64_t key = a.v[i].key, h = 0xcbf29ce484222325ULL;
        for (; i < a.n && a.v[i].key == key; i++) {
            uint8_t part[9] = {(uint8_t)a.v[i].kind};
            for (int b = 0; b < 8; b++) part[1 + b] = (uint8_t)(a.v[i].hash >> (8 * b));
            h = fnv(h, part, sizeof part);
        }
        g->e[g->n++] = (eng_sync_dent){key, h};
    }
    free(a.v);
    return g;
}

void eng_sync_digest_free(eng_sync_digest *g) {
    if (!g) return;
    free(g->e);
    free(g);
}

uint64_t eng_sync_digest_diff(const eng_sync_digest *a, const eng_sync_digest *b) {
    uint64_t n = 0;
    size_t i = 0, j = 0;
    while (i < a->n || j < b->n) {
        if (j == b->n || (i < a->n && a->e[i].key < b->e[j].key)) {
            n++, i++;
        } else if (i == a->n || b->e[j].key < a->e[i].key) {
            n++, j++;
        } else {
            n += a->e[i].hash != b->e[j].hash;
            i++, j++;
        }
    }
    return n;
}

/* A sample still waiting for some digests. */
typedef struct open_sample {
    uint64_t k;
    rt_time_t t;
    eng_sync_digest **side[2]; /* [0]: the cloud's per site, [1]: the edges' */
    uint32_t done;             /* sites compared */
    uint64_t divergent;
} open_sample;

struct eng_sync_monitor {
    uint32_t nsites;
    open_sample *open;
    size_t nopen, capopen;
    eng_sync_sample *rows;
    size_t nrows, caprows;
    uint64_t final;
};

eng_sync_monitor *eng_sync_monitor_new(uint32_t nsites) {
    eng_sync_monitor *m = calloc(1, sizeof *m);
    if (!m) abort();
    m->nsites = nsites;
    return m;
}

static void close_sample(const eng_sync_monitor *m, open_sample *o) {
    for (int s = 0; s < 2; s++) {
        for (uint32_t i = 0; i < m->nsites; i++) eng_sync_digest_free(o->side[s][i]);
        free(o->side[s]);
    }
}

void eng_sync_monitor_free(eng_sync_monitor *m) {
    if (!m) return;
    for (size_t i = 0; i < m->nopen; i++) close_sample(m, &m->open[i]);
    free(m->open);
    free(m->rows);
    free(m);
}

static open_sample *find_open(eng_sync_monitor *m, uint64_t k, rt_time_t t) {
    for (size_t i = 0; i < m->nopen; i++)
        if (m->open[i].k == k) return &m->open[i];
    if (m->nopen == m->capopen) {
        m->capopen = m->capopen ? 2 * m->capopen : 4;
        m->open = xrealloc(m->open, m->capopen * sizeof *m->open);
    }
    open_sample *o = &m->open[m->nopen++];
    *o = (open_sample){.k = k, .t = t};
    for (int s = 0; s < 2; s++) {
        o->side[s] = calloc(m->nsites ? m->nsites : 1, sizeof *o->side[s]);
        if (!o->side[s]) abort();
    }
    return o;
}

void eng_sync_monitor_put(eng_sync_monitor *m, uint64_t k, rt_time_t t, uint32_t site, int edge,
                          eng_sync_digest *g) {
    open_sample *o = find_open(m, k, t);
    eng_sync_digest **mine = &o->side[edge != 0][site], **other = &o->side[edge == 0][site];
    eng_sync_digest_free(*mine);
    *mine = g;
    if (!*other) return;
    o->divergent += eng_sync_digest_diff(*mine, *other);
    eng_sync_digest_free(*mine);
    eng_sync_digest_free(*other);
    *mine = *other = NULL;
    if (++o->done < m->nsites) return;
    if (m->nrows == m->caprows) {
        m->caprows = m->caprows ? 2 * m->caprows : 64;
        m->rows = xrealloc(m->rows, m->caprows * sizeof *m->rows);
    }
    m->rows[m->nrows++] = (eng_sync_sample){o->t, o->divergent};
    if (k == ENG_SYNC_FINAL_SAMPLE) m->final = o->divergent;
    close_sample(m, o);
    *o = m->open[--m->nopen];
}

const eng_sync_sample *eng_sync_monitor_rows(const eng_sync_monitor *m, size_t *n, uint64_t *final) {
    *n = m->nrows;
    *final = m->final;
    return m->rows;
}
