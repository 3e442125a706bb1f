/* Unit parsing and formatting for scenario files (see units.h). A value is
 * a decimal number, optional spaces, then a unit from the kind's table; the
 * number is multiplied out in double precision and, for durations, rounded
 * to whole nanoseconds. */
#include "experiments/units.h"

#include <ctype.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef struct unit {
    const char *name;
    double mult;
} unit;

/* "min" is accepted as a spelling of minutes; formatting uses the first seven. */
static const unit durations[] = {{"ns", 1},     {"us", 1e3},    {"ms", 1e6},   {"s", 1e9}, {"m", 60e9},
                                 {"h", 3600e9}, {"d", 86400e9}, {"min", 60e9}, {NULL, 0}};
static const unit bandwidths[] = {{"bps", 1 / 8.0},  {"kbps", 1e3 / 8}, {"Mbps", 1e6 / 8},
                                  {"Gbps", 1e9 / 8}, {"B/s", 1},        {"kB/s", 1e3},
                                  {"MB/s", 1e6},     {"GB/s", 1e9},     {NULL, 0}};
static const unit speeds[] = {{"", 1},     {"f", 1},     {"kf", 1e3}, {"Mf", 1e6},
                              {"Gf", 1e9}, {"Tf", 1e12}, {NULL, 0}};
static const unit sizes[] = {{"", 1}, {"B", 1}, {"kB", 1e3}, {"MB", 1e6}, {"GB", 1e9}, {NULL, 0}};

/* Length of the decimal number at the start of s: [+-]digits[.digits][e[+-]digits]. */
static size_t number_len(const char *s) {
    size_t i = 0, digits = 0;
    if (s[i] == '+' || s[i] == '-') i++;
    while (isdigit((unsigned char)s[i])) i++, digits++;
    if (s[i] == '.') {
        i++;
        while (isdigit((unsigned char)s[i])) i++, digits++;
    }
    if (!digits) return 0;
    if (s[i] == 'e' || s[i] == 'E') {
        size_t j = i + 1;
        if (s[j] == '+' || s[j] == '-') j++;
        if (isdigit((unsigned char)s[j])) {
            while (isdigit((unsigned char)s[j])) j++;
            i = j;
        }
    }
    return i;
}

static int with_unit(const char *s, const unit *table, double *out) {
    size_t n = number_len(s);
    if (!n) return -1;
    char num[64];
    if (n >= sizeof num) return -1;
    memcpy(num, s, n);
    num[n] = '\0';
    double v = strtod(num, NULL);
    const char *u = s + n;
    while (*u == ' ') u++;
    for (const unit *t = table; t->name; t++) {
        if (strcmp(u, t->name) != 0) continue;
        v *= t->mult;
        if (!isfinite(v)) return -1;
        *out = v;
        return 0;
    }
    return -1;
}

int xp_units__duration(const char *s, rt_time_t *out) {
    double v;
    if (with_unit(s, durations, &v) || fabs(v) >= 9.2e18) return -1;
    *out = (rt_time_t)llround(v);
    return 0;
}

int xp_units__bandwidth(const char *s, double *out) { return with_unit(s, bandwidths, out); }
int xp_units__speed(const char *s, double *out) { return with_unit(s, speeds, out); }
int xp_units__size(const char *s, double *out) { return with_unit(s, sizes, out); }

int xp_units__number(const char *s, double *out) {
    size_t n = number_len(s);
    if (!n || s[n]) return -1;
    double v = strtod(s, NULL);
    if (!isfinite(v)) return -1;
    *out = v;
    return 0;
}

int xp_units__integer(const char *s, uint64_t *magnitude, int *neg) {
    const char *p = s;
    *neg = *p == '-';
    if (*p == '+' || *p == '-') p++;
    if (!*p) return -1;
    uint64_t v = 0;
    for (; *p; p++) {
        if (!isdigit((unsigned char)*p)) return -1;
        unsigned d = (unsigned)(*p - '0');
        if (v > (UINT64_MAX - d) / 10) return -1;
        v = v * 10 + d;
    }
    *magnitude = v;
    return 0;
}

int xp_units__bool(const char *s, int *out) {
    if (!strcmp(s, "true"))
        *out = 1;
    else if (!strcmp(s, "false"))
        *out = 0;
    else
        return -1;
    return 0;
}

void xp_units__fmt_duration(char *buf, size_t len, rt_time_t t) {
    if (t == 0) {
        snprintf(buf, len, "0s");
        return;
    }
    for (int i = 6; i >= 0; i--) {
        rt_time_t m = (rt_time_t)durations[i].mult;
        if (t % m == 0) {
            snprintf(buf, len, "%lld%s", (long long)(t / m), durations[i].name);
            return;
        }
    }
}

/* The largest unit of `table[lo..hi]` not above v, printed with %g. */
static void fmt_scaled(char *buf, size_t len, double v, const unit *table, int lo, int hi) {
    int i = hi;
    while (i > lo && fabs(v) < table[i].mult) i--;
    snprintf(buf, len, "%.6g%s", v / table[i].mult, table[i].name);
}

void xp_units__fmt_bandwidth(char *buf, size_t len, double bytes_per_s) {
    fmt_scaled(buf, len, bytes_per_s, bandwidths, 0, 3);
}

void xp_units__fmt_speed(char *buf, size_t len, double flops) { fmt_scaled(buf, len, flops, speeds, 1, 5); }
