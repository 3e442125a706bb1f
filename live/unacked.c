/* The resend buffer (see live/unacked.h): an open-addressing hash table
 * from (device, seq) to the reading and when it was last sent, linear
 * probing with backward-shift deletion, under one mutex. */
#include "live/unacked.h"

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>

typedef struct slot {
    uint64_t key; /* device << 32 | seq + 1; 0: free */
    rt_time_t sent;
    eng_rec rec;
} slot;

struct live_unacked {
    pthread_mutex_t mu;
    slot *s;
    size_t cap, n; /* cap: a power of two */
};

static uint64_t key_of(uint32_t device, uint32_t seq) { return ((uint64_t)device << 32 | seq) + 1; }

static size_t home(const live_unacked *u, uint64_t k) {
    k ^= k >> 33;
    k *= 0xff51afd7ed558ccdULL;
    k ^= k >> 33;
    return (size_t)k & (u->cap - 1);
}

static slot *find(const live_unacked *u, uint64_t k) {
    size_t i = home(u, k);
    while (u->s[i].key && u->s[i].key != k) i = (i + 1) & (u->cap - 1);
    return &u->s[i];
}

static void grow(live_unacked *u) {
    live_unacked g = {.cap = u->cap * 2};
    g.s = calloc(g.cap, sizeof *g.s);
    if (!g.s) {
        fprintf(stderr, "sparkiot: out of memory in the resend buffer\n");
        abort();
    }
    for (size_t i = 0; i < u->cap; i++)
        if (u->s[i].key) *find(&g, u->s[i].key) = u->s[i];
    free(u->s);
    u->s = g.s;
    u->cap = g.cap;
}

live_unacked *live_unacked_new(void) {
    live_unacked *u = calloc(1, sizeof *u);
    if (!u) return NULL;
    u->cap = 1024;
    u->s = calloc(u->cap, sizeof *u->s);
    if (!u->s) {
        free(u);
        return NULL;
    }
    pthread_mutex_init(&u->mu, NULL);
    return u;
}

void live_unacked_free(live_unacked *u) {
    if (!u) return;
    pthread_mutex_destroy(&u->mu);
    free(u->s);
    free(u);
}

void live_unacked_add(live_unacked *u, const eng_rec *r, rt_time_t now) {
    uint64_t k = key_of(r->device, r->seq);
    pthread_mutex_lock(&u->mu);
    if (2 * (u->n + 1) > u->cap) grow(u);
    slot *s = find(u, k);
    if (!s->key) {
        *s = (slot){.key = k, .sent = now, .rec = *r};
        u->n++;
    }
    pthread_mutex_unlock(&u->mu);
}

/* Removes the entry at i, moving later entries of its probe run back so
 * that every key stays reachable from its home slot. */
static void remove_at(live_unacked *u, size_t i) {
    size_t mask = u->cap - 1;
    for (size_t j = (i + 1) & mask; u->s[j].key; j = (j + 1) & mask) {
        size_t h = home(u, u->s[j].key);
        /* j's entry may fill the hole at i unless its home lies in (i, j] */
        if (((j - h) & mask) >= ((j - i) & mask)) {
            u->s[i] = u->s[j];
            i = j;
        }
    }
    u->s[i].key = 0;
    u->n--;
}

int live_unacked_ack(live_unacked *u, uint32_t device, uint32_t seq) {
    uint64_t k = key_of(device, seq);
    pthread_mutex_lock(&u->mu);
    slot *s = find(u, k);
    int held = s->key == k;
    if (held) remove_at(u, (size_t)(s - u->s));
    pthread_mutex_unlock(&u->mu);
    return held;
}

size_t live_unacked_count(live_unacked *u) {
    pthread_mutex_lock(&u->mu);
    size_t n = u->n;
    pthread_mutex_unlock(&u->mu);
    return n;
}

size_t live_unacked_due(live_unacked *u, rt_time_t before, rt_time_t now, eng_rec *out, size_t max) {
    size_t got = 0;
    pthread_mutex_lock(&u->mu);
    for (size_t i = 0; i < u->cap && got < max; i++)
        if (u->s[i].key && u->s[i].sent < before) {
            u->s[i].sent = now;
            out[got++] = u->s[i].rec;
        }
    pthread_mutex_unlock(&u->mu);
    return got;
}
