/* The live recorder: what a live run's edges ingested from MQTT, written as
 * a trace file that replay reads back (traces/, the generic CSV reader with
 * a column map). One CSV row per reading, in device-time order, with the
 * header
 *
 *   device,seq,ts,metric,value,label
 *
 * device: the global device id; seq: its reading number; ts: device time
 * as seconds since the Unix epoch with nine decimals (exact to the ns);
 * metric: the reading's metric index; value: the reading, printed so that
 * it reads back to the same double; label: 1 for an injected anomaly (the
 * ground truth), else 0. Readings reach the edges slightly out of order, so
 * rows wait in a reorder buffer until device time has moved `hold` past
 * them; a reading that arrives later than that is not written (the file
 * would no longer be sorted) and is counted. Thread-safe: every edge of a
 * process records into one file. */
#ifndef LIVE_RECORDER_H
#define LIVE_RECORDER_H

#include <stddef.h>
#include <stdint.h>

#include "engine/rec.h"

typedef struct live_recorder live_recorder;

typedef struct live_recorder_stats {
    uint64_t written; /* rows written */
    uint64_t late;    /* readings that arrived too late to be written in order */
} live_recorder_stats;

/* Creates (truncates) `path` and writes the header. `epoch0` turns run
 * times into epoch ns. NULL with a message naming the file on failure. */
live_recorder *live_recorder_open(const char *path, int64_t epoch0, rt_time_t hold, char *err, size_t errlen);
/* Records readings r[0, n) (raw or aggregate records: an aggregate is one
 * row, its value the sum). */
void live_recorder_add(live_recorder *rec, const eng_rec *r, size_t n);
/* Writes what is still buffered, closes the file and frees. Fills *st if
 * not NULL. 0, or -1 with a message if writing failed. NULL is allowed. */
int live_recorder_close(live_recorder *rec, live_recorder_stats *st, char *err, size_t errlen);

#endif
