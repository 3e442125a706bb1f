/* NAB anomaly windows from labels/combined_windows.json. Expected epochs
 * were computed with Python's datetime (UTC) from the file's strings:
 * realTraffic/speed_6005.csv has one window, 2015-09-16 18:40:00 =
 * 1442428800 to 2015-09-17 16:24:00 = 1442507040; nyc_taxi.csv has five,
 * the first from 2014-10-30 15:30:00 = 1414683000, the second from
 * 2014-11-25 12:00:00 = 1416916800, the last ending 2015-01-29 03:30:00 =
 * 1422502200. Both ends of a window are inside it. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>

#include <cmocka.h>
#include <stdio.h>
#include <string.h>

#include "tr_support.h"
#include "traces/replay.h"

static void load(const char *key, tr_window *w, size_t *n) {
    char path[4096], err[1024];
    tr_test_shared(path, sizeof path, "nab/labels/combined_windows.json");
    if (tr_labels_load(path, key, w, TR_MAX_WINDOWS, n, err, sizeof err) != 0) fail_msg("%s", err);
}

static void test_windows(void **unused) {
    tr_window w[TR_MAX_WINDOWS];
    size_t n;
    load("realTraffic/speed_6005.csv", w, &n);
    assert_int_equal(n, 1);
    assert_int_equal(w[0].start, 1442428800 * RT_S);
    assert_int_equal(w[0].end, 1442507040 * RT_S);
    assert_true(tr_labels_contains(w, n, w[0].start) && tr_labels_contains(w, n, w[0].end));
    assert_false(tr_labels_contains(w, n, w[0].start - 1) || tr_labels_contains(w, n, w[0].end + 1));
    load("realKnownCause/nyc_taxi.csv", w, &n);
    assert_int_equal(n, 5);
    assert_int_equal(w[0].start, 1414683000 * RT_S);
    assert_int_equal(w[1].start, 1416916800 * RT_S);
    assert_int_equal(w[4].end, 1422502200 * RT_S);
    for (size_t i = 1; i < n; i++) assert_true(w[i - 1].end < w[i].start);
    assert_true(tr_labels_contains(w, n, w[1].start + RT_S));
    assert_false(tr_labels_contains(w, n, w[1].start - RT_S));
}

static void test_errors(void **unused) {
    char path[4096], err[1024];
    tr_window w[TR_MAX_WINDOWS];
    size_t n;
    tr_test_shared(path, sizeof path, "nab/labels/combined_windows.json");
    assert_int_equal(tr_labels_load(path, "other/speed_6005.csv", w, TR_MAX_WINDOWS, &n, err, sizeof err),
                     TR_ERR_LABELS);
    assert_non_null(strstr(err, "combined_windows.json: no entry 'other/speed_6005.csv'; did you mean "
                                "'realTraffic/speed_6005.csv'"));
    assert_int_equal(tr_labels_load(path, "realKnownCause/nyc_taxi.csv", w, 2, &n, err, sizeof err),
                     TR_ERR_LABELS);
    assert_non_null(strstr(err, "expected a list of at most 2 [start, end] windows"));
    tr_test_data(path, sizeof path, "sensors.jsonl");
    assert_int_equal(tr_labels_load(path, "x", w, TR_MAX_WINDOWS, &n, err, sizeof err), TR_ERR_LABELS);
    assert_non_null(strstr(err, "sensors.jsonl:2:"));
    tr_test_data(path, sizeof path, "nope.json");
    assert_int_equal(tr_labels_load(path, "x", w, TR_MAX_WINDOWS, &n, err, sizeof err), TR_ERR_LABELS);
    assert_non_null(strstr(err, "nope.json: cannot open: No such file or directory"));
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_windows),
        cmocka_unit_test(test_errors),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
