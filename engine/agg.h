/* Tumbling-window pre-aggregation at the edge: folds the readings of one
 * window into one record per (device, metric) with count, sum, min, max and
 * the oldest/newest timestamps. An open-addressing hash table sized to the
 * window's readings. */
#ifndef ENG_AGG_H
#define ENG_AGG_H

#include "engine/rec.h"

typedef struct eng_agg {
    uint64_t *keys; /* 0 = empty; else (device << 16 | metric) + 1 */
    uint32_t *slot; /* index into out */
    size_t cap;     /* entries allocated */
    size_t size;    /* entries used by the current fold (a power of two <= cap) */
} eng_agg;

void eng_agg_init(eng_agg *a);
void eng_agg_free(eng_agg *a);
/* Folds the n readings of `in` into `out` (appended, one record per key, in
 * order of first appearance). Returns 0 or -1 on out of memory. */
int eng_agg_fold(eng_agg *a, const eng_rec *in, size_t n, eng_batch *out);

#endif
