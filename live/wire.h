/* The wire format of readings and records outside the process: the payload
 * of one MQTT message (device -> edge) and the value of one Kafka record
 * (edge -> engine). Compact, little-endian, versioned by its first byte; the
 * layout is documented in docs/live.md and here:
 *
 *   offset size  field
 *   0      1     version (1)
 *   1      1     kind: 0 raw reading, 1 aggregate, 2 end of a site's readings
 *   kind 0 and 1 (a record; 30 bytes raw, 58 aggregate):
 *   2      2     metric            4  2  flags (bit 0: injected anomaly)
 *   6      4     device            10 4  seq (per-device sequence number)
 *   14     8     ts: device timestamp, signed ns since the Unix epoch
 *   22     8     value (IEEE 754 binary64; aggregate: the sum)
 *   kind 1 only:
 *   30     8     ts_last (ns since the epoch)   38 4  count
 *   42     8     min                            50 8  max
 *   kind 2 (14 bytes): 2 4 site, 6 8 readings the site's devices published.
 *   kind 3, an edge's acknowledgement to its devices (11 + 8 n bytes):
 *   2      4     site              6  1  1 once the site's end marker has arrived
 *   7      4     n                 11 8n n x (device u32, seq u32) now in the edge's hands
 *   kind 4, an edge's end of one partition (42 bytes, a Kafka record):
 *   2      4     site              6  4  partition
 *   10     8     readings the edge received from this partition's devices
 *   18     8     readings its records to this partition stand for
 *   26     8     records it produced to this partition
 *   34     8     bytes of those records (keys and values)
 *
 * Run times are converted to and from epoch ns with the run's epoch origin,
 * so independent clients (mosquitto_sub, kcat) see real timestamps. */
#ifndef LIVE_WIRE_H
#define LIVE_WIRE_H

#include <stddef.h>
#include <stdint.h>

#include "engine/rec.h"

#define LIVE_WIRE_VERSION 1
#define LIVE_WIRE_RAW_BYTES 30
#define LIVE_WIRE_AGG_BYTES 58
#define LIVE_WIRE_END_BYTES 14
#define LIVE_WIRE_PART_END_BYTES 42
#define LIVE_WIRE_MAX 58
#define LIVE_WIRE_ACK_HEAD 11
#define LIVE_WIRE_ACK_MAX 4096 /* pairs per acknowledgement */

enum { LIVE_WIRE_RAW = 0, LIVE_WIRE_AGG = 1, LIVE_WIRE_END = 2, LIVE_WIRE_ACK = 3, LIVE_WIRE_PART_END = 4 };

/* What an edge sent to one partition (kind 4). */
typedef struct live_wire_part_end {
    uint32_t site, partition;
    uint64_t readings_in, readings_out, records, bytes;
} live_wire_part_end;

typedef struct live_wire_msg {
    int kind;
    eng_rec rec;           /* kinds 0 and 1, timestamps in run time */
    uint32_t site;         /* kinds 2 and 3 */
    uint64_t published;    /* kind 2 */
    int end_seen;          /* kind 3 */
    uint32_t nacks;        /* kind 3: pairs at acks */
    const uint8_t *acks;   /* kind 3: inside the decoded buffer (live_wire_ack_at) */
    live_wire_part_end pe; /* kind 4 */
} live_wire_msg;

/* Encodes `r` (raw if it stands for one reading, else aggregate) into buf
 * (LIVE_WIRE_MAX bytes) with timestamps epoch0 + run time; returns the
 * length. */
size_t live_wire_encode(const eng_rec *r, int64_t epoch0, uint8_t *buf);
/* Encodes the end-of-site marker; returns LIVE_WIRE_END_BYTES. */
size_t live_wire_encode_end(uint32_t site, uint64_t published, uint8_t *buf);
/* Encodes an acknowledgement of n <= LIVE_WIRE_ACK_MAX pairs (keys
 * device << 32 | seq) into buf (LIVE_WIRE_ACK_HEAD + 8 n bytes); returns
 * the length. */
size_t live_wire_encode_ack(uint32_t site, int end_seen, const uint64_t *keys, uint32_t n, uint8_t *buf);
/* Encodes a partition's end marker; returns LIVE_WIRE_PART_END_BYTES. */
size_t live_wire_encode_part_end(const live_wire_part_end *e, uint8_t *buf);
/* Decodes one message; timestamps become run time (epoch ns - epoch0).
 * Returns its kind, or -1 for a wrong version, kind or length. An
 * acknowledgement's pairs stay in `buf`: read them with live_wire_ack_at
 * while buf is valid. */
int live_wire_decode(const void *buf, size_t len, int64_t epoch0, live_wire_msg *m);
/* The i-th pair of a decoded acknowledgement. */
void live_wire_ack_at(const live_wire_msg *m, uint32_t i, uint32_t *device, uint32_t *seq);

#endif
