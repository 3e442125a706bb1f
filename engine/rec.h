/* Records, the unit of data in every stage of the pipeline: a device reading
 * (raw) or an edge pre-aggregate of several readings of one device and metric.
 * eng_batch is a growable array of records: what device groups emit, what an
 * edge produces to the bus, what a task fetches. */
#ifndef ENG_REC_H
#define ENG_REC_H

#include <stddef.h>
#include <stdint.h>

#include "engine/rt.h"

enum { ENG_REC_ANOMALY = 1u << 0 }; /* ground truth: an injected anomaly */

typedef struct eng_rec {
    rt_time_t ts;      /* device timestamp (for an aggregate: of its oldest reading) */
    rt_time_t ts_last; /* aggregate: timestamp of its newest reading; raw: == ts */
    uint32_t device;   /* global device id */
    uint32_t seq;      /* per-device sequence number (aggregate: of its first reading) */
    double value;      /* raw: the reading; aggregate: the sum */
    double min, max;   /* aggregate bounds (raw: == value) */
    uint32_t count;    /* readings this record stands for (raw: 1) */
    uint16_t metric;
    uint16_t flags; /* ENG_REC_* (aggregate: OR of its readings) */
} eng_rec;

typedef struct eng_batch {
    eng_rec *r;
    size_t n, cap;
} eng_batch;

/* Initialises an empty batch (no allocation). */
void eng_batch_init(eng_batch *b);
/* Makes room for `extra` more records; 0 or -1 on out of memory. */
int eng_batch_reserve(eng_batch *b, size_t extra);
/* The slow path of eng_batch_push: doubles the capacity. */
void eng_batch__grow(eng_batch *b);

/* Appends one record (aborts on out of memory: batches are bounded by design). */
static inline void eng_batch_push(eng_batch *b, const eng_rec *r) {
    if (b->n == b->cap) eng_batch__grow(b);
    b->r[b->n++] = *r;
}
/* Appends the records of `from` (aborts on out of memory). */
void eng_batch_append(eng_batch *b, const eng_batch *from);
/* Frees the records; the batch is empty and reusable afterwards. */
void eng_batch_free(eng_batch *b);
/* Number of readings (sum of count) in the batch. */
uint64_t eng_batch_readings(const eng_batch *b);
/* Sorts by (ts, device, seq). */
void eng_batch_sort(eng_batch *b);

/* A raw reading. */
static inline eng_rec eng_rec_raw(rt_time_t ts, uint32_t device, uint32_t seq, uint16_t metric, double v,
                                  uint16_t flags) {
    eng_rec r = {ts, ts, device, seq, v, v, v, 1, metric, flags};
    return r;
}

#endif
