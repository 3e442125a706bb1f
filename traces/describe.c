/* What a prepared trace will replay, in words, for `sparkiot replay`: the
 * file and its format, its rows and time range, devices and value columns,
 * labels, malformed rows skipped (with the first messages), and the time
 * mapping. */
#include <inttypes.h>
#include <stdio.h>

#include "traces/replay.h"

/* "5m", "2h 30m", "16d 22h" — the two largest units of a span. */
static void fmt_span(char *buf, size_t len, rt_time_t t) {
    static const struct {
        const char *u;
        rt_time_t ns;
    } units[] = {{"d", 86400 * RT_S}, {"h", 3600 * RT_S}, {"m", 60 * RT_S}, {"s", RT_S}, {"ms", RT_MS}};
    size_t k = 0, shown = 0;
    buf[0] = '\0';
    for (size_t i = 0; i < sizeof units / sizeof *units && shown < 2 && k < len; i++) {
        rt_time_t n = t / units[i].ns;
        if (n == 0 && shown == 0) continue;
        if (n) k += (size_t)snprintf(buf + k, len - k, "%s%" PRId64 "%s", shown ? " " : "", n, units[i].u);
        t -= n * units[i].ns;
        shown++;
    }
    if (!buf[0]) snprintf(buf, len, "0s");
}

int tr_trace_describe(const tr_trace *t, FILE *out) {
    const tr_opts *o = &t->o;
    char a[48], b[48], span[48], per_s[48];
    tr_time_fmt(a, sizeof a, t->first);
    tr_time_fmt(b, sizeof b, t->last);
    fmt_span(span, sizeof span, t->span);
    fmt_span(per_s, sizeof per_s, (rt_time_t)(o->speedup * (double)RT_S));
    fprintf(out, "trace       %s (%s)\n", o->path, tr_format_names[o->format]);
    fprintf(out, "            %" PRIu64 " rows from %s to %s; %u device%s, %u value column%s\n", t->rows, a,
            b, t->devices, t->devices == 1 ? "" : "s", t->values, t->values == 1 ? "" : "s");
    fprintf(out,
            "            %" PRIu64 " rows labelled anomalous (%zu label window%s); %" PRIu64
            " malformed row%s skipped\n",
            t->labelled, t->nwindows, t->nwindows == 1 ? "" : "s", t->skipped, t->skipped == 1 ? "" : "s");
    for (size_t i = 0; i < t->nissues; i++) fprintf(out, "            skipped: %s\n", t->issues[i]);
    if (t->skipped > t->nissues)
        fprintf(out, "            ... and %" PRIu64 " more\n", t->skipped - t->nissues);
    fprintf(out, "replay      %s of trace per simulated second (speedup %g)%s%s\n", per_s, o->speedup,
            o->loop ? ", looping every " : ", once", o->loop ? span : "");
    return ferror(out) ? -1 : 0;
}
