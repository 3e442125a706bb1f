/* Bad input: malformed rows are skipped and reported with file and line (or,
 * strict, stop the read at that line); empty, header-only, all-bad, binary
 * and unsorted traces are errors with a message that says so. The fixtures
 * in data/ list their defects in the expectations below, line by line. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>

#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "tr_support.h"
#include "traces/reader.h"

typedef struct issues {
    char msg[8][512];
    size_t n;
} issues;

static void collect(void *ctx, const char *msg) {
    issues *is = ctx;
    assert_true(is->n < 8);
    snprintf(is->msg[is->n++], sizeof is->msg[0], "%s", msg);
}

/* Reads everything; returns the rows, or -1 with err filled. */
static long read_rows(tr_reader *r, char *err, size_t errlen, uint64_t *lines) {
    tr_row row;
    long n = 0;
    int rc;
    while ((rc = tr_reader_next(r, &row, err, errlen)) == 1) lines[n++] = row.line;
    return rc == 0 ? n : -1;
}

static void assert_has(const char *text, const char *part) {
    if (!strstr(text, part)) fail_msg("'%s' does not contain '%s'", text, part);
}

static tr_colmap map(const char *time, tr_time_format tf, const char *device, const char *value) {
    tr_colmap c = {.time_format = tf, .nvalues = 1};
    snprintf(c.time, sizeof c.time, "%s", time);
    snprintf(c.device, sizeof c.device, "%s", device);
    snprintf(c.values[0], sizeof c.values[0], "%s", value);
    return c;
}

/* Skips the bad rows and reports them; `lines` are the good rows' lines. */
static void check_skips(const char *file, const tr_colmap *c, const uint64_t *lines, long nlines,
                        const char *const *msgs, size_t nmsgs) {
    char path[4096], err[1024];
    uint64_t got[16];
    issues is = {.n = 0};
    tr_test_data(path, sizeof path, file);
    tr_reader *r = tr_reader_open(path, TR_FMT_AUTO, c, 0, collect, &is, err, sizeof err);
    if (!r) fail_msg("%s", err);
    long n = read_rows(r, err, sizeof err, got);
    if (n < 0) fail_msg("%s", err);
    assert_int_equal(n, nlines);
    for (long i = 0; i < n; i++) assert_int_equal(got[i], lines[i]);
    assert_int_equal(tr_reader_skipped(r), nmsgs);
    assert_int_equal(is.n, nmsgs);
    for (size_t i = 0; i < nmsgs; i++) {
        assert_has(is.msg[i], msgs[i]);
        assert_has(is.msg[i], "; row skipped");
    }
    tr_reader_close(r);
}

static void test_nab_skips(void **unused) {
    /* line 7 is blank (ignored, not malformed) */
    const uint64_t good[] = {2, 4, 9};
    const char *const msgs[] = {
        "malformed.csv:3: value: expected a number, got 'abc'",
        "malformed.csv:5: expected 2 fields, got 1",
        "malformed.csv:6: timestamp: expected a timestamp like 2015-09-01 13:45:00, got '2015-09-31 "
        "14:05:00'",
        "malformed.csv:8: expected 2 fields, got 3",
    };
    check_skips("malformed.csv", NULL, good, 3, msgs, 4);
}

static void test_csv_quote_skips(void **unused) {
    tr_colmap c = map("when", TR_TIME_EPOCH_S, "where", "v");
    const uint64_t good[] = {2, 5};
    const char *const msgs[] = {"quotes.csv:3: unterminated quote in field 2",
                                "quotes.csv:4: text after the closing quote of field 2"};
    check_skips("quotes.csv", &c, good, 2, msgs, 2);
}

