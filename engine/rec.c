/* Record batches: growable arrays of records passed between actors. */
#include "engine/rec.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void eng_batch_init(eng_batch *b) {
    b->r = NULL;
    b->n = b->cap = 0;
}

int eng_batch_reserve(eng_batch *b, size_t extra) {
    if (b->n + extra <= b->cap) return 0;
    size_t cap = b->cap ? b->cap : 64;
    while (cap < b->n + extra) cap *= 2;
    eng_rec *r = realloc(b->r, cap * sizeof *r);
    if (!r) return -1;
    b->r = r;
    b->cap = cap;
    return 0;
}

void eng_batch__grow(eng_batch *b) {
    if (eng_batch_reserve(b, 1) != 0) {
        fprintf(stderr, "sparkiot: out of memory growing a record batch\n");
        abort();
    }
}

void eng_batch_append(eng_batch *b, const eng_batch *from) {
    if (from->n == 0) return;
    if (eng_batch_reserve(b, from->n) != 0) {
        fprintf(stderr, "sparkiot: out of memory growing a record batch\n");
        abort();
    }
    memcpy(b->r + b->n, from->r, from->n * sizeof *from->r);
    b->n += from->n;
}

void eng_batch_free(eng_batch *b) {
    free(b->r);
    eng_batch_init(b);
}

uint64_t eng_batch_readings(const eng_batch *b) {
    uint64_t n = 0;
    for (size_t i = 0; i < b->n; i++) n += b->r[i].count;
    return n;
}

static int cmp_rec(const void *pa, const void *pb) {
    const eng_rec *a = pa, *b = pb;
    if (a->ts != b->ts) return a->ts < b->ts ? -1 : 1;
    if (a->device != b->device) return a->device < b->device ? -1 : 1;
    return (a->seq > b->seq) - (a->seq < b->seq);
}

void eng_batch_sort(eng_batch *b) {
    if (b->n > 1) qsort(b->r, b->n, sizeof *b->r, cmp_rec);
}
