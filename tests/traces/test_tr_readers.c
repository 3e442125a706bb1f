/* Each reader on real files and fixtures. The expected numbers for the
 * shared traces were computed once with Python's csv module and datetime
 * (UTC epoch seconds of the first and last timestamps, row counts, sums of
 * the value column, counts of Occupancy = 1), independently of this code:
 *   rows = list(csv.reader(open(f)))[1:]; len(rows); sum(float(r[1]) ...)
 * The fixtures' values are written out by hand in the comments. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>

#include <cmocka.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "tr_support.h"
#include "traces/reader.h"

typedef struct summary {
    uint64_t rows;
    tr_row first, last;
    double sum0;        /* of values[0] */
    uint64_t anomalies; /* rows with the label set */
} summary;

static tr_reader *open_ok(const char *path, tr_format f, const tr_colmap *c) {
    char err[1024];
    tr_reader *r = tr_reader_open(path, f, c, 1, NULL, NULL, err, sizeof err);
    if (!r) fail_msg("%s", err);
    return r;
}

static summary read_all(tr_reader *r) {
    summary s = {0};
    char err[1024];
    tr_row row;
    int rc;
    while ((rc = tr_reader_next(r, &row, err, sizeof err)) == 1) {
        if (s.rows++ == 0) s.first = row;
        s.last = row;
        s.sum0 += row.values[0];
        s.anomalies += row.anomaly;
    }
    if (rc != 0) fail_msg("%s", err);
    assert_int_equal(tr_reader_skipped(r), 0);
    return s;
}

static void check_nab(const char *rel, uint64_t rows, int64_t first_s, int64_t last_s, double v0, double vn,
                      double sum) {
    char path[4096];
    tr_test_shared(path, sizeof path, rel);
    tr_reader *r = open_ok(path, TR_FMT_AUTO, NULL);
    assert_int_equal(tr_reader_format(r), TR_FMT_NAB);
    summary s = read_all(r);
    assert_int_equal(s.rows, rows);
    assert_int_equal(s.first.ts, first_s * RT_S);
    assert_int_equal(s.last.ts, last_s * RT_S);
    assert_int_equal(s.first.line, 2);
    assert_int_equal(s.last.line, rows + 1);
    assert_true(s.first.values[0] == v0 && s.last.values[0] == vn);
    assert_int_equal(s.first.nvalues, 1);
    assert_true(fabs(s.sum0 - sum) <= 1e-9 * fabs(sum));
    assert_int_equal(tr_reader_devices(r), 1);
    tr_reader_close(r);
}

static void test_nab_files(void **unused) {
    /* speed_6005 ends without a final newline; the last row still counts */
    check_nab("nab/realTraffic/speed_6005.csv", 2500, 1441045320, 1442507040, 90, 83, 204767);
    check_nab("nab/realKnownCause/nyc_taxi.csv", 10320, 1404172800, 1422747000, 10844, 26288, 156219716);
    check_nab("nab/realKnownCause/ambient_temperature_system_failure.csv", 7267, 1372896000, 1401289200,
              69.88083514, 72.58408858, 517718.75849113043);
}

static void check_uci(const char *rel, uint64_t rows, int64_t first_s, int64_t last_s, const double *v0,
                      double sum_temp, uint64_t occupied) {
    char path[4096];
    tr_test_shared(path, sizeof path, rel);
    tr_reader *r = open_ok(path, TR_FMT_AUTO, NULL);
    assert_int_equal(tr_reader_format(r), TR_FMT_UCI);
    assert_int_equal(tr_reader_values(r), 5);
    summary s = read_all(r);
    assert_int_equal(s.rows, rows);
    assert_int_equal(s.first.ts, first_s * RT_S);
    assert_int_equal(s.last.ts, last_s * RT_S);
    assert_int_equal(s.first.nvalues, 5);
    for (int i = 0; i < 5; i++) assert_true(s.first.values[i] == v0[i]);
    assert_true(fabs(s.sum0 - sum_temp) <= 1e-9 * sum_temp);
    assert_int_equal(s.anomalies, occupied);
    tr_reader_close(r);
}

static void test_uci_files(void **unused) {
    /* "1","2015-02-04 17:51:00",23.18,27.272,426,721.25,0.00479298817650529,1 */
    const double train0[] = {23.18, 27.272, 426, 721.25, 0.00479298817650529};
    check_uci("uci_occupancy/datatraining.txt", 8143, 1423072260, 1423560780, train0, 167901.1980833392,
              1729);
    /* "140","2015-02-02 14:19:00",23.7,26.272,585.2,749.2,0.00476416302416414,1 */
    const double test0[] = {23.7, 26.272, 585.2, 749.2, 0.00476416302416414};
    check_uci("uci_occupancy/datatest.txt", 2665, 1422886740, 1423046580, test0, 57121.2803095229, 972);
}