static void test_jsonl_skips(void **unused) {
    tr_colmap c = map("ts", TR_TIME_ISO8601, "", "temp");
    const uint64_t good[] = {1, 7};
    const char *const msgs[] = {
        "bad.jsonl:2: not JSON:", "bad.jsonl:3: expected a JSON object", "bad.jsonl:4: missing key \"temp\"",
        "bad.jsonl:5: \"ts\": expected an ISO-8601 string", "bad.jsonl:6: \"temp\": expected a number"};
    check_skips("bad.jsonl", &c, good, 2, msgs, 5);
}

static void test_strict_rejects(void **unused) {
    char path[4096], err[1024];
    tr_row row;
    tr_test_data(path, sizeof path, "malformed.csv");
    tr_reader *r = tr_reader_open(path, TR_FMT_NAB, NULL, 1, NULL, NULL, err, sizeof err);
    assert_non_null(r);
    assert_int_equal(tr_reader_next(r, &row, err, sizeof err), 1);
    assert_int_equal(tr_reader_next(r, &row, err, sizeof err), TR_ERR_TRACE);
    assert_has(err,
               "malformed.csv:3: value: expected a number, got 'abc' (strict mode rejects malformed rows)");
    tr_reader_close(r);
}

/* An error at open (`at_open`) or at the first read, with this text. */
static void check_error(const char *path, int at_open, const char *part) {
    char err[1024];
    tr_row row;
    tr_reader *r = tr_reader_open(path, TR_FMT_AUTO, NULL, 0, NULL, NULL, err, sizeof err);
    if (at_open) {
        assert_null(r);
    } else {
        if (!r) fail_msg("%s", err);
        int rc;
        while ((rc = tr_reader_next(r, &row, err, sizeof err)) == 1) {
        }
        assert_int_equal(rc, TR_ERR_TRACE);
        tr_reader_close(r);
    }
    assert_has(err, part);
}

static void test_bad_files(void **unused) {
    char path[4096];
    tr_test_data(path, sizeof path, "empty.csv");
    check_error(path, 1, "empty.csv: the file is empty");
    tr_test_data(path, sizeof path, "binary.csv");
    check_error(path, 1, "binary.csv: looks binary (byte 0x03 at offset 2); a trace must be a text file");
    tr_test_data(path, sizeof path, "missing.csv");
    check_error(path, 1, "missing.csv: cannot open: No such file or directory");
    tr_test_data(path, sizeof path, "header_only.csv");
    check_error(path, 0, "header_only.csv: no data rows");
    tr_test_data(path, sizeof path, "all_bad.csv");
    check_error(path, 0, "all_bad.csv: no valid rows (all 2 data rows are malformed)");
    tr_test_data(path, sizeof path, "unsorted.csv");
    check_error(
        path, 0,
        "unsorted.csv:4: time goes backwards (2015-09-01 13:40:00, after 2015-09-01 13:50:00 on line 3); "
        "a trace must be sorted by time");
    tr_test_tmpfile(path, sizeof path, "\n  \n\t\n", 5);
    check_error(path, 1, "no data rows (only blank lines)");
    unlink(path);
}

/* A NUL byte past the first 4 KiB (which open() inspects) is found by the line reader. */
static void test_late_binary(void **unused) {
    char text[8192], path[64], part[64];
    size_t k = (size_t)snprintf(text, sizeof text, "timestamp,value\n");
    for (int i = 0; i < 200; i++)
        k += (size_t)snprintf(text + k, sizeof text - k, "2015-09-01 13:%02d:%02d,%d\n", i / 60, i % 60, i);
    memcpy(text + k, "2015-09-01 14:00:00,1\0\n", 23);
    tr_test_tmpfile(path, sizeof path, text, k + 23);
    snprintf(part, sizeof part, ":202: binary data (a NUL byte)");
    check_error(path, 0, part);
    unlink(path);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_nab_skips),   cmocka_unit_test(test_csv_quote_skips),
        cmocka_unit_test(test_jsonl_skips), cmocka_unit_test(test_strict_rejects),
        cmocka_unit_test(test_bad_files),   cmocka_unit_test(test_late_binary),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
