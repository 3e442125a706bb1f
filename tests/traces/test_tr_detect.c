/* Scoring the edge's anomaly detector against ground truth (engine/detect.h).
 *
 * A scripted stream of 20 readings with windows at 5..9 (width 5) and
 * 14..16 (width 3), detections at 2, 7, 8 and 11, scored by hand with NAB's
 * standard profile (TP 1, FP 0.11, FN 1) and scaled sigmoid
 * S(x) = 2 / (1 + e^(5x)) - 1:
 *   reading 2, before any window:  x = 3 (as far as can be), S = -1, term -0.11
 *   reading 7, first in window 1:  x = -(9 - 7 + 1) / 5 = -0.6,
 *       S = 2 / (1 + e^-3) - 1 = 0.905148254, / S(-1) = 0.986614298 -> 0.917428680
 *   reading 8: in the same window, no NAB term (record level: a TP)
 *   reading 11, after window 1:   x = |9 - 11| / (5 - 1) = 0.5,
 *       S = 2 / (1 + e^2.5) - 1 = -0.848283640, x 0.11 -> -0.093311200
 *   window 2 never detected: -1
 *   raw = -0.11 + 0.917428680 - 0.093311200 - 1 = -0.285882520
 *   null = -2 (two windows missed), perfect = 2: nab = 100 (raw + 2) / 4 = 42.852937
 * Record level: TP 2 (7, 8), FP 2 (2, 11), FN 6 (8 labelled - 2), TN 10;
 * precision 0.5, recall 0.25, F1 = 2 (0.5 x 0.25) / 0.75 = 1/3. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>

#include <cmocka.h>
#include <math.h>
#include <string.h>

#include "engine/detect.h"
#include "tr_support.h"
#include "traces/reader.h"
#include "traces/replay.h"

static void near(double got, double want, double tol) {
    if (fabs(got - want) > tol) fail_msg("got %.9f, want %.9f", got, want);
}

static void test_sigmoid(void **unused) {
    near(eng_nab_sigmoid(-1.0), 0.986614298, 1e-9); /* NAB's sweeper docstring: 0.98661 */
    near(eng_nab_sigmoid(-0.5), 0.848283640, 1e-9); /* 0.84828 */
    near(eng_nab_sigmoid(0.0), 0.0, 1e-12);
    near(eng_nab_sigmoid(1.0), -0.986614298, 1e-9);
    near(eng_nab_sigmoid(3.0), -1.0, 0);
}

static void script(eng_score_stream *s, eng_detect_counts *c, size_t n, const int *label, const int *det) {
    for (size_t i = 0; i < n; i++) eng_score_stream_add(s, label[i], det[i], c);
    eng_score_stream_end(s, c);
}

static void test_scripted(void **unused) {
    int label[20] = {0}, det[20] = {0};
    for (int i = 5; i <= 9; i++) label[i] = 1;
    for (int i = 14; i <= 16; i++) label[i] = 1;
    det[2] = det[7] = det[8] = det[11] = 1;
    eng_score_stream s;
    eng_detect_counts c = {0};
    eng_score_stream_init(&s, 0);
    script(&s, &c, 20, label, det);
    assert_int_equal(c.scored, 20);
    assert_int_equal(c.tp, 2);
    assert_int_equal(c.fp, 2);
    assert_int_equal(c.fn, 6);
    assert_int_equal(c.tn, 10);
    assert_int_equal(c.windows, 2);
    assert_int_equal(c.windows_hit, 1);
    near(c.nab_raw, -0.285882520, 1e-8);
    eng_detect_scores sc;
    eng_detect_scores_of(&c, &sc);
    near(sc.precision, 0.5, 1e-12);
    near(sc.recall, 0.25, 1e-12);
    near(sc.f1, 1.0 / 3.0, 1e-12);
    near(sc.nab, 42.852937, 1e-5);
}

/* The perfect detector (each window's first reading) scores 100, the null
 * detector 0; a window open at the end of the stream is closed there; a
 * warm-up of 6 readings drops reading 2's false positive and window 1's
 * first reading, so window 1 (still width 5) is first detected at 7 again
 * but reading 5 is not scored. */
