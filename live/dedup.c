/* The (device, seq) seen-set: two generations of open-addressing hash sets
 * of 64-bit keys, rotated when device time moves a horizon past the current
 * generation's start. */
#include "live/dedup.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define LIVE_DEDUP_EMPTY UINT64_MAX

static uint64_t mix(uint64_t k) {
    k ^= k >> 33;
    k *= 0xff51afd7ed558ccdULL;
    k ^= k >> 33;
    return k;
}

static void set_clear(live_dedup_set *s) {
    free(s->keys);
    memset(s, 0, sizeof *s);
}

static uint64_t *slot(const live_dedup_set *s, uint64_t k) {
    size_t i = mix(k) & (s->cap - 1);
    while (s->keys[i] != LIVE_DEDUP_EMPTY && s->keys[i] != k) i = (i + 1) & (s->cap - 1);
    return &s->keys[i];
}

static int set_has(const live_dedup_set *s, uint64_t k) {
    if (k == LIVE_DEDUP_EMPTY) return s->has_empty_key;
    return s->cap && *slot(s, k) == k;
}

static void set_add(live_dedup_set *s, uint64_t k) {
    if (k == LIVE_DEDUP_EMPTY) {
        s->has_empty_key = 1;
        return;
    }
    if (2 * (s->n + 1) > s->cap) {
        live_dedup_set g = {.cap = s->cap ? 2 * s->cap : 1024, .has_empty_key = s->has_empty_key};
        g.keys = malloc(g.cap * sizeof *g.keys);
        if (!g.keys) {
            fprintf(stderr, "sparkiot: out of memory in the duplicate filter\n");
            abort();
        }
        memset(g.keys, 0xff, g.cap * sizeof *g.keys);
        for (size_t i = 0; i < s->cap; i++)
            if (s->keys[i] != LIVE_DEDUP_EMPTY) *slot(&g, s->keys[i]) = s->keys[i];
        g.n = s->n;
        free(s->keys);
        *s = g;
    }
    *slot(s, k) = k;
    s->n++;
}

void live_dedup_init(live_dedup *d, rt_time_t horizon) {
    memset(d, 0, sizeof *d);
    d->horizon = horizon;
}

int live_dedup_seen(live_dedup *d, uint32_t device, uint32_t seq, rt_time_t ts) {
    uint64_t k = (uint64_t)device << 32 | seq;
    if (set_has(&d->gen[0], k) || set_has(&d->gen[1], k)) {
        d->duplicates++;
        return 1;
    }
    if (ts - d->gen_start > d->horizon) {
        d->cur ^= 1;
        set_clear(&d->gen[d->cur]);
        d->gen_start = ts;
    }
    set_add(&d->gen[d->cur], k);
    return 0;
}

void live_dedup_free(live_dedup *d) {
    set_clear(&d->gen[0]);
    set_clear(&d->gen[1]);
}
