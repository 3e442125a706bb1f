/* The Numenta Anomaly Benchmark's CSV: header `timestamp,value`, then one
 * "YYYY-MM-DD HH:MM:SS,number" row per reading of one series (one device,
 * one metric). Its anomaly labels live in a separate file
 * (labels/combined_windows.json, see labels.c). */
#include <string.h>

#include "traces/tr_int.h"

static int nab_header(tr_reader *r, char *line, char *msg, size_t len) {
    char *names[TR_MAX_FIELDS];
    int n = tr_csv__split(line, names, TR_MAX_FIELDS, msg, len);
    if (n != 2 || strcmp(names[0], "timestamp") != 0 || strcmp(names[1], "value") != 0) {
        snprintf(msg, len, "expected the NAB header 'timestamp,value'");
        return -1;
    }
    memset(&r->cols, 0, sizeof r->cols);
    snprintf(r->cols.time, sizeof r->cols.time, "timestamp");
    snprintf(r->cols.values[0], sizeof r->cols.values[0], "value");
    r->cols.nvalues = 1;
    r->cols.time_format = TR_TIME_ISO8601;
    return tr_csv__bind(r, names, n, 0, msg, len);
}

const tr_fmt tr_fmt__nab = {TR_FMT_NAB, 1, nab_header, tr_csv__row};
