/* A set of (device, seq) pairs kept as sorted, disjoint seq intervals per
 * device: the readings (or aggregates, by their first seq) an engine has
 * committed from one Kafka partition. Devices number their readings from
 * 0 without gaps, so a device's committed seqs are usually one interval and
 * the set stays small however long the run; it is persisted with the
 * partition's state (live/ledger.h) so that a restarted or new engine drops
 * a record committed before, however far back. One owner; not thread-safe. */
#ifndef LIVE_SEQSET_H
#define LIVE_SEQSET_H

#include <stddef.h>
#include <stdint.h>

typedef struct live_seqdev {
    uint32_t device;
    uint32_t n, cap;
    uint32_t (*iv)[2]; /* n intervals [lo, hi), sorted, disjoint, not adjacent */
} live_seqdev;

typedef struct live_seqset {
    live_seqdev *dev; /* open addressing by device; iv == NULL marks a free slot */
    size_t cap, ndev;
    uint64_t pairs; /* pairs in the set */
} live_seqset;

void live_seqset_init(live_seqset *s);
void live_seqset_free(live_seqset *s);
/* Adds (device, seq); 1 if it was new, 0 if already there. Aborts on out of
 * memory. */
int live_seqset_add(live_seqset *s, uint32_t device, uint32_t seq);
int live_seqset_has(const live_seqset *s, uint32_t device, uint32_t seq);
/* Bytes live_seqset_encode writes. */
size_t live_seqset_size(const live_seqset *s);
/* Writes the set: ndev u32, then per device: device u32, n u32, n x (lo
 * u32, hi u32), little-endian. Returns the bytes written. */
size_t live_seqset_encode(const live_seqset *s, uint8_t *buf);
/* Reads a set written by live_seqset_encode from buf[0, len) into an empty
 * `s`; returns the bytes read, or 0 if malformed (s is then empty). */
size_t live_seqset_decode(live_seqset *s, const uint8_t *buf, size_t len);

#endif
