/* The edge gateway's anomaly detector: a rolling z-score per stream (one
 * device's readings of one metric). Each stream keeps its last `window`
 * values in a ring and its scoring state (detect_score.c); streams are found
 * through an open-addressing table keyed by (device, metric). */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "engine/detect.h"

typedef struct stream {
    eng_score_stream score;
    uint32_t n;    /* values in the ring (<= window) */
    uint32_t head; /* where the next value goes */
} stream;

struct eng_detect {
    eng_detect_opts o;
    uint64_t *keys; /* 0: empty; else (device << 16 | metric) + 1 */
    uint32_t *slot; /* index into streams */
    size_t cap;
    stream *streams;
    double *rings; /* window values per stream */
    size_t n, scap;
    eng_batch sorted; /* scratch: a call's readings in time order */
    eng_detect_counts counts;
};

static void oom(void) {
    fprintf(stderr, "sparkiot: out of memory in the edge anomaly detector\n");
    abort();
}

eng_detect *eng_detect_new(const eng_detect_opts *o) {
    if (o->method == ENG_DETECT_OFF) return NULL;
    eng_detect *d = calloc(1, sizeof *d);
    if (!d) oom();
    d->o = *o;
    eng_batch_init(&d->sorted);
    return d;
}

static size_t hash(uint64_t key, size_t mask) { return (size_t)((key * 0x9e3779b97f4a7c15ULL) >> 17) & mask; }

static void grow_table(eng_detect *d) {
    size_t cap = d->cap ? 2 * d->cap : 1024;
    uint64_t *keys = calloc(cap, sizeof *keys);
    uint32_t *slot = malloc(cap * sizeof *slot);
    if (!keys || !slot) oom();
    for (size_t i = 0; i < d->cap; i++) {
        if (!d->keys[i]) continue;
        size_t h = hash(d->keys[i], cap - 1);
        while (keys[h]) h = (h + 1) & (cap - 1);
        keys[h] = d->keys[i];
        slot[h] = d->slot[i];
    }
    free(d->keys);
    free(d->slot);
    d->keys = keys;
    d->slot = slot;
    d->cap = cap;
}

static stream *stream_of(eng_detect *d, const eng_rec *r) {
    if (2 * (d->n + 1) > d->cap) grow_table(d);
    uint64_t key = ((uint64_t)r->device << 16 | r->metric) + 1;
    size_t h = hash(key, d->cap - 1);
    while (d->keys[h] && d->keys[h] != key) h = (h + 1) & (d->cap - 1);
    if (d->keys[h]) return &d->streams[d->slot[h]];
    if (d->n == d->scap) {
        size_t scap = d->scap ? 2 * d->scap : 256;
        stream *s = realloc(d->streams, scap * sizeof *s);
        if (!s) oom();
        d->streams = s;
        double *rings = realloc(d->rings, scap * d->o.window * sizeof *rings);
        if (!rings) oom();
        d->rings = rings;
        d->scap = scap;
    }
    d->keys[h] = key;
    d->slot[h] = (uint32_t)d->n;
    stream *s = &d->streams[d->n++];
    memset(s, 0, sizeof *s);
    eng_score_stream_init(&s->score, d->o.window);
    return s;
}

/* 1 if v lies more than threshold sample standard deviations from the mean
 * of a full window (with a zero deviation: if it differs from the mean). */
static int outlier(const eng_detect *d, const stream *s, const double *ring, double v) {
    if (s->n < d->o.window) return 0;
    double mean = 0, ss = 0;
    for (uint32_t i = 0; i < s->n; i++) mean += ring[i];
    mean /= s->n;
    for (uint32_t i = 0; i < s->n; i++) ss += (ring[i] - mean) * (ring[i] - mean);
    double sd = sqrt(ss / (s->n - 1));
    return fabs(v - mean) > d->o.threshold * sd;
}

void eng_detect_readings(eng_detect *d, const eng_rec *r, size_t n) {
    if (!d || n == 0) return;
    d->sorted.n = 0;
    if (eng_batch_reserve(&d->sorted, n) != 0) oom();
    memcpy(d->sorted.r, r, n * sizeof *r);
    d->sorted.n = n;
    eng_batch_sort(&d->sorted);
    for (size_t i = 0; i < n; i++) {
        const eng_rec *x = &d->sorted.r[i];
        stream *s = stream_of(d, x);
        double *ring = d->rings + (size_t)(s - d->streams) * d->o.window;
        int flagged = outlier(d, s, ring, x->value);
        eng_score_stream_add(&s->score, (x->flags & ENG_REC_ANOMALY) != 0, flagged, &d->counts);
        ring[s->head] = x->value;
        s->head = (s->head + 1) % d->o.window;
        if (s->n < d->o.window) s->n++;
    }
}

void eng_detect_finish(eng_detect *d, eng_detect_counts *c) {
    if (!d) return;
    for (size_t i = 0; i < d->n; i++) eng_score_stream_end(&d->streams[i].score, &d->counts);
    eng_detect_counts_add(c, &d->counts);
    memset(&d->counts, 0, sizeof d->counts);
}

void eng_detect_free(eng_detect *d) {
    if (!d) return;
    free(d->keys);
    free(d->slot);
    free(d->streams);
    free(d->rings);
    eng_batch_free(&d->sorted);
    free(d);
}
