/* Internal to traces/: the pieces the readers share — a streaming line
 * reader that knows line numbers and refuses binary data, a CSV field
 * splitter, the per-format parsers behind tr_reader, and the reader's state
 * (column bindings and the device-name table). */
#ifndef TR_INT_H
#define TR_INT_H

#include <stdio.h>

#include "traces/reader.h"

/* ---- lines (lines.c) ---- */

typedef struct tr_lines {
    FILE *f;
    char *path; /* owned copy, for messages */
    char *buf;  /* the current line (owned, reused) */
    size_t cap;
    uint64_t line;  /* number of the line in buf */
    long parked_at; /* while parked (f == NULL): where to resume */
} tr_lines;

/* Opens path; an empty file and one whose first 4 KiB hold NUL or other
 * control bytes are refused ("file: ..."). 0 or TR_ERR_TRACE/TR_ERR_NOMEM. */
int tr_lines__open(tr_lines *l, const char *path, char *err, size_t errlen);
/* Reads the next line without its end of line (a leading UTF-8 byte-order
 * mark is dropped): 1 and *line, 0 at the end, or TR_ERR_TRACE (I/O error,
 * NUL byte). */
int tr_lines__next(tr_lines *l, char **line, char *err, size_t errlen);
/* Back to the start of the file. 0 or TR_ERR_TRACE. */
int tr_lines__rewind(tr_lines *l, char *err, size_t errlen);
/* Closes the file, keeping the position; the next read or rewind reopens
 * it. 0 or TR_ERR_TRACE. */
int tr_lines__park(tr_lines *l, char *err, size_t errlen);
/* Trace files open in this process (parked ones not counted). */
long tr_lines__open_files(void);
void tr_lines__close(tr_lines *l);

/* ---- CSV (csv.c) ---- */

/* Splits `line` in place into at most `max` fields (RFC 4180 quoting within
 * the line; unquoted fields are trimmed of blanks). Returns the number of
 * fields, or -1 with a message (unterminated quote, text after a closing
 * quote, more than max fields). */
int tr_csv__split(char *line, char **fields, int max, char *msg, size_t len);

/* ---- the reader ---- */

#define TR_MAX_FIELDS 256
#define TR_MAX_DEVICES 1000000

typedef struct tr_fmt tr_fmt;

struct tr_reader {
    tr_lines in;
    const tr_fmt *fmt;
    tr_colmap cols;
    int strict;
    tr_issue_fn issue;
    void *issue_ctx;
    /* CSV formats: the fields a row must have and where each column is */
    int nfields, time_col, device_col, label_col;
    int value_col[TR_MAX_VALUES];
    uint32_t nvalues;
    tr_time_format time_format;
    uint64_t header_line; /* the header's line number (0: none) */
    /* device names -> index (open addressing, names owned) */
    char **dev_names;
    uint32_t *dev_ids;
    size_t dev_cap, ndevices;
    /* this pass */
    uint64_t rows, skipped;
    rt_time_t prev_ts;
    uint64_t prev_line;
};

struct tr_fmt {
    tr_format id;
    int has_header;
    /* Binds the header line's columns; 0, or -1 with a message. */
    int (*header)(tr_reader *r, char *line, char *msg, size_t len);
    /* Parses a data line into row (ts, device, values, anomaly); 0, or -1
     * with a message saying what is wrong (the row is malformed). */
    int (*row)(tr_reader *r, char *line, tr_row *row, char *msg, size_t len);
};

extern const tr_fmt tr_fmt__nab, tr_fmt__uci, tr_fmt__csv, tr_fmt__jsonl;

/* CSV formats: finds each column of r->cols among the header's names (or
 * reports the one missing); `shift` is how many unnamed leading fields
 * each row has before the named ones (UCI's row id). */
int tr_csv__bind(tr_reader *r, char **names, int n, int shift, char *msg, size_t len);
/* CSV formats: splits a row and reads the bound columns. */
int tr_csv__row(tr_reader *r, char *line, tr_row *row, char *msg, size_t len);

/* The index of device `name` (added if new). 0, or -1 with a message (too
 * many devices, out of memory). */
int tr_reader__device(tr_reader *r, const char *name, uint32_t *id, char *msg, size_t len);
/* Parses a value cell: a finite decimal number. 0 or -1 with a message naming `col`. */
int tr_reader__value(const char *s, const char *col, double *v, char *msg, size_t len);
/* Parses a label cell: 0/1, true/false or a number (nonzero = anomaly). */
int tr_reader__label(const char *s, const char *col, int *anomaly, char *msg, size_t len);
/* Parses a time cell in the given format. 0 or -1 with a message. */
int tr_reader__time(const char *s, tr_time_format f, const char *col, rt_time_t *ts, char *msg, size_t len);

#endif
