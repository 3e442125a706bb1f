/* Per-partition accounting (see live/ledger.h) and its state record, all
 * little-endian:
 *
 *   0  1  version (1)            1  1  'S'
 *   2  4  partition              6  8  origin: the run's time 0, epoch ns
 *   14 8  resume: Kafka offset of the first record not accounted for (-1: none)
 *   22 8  records committed      30 8  readings committed
 *   38 8  writer: the engine process that wrote it (a random id)
 *   46 4  sites, then per site 33 bytes: 1 if its end marker was read,
 *         readings in, readings out, records, bytes (u64 each)
 *   then the latency histogram of the committed readings (engine/metrics.h):
 *         n u64, under u64, sum_ns f64, min i64, max i64, k u32, and k
 *         non-empty buckets as (index u16, count u64)
 *   then the committed pairs (live/seqset.h). */
#include "live/ledger.h"

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "live/seqset.h"

#define STATE_MAGIC 'S'
#define STATE_HEAD 50
#define SITE_BYTES 33
#define HIST_HEAD 44

typedef struct part {
    int owned, dirty;
    int64_t resume;
    uint64_t records, readings;
    live_wire_part_end *ends; /* per site */
    uint8_t *seen;            /* per site */
    eng_hist latency;
    live_seqset committed;
} part;

struct live_ledger {
    pthread_mutex_t mu;
    uint32_t np, sites;
    uint64_t writer; /* this process's id in its state records */
    const live_clock *clock;
    rt_time_t freeze_at;
    part *p;
    uint8_t *buf; /* the state record being encoded */
    size_t capbuf;
};

static void part_reset(live_ledger *l, part *q) {
    live_seqset_free(&q->committed);
    q->resume = -1;
    q->records = q->readings = 0;
    memset(q->ends, 0, l->sites * sizeof *q->ends);
    memset(q->seen, 0, l->sites);
    eng_hist_reset(&q->latency);
}

live_ledger *live_ledger_new(uint32_t partitions, uint32_t sites, const live_clock *clock,
                             rt_time_t freeze_at) {
    live_ledger *l = calloc(1, sizeof *l);
    if (!l || !(l->p = calloc(partitions, sizeof *l->p))) {
        free(l);
        return NULL;
    }
    *l = (live_ledger){.np = partitions, .sites = sites, .clock = clock, .freeze_at = freeze_at, .p = l->p};
    struct timespec t;
    clock_gettime(CLOCK_REALTIME, &t);
    l->writer = (uint64_t)t.tv_sec * 1000000007ULL ^ (uint64_t)t.tv_nsec << 20 ^ (uint64_t)getpid() << 44 ^
                (uint64_t)(uintptr_t)l;
    pthread_mutex_init(&l->mu, NULL);
    for (uint32_t i = 0; i < partitions; i++) {
        part *q = &l->p[i];
        q->ends = calloc(sites ? sites : 1, sizeof *q->ends);
        q->seen = calloc(sites ? sites : 1, 1);
        if (!q->ends || !q->seen) {
            live_ledger_free(l);
            return NULL;
        }
        part_reset(l, q);
    }
    return l;
}

void live_ledger_free(live_ledger *l) {
    if (!l) return;
    for (uint32_t i = 0; i < l->np; i++) {
        live_seqset_free(&l->p[i].committed);
        free(l->p[i].ends);
        free(l->p[i].seen);
    }
    pthread_mutex_destroy(&l->mu);
    free(l->p);
    free(l->buf);
    free(l);
}

const live_clock *live_ledger_clock(const live_ledger *l) { return l->clock; }

int live_ledger_frozen(live_ledger *l) {
    return l->clock->epoch0 && live_clock_now(l->clock) >= l->freeze_at;
}

static void put64(uint8_t *p, uint64_t v) {
    for (int i = 0; i < 8; i++) p[i] = (uint8_t)(v >> 8 * i);
}
static void put32(uint8_t *p, uint32_t v) {
    for (int i = 0; i < 4; i++) p[i] = (uint8_t)(v >> 8 * i);
}
static uint64_t get64(const uint8_t *p) {
    uint64_t v = 0;
    for (int i = 7; i >= 0; i--) v = v << 8 | p[i];
    return v;
}
static uint32_t get32(const uint8_t *p) {
    return (uint32_t)p[0] | p[1] << 8 | p[2] << 16 | (uint32_t)p[3] << 24;
}
static void putf(uint8_t *p, double v) {
    uint64_t u;
    memcpy(&u, &v, sizeof u);
    put64(p, u);
}
static double getf(const uint8_t *p) {
    uint64_t u = get64(p);
    double v;
    memcpy(&v, &u, sizeof v);
    return v;
}

