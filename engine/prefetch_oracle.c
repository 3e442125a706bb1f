/* Oracle bounds on the hits of an edge cache (engine/prefetch.h), computed
 * after the run over the read stream it recorded, with full knowledge of
 * the future: Belady's MIN for demand caching (Belady, "A study of
 * replacement algorithms for a virtual-storage computer", IBM Systems
 * Journal 5(2), 1966), and its prefetching form, which before each window
 * holds the keys read soonest — those of the window itself. */
#include <stdlib.h>

#include "engine/prefetch.h"

#define NEVER UINT64_MAX

/* next[i]: the position of the next read of the key read at i (NEVER if
 * none). The caller frees it. */
static uint64_t *next_reads(const eng_pf_stream *s, size_t n) {
    uint64_t *next = malloc((n ? n : 1) * sizeof *next),
             *seen = malloc((s->nkeys ? s->nkeys : 1) * sizeof *seen);
    if (!next || !seen) abort();
    for (size_t k = 0; k < s->nkeys; k++) seen[k] = NEVER;
    for (size_t i = n; i-- > 0;) {
        next[i] = seen[s->keys[i]];
        seen[s->keys[i]] = i;
    }
    free(seen);
    return next;
}

uint64_t eng_pf_oracle_demand(const eng_pf_stream *s, uint64_t budget) {
    size_t n = s->start[s->nwindows];
    uint64_t *next = next_reads(s, n), *due = malloc((s->nkeys ? s->nkeys : 1) * sizeof *due);
    uint8_t *cached = calloc(s->nkeys ? s->nkeys : 1, 1);
    if (!due || !cached) abort();
    uint64_t hits = 0, used = 0;
    for (size_t i = 0; i < n; i++) {
        uint32_t k = s->keys[i];
        due[k] = next[i];
        if (cached[k]) {
            hits++;
            continue;
        }
        if (s->bytes[k] > budget) continue;
        while (used + s->bytes[k] > budget) {
            size_t victim = s->nkeys;
            for (size_t j = 0; j < s->nkeys; j++)
                if (cached[j] && (victim == s->nkeys || due[j] > due[victim])) victim = j;
            cached[victim] = 0;
            used -= s->bytes[victim];
        }
        cached[k] = 1;
        used += s->bytes[k];
    }
    free(next);
    free(due);
    free(cached);
    return hits;
}

static int by_size(const void *a, const void *b) {
    uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;
    return (x > y) - (x < y);
}

uint64_t eng_pf_oracle_prefetch(const eng_pf_stream *s, uint64_t budget) {
    uint64_t hits = 0;
    size_t widest = 0;
    for (size_t w = 0; w < s->nwindows; w++)
        if (s->start[w + 1] - s->start[w] > widest) widest = s->start[w + 1] - s->start[w];
    uint32_t *sizes = malloc((widest ? widest : 1) * sizeof *sizes);
    if (!sizes) abort();
    for (size_t w = 0; w < s->nwindows; w++) {
        size_t n = 0;
        for (size_t i = s->start[w]; i < s->start[w + 1]; i++) sizes[n++] = s->bytes[s->keys[i]];
        qsort(sizes, n, sizeof *sizes, by_size);
        uint64_t room = budget;
        for (size_t i = 0; i < n && sizes[i] <= room; i++, hits++) room -= sizes[i];
    }
    free(sizes);
    return hits;
}
