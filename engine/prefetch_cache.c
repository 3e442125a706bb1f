/* The edge cache of one gateway (engine/prefetch.h): serves each window's
 * reads, fetches misses on demand, lets the prefetch policy observe the
 * window and pulls its most likely keys ahead of the next one — all within
 * the byte budget. Time is analytic: the reads are local to the gateway, a
 * hit costs `prefetch.hit_latency`, and the fetches a window issues
 * together (its misses, or the prefetches after it) are pipelined on the
 * WAN path, the i-th arriving rtt + (bytes of fetches 1..i) / bandwidth
 * after it was issued. A read of a key whose prefetch is still in flight is
 * a (late) hit that waits for it. It also keeps the read stream, for the
 * oracle bounds computed at the end of the run. */
#include <stdlib.h>
#include <string.h>

#include "engine/prefetch.h"

typedef struct entry {
    rt_time_t avail;        /* when its fetch arrives */
    uint64_t last_use;      /* read counter at its last read (LRU order) */
    double score;           /* the policy's last prediction */
    uint8_t cached, unread; /* unread: prefetched and not read since */
} entry;

/* A sort key: larger `a`, then larger `b`, then smaller key first. */
typedef struct rank {
    double a;
    uint64_t b;
    uint32_t key;
} rank;

struct eng_pf_cache {
    const eng_prefetch_opts *o;
    const eng_prefetch_policy *pol;
    const eng_pf_net *net;
    void *state;
    entry *e;
    uint32_t *kbytes, *counts;
    double *score;
    rank *ranks;
    uint8_t *chosen;
    size_t nkeys, capkeys;
    uint64_t used, tick;
    uint32_t *skeys, *start;
    size_t nreads, capreads, nwindows, capwindows;
    eng_pf_stats st;
};

void *eng_pf__grow(void *p, size_t n, size_t size) {
    void *q = realloc(p, n * size);
    if (!q) abort();
    return q;
}

eng_pf_cache *eng_pf_cache_new(const eng_prefetch_opts *o, const eng_prefetch_policy *pol,
                               const eng_pf_net *net, uint64_t seed, char *err, size_t errlen) {
    eng_pf_cache *c = calloc(1, sizeof *c);
    if (!c) abort();
    c->o = o;
    c->pol = pol;
    c->net = net;
    eng_hist_reset(&c->st.latency);
    if (pol->init && !(c->state = pol->init(o, seed, err, errlen))) {
        free(c);
        return NULL;
    }
    c->start = eng_pf__grow(NULL, 1, sizeof *c->start);
    c->start[0] = 0;
    c->capwindows = 1;
    return c;
}

void eng_pf_cache_free(eng_pf_cache *c) {
    if (!c) return;
    if (c->state) c->pol->free(c->state);
    free(c->e);
    free(c->kbytes);
    free(c->counts);
    free(c->score);
    free(c->ranks);
    free(c->chosen);
    free(c->skeys);
    free(c->start);
    free(c);
}

static void add_key(eng_pf_cache *c, uint32_t key, uint32_t bytes) {
    if (key < c->nkeys) return;
    if (key >= c->capkeys) {
        size_t cap = c->capkeys ? c->capkeys : 64;
        while (cap <= key) cap *= 2;
        c->e = eng_pf__grow(c->e, cap, sizeof *c->e);
        c->kbytes = eng_pf__grow(c->kbytes, cap, sizeof *c->kbytes);
        c->counts = eng_pf__grow(c->counts, cap, sizeof *c->counts);
        c->score = eng_pf__grow(c->score, cap, sizeof *c->score);
        c->ranks = eng_pf__grow(c->ranks, cap, sizeof *c->ranks);
        c->chosen = eng_pf__grow(c->chosen, cap, sizeof *c->chosen);
        c->capkeys = cap;
    }
    for (size_t k = c->nkeys; k <= key; k++) {
        c->e[k] = (entry){0};
        c->kbytes[k] = 0;
        c->counts[k] = 0;
        c->score[k] = 0;
    }
    c->nkeys = (size_t)key + 1;
    c->kbytes[key] = bytes;
}

static uint64_t fetch_bytes(const eng_pf_cache *c, uint32_t key) {
    return (uint64_t)c->o->header_bytes + c->kbytes[key];
}

/* When the fetch issued at t arrives, cum bytes having been issued with it
 * (its own included). */
static rt_time_t arrival(const eng_pf_cache *c, rt_time_t t, uint64_t cum) {
    return t + c->net->rtt + rt_from_s((double)cum / c->net->bandwidth);
}

static void evict(eng_pf_cache *c, uint32_t key) {
    entry *x = &c->e[key];
    c->used -= c->kbytes[key];
    if (x->unread) c->st.wasted_bytes += fetch_bytes(c, key);
    x->cached = x->unread = 0;
}

static void note_used(eng_pf_cache *c) {
    if (c->used > c->st.peak_bytes) c->st.peak_bytes = c->used;
}

/* A demand-fetched key enters; the cached keys with the lowest prediction
 * (then the least recently used) leave until it fits. */
static void admit(eng_pf_cache *c, uint32_t key, rt_time_t avail) {
    uint32_t need = c->kbytes[key];
    if (need > c->o->budget) return;
    while (c->used + need > c->o->budget) {
        size_t victim = c->nkeys;
        for (size_t k = 0; k < c->nkeys; k++) {
            const entry *x = &c->e[k];
            if (!x->cached) continue;
            if (victim == c->nkeys || x->score < c->e[victim].score ||
                (x->score == c->e[victim].score && x->last_use < c->e[victim].last_use))
                victim = k;
        }
        evict(c, (uint32_t)victim);
    }
    c->e[key] =
        (entry){.avail = avail, .last_use = c->e[key].last_use, .score = c->e[key].score, .cached = 1};
    c->used += need;
    note_used(c);
}

