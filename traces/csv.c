/* CSV under the trace readers: the field splitter (RFC 4180 quoting within
 * one line — a sensor trace has no multi-line fields, so an unterminated
 * quote is a malformed row, not a reason to swallow the rest of the file),
 * the binding of a column map to a header, the row reader the CSV formats
 * share, and the generic `csv` format itself. */
#include <string.h>

#include "traces/tr_int.h"

static char *skip_blanks(char *p) {
    while (*p == ' ' || *p == '\t') p++;
    return p;
}

/* A quoted field starting after its opening quote at p: unquotes in place,
 * returns the position after the closing quote, or NULL if none. */
static char *unquote(char *p) {
    char *w = p;
    for (;;) {
        if (!*p) return NULL;
        if (*p == '"' && p[1] == '"') {
            *w++ = '"';
            p += 2;
        } else if (*p == '"') {
            *w = '\0'; /* w < p: the closing quote is not overwritten before it is passed */
            return p + 1;
        } else {
            *w++ = *p++;
        }
    }
}

int tr_csv__split(char *line, char **fields, int max, char *msg, size_t len) {
    int n = 0;
    char *p = line;
    for (;;) {
        if (n == max) {
            snprintf(msg, len, "more than %d fields", max);
            return -1;
        }
        p = skip_blanks(p);
        char *end; /* the field's terminator: ',' or the end of the line */
        if (*p == '"') {
            fields[n] = p + 1;
            if (!(end = unquote(p + 1))) {
                snprintf(msg, len, "unterminated quote in field %d", n + 1);
                return -1;
            }
            end = skip_blanks(end);
            if (*end && *end != ',') {
                snprintf(msg, len, "text after the closing quote of field %d", n + 1);
                return -1;
            }
        } else {
            fields[n] = p;
            end = p + strcspn(p, ",");
            char *e = end;
            while (e > p && (e[-1] == ' ' || e[-1] == '\t')) e--;
            if (e < end) *e = '\0';
        }
        n++;
        if (*end != ',') return n;
        *end = '\0';
        p = end + 1;
    }
}

static int find(char **names, int n, const char *want) {
    for (int i = 0; i < n; i++)
        if (!strcmp(names[i], want)) return i;
    return -1;
}

static int bind_one(char **names, int n, int shift, const char *want, const char *role, int *col, char *msg,
                    size_t len) {
    int i = find(names, n, want);
    if (i < 0) {
        size_t k = (size_t)snprintf(msg, len, "no %s column '%s' in the header (columns:", role, want);
        for (int j = 0; j < n && k < len; j++) k += (size_t)snprintf(msg + k, len - k, " %s", names[j]);
        if (k < len) snprintf(msg + k, len - k, ")");
        return -1;
    }
    *col = i + shift;
    return 0;
}

int tr_csv__bind(tr_reader *r, char **names, int n, int shift, char *msg, size_t len) {
    const tr_colmap *c = &r->cols;
    r->nfields = n + shift;
    r->device_col = r->label_col = -1;
    r->nvalues = c->nvalues;
    r->time_format = c->time_format;
    if (bind_one(names, n, shift, c->time, "time", &r->time_col, msg, len)) return -1;
    if (c->device[0] && bind_one(names, n, shift, c->device, "device", &r->device_col, msg, len)) return -1;
    if (c->label[0] && bind_one(names, n, shift, c->label, "label", &r->label_col, msg, len)) return -1;
    for (uint32_t i = 0; i < c->nvalues; i++)
        if (bind_one(names, n, shift, c->values[i], "value", &r->value_col[i], msg, len)) return -1;
    return 0;
}

int tr_csv__row(tr_reader *r, char *line, tr_row *row, char *msg, size_t len) {
    char *f[TR_MAX_FIELDS];
    int n = tr_csv__split(line, f, TR_MAX_FIELDS, msg, len);
    if (n < 0) return -1;
    if (n != r->nfields) {
        snprintf(msg, len, "expected %d fields, got %d", r->nfields, n);
        return -1;
    }
    const tr_colmap *c = &r->cols;
    if (tr_reader__time(f[r->time_col], r->time_format, c->time, &row->ts, msg, len)) return -1;
    row->nvalues = r->nvalues;
    for (uint32_t i = 0; i < r->nvalues; i++)
        if (tr_reader__value(f[r->value_col[i]], c->values[i], &row->values[i], msg, len)) return -1;
    row->anomaly = 0;
    if (r->label_col >= 0 && tr_reader__label(f[r->label_col], c->label, &row->anomaly, msg, len)) return -1;
    /* last: a device is numbered only once one of its rows is well formed */
    row->device = 0;
    return r->device_col >= 0 ? tr_reader__device(r, f[r->device_col], &row->device, msg, len) : 0;
}

static int csv_header(tr_reader *r, char *line, char *msg, size_t len) {
    char *names[TR_MAX_FIELDS];
    int n = tr_csv__split(line, names, TR_MAX_FIELDS, msg, len);
    return n < 0 ? -1 : tr_csv__bind(r, names, n, 0, msg, len);
}

const tr_fmt tr_fmt__csv = {TR_FMT_CSV, 1, csv_header, tr_csv__row};
