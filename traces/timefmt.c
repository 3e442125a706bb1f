/* Trace timestamps: ISO-8601 date-times (NAB and UCI write
 * "YYYY-MM-DD HH:MM:SS") and epoch seconds or milliseconds, parsed exactly
 * into int64 ns since the epoch, and printed back for messages. Civil dates
 * convert with Howard Hinnant's days-from-civil algorithm (proleptic
 * Gregorian, no time zone database: a timestamp without an offset is UTC). */
#include <ctype.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "traces/reader.h"

static int64_t days_from_civil(int64_t y, int64_t m, int64_t d) {
    y -= m <= 2;
    int64_t era = (y >= 0 ? y : y - 399) / 400;
    int64_t yoe = y - era * 400;
    int64_t doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
    int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + doe - 719468;
}

static void civil_from_days(int64_t z, int64_t *y, int *m, int *d) {
    z += 719468;
    int64_t era = (z >= 0 ? z : z - 146096) / 146097;
    int64_t doe = z - era * 146097;
    int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    int64_t mp = (5 * doy + 2) / 153;
    *d = (int)(doy - (153 * mp + 2) / 5 + 1);
    *m = (int)(mp < 10 ? mp + 3 : mp - 9);
    *y = yoe + era * 400 + (*m <= 2);
}

static int days_in_month(int64_t y, int m) {
    static const int dm[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    int leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
    return dm[m - 1] + (m == 2 && leap);
}

/* Exactly `n` digits at *p into *v; advances *p. */
static int digits(const char **p, int n, int *v) {
    *v = 0;
    for (int i = 0; i < n; i++, (*p)++) {
        if (!isdigit((unsigned char)**p)) return -1;
        *v = *v * 10 + (**p - '0');
    }
    return 0;
}

/* ".ffff" up to 9 digits (more are read and dropped) into ns. */
static int fraction(const char **p, int64_t *ns) {
    *ns = 0;
    if (**p != '.' && **p != ',') return 0;
    (*p)++;
    if (!isdigit((unsigned char)**p)) return -1;
    int64_t scale = 100000000;
    for (; isdigit((unsigned char)**p); (*p)++, scale /= 10) *ns += (**p - '0') * scale;
    return 0;
}

/* Z, +HH:MM, +HHMM, +HH (or -) into seconds east of UTC. */
static int offset(const char **p, int64_t *east) {
    *east = 0;
    if (**p == 'Z') {
        (*p)++;
        return 0;
    }
    if (**p != '+' && **p != '-') return 0;
    int sign = **p == '-' ? -1 : 1, hh, mm = 0;
    (*p)++;
    if (digits(p, 2, &hh) || hh > 23) return -1;
    if (**p == ':') (*p)++;
    if (isdigit((unsigned char)**p) && (digits(p, 2, &mm) || mm > 59)) return -1;
    *east = sign * (hh * 3600 + mm * 60);
    return 0;
}

int tr_time_parse_iso(const char *s, rt_time_t *out) {
    const char *p = s;
    int y, mo, d, h = 0, mi = 0, se = 0;
    int64_t ns = 0, east = 0;
    if (digits(&p, 4, &y) || *p++ != '-' || digits(&p, 2, &mo) || *p++ != '-' || digits(&p, 2, &d)) return -1;
    if (mo < 1 || mo > 12 || d < 1 || d > days_in_month(y, mo)) return -1;
    if (*p == 'T' || *p == ' ') {
        p++;
        if (digits(&p, 2, &h) || *p++ != ':' || digits(&p, 2, &mi)) return -1;
        if (*p == ':' && (p++, digits(&p, 2, &se) || fraction(&p, &ns))) return -1;
        if (h > 23 || mi > 59 || se > 59 || offset(&p, &east)) return -1;
    }
    if (*p) return -1;
    int64_t secs = days_from_civil(y, mo, d) * 86400 + h * 3600 + mi * 60 + se - east;
    if (secs >= INT64_MAX / RT_S || secs <= INT64_MIN / RT_S) return -1; /* ns since 1970 fit 1677..2262 */
    *out = secs * RT_S + ns;
    return 0;
}

int tr_time_parse_epoch(const char *s, rt_time_t unit, rt_time_t *out) {
    const char *p = s;
    int neg = *p == '-';
    if (*p == '-' || *p == '+') p++;
    if (!isdigit((unsigned char)*p)) return -1;
    int64_t whole = 0, frac = 0, scale = unit / 10;
    for (; isdigit((unsigned char)*p); p++) {
        if (whole > (INT64_MAX / unit - 9) / 10) return -1;
        whole = whole * 10 + (*p - '0');
    }
    if (*p == '.') {
        p++;
        for (; isdigit((unsigned char)*p); p++, scale /= 10) frac += (*p - '0') * scale;
    }
    if (*p) return -1;
    int64_t v = whole * unit + frac;
    *out = neg ? -v : v;
    return 0;
}

void tr_time_fmt(char *buf, size_t len, rt_time_t t) {
    int64_t secs = t / RT_S, ns = t % RT_S;
    if (ns < 0) secs--, ns += RT_S;
    int64_t days = secs / 86400, sod = secs % 86400;
    if (sod < 0) days--, sod += 86400;
    int64_t y;
    int m, d;
    civil_from_days(days, &y, &m, &d);
    int n = snprintf(buf, len, "%04lld-%02d-%02d %02d:%02d:%02d", (long long)y, m, d, (int)(sod / 3600),
                     (int)(sod / 60 % 60), (int)(sod % 60));
    if (ns && n > 0 && (size_t)n < len) snprintf(buf + n, len - (size_t)n, ".%09lld", (long long)ns);
}