static void test_bounds_and_warmup(void **unused) {
    int label[12] = {0, 0, 0, 1, 1, 0, 0, 0, 0, 0, 1, 1}, first[12] = {0}, none[12] = {0};
    first[3] = first[10] = 1;
    eng_score_stream s;
    eng_detect_counts c = {0};
    eng_detect_scores sc;
    eng_score_stream_init(&s, 0);
    script(&s, &c, 12, label, first);
    eng_detect_scores_of(&c, &sc);
    assert_int_equal(c.windows, 2);
    near(sc.nab, 100.0, 1e-9);
    memset(&c, 0, sizeof c);
    eng_score_stream_init(&s, 0);
    script(&s, &c, 12, label, none);
    eng_detect_scores_of(&c, &sc);
    near(sc.nab, 0.0, 1e-9);
    assert_int_equal(c.fn, 4);

    int label2[20] = {0}, det2[20] = {0};
    for (int i = 5; i <= 9; i++) label2[i] = 1;
    det2[2] = det2[7] = 1;
    memset(&c, 0, sizeof c);
    eng_score_stream_init(&s, 6);
    script(&s, &c, 20, label2, det2);
    assert_int_equal(c.scored, 14);
    assert_int_equal(c.fp, 0);
    assert_int_equal(c.tp, 1);
    assert_int_equal(c.fn, 3); /* 6, 8, 9 */
    near(c.nab_raw, 0.917428680, 1e-8);
}

/* The z-score detector on two devices given out of order: window 4,
 * threshold 3. Device 1 reads 10, 11, 10, 11 (warm-up), 10.5 (window mean
 * 10.5, sd 0.577: |0| is no outlier), 30 labelled (window 11, 10, 11, 10.5:
 * mean 10.625, sd 0.479, z = 40: a TP, its one-reading window hit at x = -1,
 * NAB term +1), 10 (window 10, 11, 10.5, 30: mean 15.375, sd 9.67, z = 0.56:
 * TN). Device 2 reads the same without the label: the 30 is a false
 * positive before any window, -0.11. Totals: TP 1, FP 1, TN 4, one window
 * hit; raw 0.89, nab = 100 (0.89 + 1) / 2 = 94.5. */
static void test_zscore(void **unused) {
    eng_detect_opts o;
    eng_detect_defaults(&o);
    assert_int_equal(o.method, ENG_DETECT_OFF);
    assert_null(eng_detect_new(&o));
    o.method = ENG_DETECT_ZSCORE;
    o.window = 4;
    o.threshold = 3;
    char err[128];
    assert_int_equal(eng_detect_check(&o, err, sizeof err), 0);
    eng_detect *d = eng_detect_new(&o);
    assert_non_null(d);
    const double v[7] = {10, 11, 10, 11, 10.5, 30, 10};
    eng_rec r[14];
    for (uint32_t i = 0; i < 7; i++) {
        r[13 - 2 * i] = eng_rec_raw((rt_time_t)i * RT_S, 1, i, 0, v[i], i == 5 ? ENG_REC_ANOMALY : 0);
        r[12 - 2 * i] = eng_rec_raw((rt_time_t)i * RT_S, 2, i, 0, v[i], 0);
    }
    eng_detect_readings(d, r, 14); /* newest first: the detector orders them */
    eng_detect_counts c = {0};
    eng_detect_finish(d, &c);
    eng_detect_free(d);
    assert_int_equal(c.scored, 6);
    assert_int_equal(c.tp, 1);
    assert_int_equal(c.fp, 1);
    assert_int_equal(c.tn, 4);
    assert_int_equal(c.fn, 0);
    assert_int_equal(c.windows, 1);
    assert_int_equal(c.windows_hit, 1);
    near(c.nab_raw, 0.89, 1e-9);
    eng_summary s = {0};
    eng_detect_summarise(&c, &s);
    near(s.detect_nab_score, 94.5, 1e-9);
    near(s.detect_f1, 2 * 0.5 / 1.5, 1e-12);
    o.window = 1;
    assert_int_equal(eng_detect_check(&o, err, sizeof err), -1);
}

/* NAB's realTraffic/speed_6005.csv (2500 rows, 239 of them in its one
 * window, which runs to the last row) through the detector in slices of
 * 100 rows, against a direct batch computation written here from NAB's
 * definitions: the z-score of each row against the 32 before it, the window
 * as the index range of labelled rows, its earliest detection, and each
 * false positive's term. */
