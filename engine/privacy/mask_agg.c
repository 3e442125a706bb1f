/* Server side of pairwise-masked secure aggregation: sums the clients'
 * masked vectors, tracks who was added and who dropped, and removes the
 * orphaned masks of dropped clients from the seeds survivors reveal. What it
 * returns is the plain sum of the survivors' fixed-point vectors. mask.h
 * describes the protocol. */
#include <stdlib.h>
#include <string.h>

#include "engine/privacy/mask.h"

enum { PENDING = 0, ADDED, DROPPED };

struct eng_priv_mask_agg {
    uint32_t n;
    size_t dim;
    uint64_t round;
    uint64_t *sum;
    uint8_t *state;    /* per client */
    uint8_t *revealed; /* bit s·n + d: survivor s revealed its seed with dropped d */
};

eng_priv_mask_agg *eng_priv_mask_agg_new(uint32_t n, size_t dim, uint64_t round) {
    if (n == 0) return NULL;
    eng_priv_mask_agg *a = calloc(1, sizeof *a);
    if (!a) return NULL;
    a->n = n;
    a->dim = dim;
    a->round = round;
    a->sum = calloc(dim ? dim : 1, sizeof *a->sum);
    a->state = calloc(n, 1);
    a->revealed = calloc(((size_t)n * n + 7) / 8, 1);
    if (!a->sum || !a->state || !a->revealed) {
        eng_priv_mask_agg_free(a);
        return NULL;
    }
    return a;
}

void eng_priv_mask_agg_free(eng_priv_mask_agg *a) {
    if (!a) return;
    free(a->sum);
    free(a->state);
    free(a->revealed);
    free(a);
}

int eng_priv_mask_agg_add(eng_priv_mask_agg *a, uint32_t c, const uint64_t *y) {
    if (c >= a->n) return ENG_PRIV_EINVAL;
    if (a->state[c] != PENDING) return ENG_PRIV_ESTATE;
    for (size_t k = 0; k < a->dim; k++) a->sum[k] += y[k];
    a->state[c] = ADDED;
    return ENG_PRIV_OK;
}

int eng_priv_mask_agg_drop(eng_priv_mask_agg *a, uint32_t c) {
    if (c >= a->n) return ENG_PRIV_EINVAL;
    if (a->state[c] != PENDING) return ENG_PRIV_ESTATE;
    a->state[c] = DROPPED;
    return ENG_PRIV_OK;
}

static size_t bit(const eng_priv_mask_agg *a, uint32_t s, uint32_t d) { return (size_t)s * a->n + d; }

int eng_priv_mask_agg_reveal(eng_priv_mask_agg *a, uint32_t s, uint32_t d, const eng_priv_seed *seed) {
    if (s >= a->n || d >= a->n) return ENG_PRIV_EINVAL;
    size_t b = bit(a, s, d);
    if (a->state[s] != ADDED || a->state[d] != DROPPED || (a->revealed[b / 8] >> (b % 8) & 1))
        return ENG_PRIV_ESTATE;
    /* s added the stream if d > s, subtracted it otherwise: undo that. */
    eng_priv_mask_stream_apply(seed, a->round, d > s ? -1 : 1, a->sum, a->dim);
    a->revealed[b / 8] |= (uint8_t)(1u << (b % 8));
    return ENG_PRIV_OK;
}

int eng_priv_mask_agg_sum(const eng_priv_mask_agg *a, uint64_t *out, uint32_t *survivors) {
    uint32_t added = 0;
    for (uint32_t s = 0; s < a->n; s++) {
        if (a->state[s] == PENDING) return ENG_PRIV_ESTATE;
        if (a->state[s] != ADDED) continue;
        added++;
        for (uint32_t d = 0; d < a->n; d++) {
            size_t b = bit(a, s, d);
            if (a->state[d] == DROPPED && !(a->revealed[b / 8] >> (b % 8) & 1)) return ENG_PRIV_ESTATE;
        }
    }
    memcpy(out, a->sum, a->dim * sizeof *out);
    *survivors = added;
    return ENG_PRIV_OK;
}
