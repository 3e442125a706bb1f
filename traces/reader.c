/* tr_reader (reader.h): opens a trace, detects or checks its format from
 * the first line, then hands each data line to the format's parser and
 * applies the rules every format shares — blank lines are ignored, a
 * malformed row is skipped and reported (or rejected in strict mode),
 * time must not go backwards, a file needs at least one valid row — plus
 * the cell parsers and the table that numbers devices by first appearance. */
#include <ctype.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "traces/tr_int.h"

const char *const tr_format_names[] = {"auto", "nab", "uci", "csv", "jsonl", NULL};
const char *const tr_time_format_names[] = {"iso8601", "epoch_s", "epoch_ms", NULL};
static const tr_fmt *const formats[] = {[TR_FMT_NAB] = &tr_fmt__nab,
                                        [TR_FMT_UCI] = &tr_fmt__uci,
                                        [TR_FMT_CSV] = &tr_fmt__csv,
                                        [TR_FMT_JSONL] = &tr_fmt__jsonl};

static int blank(const char *s) {
    while (*s == ' ' || *s == '\t') s++;
    return !*s;
}

/* ---- cells ---- */

int tr_reader__value(const char *s, const char *col, double *v, char *msg, size_t len) {
    char *end;
    if (!*s) {
        snprintf(msg, len, "missing value in %s", col);
        return -1;
    }
    *v = strtod(s, &end);
    if (*end || !isfinite(*v)) {
        snprintf(msg, len, "%s: expected a number, got '%.40s'", col, s);
        return -1;
    }
    return 0;
}

int tr_reader__label(const char *s, const char *col, int *anomaly, char *msg, size_t len) {
    char *end;
    if (!strcasecmp(s, "true") || !strcasecmp(s, "false")) {
        *anomaly = !strcasecmp(s, "true");
        return 0;
    }
    double v = *s ? strtod(s, &end) : NAN;
    if (!*s || *end || !isfinite(v)) {
        snprintf(msg, len, "%s: expected a label 0/1, true/false or a number, got '%.40s'", col, s);
        return -1;
    }
    *anomaly = v != 0;
    return 0;
}

int tr_reader__time(const char *s, tr_time_format f, const char *col, rt_time_t *ts, char *msg, size_t len) {
    int rc = f == TR_TIME_ISO8601 ? tr_time_parse_iso(s, ts)
                                  : tr_time_parse_epoch(s, f == TR_TIME_EPOCH_MS ? RT_MS : RT_S, ts);
    if (rc == 0) return 0;
    static const char *const want[] = {"a timestamp like 2015-09-01 13:45:00", "epoch seconds",
                                       "epoch milliseconds"};
    snprintf(msg, len, "%s: expected %s, got '%.40s'", col, want[f], s);
    return -1;
}

/* ---- devices ---- */

static uint64_t hash(const char *s) {
    uint64_t h = 1469598103934665603ull; /* FNV-1a */
    for (; *s; s++) h = (h ^ (unsigned char)*s) * 1099511628211ull;
    return h;
}

static size_t slot(char *const *names, size_t cap, const char *name) {
    size_t i = (size_t)hash(name) & (cap - 1);
    while (names[i] && strcmp(names[i], name) != 0) i = (i + 1) & (cap - 1);
    return i;
}

static int grow(tr_reader *r) {
    size_t cap = r->dev_cap ? 2 * r->dev_cap : 64;
    char **names = calloc(cap, sizeof *names);
    uint32_t *ids = calloc(cap, sizeof *ids);
    if (!names || !ids) {
        free(names);
        free(ids);
        return -1;
    }
    for (size_t i = 0; i < r->dev_cap; i++) {
        if (!r->dev_names[i]) continue;
        size_t j = slot(names, cap, r->dev_names[i]);
        names[j] = r->dev_names[i];
        ids[j] = r->dev_ids[i];
    }
    free(r->dev_names);
    free(r->dev_ids);
    r->dev_names = names;
    r->dev_ids = ids;
    r->dev_cap = cap;
    return 0;
}

