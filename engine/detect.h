/* Anomaly detection at the edge gateway, scored against ground truth. The
 * gateway runs a detector over every reading it receives (before its filter
 * and aggregation) and scores each decision against the reading's
 * ENG_REC_ANOMALY flag — the label a trace carries (NAB windows, UCI
 * occupancy, a label column) or a workload's injected anomaly. Scores are
 * per stream (one device's readings of one metric, in time order):
 * record-level counts (true/false positives and negatives) and the Numenta
 * Anomaly Benchmark's window score, where an anomaly window is a maximal run
 * of labelled readings of a stream. The gateway's counts go into its report;
 * the driver adds the sites' counts and derives precision, recall, F1 and
 * the normalised NAB score for the run summary. Method: docs/traces.md
 * ("Scoring a detector"). */
#ifndef ENG_DETECT_H
#define ENG_DETECT_H

#include <stddef.h>
#include <stdint.h>

#include "engine/metrics.h"
#include "engine/rec.h"

typedef enum { ENG_DETECT_OFF = 0, ENG_DETECT_ZSCORE } eng_detect_method;

typedef struct eng_detect_opts {
    eng_detect_method method;
    uint32_t window;  /* readings of a stream in the rolling window */
    double threshold; /* flag a reading whose |z| against the window exceeds this */
} eng_detect_opts;

void eng_detect_defaults(eng_detect_opts *o);
int eng_detect_check(const eng_detect_opts *o, char *err, size_t errlen);

/* NAB's "standard" application profile (weights of a true positive, false
 * positive, false negative; a true negative weighs 0). */
#define ENG_NAB_TP_WEIGHT 1.0
#define ENG_NAB_FP_WEIGHT 0.11
#define ENG_NAB_FN_WEIGHT 1.0

/* NAB's scaled sigmoid of a relative position: 2 / (1 + e^(5x)) - 1 for
 * x < 3, -1 for x >= 3. In a window x runs from -1 (its first reading) to
 * just below 0 (its last); after a window x > 0 grows with the distance. */
double eng_nab_sigmoid(double x);

/* What a detector scored, summable over streams, sites and runs. */
typedef struct eng_detect_counts {
    uint64_t scored;         /* readings scored (after each stream's warm-up) */
    uint64_t tp, fp, fn, tn; /* record level */
    uint64_t windows;        /* anomaly windows with a scored reading */
    uint64_t windows_hit;    /* of which a reading was detected */
    double nab_raw;          /* sum of the windows' and false positives' weighted terms */
} eng_detect_counts;

void eng_detect_counts_add(eng_detect_counts *into, const eng_detect_counts *c);

/* Derived scores. precision = tp / (tp + fp), recall = tp / (tp + fn), F1
 * their harmonic mean, each 0 when its denominator is 0; nab = 100 (raw -
 * null) / (perfect - null) with null = -FN_WEIGHT * windows (a detector
 * that never fires) and perfect = TP_WEIGHT * windows (each window hit on
 * its first reading, no false positive); 0 without windows. */
typedef struct eng_detect_scores {
    double precision, recall, f1, nab;
} eng_detect_scores;

void eng_detect_scores_of(const eng_detect_counts *c, eng_detect_scores *s);
/* Fills the detect_* fields of a run summary from c. */
void eng_detect_summarise(const eng_detect_counts *c, eng_summary *s);

/* The scoring state of one stream, fed one decision at a time in order. */
typedef struct eng_score_stream {
    uint64_t i;          /* index of the next reading */
    uint64_t warmup;     /* readings 0 .. warmup-1 are not scored */
    int in_window;       /* the previous reading was labelled */
    uint64_t win_start;  /* index of the open window's first reading */
    uint64_t win_first;  /* index of its first scored detection, UINT64_MAX: none */
    int win_scored;      /* it holds a scored reading */
    int has_prev;        /* a window has closed */
    uint64_t prev_right; /* the last closed window's last index */
    uint64_t prev_width; /* and its width in readings */
} eng_score_stream;

void eng_score_stream_init(eng_score_stream *s, uint64_t warmup);
/* Scores reading s->i: `label` its ground truth, `detected` the decision. */
void eng_score_stream_add(eng_score_stream *s, int label, int detected, eng_detect_counts *c);
/* Closes a window still open at the end of the stream (its width is the
 * readings seen). */
void eng_score_stream_end(eng_score_stream *s, eng_detect_counts *c);

/* The gateway's detector: a rolling z-score per stream (device, metric). A
 * reading is flagged when the window of the stream's previous `window`
 * readings is full, has a nonzero standard deviation, and the reading lies
 * more than `threshold` of them from its mean. The first `window` readings
 * of a stream are its warm-up: never flagged, never scored. */
typedef struct eng_detect eng_detect;

/* NULL when o->method is off (the functions below accept NULL and do
 * nothing) or out of memory (aborts: the gateway cannot continue). */
eng_detect *eng_detect_new(const eng_detect_opts *o);
/* Detects and scores the n readings of r (any order: each stream's readings
 * are taken by (ts, seq)). Readings of a stream must not go back in time
 * across calls. */
void eng_detect_readings(eng_detect *d, const eng_rec *r, size_t n);
/* Closes every stream and adds the counts to *c. */
void eng_detect_finish(eng_detect *d, eng_detect_counts *c);
void eng_detect_free(eng_detect *d);

#endif