static int by_rank(const void *pa, const void *pb) {
    const rank *a = pa, *b = pb;
    if (a->a != b->a) return a->a > b->a ? -1 : 1;
    if (a->b != b->b) return a->b > b->b ? -1 : 1;
    return (a->key > b->key) - (a->key < b->key);
}

/* After the window read at t: the keys predicted to be read at least
 * `threshold` times, by predicted reads per byte, fill the budget; the
 * cached keys left keep what room remains (by prediction, then recency);
 * the chosen keys not cached are prefetched. */
static void plan(eng_pf_cache *c, rt_time_t t) {
    size_t n = 0;
    uint64_t room = c->o->budget;
    for (size_t k = 0; k < c->nkeys; k++) {
        c->chosen[k] = 0;
        if (c->kbytes[k] > 0 && c->e[k].score >= c->o->threshold)
            c->ranks[n++] = (rank){c->e[k].score / c->kbytes[k], 0, (uint32_t)k};
    }
    qsort(c->ranks, n, sizeof *c->ranks, by_rank);
    size_t nchosen = 0;
    for (size_t i = 0; i < n; i++) {
        uint32_t k = c->ranks[i].key;
        if (c->kbytes[k] > room) continue;
        room -= c->kbytes[k];
        c->chosen[k] = 1;
        c->ranks[nchosen++] = c->ranks[i];
    }
    size_t nkept = 0;
    rank *kept = c->ranks + nchosen;
    for (size_t k = 0; k < c->nkeys; k++)
        if (c->e[k].cached && !c->chosen[k])
            kept[nkept++] = (rank){c->e[k].score, c->e[k].last_use, (uint32_t)k};
    qsort(kept, nkept, sizeof *kept, by_rank);
    for (size_t i = 0; i < nkept; i++) {
        uint32_t k = kept[i].key;
        if (c->kbytes[k] <= room)
            room -= c->kbytes[k];
        else
            evict(c, k);
    }
    uint64_t cum = 0;
    for (size_t i = 0; i < nchosen; i++) {
        uint32_t k = c->ranks[i].key;
        entry *x = &c->e[k];
        if (x->cached) continue;
        cum += fetch_bytes(c, k);
        c->st.prefetch_bytes += fetch_bytes(c, k);
        x->cached = x->unread = 1;
        x->avail = arrival(c, t, cum);
        c->used += c->kbytes[k];
    }
    note_used(c);
}

static void record(eng_pf_cache *c, const uint32_t *keys, size_t n) {
    if (c->nreads + n > c->capreads) {
        size_t cap = c->capreads ? c->capreads : 256;
        while (cap < c->nreads + n) cap *= 2;
        c->skeys = eng_pf__grow(c->skeys, cap, sizeof *c->skeys);
        c->capreads = cap;
    }
    memcpy(c->skeys + c->nreads, keys, n * sizeof *keys);
    c->nreads += n;
    if (c->nwindows + 2 > c->capwindows) {
        c->capwindows *= 2;
        c->start = eng_pf__grow(c->start, c->capwindows, sizeof *c->start);
    }
    c->start[++c->nwindows] = (uint32_t)c->nreads;
}

static void serve(eng_pf_cache *c, rt_time_t t, uint32_t key, uint64_t *cum) {
    entry *x = &c->e[key];
    rt_time_t lat;
    x->last_use = ++c->tick;
    c->st.reads++;
    c->counts[key]++;
    if (x->cached) {
        c->st.hits++;
        x->unread = 0;
        lat = x->avail > t ? x->avail - t : c->o->hit_latency;
        if (x->avail > t) c->st.late++;
    } else {
        c->st.misses++;
        *cum += fetch_bytes(c, key);
        c->st.demand_bytes += fetch_bytes(c, key);
        lat = arrival(c, t, *cum) - t;
        if (c->pol->cache) admit(c, key, t + lat);
    }
    eng_hist_add(&c->st.latency, lat, 1);
}

int eng_pf_cache_window(eng_pf_cache *c, rt_time_t t, const uint32_t *keys, const uint32_t *bytes, size_t n) {
    for (size_t i = 0; i < n; i++) add_key(c, keys[i], bytes[i]);
    uint64_t cum = 0;
    for (size_t i = 0; i < n; i++) serve(c, t, keys[i], &cum);
    record(c, keys, n);
    if (c->pol->observe) {
        int rc = c->pol->observe(c->state, c->counts, c->nkeys, c->score);
        if (rc != 0) return rc;
        for (size_t k = 0; k < c->nkeys; k++) c->e[k].score = c->score[k];
    }
    memset(c->counts, 0, c->nkeys * sizeof *c->counts);
    if (c->pol->prefetches) plan(c, t);
    return 0;
}

void eng_pf_cache_stats(const eng_pf_cache *c, eng_pf_stats *out) {
    *out = c->st;
    for (size_t k = 0; k < c->nkeys; k++)
        if (c->e[k].cached && c->e[k].unread) out->wasted_bytes += fetch_bytes(c, (uint32_t)k);
}

void eng_pf_cache_stream(const eng_pf_cache *c, eng_pf_stream *s) {
    *s = (eng_pf_stream){c->skeys, c->start, c->kbytes, c->nwindows, c->nkeys};
}
