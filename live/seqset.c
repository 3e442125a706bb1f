/* The committed-pairs set (see live/seqset.h): an open-addressing table of
 * devices, each with a sorted array of disjoint intervals; an added seq
 * extends, joins or inserts an interval. */
#include "live/seqset.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void *xrealloc(void *p, size_t n) {
    void *q = realloc(p, n);
    if (!q) {
        fprintf(stderr, "sparkiot: out of memory in the committed-pairs set\n");
        abort();
    }
    return q;
}

static size_t home(const live_seqset *s, uint32_t device) {
    uint64_t k = device;
    k ^= k >> 33;
    k *= 0xff51afd7ed558ccdULL;
    k ^= k >> 33;
    return (size_t)k & (s->cap - 1);
}

static live_seqdev *slot(const live_seqset *s, uint32_t device) {
    size_t i = home(s, device);
    while (s->dev[i].iv && s->dev[i].device != device) i = (i + 1) & (s->cap - 1);
    return &s->dev[i];
}

void live_seqset_init(live_seqset *s) { memset(s, 0, sizeof *s); }

void live_seqset_free(live_seqset *s) {
    for (size_t i = 0; i < s->cap; i++) free(s->dev[i].iv);
    free(s->dev);
    memset(s, 0, sizeof *s);
}

static live_seqdev *dev_for(live_seqset *s, uint32_t device) {
    if (2 * (s->ndev + 1) > s->cap) {
        live_seqset g = {.cap = s->cap ? 2 * s->cap : 64, .ndev = s->ndev, .pairs = s->pairs};
        g.dev = xrealloc(NULL, g.cap * sizeof *g.dev);
        memset(g.dev, 0, g.cap * sizeof *g.dev);
        for (size_t i = 0; i < s->cap; i++)
            if (s->dev[i].iv) *slot(&g, s->dev[i].device) = s->dev[i];
        free(s->dev);
        *s = g;
    }
    live_seqdev *d = slot(s, device);
    if (!d->iv) {
        *d = (live_seqdev){.device = device, .cap = 1};
        d->iv = xrealloc(NULL, sizeof *d->iv);
        s->ndev++;
    }
    return d;
}

/* The first interval with hi >= seq (n if none). */
static uint32_t lower(const live_seqdev *d, uint32_t seq) {
    uint32_t lo = 0, hi = d->n;
    while (lo < hi) {
        uint32_t mid = lo + (hi - lo) / 2;
        if (d->iv[mid][1] < seq)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo;
}

int live_seqset_has(const live_seqset *s, uint32_t device, uint32_t seq) {
    if (!s->cap) return 0;
    const live_seqdev *d = slot(s, device);
    if (!d->iv) return 0;
    uint32_t i = lower(d, seq);
    return i < d->n && d->iv[i][0] <= seq && seq < d->iv[i][1];
}

int live_seqset_add(live_seqset *s, uint32_t device, uint32_t seq) {
    if (live_seqset_has(s, device, seq)) return 0;
    live_seqdev *d = dev_for(s, device);
    uint32_t i = lower(d, seq); /* iv[i] ends at or after seq, and does not hold it */
    s->pairs++;
    if (i < d->n && d->iv[i][1] == seq) { /* extends iv[i] upwards, maybe up to iv[i + 1] */
        d->iv[i][1] = seq + 1;
        if (i + 1 < d->n && d->iv[i + 1][0] == seq + 1) {
            d->iv[i][1] = d->iv[i + 1][1];
            memmove(d->iv + i + 1, d->iv + i + 2, (d->n - i - 2) * sizeof *d->iv);
            d->n--;
        }
        return 1;
    }
    if (i < d->n && d->iv[i][0] == seq + 1) { /* extends iv[i] downwards */
        d->iv[i][0] = seq;
        return 1;
    }
    if (d->n == d->cap) {
        d->cap *= 2;
        d->iv = xrealloc(d->iv, d->cap * sizeof *d->iv);
    }
    memmove(d->iv + i + 1, d->iv + i, (d->n - i) * sizeof *d->iv);
    d->iv[i][0] = seq;
    d->iv[i][1] = seq + 1;
    d->n++;
    return 1;
}

static void put32(uint8_t *p, uint32_t v) {
    for (int i = 0; i < 4; i++) p[i] = (uint8_t)(v >> 8 * i);
}
static uint32_t get32(const uint8_t *p) {
    return (uint32_t)p[0] | p[1] << 8 | p[2] << 16 | (uint32_t)p[3] << 24;
}

size_t live_seqset_size(const live_seqset *s) {
    size_t n = 4;
    for (size_t i = 0; i < s->cap; i++)
        if (s->dev[i].iv) n += 8 + 8 * (size_t)s->dev[i].n;
    return n;
}

size_t live_seqset_encode(const live_seqset *s, uint8_t *buf) {
    uint8_t *p = buf;
    put32(p, (uint32_t)s->ndev);
    p += 4;
    for (size_t i = 0; i < s->cap; i++) {
        const live_seqdev *d = &s->dev[i];
        if (!d->iv) continue;
        put32(p, d->device);
        put32(p + 4, d->n);
        p += 8;
        for (uint32_t j = 0; j < d->n; j++, p += 8) {
            put32(p, d->iv[j][0]);
            put32(p + 4, d->iv[j][1]);
        }
    }
    return (size_t)(p - buf);
}

size_t live_seqset_decode(live_seqset *s, const uint8_t *buf, size_t len) {
    size_t at = 4;
    if (len < 4) return 0;
    uint32_t ndev = get32(buf);
    for (uint32_t k = 0; k < ndev; k++) {
        if (len - at < 8) goto bad;
        uint32_t device = get32(buf + at), n = get32(buf + at + 4);
        at += 8;
        if (n == 0 || (len - at) / 8 < n) goto bad;
        live_seqdev *d = dev_for(s, device);
        if (d->n) goto bad; /* a device twice */
        d->iv = xrealloc(d->iv, n * sizeof *d->iv);
        d->cap = n;
        for (uint32_t j = 0; j < n; j++, at += 8) {
            uint32_t lo = get32(buf + at), hi = get32(buf + at + 4);
            if (lo >= hi || (j && lo <= d->iv[j - 1][1])) goto bad; /* sorted, disjoint, not adjacent */
            d->iv[j][0] = lo;
            d->iv[j][1] = hi;
            d->n++;
            s->pairs += hi - lo;
        }
    }
    return at;
bad:
    live_seqset_free(s);
    return 0;
}