/* Reads a state record into q; 0, or -1 if malformed (q is then reset). */
static int decode(live_ledger *l, uint32_t p, part *q, const uint8_t *s, size_t len) {
    size_t at = STATE_HEAD + (size_t)l->sites * SITE_BYTES;
    if (len < at + HIST_HEAD || s[0] != 1 || s[1] != STATE_MAGIC || get32(s + 2) != p ||
        get32(s + 46) != l->sites)
        return -1;
    q->resume = (int64_t)get64(s + 14);
    q->records = get64(s + 22);
    q->readings = get64(s + 30);
    for (uint32_t i = 0; i < l->sites; i++) {
        const uint8_t *e = s + STATE_HEAD + (size_t)i * SITE_BYTES;
        q->seen[i] = e[0] != 0;
        q->ends[i] = (live_wire_part_end){.site = i,
                                          .partition = p,
                                          .readings_in = get64(e + 1),
                                          .readings_out = get64(e + 9),
                                          .records = get64(e + 17),
                                          .bytes = get64(e + 25)};
    }
    const uint8_t *h = s + at;
    q->latency.n = get64(h);
    q->latency.under = get64(h + 8);
    q->latency.sum_ns = getf(h + 16);
    q->latency.min = (rt_time_t)get64(h + 24);
    q->latency.max = (rt_time_t)get64(h + 32);
    uint32_t k = get32(h + 40);
    at += HIST_HEAD;
    if ((len - at) / 10 < k) return -1;
    for (uint32_t j = 0; j < k; j++, at += 10) {
        uint32_t b = (uint32_t)(s[at] | s[at + 1] << 8);
        if (b >= ENG_HIST_BUCKETS) return -1;
        q->latency.count[b] = get64(s + at + 2);
    }
    return live_seqset_decode(&q->committed, s + at, len - at) == len - at ? 0 : -1;
}

int64_t live_ledger_assign(live_ledger *l, uint32_t p, const uint8_t *state, size_t len) {
    if (live_ledger_frozen(l)) return -1;
    pthread_mutex_lock(&l->mu);
    part *q = &l->p[p];
    part_reset(l, q);
    q->owned = 1;
    q->dirty = 0;
    if (state && len >= 14 && (int64_t)get64(state + 6) == l->clock->epoch0 &&
        decode(l, p, q, state, len) != 0) {
        fprintf(stderr, "sparkiot: the state record of partition %u is malformed: starting it afresh\n", p);
        part_reset(l, q);
    }
    int64_t resume = q->resume;
    pthread_mutex_unlock(&l->mu);
    return resume;
}

void live_ledger_revoke(live_ledger *l, uint32_t p) {
    if (live_ledger_frozen(l)) return;
    pthread_mutex_lock(&l->mu);
    l->p[p].owned = 0;
    pthread_mutex_unlock(&l->mu);
}

int live_ledger_owned(live_ledger *l, uint32_t p) {
    pthread_mutex_lock(&l->mu);
    int owned = l->p[p].owned;
    pthread_mutex_unlock(&l->mu);
    return owned;
}

int live_ledger_committed(live_ledger *l, uint32_t p, uint32_t device, uint32_t seq) {
    pthread_mutex_lock(&l->mu);
    int has = live_seqset_has(&l->p[p].committed, device, seq);
    pthread_mutex_unlock(&l->mu);
    return has;
}

void live_ledger_end(live_ledger *l, uint32_t p, const live_wire_part_end *e) {
    if (e->site >= l->sites) return;
    pthread_mutex_lock(&l->mu);
    part *q = &l->p[p];
    if (q->owned && !q->seen[e->site]) {
        q->seen[e->site] = 1;
        q->ends[e->site] = *e;
        q->dirty = 1;
    }
    pthread_mutex_unlock(&l->mu);
}

int live_ledger_complete(live_ledger *l) {
    pthread_mutex_lock(&l->mu);
    int complete = 1;
    for (uint32_t p = 0; p < l->np; p++)
        for (uint32_t i = 0; i < l->sites && l->p[p].owned; i++) complete &= l->p[p].seen[i];
    pthread_mutex_unlock(&l->mu);
    return complete;
}

