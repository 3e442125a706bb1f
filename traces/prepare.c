/* Preparing a trace for replay (tr_trace_prepare): one streaming pass over
 * the file before any simulation starts, so that every problem a replay
 * could meet — a malformed row in strict mode, an unsorted or binary file,
 * no rows in the window, a missing label entry — is reported up front with
 * its file and line, and so the sources know the trace's devices, value
 * columns, origin and loop span without reading ahead themselves. */
#include <string.h>

#include "traces/replay.h"

static void keep_issue(void *ctx, const char *msg) {
    tr_trace *t = ctx;
    if (t->nissues < TR_MAX_ISSUES) snprintf(t->issues[t->nissues++], TR_ISSUE_LEN, "%s", msg);
}

/* The labels entry of a trace: its path's last two parts. */
static const char *label_key(const tr_opts *o) {
    if (o->label_key[0]) return o->label_key;
    const char *last = strrchr(o->path, '/');
    if (!last) return o->path;
    const char *p = last;
    while (p > o->path && p[-1] != '/') p--;
    return p;
}

static int window_error(const tr_trace *t, rt_time_t all_first, rt_time_t all_last, char *err,
                        size_t errlen) {
    char a[48], b[48];
    tr_time_fmt(a, sizeof a, all_first);
    tr_time_fmt(b, sizeof b, all_last);
    snprintf(err, errlen, "start and end select no rows of %s (it runs from %s to %s)", t->o.path, a, b);
    return TR_ERR_OPTS;
}

/* Reads every row before `end`, counting what is in [start, end). */
static int scan(tr_trace *t, tr_reader *r, char *err, size_t errlen) {
    const tr_opts *o = &t->o;
    rt_time_t all_first = 0, all_last = 0;
    uint64_t all = 0;
    tr_row row;
    int rc;
    while ((rc = tr_reader_next(r, &row, err, errlen)) == 1) {
        if (all++ == 0) all_first = row.ts;
        all_last = row.ts;
        if (row.ts < o->start) continue;
        if (row.ts >= o->end) break;
        if (t->rows++ == 0) t->first = row.ts;
        t->last = row.ts;
        t->labelled += row.anomaly || tr_labels_contains(t->windows, t->nwindows, row.ts);
    }
    if (rc < 0) return rc;
    t->skipped = tr_reader_skipped(r);
    t->devices = tr_reader_devices(r);
    t->values = tr_reader_values(r);
    return t->rows ? 0 : window_error(t, all_first, all_last, err, errlen);
}

/* Origin and loop span; a loop pass must last at least 1 ms of simulated
 * time (a shorter one is a mistaken speedup that would replay the file
 * thousands of times per simulated second). */
static int timing(tr_trace *t, char *err, size_t errlen) {
    const tr_opts *o = &t->o;
    t->origin = o->start != TR_NO_START ? o->start : t->first;
    if (o->end != TR_NO_END)
        t->span = o->end - t->origin;
    else if (t->rows >= 2)
        t->span = t->last - t->origin + (t->last - t->first) / (rt_time_t)(t->rows - 1);
    if (o->loop && (double)t->span / o->speedup < (double)RT_MS) {
        snprintf(
            err, errlen,
            "loop needs each pass to last at least 1ms of simulated time (span / speedup); the window of %s "
            "holds %llu row(s): give an end, or a lower speedup",
            o->path, (unsigned long long)t->rows);
        return TR_ERR_OPTS;
    }
    return 0;
}

int tr_trace_prepare(tr_trace *t, const tr_opts *o, char *err, size_t errlen) {
    memset(t, 0, sizeof *t);
    t->o = *o;
    int rc = tr_opts_check(o, err, errlen);
    if (rc) return rc;
    tr_reader *r = tr_reader_open(o->path, o->format, &o->columns, o->strict, keep_issue, t, err, errlen);
    if (!r) return TR_ERR_TRACE;
    t->o.format = tr_reader_format(r);
    if (o->labels[0])
        rc = tr_labels_load(o->labels, label_key(o), t->windows, TR_MAX_WINDOWS, &t->nwindows, err, errlen);
    if (rc == 0) rc = scan(t, r, err, errlen);
    tr_reader_close(r);
    return rc ? rc : timing(t, err, errlen);
}
