/* `ewma`: each key's read rate, per window, as an exponentially weighted
 * moving average, r <- alpha x reads + (1 - alpha) x r (from 0), predicts
 * its reads in the next window. The cache prefetches the keys whose rate
 * reaches `prefetch.threshold`, by rate per byte, within the budget, and
 * keeps demand-fetched items as well (evicting the lowest rates first). */
#include <stdio.h>
#include <stdlib.h>

#include "policies/prefetch_int.h"

typedef struct ewma {
    double alpha;
    double *rate;
    size_t n;
} ewma;

static void *init(const eng_prefetch_opts *o, uint64_t seed, char *err, size_t errlen) {
    ewma *e = calloc(1, sizeof *e);
    if (!e) {
        snprintf(err, errlen, "prefetch: out of memory");
        return NULL;
    }
    e->alpha = o->ewma_alpha;
    return e;
}

static int observe(void *state, const uint32_t *counts, size_t nkeys, double *score) {
    ewma *e = state;
    if (nkeys > e->n) {
        double *r = realloc(e->rate, nkeys * sizeof *r);
        if (!r) return -1;
        for (size_t k = e->n; k < nkeys; k++) r[k] = 0;
        e->rate = r;
        e->n = nkeys;
    }
    for (size_t k = 0; k < nkeys; k++) {
        e->rate[k] = e->alpha * counts[k] + (1 - e->alpha) * e->rate[k];
        score[k] = e->rate[k];
    }
    return 0;
}

static void ewma_free(void *state) {
    ewma *e = state;
    free(e->rate);
    free(e);
}

const eng_prefetch_policy pol_prefetch_ewma_ops = {
    ENG_PREFETCH_POLICY_ABI, "ewma", 1, 1, init, observe, ewma_free};
