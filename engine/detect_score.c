/* Scoring a detector's decisions against ground truth, one stream at a
 * time: record-level counts and the Numenta Anomaly Benchmark's window
 * score (NAB's sweeper: a window scores its earliest detection through the
 * scaled sigmoid of the detection's relative position in it, or -FN_WEIGHT
 * when nothing in it is detected; a detection outside every window scores
 * FP_WEIGHT times the sigmoid of its distance after the previous window in
 * that window's widths, -FP_WEIGHT before the first window). */
#include <math.h>

#include "engine/check.h"
#include "engine/detect.h"

double eng_nab_sigmoid(double x) { return x >= 3.0 ? -1.0 : 2.0 / (1.0 + exp(5.0 * x)) - 1.0; }

void eng_detect_counts_add(eng_detect_counts *into, const eng_detect_counts *c) {
    into->scored += c->scored;
    into->tp += c->tp;
    into->fp += c->fp;
    into->fn += c->fn;
    into->tn += c->tn;
    into->windows += c->windows;
    into->windows_hit += c->windows_hit;
    into->nab_raw += c->nab_raw;
}

static double ratio(uint64_t a, uint64_t b) { return b ? (double)a / (double)b : 0.0; }

void eng_detect_scores_of(const eng_detect_counts *c, eng_detect_scores *s) {
    s->precision = ratio(c->tp, c->tp + c->fp);
    s->recall = ratio(c->tp, c->tp + c->fn);
    s->f1 = s->precision + s->recall > 0 ? 2 * s->precision * s->recall / (s->precision + s->recall) : 0.0;
    double w = (double)c->windows;
    double null = -ENG_NAB_FN_WEIGHT * w, perfect = ENG_NAB_TP_WEIGHT * w;
    s->nab = c->windows ? 100.0 * (c->nab_raw - null) / (perfect - null) : 0.0;
}

void eng_detect_summarise(const eng_detect_counts *c, eng_summary *s) {
    eng_detect_scores sc;
    eng_detect_scores_of(c, &sc);
    s->detect_scored = c->scored;
    s->detect_tp = c->tp;
    s->detect_fp = c->fp;
    s->detect_fn = c->fn;
    s->detect_tn = c->tn;
    s->detect_windows = c->windows;
    s->detect_windows_hit = c->windows_hit;
    s->detect_precision = sc.precision;
    s->detect_recall = sc.recall;
    s->detect_f1 = sc.f1;
    s->detect_nab_score = sc.nab;
}

void eng_score_stream_init(eng_score_stream *s, uint64_t warmup) {
    *s = (eng_score_stream){.warmup = warmup, .win_first = UINT64_MAX};
}

/* The window that ended at reading `right`. */
static void close_window(eng_score_stream *s, uint64_t right, eng_detect_counts *c) {
    uint64_t width = right - s->win_start + 1;
    if (s->win_scored) {
        c->windows++;
        if (s->win_first != UINT64_MAX) {
            c->windows_hit++;
            double x = -(double)(right - s->win_first + 1) / (double)width;
            c->nab_raw += eng_nab_sigmoid(x) * ENG_NAB_TP_WEIGHT / eng_nab_sigmoid(-1.0);
        } else {
            c->nab_raw -= ENG_NAB_FN_WEIGHT;
        }
    }
    s->in_window = 0;
    s->has_prev = 1;
    s->prev_right = right;
    s->prev_width = width;
}

/* A detection outside every window: before the first window it is as far
 * as can be (x = 3); after a one-reading window, where NAB's distance
 * divides by zero, too. */
static double false_positive(const eng_score_stream *s, uint64_t i) {
    double x = 3.0;
    if (s->has_prev && s->prev_width > 1) x = (double)(i - s->prev_right) / (double)(s->prev_width - 1);
    return eng_nab_sigmoid(x) * ENG_NAB_FP_WEIGHT;
}

void eng_score_stream_add(eng_score_stream *s, int label, int detected, eng_detect_counts *c) {
    uint64_t i = s->i++;
    if (!label && s->in_window) close_window(s, i - 1, c);
    if (label && !s->in_window) {
        s->in_window = 1;
        s->win_start = i;
        s->win_first = UINT64_MAX;
        s->win_scored = 0;
    }
    if (i < s->warmup) return;
    c->scored++;
    if (label) {
        s->win_scored = 1;
        if (detected && s->win_first == UINT64_MAX) s->win_first = i;
        if (detected)
            c->tp++;
        else
            c->fn++;
    } else if (detected) {
        c->fp++;
        c->nab_raw += false_positive(s, i);
    } else {
        c->tn++;
    }
}

void eng_score_stream_end(eng_score_stream *s, eng_detect_counts *c) {
    if (s->in_window) close_window(s, s->i - 1, c);
}

void eng_detect_defaults(eng_detect_opts *o) {
    o->method = ENG_DETECT_OFF;
    o->window = 32;
    o->threshold = 3.0;
}

int eng_detect_check(const eng_detect_opts *o, char *err, size_t errlen) {
    ENG_CHECK(o->window >= 2 && o->window <= 65536, err, errlen, "edge.detect.window must be in [2, 65536]");
    ENG_CHECK(o->threshold > 0, err, errlen, "edge.detect.threshold must be > 0");
    return 0;
}
