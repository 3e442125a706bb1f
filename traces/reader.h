/* Recorded-trace readers: the first stage of a replay. A reader streams the
 * rows of one trace file — NAB CSV (`timestamp,value`), UCI occupancy
 * (quoted row id, date, five sensors, the Occupancy label), or a generic CSV
 * or JSON-lines file described by a column map — one row at a time, never
 * holding more than the current line, so a trace larger than memory replays.
 * Malformed rows are reported with file and line and skipped (or, in strict
 * mode, rejected); an empty, binary or unsorted trace is an error. The
 * replay source (replay.h) turns rows into device readings. */
#ifndef TR_READER_H
#define TR_READER_H

#include <stddef.h>
#include <stdint.h>

#include "engine/rt.h"

#define TR_MAX_VALUES 16 /* value columns per row */
#define TR_NAME_LEN 64   /* longest column name + 1 */

/* Return codes of the traces/ functions that can fail. */
enum {
    TR_OK = 0,
    TR_ERR_OPTS = -1,   /* an option is wrong; the message starts with its name */
    TR_ERR_TRACE = -2,  /* the trace file: unreadable, empty, binary, unsorted, strict-mode malformed row */
    TR_ERR_LABELS = -3, /* the labels file */
    TR_ERR_NOMEM = -4
};

typedef enum { TR_FMT_AUTO = 0, TR_FMT_NAB, TR_FMT_UCI, TR_FMT_CSV, TR_FMT_JSONL } tr_format;
typedef enum { TR_TIME_ISO8601 = 0, TR_TIME_EPOCH_S, TR_TIME_EPOCH_MS } tr_time_format;

/* Which columns (CSV header names) or keys (JSON lines) hold what, for the
 * generic formats; NAB and UCI have fixed columns and ignore it. */
typedef struct tr_colmap {
    char time[TR_NAME_LEN];     /* required for csv and jsonl */
    tr_time_format time_format; /* ISO-8601 (no offset: UTC) or epoch seconds / milliseconds */
    char device[TR_NAME_LEN];   /* "": the whole file is one device */
    char values[TR_MAX_VALUES][TR_NAME_LEN];
    uint32_t nvalues;        /* at least 1 for csv and jsonl; value i becomes metric i */
    char label[TR_NAME_LEN]; /* "": no label column; else 0/1, true/false or a number (nonzero = anomaly) */
} tr_colmap;

typedef struct tr_row {
    rt_time_t ts;     /* ns since 1970-01-01 00:00:00 UTC */
    uint32_t device;  /* index of the row's device in order of first appearance (0 without a device column) */
    uint32_t nvalues; /* the format's value columns, in column-map order */
    double values[TR_MAX_VALUES];
    int anomaly;   /* the row's label column says anomalous (NAB windows are applied by the replay) */
    uint64_t line; /* 1-based line of the row in its file */
} tr_row;

/* Receives each message about a skipped malformed row ("file:line: what;
 * row skipped"); the string is valid during the call only. */
typedef void (*tr_issue_fn)(void *ctx, const char *msg);

typedef struct tr_reader tr_reader;

/* Opens `path` and reads its header. `format` TR_FMT_AUTO detects it from
 * the first line: a line starting with '{' is jsonl, `timestamp,value` is
 * nab, the UCI header is uci, any other header is csv (which needs `cols`).
 * `cols` is copied (NULL: none). `issue` (may be NULL) hears of every
 * skipped row. Returns a reader (free with tr_reader_close) or NULL with a
 * message naming the file in err. */
tr_reader *tr_reader_open(const char *path, tr_format format, const tr_colmap *cols, int strict,
                          tr_issue_fn issue, void *issue_ctx, char *err, size_t errlen);
/* Reads the next well-formed row into *row: 1, or 0 at the end of the file,
 * or a negative TR_ERR_* with "file:line: message" in err — a malformed row
 * in strict mode, a row earlier than the one before it (a trace must be
 * sorted by time), binary data, or a file without any valid row. Skipped
 * rows (not strict) are counted and reported through the issue callback. */
int tr_reader_next(tr_reader *r, tr_row *row, char *err, size_t errlen);
/* Goes back to the first row (for looping); the counts restart. 0 or TR_ERR_TRACE. */
int tr_reader_rewind(tr_reader *r, char *err, size_t errlen);
/* Closes the reader's file until its next read, keeping its place, for a
 * process that holds many readers at once (one per edge site). 0 or
 * TR_ERR_TRACE. */
int tr_reader_park(tr_reader *r, char *err, size_t errlen);
/* Trace files currently open in this process. */
long tr_reader_open_files(void);
/* The format read (detected when opened with TR_FMT_AUTO). */
tr_format tr_reader_format(const tr_reader *r);
/* Rows returned and malformed rows skipped since the open or the last rewind. */
uint64_t tr_reader_rows(const tr_reader *r);
uint64_t tr_reader_skipped(const tr_reader *r);
/* Value columns per row (readings per row and device). */
uint32_t tr_reader_values(const tr_reader *r);
/* Distinct devices seen so far (1 without a device column). */
uint32_t tr_reader_devices(const tr_reader *r);
void tr_reader_close(tr_reader *r);

/* NULL-terminated names, index = enum value: "auto", "nab", "uci", "csv",
 * "jsonl"; and "iso8601", "epoch_s", "epoch_ms". */
extern const char *const tr_format_names[];
extern const char *const tr_time_format_names[];

/* Parses an ISO-8601 date-time — YYYY-MM-DD, then optionally 'T' or ' ' and
 * HH:MM[:SS[.fraction]], then optionally Z or +HH:MM / -HHMM (no offset:
 * UTC) — into ns since the epoch. 0, or -1 if malformed or out of range. */
int tr_time_parse_iso(const char *s, rt_time_t *out);
/* Parses a decimal number of `unit` (RT_S or RT_MS) since the epoch, with
 * an optional sign and fraction, exactly. 0 or -1. */
int tr_time_parse_epoch(const char *s, rt_time_t unit, rt_time_t *out);
/* Writes "YYYY-MM-DD HH:MM:SS" (plus ".fraction" when not whole seconds), UTC. */
void tr_time_fmt(char *buf, size_t len, rt_time_t t);

#endif