#define NAB_ROWS 2500
static double vals[NAB_ROWS];
static int labels[NAB_ROWS];

static void read_nab(void) {
    char path[4096], err[1024];
    tr_window w[TR_MAX_WINDOWS];
    size_t nw;
    tr_test_shared(path, sizeof path, "nab/labels/combined_windows.json");
    if (tr_labels_load(path, "realTraffic/speed_6005.csv", w, TR_MAX_WINDOWS, &nw, err, sizeof err) != 0)
        fail_msg("%s", err);
    tr_test_shared(path, sizeof path, "nab/realTraffic/speed_6005.csv");
    tr_reader *r = tr_reader_open(path, TR_FMT_NAB, NULL, 1, NULL, NULL, err, sizeof err);
    if (!r) fail_msg("%s", err);
    tr_row row;
    size_t n = 0;
    while (tr_reader_next(r, &row, err, sizeof err) == 1) {
        assert_true(n < NAB_ROWS);
        vals[n] = row.values[0];
        labels[n++] = tr_labels_contains(w, nw, row.ts);
    }
    tr_reader_close(r);
    assert_int_equal(n, NAB_ROWS);
}

static int direct_outlier(size_t i, uint32_t win, double thr) {
    if (i < win) return 0;
    double mean = 0, ss = 0;
    for (size_t j = i - win; j < i; j++) mean += vals[j];
    mean /= win;
    for (size_t j = i - win; j < i; j++) ss += (vals[j] - mean) * (vals[j] - mean);
    return fabs(vals[i] - mean) > thr * sqrt(ss / (win - 1));
}

static void test_nab_trace(void **unused) {
    read_nab();
    eng_detect_opts o = {ENG_DETECT_ZSCORE, 32, 3.0};
    eng_detect *d = eng_detect_new(&o);
    eng_rec r[100];
    for (size_t k = 0; k < NAB_ROWS; k += 100) {
        for (size_t i = 0; i < 100; i++)
            r[i] = eng_rec_raw((rt_time_t)(k + i) * 300 * RT_S, 7, (uint32_t)(k + i), 0, vals[k + i],
                               labels[k + i] ? ENG_REC_ANOMALY : 0);
        eng_detect_readings(d, r, 100);
    }
    eng_detect_counts c = {0};
    eng_detect_finish(d, &c);
    eng_detect_free(d);

    size_t lo = NAB_ROWS, hi = 0, labelled = 0, tp = 0, fp = 0, first = NAB_ROWS;
    for (size_t i = 0; i < NAB_ROWS; i++)
        if (labels[i]) {
            labelled++;
            if (i < lo) lo = i;
            hi = i;
        }
    assert_int_equal(labelled, 239);
    assert_int_equal(hi - lo + 1, 239); /* one contiguous window */
    assert_int_equal(hi, NAB_ROWS - 1);
    double raw = 0;
    for (size_t i = 32; i < NAB_ROWS; i++) {
        if (!direct_outlier(i, 32, 3.0)) continue;
        if (labels[i]) {
            tp++;
            if (i < first) first = i;
        } else {
            fp++;
            raw -= 0.11; /* every false positive lies before the window */
        }
    }
    raw += first < NAB_ROWS ? eng_nab_sigmoid(-(double)(hi - first + 1) / 239.0) / eng_nab_sigmoid(-1) : -1.0;
    assert_int_equal(c.scored, NAB_ROWS - 32);
    assert_int_equal(c.tp + c.fn, 239);
    assert_int_equal(c.tp, tp);
    assert_int_equal(c.fp, fp);
    assert_int_equal(c.tn, NAB_ROWS - 32 - 239 - fp);
    assert_int_equal(c.windows, 1);
    assert_int_equal(c.windows_hit, first < NAB_ROWS);
    near(c.nab_raw, raw, 1e-9);
    print_message("speed_6005, z-score 32/3: TP %llu FP %llu FN %llu, NAB raw %.4f\n",
                  (unsigned long long)c.tp, (unsigned long long)c.fp, (unsigned long long)c.fn, c.nab_raw);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_sigmoid),           cmocka_unit_test(test_scripted),
        cmocka_unit_test(test_bounds_and_warmup), cmocka_unit_test(test_zscore),
        cmocka_unit_test(test_nab_trace),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