int tr_reader__device(tr_reader *r, const char *name, uint32_t *id, char *msg, size_t len) {
    if (!*name) {
        snprintf(msg, len, "missing device in %s", r->cols.device);
        return -1;
    }
    if (2 * (r->ndevices + 1) > r->dev_cap && grow(r) != 0) {
        snprintf(msg, len, "out of memory for device names");
        return -1;
    }
    size_t i = slot(r->dev_names, r->dev_cap, name);
    if (!r->dev_names[i]) {
        if (r->ndevices == TR_MAX_DEVICES || !(r->dev_names[i] = strdup(name))) {
            snprintf(msg, len, "more than %d devices, or out of memory", TR_MAX_DEVICES);
            return -1;
        }
        r->dev_ids[i] = (uint32_t)r->ndevices++;
    }
    *id = r->dev_ids[i];
    return 0;
}

/* ---- the reader ---- */

/* The format of a trace whose first line is `line`, binding its header if
 * it is NAB or UCI (their header parsers succeed only on their header). */
static const tr_fmt *detect(tr_reader *r, const char *line, char *msg, size_t len) {
    char copy[4096];
    if (line[strspn(line, " \t")] == '{') return &tr_fmt__jsonl;
    for (int f = TR_FMT_NAB; f <= TR_FMT_UCI; f++) {
        snprintf(copy, sizeof copy, "%s", line);
        if (formats[f]->header(r, copy, msg, len) == 0) return formats[f];
    }
    return &tr_fmt__csv;
}

static int open_format(tr_reader *r, tr_format format, char *line, char *err, size_t errlen) {
    char msg[512];
    int detected = format == TR_FMT_AUTO;
    r->fmt = detected ? detect(r, line, msg, sizeof msg) : formats[format];
    int generic = r->fmt->id == TR_FMT_CSV || r->fmt->id == TR_FMT_JSONL;
    if (generic && (!r->cols.time[0] || r->cols.nvalues == 0)) {
        if (detected && r->fmt->id == TR_FMT_CSV)
            snprintf(err, errlen,
                     "%s:%llu: cannot tell the format from the header '%.80s': it is neither NAB "
                     "(timestamp,value) nor UCI occupancy; for another CSV give format csv and a column map "
                     "(time and values)",
                     r->in.path, (unsigned long long)r->in.line, line);
        else
            snprintf(err, errlen, "%s: the %s format needs a column map naming the time and value %s",
                     r->in.path, tr_format_names[r->fmt->id], r->fmt->id == TR_FMT_CSV ? "columns" : "keys");
        return TR_ERR_OPTS;
    }
    r->nvalues = r->cols.nvalues; /* NAB and UCI: set by detect() */
    if (!r->fmt->has_header) return tr_lines__rewind(&r->in, err, errlen);
    r->header_line = r->in.line;
    if (detected && r->fmt->id != TR_FMT_CSV) return 0; /* detect() bound the header */
    if (r->fmt->header(r, line, msg, sizeof msg) == 0) return 0;
    snprintf(err, errlen, "%s:%llu: %s", r->in.path, (unsigned long long)r->in.line, msg);
    return TR_ERR_TRACE;
}

tr_reader *tr_reader_open(const char *path, tr_format format, const tr_colmap *cols, int strict,
                          tr_issue_fn issue, void *issue_ctx, char *err, size_t errlen) {
    tr_reader *r = calloc(1, sizeof *r);
    if (!r) {
        snprintf(err, errlen, "%s: out of memory", path);
        return NULL;
    }
    if (cols) r->cols = *cols;
    r->strict = strict;
    r->issue = issue;
    r->issue_ctx = issue_ctx;
    if (tr_lines__open(&r->in, path, err, errlen) != 0) {
        free(r);
        return NULL;
    }
    char *line = NULL;
    int rc;
    do rc = tr_lines__next(&r->in, &line, err, errlen);
    while (rc == 1 && blank(line));
    if (rc == 0) snprintf(err, errlen, "%s: no data rows (only blank lines)", path);
    if (rc != 1 || open_format(r, format, line, err, errlen) != 0) {
        tr_reader_close(r);
        return NULL;
    }
    return r;
}

