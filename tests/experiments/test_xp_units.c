/* The units of scenario files, against values worked by hand: a bit is an
 * eighth of a byte (10 Mbit/s = 1.25e6 B/s), k/M/G are powers of 1000,
 * a day is 86400 s; and what each kind refuses. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>

#include <cmocka.h>

#include "experiments/units.h"

static rt_time_t dur(const char *s) {
    rt_time_t t = -12345;
    assert_int_equal(xp_units__duration(s, &t), 0);
    return t;
}

static void test_durations(void **unused) {
    assert_int_equal(dur("1.5s"), 1500000000LL);
    assert_int_equal(dur("24h"), 86400LL * 1000000000LL);
    assert_int_equal(dur("2d"), 2 * 86400LL * 1000000000LL);
    assert_int_equal(dur("5m"), 300LL * 1000000000LL);
    assert_int_equal(dur("5min"), 300LL * 1000000000LL);
    assert_int_equal(dur("100us"), 100000);
    assert_int_equal(dur("20ms"), 20000000);
    assert_int_equal(dur("7ns"), 7);
    assert_int_equal(dur("0.1s"), 100000000); /* 0.1 is inexact in binary; rounding makes it exact */
    assert_int_equal(dur("0.3ms"), 300000);
    assert_int_equal(dur("1e3ms"), 1000000000);
    assert_int_equal(dur("10 ms"), 10000000);
    assert_int_equal(dur("-5s"), -5000000000LL);
    assert_int_equal(dur("0s"), 0);
    rt_time_t t;
    const char *bad[] = {"20",    "",     "s",    "ms",    "1.5x",       "10 mins", "inf s", "nan s",
                         "0x10s", "1,5s", "1.5S", "5 m s", "300000000d", ".s",      "+s"};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
        assert_int_equal(xp_units__duration(bad[i], &t), -1);
}

static void test_bandwidths(void **unused) {
    double v;
    assert_int_equal(xp_units__bandwidth("10Mbps", &v), 0);
    assert_true(v == 1.25e6);
    assert_int_equal(xp_units__bandwidth("1Gbps", &v), 0);
    assert_true(v == 1.25e8);
    assert_int_equal(xp_units__bandwidth("800bps", &v), 0);
    assert_true(v == 100);
    assert_int_equal(xp_units__bandwidth("64kbps", &v), 0);
    assert_true(v == 8000);
    assert_int_equal(xp_units__bandwidth("2MB/s", &v), 0);
    assert_true(v == 2e6);
    assert_int_equal(xp_units__bandwidth("3GB/s", &v), 0);
    assert_true(v == 3e9);
    assert_int_equal(xp_units__bandwidth("512B/s", &v), 0);
    assert_true(v == 512);
    assert_int_equal(xp_units__bandwidth("100", &v), -1);
    assert_int_equal(xp_units__bandwidth("100mbps", &v), -1);
    assert_int_equal(xp_units__bandwidth("100MB", &v), -1);
}

static void test_speeds_and_sizes(void **unused) {
    double v;
    assert_int_equal(xp_units__speed("2Gf", &v), 0);
    assert_true(v == 2e9);
    assert_int_equal(xp_units__speed("1e9", &v), 0);
    assert_true(v == 1e9);
    assert_int_equal(xp_units__speed("3kf", &v), 0);
    assert_true(v == 3000);
    assert_int_equal(xp_units__speed("1.5Tf", &v), 0);
    assert_true(v == 1.5e12);
    assert_int_equal(xp_units__speed("2GHz", &v), -1);
    assert_int_equal(xp_units__size("4kB", &v), 0);
    assert_true(v == 4000);
    assert_int_equal(xp_units__size("64", &v), 0);
    assert_true(v == 64);
    assert_int_equal(xp_units__size("2MB", &v), 0);
    assert_true(v == 2e6);
    assert_int_equal(xp_units__size("4KiB", &v), -1);
}

static void test_numbers_integers_bools(void **unused) {
    double v;
    assert_int_equal(xp_units__number("-3.5", &v), 0);
    assert_true(v == -3.5);
    assert_int_equal(xp_units__number("1e7", &v), 0);
    assert_true(v == 1e7);
    assert_int_equal(xp_units__number("1e400", &v), -1);
    assert_int_equal(xp_units__number("12abc", &v), -1);
    assert_int_equal(xp_units__number("inf", &v), -1);
    uint64_t m;
    int neg;
    assert_int_equal(xp_units__integer("18446744073709551615", &m, &neg), 0);
    assert_true(m == UINT64_MAX && !neg);
    assert_int_equal(xp_units__integer("18446744073709551616", &m, &neg), -1);
    assert_int_equal(xp_units__integer("-3", &m, &neg), 0);
    assert_true(m == 3 && neg);
    assert_int_equal(xp_units__integer("1.5", &m, &neg), -1);
    assert_int_equal(xp_units__integer("1e3", &m, &neg), -1);
    assert_int_equal(xp_units__integer("-", &m, &neg), -1);
    int b = -1;
    assert_int_equal(xp_units__bool("true", &b), 0);
    assert_int_equal(b, 1);
    assert_int_equal(xp_units__bool("false", &b), 0);
    assert_int_equal(b, 0);
    assert_int_equal(xp_units__bool("yes", &b), -1);
    assert_int_equal(xp_units__bool("1", &b), -1);
}

static void test_formatting(void **unused) {
    char buf[32];
    xp_units__fmt_duration(buf, sizeof buf, 90 * RT_S);
    assert_string_equal(buf, "90s");
    xp_units__fmt_duration(buf, sizeof buf, 1500 * RT_MS);
    assert_string_equal(buf, "1500ms");
    xp_units__fmt_duration(buf, sizeof buf, 86400 * RT_S);
    assert_string_equal(buf, "1d");
    xp_units__fmt_duration(buf, sizeof buf, 120 * RT_S);
    assert_string_equal(buf, "2m");
    xp_units__fmt_duration(buf, sizeof buf, 0);
    assert_string_equal(buf, "0s");
    xp_units__fmt_duration(buf, sizeof buf, 7);
    assert_string_equal(buf, "7ns");
    xp_units__fmt_bandwidth(buf, sizeof buf, 1.25e6);
    assert_string_equal(buf, "10Mbps");
    xp_units__fmt_bandwidth(buf, sizeof buf, 1.25e9);
    assert_string_equal(buf, "10Gbps");
    xp_units__fmt_speed(buf, sizeof buf, 2e9);
    assert_string_equal(buf, "2Gf");
    xp_units__fmt_speed(buf, sizeof buf, 500);
    assert_string_equal(buf, "500f");
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_durations),        cmocka_unit_test(test_bandwidths),
        cmocka_unit_test(test_speeds_and_sizes), cmocka_unit_test(test_numbers_integers_bools),
        cmocka_unit_test(test_formatting),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
