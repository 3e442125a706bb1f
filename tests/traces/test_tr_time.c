/* Trace timestamps against Python's datetime (UTC), which computed every
 * expected epoch value below once: e.g.
 * datetime(2015, 9, 1, 13, 45, tzinfo=timezone.utc).timestamp() = 1441115100.
 * Leap years follow the Gregorian rule (2000 and 2016 leap, 1900, 2015 and
 * 2100 not); offsets shift to UTC; fractions and epoch values are exact. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>

#include <cmocka.h>
#include <stdio.h>

#include "traces/reader.h"

static rt_time_t iso(const char *s) {
    rt_time_t t;
    if (tr_time_parse_iso(s, &t) != 0) fail_msg("'%s' was refused", s);
    return t;
}

static void test_iso_values(void **unused) {
    assert_int_equal(iso("2015-09-01 13:45:00"), 1441115100 * RT_S);
    assert_int_equal(iso("2015-09-01T13:45:00Z"), 1441115100 * RT_S);
    assert_int_equal(iso("2015-09-01 13:45"), 1441115100 * RT_S);
    assert_int_equal(iso("2000-01-01"), 946684800 * RT_S);
    assert_int_equal(iso("2016-02-29 23:59:59"), 1456790399 * RT_S);
    assert_int_equal(iso("2000-02-29 00:00:00"), 951782400 * RT_S);
    assert_int_equal(iso("1900-03-01 00:00:00"), -2203891200 * RT_S);
    assert_int_equal(iso("1969-12-31 23:59:59"), -RT_S);
    /* 13:45:30 UTC written in two other zones */
    assert_int_equal(iso("2015-09-01T15:45:30+02:00"), 1441115130 * RT_S);
    assert_int_equal(iso("2015-09-01T08:15:30-0530"), 1441115130 * RT_S);
    assert_int_equal(iso("2015-09-01 13:45:00.123456789"), 1441115100 * RT_S + 123456789);
    assert_int_equal(iso("2015-09-16 18:40:00.000000"), 1442428800 * RT_S);
}

static void test_iso_refusals(void **unused) {
    const char *bad[] = {"",
                         "2015-02-29 00:00:00", /* 2015 is not a leap year */
                         "2100-02-29",          /* nor is 2100 */
                         "2015-13-01",
                         "2015-09-31",
                         "2015-09-01 24:00:00",
                         "2015-09-01 13:60:00",
                         "2015-9-1",
                         "2015-09-01T",
                         "2015-09-01 13:45:00 extra",
                         "2015-09-01 13:45:00+25:00",
                         "2015-09-01 13:45:00.",
                         "9999-12-31 23:59:59", /* beyond int64 ns */
                         "01/09/2015"};
    rt_time_t t;
    for (size_t i = 0; i < sizeof bad / sizeof *bad; i++)
        if (tr_time_parse_iso(bad[i], &t) == 0) fail_msg("'%s' was accepted", bad[i]);
}

static void test_epoch(void **unused) {
    rt_time_t t;
    assert_int_equal(tr_time_parse_epoch("1441115100", RT_S, &t), 0);
    assert_int_equal(t, 1441115100 * RT_S);
    assert_int_equal(tr_time_parse_epoch("1441115100123", RT_MS, &t), 0);
    assert_int_equal(t, 1441115100123 * RT_MS);
    assert_int_equal(tr_time_parse_epoch("1441115100123.456", RT_MS, &t), 0);
    assert_int_equal(t, 1441115100123456000);
    assert_int_equal(tr_time_parse_epoch("1.5", RT_S, &t), 0);
    assert_int_equal(t, 1500000000);
    assert_int_equal(tr_time_parse_epoch("-2.25", RT_S, &t), 0);
    assert_int_equal(t, -2250000000);
    const char *bad[] = {"", ".", "1e9", "12a", "- 1", "99999999999999999999"};
    for (size_t i = 0; i < sizeof bad / sizeof *bad; i++)
        if (tr_time_parse_epoch(bad[i], RT_S, &t) == 0) fail_msg("'%s' was accepted", bad[i]);
}

static void test_format(void **unused) {
    char buf[48];
    tr_time_fmt(buf, sizeof buf, 1441115100 * RT_S);
    assert_string_equal(buf, "2015-09-01 13:45:00");
    tr_time_fmt(buf, sizeof buf, -RT_S);
    assert_string_equal(buf, "1969-12-31 23:59:59");
    tr_time_fmt(buf, sizeof buf, 1441115100 * RT_S + 123456789);
    assert_string_equal(buf, "2015-09-01 13:45:00.123456789");
    tr_time_fmt(buf, sizeof buf, 951782400 * RT_S);
    assert_string_equal(buf, "2000-02-29 00:00:00");
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_iso_values),
        cmocka_unit_test(test_iso_refusals),
        cmocka_unit_test(test_epoch),
        cmocka_unit_test(test_format),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
