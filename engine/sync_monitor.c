/* Replica digests and the cloud agent's divergence bookkeeping
 * (sync_monitor.h). A key's hash folds, in value-kind order, a hash of what
 * each of its values reads as (counters' totals, registers' values, an LWW
 * register's value, stamp and writer), so replicas whose values agree hash
 * alike. */
#include "engine/sync_monitor.h"

#include <stdlib.h>
#include <string.h>

#include "engine/crdt/gcounter.h"
#include "engine/crdt/lww.h"
#include "engine/crdt/pncounter.h"
#include "engine/crdt/xreg.h"
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

/* A hash of what a value reads as: a counter's total, a register's value,
 * an LWW register's value with its stamp and writer. No allocation: this
 * runs for every key of every replica at every sample. */
static uint64_t hash_value(const crdt_type *t, const void *s) {
    uint64_t w[4] = {0};
    double v = 0;
    crdt_hlc ts = {0, 0};
    crdt_replica_t r = 0;
    switch (t->tag) {
    case CRDT_GCOUNTER:
        w[0] = crdt_gcounter_value(s);
        break;
    case CRDT_PNCOUNTER:
        w[0] = (uint64_t)crdt_pncounter_value(s);
        break;
    case CRDT_MAXREG:
    case CRDT_MINREG:
        w[1] = crdt_xreg_value(s, &v);
        memcpy(&w[0], &v, sizeof v);
        break;
    case CRDT_LWW:
        w[3] = crdt_lww_value(s, &v, &ts, &r);
        memcpy(&w[0], &v, sizeof v);
        w[1] = (uint64_t)ts.l;
        w[2] = (uint64_t)ts.c << 32 ^ r;
        break;
    default:
        abort();
    }
    return fnv(0xcbf29ce484222325ULL, (const uint8_t *)w, sizeof w);
}

static uint64_t be(const uint8_t *p, size_t n) {
    uint64_t v = 0;
    for (size_t i = 0; i < n; i++) v = v << 8 | p[i];
    return v;
}

static void add(eng_sync_digest *g, size_t *cap, uint64_t key, uint64_t hash) {
    if (g->n == *cap) {
        *cap = *cap ? 2 * *cap : 256;
        g->e = xrealloc(g->e, *cap * sizeof *g->e);
    }
    g->e[g->n++] = (eng_sync_dent){key, hash};
}

/* One of a site's five maps, walked in key order. */
typedef struct cursor {
    const crdt_map *m;
    size_t pos;
    uint64_t key;
    const void *val;
    int live;
} cursor;

static void step(cursor *c) {
    const uint8_t *k;
    size_t klen;
    c->live = c->m && crdt_map_next(c->m, &c->pos, &k, &klen, &c->val);
    if (c->live) c->key = be(k, klen);
}

/* Site s's keys in order, each hashing its values in value-kind order: the
 * five maps are merged as sorted lists. */
static void site_values(const eng_sync_doc *d, uint32_t s, eng_sync_digest *g, size_t *cap) {
    cursor c[ENG_SYNC_NVALUES];
    for (size_t v = 0; v < ENG_SYNC_NVALUES; v++) {
        c[v] = (cursor){.m = d->parts[(size_t)s * ENG_SYNC_NVALUES + v]};
        step(&c[v]);
    }
    for (;;) {
        int first = -1;
        for (int v = 0; v < ENG_SYNC_NVALUES; v++)
            if (c[v].live && (first < 0 || c[v].key < c[first].key)) first = v;
        if (first < 0) return;
        uint64_t key = c[first].key, h = 0xcbf29ce484222325ULL;
        for (int v = 0; v < ENG_SYNC_NVALUES; v++) {
            if (!c[v].live || c[v].key != key) continue;
            uint64_t part[2] = {(uint64_t)v, hash_value(crdt_map_value_type(c[v].m), c[v].val)};
            h = fnv(h, (const uint8_t *)part, sizeof part);
            step(&c[v]);
        }
        add(g, cap, (uint64_t)KEY_VALUES << 60 | key, h);
    }
}

static int by_key(const void *a, const void *b) {
    const eng_sync_dent *x = a, *y = b;
    return (x->key > y->key) - (x->key < y->key);
}

eng_sync_digest *eng_sync_digest_of(const eng_sync_doc *d, int32_t scope) {
    eng_sync_digest *g = calloc(1, sizeof *g);
    if (!g) abort();
    size_t cap = 0;
    for (uint32_t s = 0; s < d->nsites; s++)
        if (scope == ENG_SYNC_ALL_SITES || scope == (int32_t)s) site_values(d, s, g, &cap);
    size_t ia = eng_sync_doc_alarms_part(d);
    const crdt_orset *alarms = d->parts[ia];
    const crdt_map *base = d->parts[ia + 1];
    const uint8_t *key;
    const void *val;
    size_t klen, pos = 0;
    while (alarms && crdt_orset_next(alarms, &pos, &key, &klen))
        add(g, &cap, (uint64_t)KEY_ALARM << 60 | be(key, klen), 1);
    pos = 0;
    while (base && crdt_map_next(base, &pos, &key, &klen, &val))
        add(g, &cap, (uint64_t)KEY_BASELINE << 60 | be(key, klen), hash_value(&crdt_lww_type, val));
    /* sites hold ascending device ranges, so this is sorted already unless a
     * deployment numbers its devices otherwise */
    for (size_t i = 1; i < g->n; i++)
        if (g->e[i - 1].key >= g->e[i].key) {
            qsort(g->e, g->n, sizeof *g->e, by_key);
            break;
        }
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
