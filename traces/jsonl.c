/* JSON lines: one JSON object per line, its keys named by the column map
 * (time, optional device, values, optional label). Parsed with jansson, one
 * line at a time. A time key holds an ISO-8601 string, or epoch seconds or
 * milliseconds as a number or a numeric string; a device a string or an
 * integer; values numbers; a label a boolean, a number or "0"/"1". */
#include <jansson.h>
#include <math.h>
#include <string.h>

#include "traces/tr_int.h"

/* The member `key` of obj, or NULL with "missing key" in msg. */
static json_t *member(json_t *obj, const char *key, char *msg, size_t len) {
    json_t *v = json_object_get(obj, key);
    if (!v) snprintf(msg, len, "missing key \"%s\"", key);
    return v;
}

static int read_time(const tr_reader *r, json_t *v, rt_time_t *ts, char *msg, size_t len) {
    const char *key = r->cols.time;
    tr_time_format f = r->cols.time_format;
    if (json_is_string(v)) return tr_reader__time(json_string_value(v), f, key, ts, msg, len);
    if (f != TR_TIME_ISO8601 && json_is_integer(v)) {
        char text[32];
        snprintf(text, sizeof text, "%lld", (long long)json_integer_value(v));
        return tr_reader__time(text, f, key, ts, msg, len);
    }
    double unit = f == TR_TIME_EPOCH_MS ? (double)RT_MS : (double)RT_S;
    if (f != TR_TIME_ISO8601 && json_is_real(v) && fabs(json_real_value(v) * unit) < 9e18) {
        *ts = (rt_time_t)llround(json_real_value(v) * unit);
        return 0;
    }
    snprintf(msg, len, "\"%s\": expected %s", key,
             f == TR_TIME_ISO8601 ? "an ISO-8601 string" : "a number of seconds or milliseconds");
    return -1;
}

static int read_device(tr_reader *r, json_t *v, uint32_t *id, char *msg, size_t len) {
    char text[64];
    if (json_is_integer(v)) {
        snprintf(text, sizeof text, "%lld", (long long)json_integer_value(v));
        return tr_reader__device(r, text, id, msg, len);
    }
    if (json_is_string(v)) return tr_reader__device(r, json_string_value(v), id, msg, len);
    snprintf(msg, len, "\"%s\": expected a string or an integer", r->cols.device);
    return -1;
}

static int read_label(const char *key, json_t *v, int *anomaly, char *msg, size_t len) {
    if (json_is_boolean(v)) {
        *anomaly = json_is_true(v);
        return 0;
    }
    if (json_is_number(v)) {
        *anomaly = json_number_value(v) != 0;
        return 0;
    }
    if (json_is_string(v)) return tr_reader__label(json_string_value(v), key, anomaly, msg, len);
    snprintf(msg, len, "\"%s\": expected true/false, 0/1 or a number", key);
    return -1;
}

static int parse(tr_reader *r, json_t *obj, tr_row *row, char *msg, size_t len) {
    const tr_colmap *c = &r->cols;
    json_t *v;
    if (!(v = member(obj, c->time, msg, len)) || read_time(r, v, &row->ts, msg, len)) return -1;
    row->nvalues = c->nvalues;
    for (uint32_t i = 0; i < c->nvalues; i++) {
        if (!(v = member(obj, c->values[i], msg, len))) return -1;
        if (!json_is_number(v) || !isfinite(json_number_value(v))) {
            snprintf(msg, len, "\"%s\": expected a number", c->values[i]);
            return -1;
        }
        row->values[i] = json_number_value(v);
    }
    row->anomaly = 0;
    if (c->label[0] &&
        (!(v = member(obj, c->label, msg, len)) || read_label(c->label, v, &row->anomaly, msg, len)))
        return -1;
    /* last: a device is numbered only once one of its rows is well formed */
    row->device = 0;
    if (!c->device[0]) return 0;
    return (v = member(obj, c->device, msg, len)) ? read_device(r, v, &row->device, msg, len) : -1;
}

static int jsonl_row(tr_reader *r, char *line, tr_row *row, char *msg, size_t len) {
    json_error_t jerr;
    json_t *obj = json_loads(line, JSON_REJECT_DUPLICATES, &jerr);
    if (!obj) {
        snprintf(msg, len, "not JSON: %s (column %d)", jerr.text, jerr.column);
        return -1;
    }
    int rc = -1;
    if (!json_is_object(obj))
        snprintf(msg, len, "expected a JSON object");
    else
        rc = parse(r, obj, row, msg, len);
    json_decref(obj);
    return rc;
}

const tr_fmt tr_fmt__jsonl = {TR_FMT_JSONL, 0, NULL, jsonl_row};
