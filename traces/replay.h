/* Replay of a recorded trace as the devices of the edge sites: the
 * alternative to workloads/' synthetic populations at the head of the data
 * flow. A trace is prepared once (options checked, format detected, NAB
 * anomaly windows loaded, the file scanned for problems and its time span),
 * then every edge gateway opens its own streaming replay of it through
 * tr_source(): time scaled by `speedup`, optionally looped, one trace
 * device fanned out to many simulated devices with phase offsets and value
 * jitter. Each row becomes one reading per value column (metric = column
 * index) whose flags carry the ground-truth label (ENG_REC_ANOMALY). */
#ifndef TR_REPLAY_H
#define TR_REPLAY_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "engine/rt.h"
#include "engine/source.h"
#include "traces/reader.h"

#define TR_PATH_LEN 4096
#define TR_MAX_WINDOWS 64 /* anomaly windows per trace */
#define TR_MAX_ISSUES 5   /* skipped-row messages kept (all are counted) */
#define TR_ISSUE_LEN 320
#define TR_NO_START INT64_MIN /* start/end not given: from the first row, to the end of the file */
#define TR_NO_END INT64_MAX

typedef struct tr_opts {
    char path[TR_PATH_LEN];   /* the trace file */
    tr_format format;         /* TR_FMT_AUTO: detected from the header */
    double speedup;           /* trace seconds per simulated second (300: 5 trace minutes a second) */
    int loop;                 /* start over after `end` (or the last row) */
    rt_time_t start, end;     /* replay the rows with start <= ts < end (trace time, ns since the epoch) */
    int strict;               /* reject the trace at its first malformed row instead of skipping it */
    tr_colmap columns;        /* csv and jsonl */
    char labels[TR_PATH_LEN]; /* NAB combined_windows.json ("": none) */
    char label_key[256];      /* its entry for this trace ("": the path's last two parts, e.g.
                                 realTraffic/speed_6005.csv) */
    /* Fan-out: simulated device g replays trace device g mod D (D devices in
     * the trace) as copy k = g / D, delayed by phase * frac(k * 0.618...) of
     * trace time (copy 0 undelayed; the golden-ratio sequence spreads any
     * number of copies evenly over [0, phase)). */
    rt_time_t phase;
    double value_jitter; /* standard deviation of Gaussian noise added to every value (0: exact) */
} tr_opts;

/* An anomaly window [start, end], both ends included (as NAB scores them). */
typedef struct tr_window {
    rt_time_t start, end;
} tr_window;

/* A trace ready to replay (plain data: copying it is fine). */
typedef struct tr_trace {
    tr_opts o;             /* format: as detected */
    uint64_t rows;         /* well-formed rows in [start, end) */
    uint64_t skipped;      /* malformed rows skipped before `end` */
    uint64_t labelled;     /* rows of `rows` flagged anomalous (label column or window) */
    rt_time_t first, last; /* timestamps of the first and last of `rows` */
    rt_time_t origin;      /* trace time that replays at simulated time 0: start, or `first` */
    rt_time_t span;        /* loop length: end - start, or last - origin + the mean row interval */
    uint32_t devices;      /* distinct devices */
    uint32_t values;       /* value columns: readings per row and device */
    tr_window windows[TR_MAX_WINDOWS];
    size_t nwindows;
    char issues[TR_MAX_ISSUES][TR_ISSUE_LEN]; /* the first skipped rows' messages */
    size_t nissues;
} tr_trace;

/* Defaults: format auto, speedup 1, no loop, the whole file, not strict,
 * ISO-8601 time column, no labels, no phase, no jitter. */
void tr_opts_defaults(tr_opts *o);
/* Checks ranges and ties between fields; 0, or TR_ERR_OPTS with a message
 * starting with the field's name ("speedup must be > 0"). Needs the format
 * to know whether the column map is required: call it again after
 * detection (tr_trace_prepare does). */
int tr_opts_check(const tr_opts *o, char *err, size_t errlen);

/* Prepares `o` (copied; its paths as the reader should open them): checks
 * it, loads the anomaly windows, reads the whole trace once (streaming) to
 * detect its format, count its rows, devices and malformed rows and find
 * its time span. Returns 0, or a negative TR_ERR_* saying which input the
 * message in err is about. */
int tr_trace_prepare(tr_trace *t, const tr_opts *o, char *err, size_t errlen);

/* Prints what the replay will read (file, format, rows, time range,
 * devices, labels, skipped rows with the first messages, time mapping), for
 * `sparkiot replay`. 0, or -1 if writing failed. */
int tr_trace_describe(const tr_trace *t, FILE *out);

/* Loads the windows of entry `key` of a NAB combined_windows.json file
 * (sorted by start). 0, or TR_ERR_LABELS with a message. */
int tr_labels_load(const char *path, const char *key, tr_window *w, size_t max, size_t *n, char *err,
                   size_t errlen);
/* Whether ts is inside one of the n sorted windows. */
int tr_labels_contains(const tr_window *w, size_t n, rt_time_t ts);

/* The replay as an engine source: open() takes a const tr_trace * prepared
 * by tr_trace_prepare (borrowed for the run). Each open source streams the
 * file on its own and buffers only the rows whose copies are not all
 * emitted yet (about phase / speedup of simulated time plus one slice).
 * Row at trace time ts of loop iteration j, copy k, replays at simulated
 * time (ts - origin + j * span + offset_k) / speedup, rounded to the ns.
 * Each device's seq counts its readings from 0. emit() fails (after
 * printing the reason on stderr) only if the file changed since it was
 * prepared. */
const eng_source_ops *tr_source(void);

/* The copy's delay, phase * frac(k * (sqrt(5) - 1) / 2), in trace ns. */
rt_time_t tr_phase_offset(rt_time_t phase, uint64_t k);

#endif
