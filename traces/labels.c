/* Ground truth for NAB traces: labels/combined_windows.json maps each data
 * file ("realTraffic/speed_6005.csv") to its anomaly windows
 * [["start", "end"], ...]; a row inside a window (both ends included, as
 * NAB's scorer counts them) replays with ENG_REC_ANOMALY. */
#include <errno.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "traces/replay.h"

static int by_start(const void *a, const void *b) {
    const tr_window *x = a, *y = b;
    return (x->start > y->start) - (x->start < y->start);
}

/* "; entries for the same file: a, b" or "; e.g. 'first entry'". */
static void hint(char *buf, size_t len, json_t *root, const char *key) {
    const char *base = strrchr(key, '/') ? strrchr(key, '/') + 1 : key, *name;
    json_t *v;
    size_t k = 0;
    buf[0] = '\0';
    json_object_foreach(root, name, v) {
        const char *b = strrchr(name, '/') ? strrchr(name, '/') + 1 : name;
        if (strcmp(b, base) != 0 || k >= len) continue;
        k += (size_t)snprintf(buf + k, len - k, "%s'%s'", k ? ", " : "; did you mean ", name);
    }
    if (!k && json_object_size(root) && (name = json_object_iter_key(json_object_iter(root))))
        snprintf(buf, len, "; keys look like '%s' (set label_key, or labels to '' for no labels)", name);
}

static int parse_window(json_t *w, tr_window *out) {
    if (!json_is_array(w) || json_array_size(w) != 2 || !json_is_string(json_array_get(w, 0)) ||
        !json_is_string(json_array_get(w, 1)))
        return -1;
    if (tr_time_parse_iso(json_string_value(json_array_get(w, 0)), &out->start) ||
        tr_time_parse_iso(json_string_value(json_array_get(w, 1)), &out->end))
        return -1;
    return out->end >= out->start ? 0 : -1;
}

int tr_labels_load(const char *path, const char *key, tr_window *w, size_t max, size_t *n, char *err,
                   size_t errlen) {
    json_error_t jerr;
    int rc = TR_ERR_LABELS;
    *n = 0;
    FILE *f = fopen(path, "rb");
    if (!f) {
        snprintf(err, errlen, "%s: cannot open: %s", path, strerror(errno));
        return rc;
    }
    json_t *root = json_loadf(f, JSON_REJECT_DUPLICATES, &jerr);
    fclose(f);
    if (!root) {
        snprintf(err, errlen, "%s:%d:%d: %s", path, jerr.line, jerr.column, jerr.text);
        return rc;
    }
    json_t *list = json_is_object(root) ? json_object_get(root, key) : NULL;
    char more[512];
    if (!json_is_object(root)) {
        snprintf(err, errlen,
                 "%s: expected a JSON object of file names to windows (NAB combined_windows.json)", path);
    } else if (!list) {
        hint(more, sizeof more, root, key);
        snprintf(err, errlen, "%s: no entry '%s'%s", path, key, more);
    } else if (!json_is_array(list) || json_array_size(list) > max) {
        snprintf(err, errlen, "%s: '%s': expected a list of at most %zu [start, end] windows", path, key,
                 max);
    } else {
        rc = 0;
        for (size_t i = 0; i < json_array_size(list) && rc == 0; i++)
            if (parse_window(json_array_get(list, i), &w[i]) != 0) {
                snprintf(err, errlen,
                         "%s: '%s' window %zu: expected [\"start\", \"end\"] timestamps, start <= end", path,
                         key, i + 1);
                rc = TR_ERR_LABELS;
            }
        if (rc == 0) {
            *n = json_array_size(list);
            qsort(w, *n, sizeof *w, by_start);
        }
    }
    json_decref(root);
    return rc;
}

int tr_labels_contains(const tr_window *w, size_t n, rt_time_t ts) {
    for (size_t i = 0; i < n && w[i].start <= ts; i++)
        if (ts <= w[i].end) return 1;
    return 0;
}