static tr_colmap sensors_map(tr_time_format tf, const char *time, const char *device, const char *label) {
    tr_colmap c = {.time_format = tf, .nvalues = 2};
    snprintf(c.time, sizeof c.time, "%s", time);
    snprintf(c.device, sizeof c.device, "%s", device);
    snprintf(c.label, sizeof c.label, "%s", label);
    snprintf(c.values[0], sizeof c.values[0], "temp");
    snprintf(c.values[1], sizeof c.values[1], "hum");
    return c;
}

typedef struct expect {
    rt_time_t ts;
    uint32_t device;
    double v0, v1;
    int anomaly;
    uint64_t line;
} expect;

static void check_rows(tr_reader *r, const expect *e, size_t n) {
    char err[1024];
    tr_row row;
    for (size_t i = 0; i < n; i++) {
        if (tr_reader_next(r, &row, err, sizeof err) != 1) fail_msg("row %zu: %s", i, err);
        assert_int_equal(row.ts, e[i].ts);
        assert_int_equal(row.device, e[i].device);
        assert_true(row.values[0] == e[i].v0 && row.values[1] == e[i].v1);
        assert_int_equal(row.anomaly, e[i].anomaly);
        assert_int_equal(row.line, e[i].line);
    }
    assert_int_equal(tr_reader_next(r, &row, err, sizeof err), 0);
}

/* Opens a fixture with format detection, which must find `want`. */
static tr_reader *open_fixture(const char *file, const tr_colmap *c, tr_format want) {
    char path[4096];
    tr_test_data(path, sizeof path, file);
    tr_reader *r = open_ok(path, TR_FMT_AUTO, c);
    assert_int_equal(tr_reader_format(r), want);
    return r;
}

static void test_generic_csv(void **unused) {
    tr_colmap c = sensors_map(TR_TIME_EPOCH_MS, "time_ms", "sensor", "alarm");
    tr_reader *r = open_fixture("sensors.csv", &c, TR_FMT_CSV);
    /* devices numbered by first appearance: a, b, "b, north" (a quoted comma);
     * " a " is trimmed to a; "42" is a quoted number; labels 0/1/false/true */
    const expect e[] = {
        {1441115100000 * RT_MS, 0, 20.5, 40, 0, 2},   {1441115100000 * RT_MS, 1, 21.0, 41, 0, 3},
        {1441115160000 * RT_MS, 0, 20.7, 40.5, 1, 4}, {1441115160500 * RT_MS, 2, 21.5, 42, 0, 5},
        {1441115220000 * RT_MS, 0, 21.0, 41, 1, 6},
    };
    check_rows(r, e, 5);
    assert_int_equal(tr_reader_devices(r), 3);
    /* rewinding replays the same rows, with the same device numbers */
    char err[1024];
    assert_int_equal(tr_reader_rewind(r, err, sizeof err), 0);
    check_rows(r, e, 5);
    tr_reader_close(r);
}

static void test_jsonl(void **unused) {
    tr_colmap c = sensors_map(TR_TIME_ISO8601, "ts", "dev", "anomaly");
    tr_reader *r = open_fixture("sensors.jsonl", &c, TR_FMT_JSONL);
    /* 13:45:00Z; 15:45:30+02:00 = 13:45:30Z; a blank line 3; 13:47:00.250 UTC.
     * Devices 7 (an integer) and "hall"; -3.5e1 = -35; labels false, 1, "0". */
    const expect e[] = {
        {1441115100 * RT_S, 0, 20.5, 40, 0, 1},
        {1441115130 * RT_S, 1, 21, 41.5, 1, 2},
        {1441115220 * RT_S + 250 * RT_MS, 0, -35, 0, 0, 4},
    };
    check_rows(r, e, 3);
    assert_int_equal(tr_reader_devices(r), 2);
    tr_reader_close(r);
}

static void test_forced_format_mismatch(void **unused) {
    char path[4096], err[1024];
    tr_test_shared(path, sizeof path, "uci_occupancy/datatest.txt");
    assert_null(tr_reader_open(path, TR_FMT_NAB, NULL, 0, NULL, NULL, err, sizeof err));
    assert_non_null(strstr(err, "datatest.txt:1: expected the NAB header 'timestamp,value'"));
    tr_test_data(path, sizeof path, "sensors.csv");
    assert_null(tr_reader_open(path, TR_FMT_AUTO, NULL, 0, NULL, NULL, err, sizeof err));
    assert_non_null(strstr(err, "sensors.csv:1: cannot tell the format from the header"));
    tr_colmap c = sensors_map(TR_TIME_EPOCH_MS, "time", "sensor", "");
    assert_null(tr_reader_open(path, TR_FMT_CSV, &c, 0, NULL, NULL, err, sizeof err));
    assert_non_null(strstr(err, "sensors.csv:1: no time column 'time' in the header (columns: time_ms sensor "
                                "temp hum alarm)"));
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_nab_files),
        cmocka_unit_test(test_uci_files),
        cmocka_unit_test(test_generic_csv),
        cmocka_unit_test(test_jsonl),
        cmocka_unit_test(test_forced_format_mismatch),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
