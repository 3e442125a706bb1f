/* Exactly-once from at-least-once: remembers which (device, seq) pairs have
 * been seen, so a reading or record delivered twice (an MQTT QoS 1 resend,
 * a Kafka record re-produced after an edge retry) is counted once. Used
 * where data enters a process: the MQTT source at the edge and the Kafka
 * consumer in front of the engine. Memory is bounded by time: pairs are kept
 * in two generations of `horizon` device time each, so a duplicate is caught
 * if it arrives within one horizon of the newest timestamp seen (a later one
 * would be counted again; docs/live.md). One owner; not thread-safe. */
#ifndef LIVE_DEDUP_H
#define LIVE_DEDUP_H

#include <stddef.h>
#include <stdint.h>

#include "engine/rt.h"

typedef struct live_dedup_set {
    uint64_t *keys; /* open addressing; LIVE_DEDUP_EMPTY marks a free slot */
    size_t cap, n;
    int has_empty_key; /* the one pair whose key equals the marker */
} live_dedup_set;

typedef struct live_dedup {
    live_dedup_set gen[2]; /* gen[cur]: since gen_start; the other: the one before */
    int cur;
    rt_time_t gen_start, horizon;
    uint64_t duplicates; /* pairs seen again so far */
} live_dedup;

void live_dedup_init(live_dedup *d, rt_time_t horizon);
/* 1 if (device, seq) was seen before (counted in d->duplicates); else
 * remembers it and returns 0. `ts` is the record's device time. Aborts on
 * out of memory. */
int live_dedup_seen(live_dedup *d, uint32_t device, uint32_t seq, rt_time_t ts);
void live_dedup_free(live_dedup *d);

#endif