static int no_rows(tr_reader *r, char *err, size_t errlen) {
    if (r->skipped)
        snprintf(err, errlen, "%s: no valid rows (all %llu data rows are malformed)", r->in.path,
                 (unsigned long long)r->skipped);
    else
        snprintf(err, errlen, "%s: no data rows", r->in.path);
    return TR_ERR_TRACE;
}

/* A malformed row: skipped and reported, or (strict) the end of the read. */
static int malformed(tr_reader *r, const char *msg, char *err, size_t errlen) {
    unsigned long long line = (unsigned long long)r->in.line;
    if (r->strict) {
        snprintf(err, errlen, "%s:%llu: %s (strict mode rejects malformed rows)", r->in.path, line, msg);
        return TR_ERR_TRACE;
    }
    r->skipped++;
    if (r->issue) {
        char full[1024];
        snprintf(full, sizeof full, "%s:%llu: %s; row skipped", r->in.path, line, msg);
        r->issue(r->issue_ctx, full);
    }
    return 0;
}

int tr_reader_next(tr_reader *r, tr_row *row, char *err, size_t errlen) {
    for (;;) {
        char *line, msg[512];
        int rc = tr_lines__next(&r->in, &line, err, errlen);
        if (rc < 0) return rc;
        if (rc == 0) return r->rows ? 0 : no_rows(r, err, errlen);
        if (blank(line)) continue;
        memset(row, 0, sizeof *row);
        if (r->fmt->row(r, line, row, msg, sizeof msg) != 0) {
            if ((rc = malformed(r, msg, err, errlen)) != 0) return rc;
            continue;
        }
        row->line = r->in.line;
        if (r->rows && row->ts < r->prev_ts) {
            char now[48], before[48];
            tr_time_fmt(now, sizeof now, row->ts);
            tr_time_fmt(before, sizeof before, r->prev_ts);
            snprintf(
                err, errlen,
                "%s:%llu: time goes backwards (%s, after %s on line %llu); a trace must be sorted by time",
                r->in.path, (unsigned long long)row->line, now, before, (unsigned long long)r->prev_line);
            return TR_ERR_TRACE;
        }
        r->prev_ts = row->ts;
        r->prev_line = row->line;
        r->rows++;
        return 1;
    }
}

int tr_reader_rewind(tr_reader *r, char *err, size_t errlen) {
    uint64_t header = r->fmt->has_header ? r->header_line : 0;
    int rc = tr_lines__rewind(&r->in, err, errlen);
    char *line;
    while (rc == 0 && r->in.line < header) {
        rc = tr_lines__next(&r->in, &line, err, errlen);
        if (rc == 0) {
            snprintf(err, errlen, "%s: the file changed while it was read", r->in.path);
            rc = TR_ERR_TRACE;
        } else if (rc == 1) {
            rc = 0;
        }
    }
    r->rows = r->skipped = 0;
    return rc < 0 ? rc : 0;
}

int tr_reader_park(tr_reader *r, char *err, size_t errlen) { return tr_lines__park(&r->in, err, errlen); }
long tr_reader_open_files(void) { return tr_lines__open_files(); }

tr_format tr_reader_format(const tr_reader *r) { return r->fmt->id; }
uint64_t tr_reader_rows(const tr_reader *r) { return r->rows; }
uint64_t tr_reader_skipped(const tr_reader *r) { return r->skipped; }
uint32_t tr_reader_values(const tr_reader *r) { return r->nvalues; }
uint32_t tr_reader_devices(const tr_reader *r) { return r->cols.device[0] ? (uint32_t)r->ndevices : 1; }

void tr_reader_close(tr_reader *r) {
    if (!r) return;
    tr_lines__close(&r->in);
    for (size_t i = 0; i < r->dev_cap; i++) free(r->dev_names[i]);
    free(r->dev_names);
    free(r->dev_ids);
    free(r);
}
