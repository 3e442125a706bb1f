/* Measuring replica divergence for edge-cloud sync: a digest of what a
 * replica holds (one hash per key: a (device, metric) key over its five
 * values, an alarm, a metric's baseline) and, in the cloud agent, the
 * matching of each edge's digest with the cloud's own for the same sampling
 * instant: the number of keys present on one side only or with different
 * values. Measurement only: digests travel outside the protocol (no bytes,
 * no faults). */
#ifndef ENG_SYNC_MONITOR_H
#define ENG_SYNC_MONITOR_H

#include <stddef.h>
#include <stdint.h>

#include "engine/metrics.h"
#include "engine/sync_doc.h"

typedef struct eng_sync_dent {
    uint64_t key, hash;
} eng_sync_dent;

/* Keys in increasing order. */
typedef struct eng_sync_digest {
    eng_sync_dent *e;
    size_t n;
} eng_sync_digest;

/* A new digest of the keys `scope` sees in d; aborts on out of memory. */
eng_sync_digest *eng_sync_digest_of(const eng_sync_doc *d, int32_t scope);
void eng_sync_digest_free(eng_sync_digest *g);
/* Keys in one digest only, or in both with different hashes. */
uint64_t eng_sync_digest_diff(const eng_sync_digest *a, const eng_sync_digest *b);

#define ENG_SYNC_FINAL_SAMPLE UINT64_MAX /* the sample taken when the agents stop */

typedef struct eng_sync_monitor eng_sync_monitor;

eng_sync_monitor *eng_sync_monitor_new(uint32_t nsites);
void eng_sync_monitor_free(eng_sync_monitor *m);
/* Hands over (ownership passes) the cloud's (edge == 0) or site s's edge
 * (edge == 1) digest of sample k, taken at t. When every site's pair of
 * sample k is in, the sample becomes a row: t and the divergent keys summed
 * over sites. */
void eng_sync_monitor_put(eng_sync_monitor *m, uint64_t k, rt_time_t t, uint32_t site, int edge,
                          eng_sync_digest *g);
/* The completed rows, in order of completion (borrowed; valid until the next
 * put); *final is the final sample's divergence (0 before it completes). */
const eng_sync_sample *eng_sync_monitor_rows(const eng_sync_monitor *m, size_t *n, uint64_t *final);

#endif
