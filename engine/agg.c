/* Edge pre-aggregation: one record per (device, metric) and window. */
#include "engine/agg.h"

#include <stdlib.h>
#include <string.h>

void eng_agg_init(eng_agg *a) { memset(a, 0, sizeof *a); }

void eng_agg_free(eng_agg *a) {
    free(a->keys);
    free(a->slot);
    eng_agg_init(a);
}

static int ensure(eng_agg *a, size_t n) {
    size_t want = 16;
    while (want < 2 * n) want *= 2;
    if (want > a->cap) {
        uint64_t *k = realloc(a->keys, want * sizeof *k);
        if (!k) return -1;
        a->keys = k;
        uint32_t *s = realloc(a->slot, want * sizeof *s);
        if (!s) return -1;
        a->slot = s;
        a->cap = want;
    }
    a->size = want;
    memset(a->keys, 0, want * sizeof *a->keys);
    return 0;
}

static void fold_into(eng_rec *o, const eng_rec *r) {
    o->value += r->value;
    o->count += r->count;
    if (r->min < o->min) o->min = r->min;
    if (r->max > o->max) o->max = r->max;
    if (r->ts < o->ts) {
        o->ts = r->ts;
        o->seq = r->seq;
    }
    if (r->ts_last > o->ts_last) o->ts_last = r->ts_last;
    o->flags |= r->flags;
}

int eng_agg_fold(eng_agg *a, const eng_rec *in, size_t n, eng_batch *out) {
    if (n == 0) return 0;
    if (ensure(a, n) != 0 || eng_batch_reserve(out, n) != 0) return -1;
    size_t mask = a->size - 1;
    for (size_t i = 0; i < n; i++) {
        uint64_t key = ((uint64_t)in[i].device << 16 | in[i].metric) + 1;
        size_t h = (size_t)((key * 0x9e3779b97f4a7c15ULL) >> 17) & mask;
        while (a->keys[h] && a->keys[h] != key) h = (h + 1) & mask;
        if (a->keys[h]) {
            fold_into(&out->r[a->slot[h]], &in[i]);
        } else {
            a->keys[h] = key;
            a->slot[h] = (uint32_t)out->n;
            out->r[out->n++] = in[i];
        }
    }
    return 0;
}