void live_ledger_commit(live_ledger *l, uint32_t p, const eng_rec *r, size_t n, rt_time_t now,
                        int no_latency) {
    pthread_mutex_lock(&l->mu);
    part *q = &l->p[p];
    for (size_t i = 0; i < n && q->owned; i++) {
        if (!live_seqset_add(&q->committed, r[i].device, r[i].seq)) continue;
        q->records++;
        q->readings += r[i].count;
        if (!no_latency) eng_hist_add(&q->latency, now - r[i].ts, r[i].count);
        q->dirty = 1;
    }
    pthread_mutex_unlock(&l->mu);
}

void live_ledger_settle(live_ledger *l, uint32_t p, const uint8_t *state, size_t len) {
    pthread_mutex_lock(&l->mu);
    if (state && len >= STATE_HEAD && (int64_t)get64(state + 6) == l->clock->epoch0)
        l->p[p].owned = get64(state + 38) == l->writer;
    pthread_mutex_unlock(&l->mu);
}

static size_t hist_buckets(const eng_hist *h) {
    size_t k = 0;
    for (size_t b = 0; b < ENG_HIST_BUCKETS; b++) k += h->count[b] != 0;
    return k;
}

static size_t encode(live_ledger *l, uint32_t p, const part *q) {
    size_t k = hist_buckets(&q->latency);
    size_t len =
        STATE_HEAD + (size_t)l->sites * SITE_BYTES + HIST_HEAD + 10 * k + live_seqset_size(&q->committed);
    if (len > l->capbuf) {
        free(l->buf);
        if (!(l->buf = malloc(len))) abort();
        l->capbuf = len;
    }
    uint8_t *s = l->buf;
    s[0] = 1;
    s[1] = STATE_MAGIC;
    put32(s + 2, p);
    put64(s + 6, (uint64_t)l->clock->epoch0);
    put64(s + 14, (uint64_t)q->resume);
    put64(s + 22, q->records);
    put64(s + 30, q->readings);
    put64(s + 38, l->writer);
    put32(s + 46, l->sites);
    for (uint32_t i = 0; i < l->sites; i++) {
        uint8_t *e = s + STATE_HEAD + (size_t)i * SITE_BYTES;
        e[0] = q->seen[i];
        put64(e + 1, q->ends[i].readings_in);
        put64(e + 9, q->ends[i].readings_out);
        put64(e + 17, q->ends[i].records);
        put64(e + 25, q->ends[i].bytes);
    }
    uint8_t *h = s + STATE_HEAD + (size_t)l->sites * SITE_BYTES;
    put64(h, q->latency.n);
    put64(h + 8, q->latency.under);
    putf(h + 16, q->latency.sum_ns);
    put64(h + 24, (uint64_t)q->latency.min);
    put64(h + 32, (uint64_t)q->latency.max);
    put32(h + 40, (uint32_t)k);
    h += HIST_HEAD;
    for (size_t b = 0; b < ENG_HIST_BUCKETS; b++) {
        if (!q->latency.count[b]) continue;
        h[0] = (uint8_t)b;
        h[1] = (uint8_t)(b >> 8);
        put64(h + 2, q->latency.count[b]);
        h += 10;
    }
    h += live_seqset_encode(&q->committed, h);
    return (size_t)(h - s);
}

void live_ledger_persist(live_ledger *l, uint32_t p, int64_t resume, int force, live_ledger_persist_fn fn,
                         void *ctx) {
    pthread_mutex_lock(&l->mu);
    part *q = &l->p[p];
    if (resume >= 0 && resume != q->resume) {
        q->resume = resume;
        q->dirty = 1;
    }
    if (q->owned && (q->dirty || force)) {
        size_t len = encode(l, p, q);
        q->dirty = 0;
        fn(ctx, p, l->buf, len);
    }
    pthread_mutex_unlock(&l->mu);
}

void live_ledger_sum(live_ledger *l, live_ledger_totals *t, eng_hist *latency) {
    memset(t, 0, sizeof *t);
    if (latency) eng_hist_reset(latency);
    pthread_mutex_lock(&l->mu);
    for (uint32_t p = 0; p < l->np; p++) {
        const part *q = &l->p[p];
        if (!q->owned) continue;
        t->owned++;
        int complete = 1;
        for (uint32_t i = 0; i < l->sites; i++) {
            complete &= q->seen[i];
            t->readings_in += q->ends[i].readings_in;
            t->readings_filtered += q->ends[i].readings_in - q->ends[i].readings_out;
            t->bus_records += q->ends[i].records;
            t->wan_bytes += q->ends[i].bytes;
        }
        t->incomplete += !complete;
        t->readings_out += q->readings;
        t->records_out += q->records;
        if (latency) eng_hist_merge(latency, &q->latency);
    }
    pthread_mutex_unlock(&l->mu);
}
