/* Figure slo_violations: per sampling interval, the share of readings
 * committed in that interval whose latency exceeded the SLO, one line per
 * variant (lowest seed), so bursts and slow scale-ups show up in time. */
#include <math.h>

#include "analysis/fig_int.h"

int an_fig_slo(const an_fig_scenario *sc, char *err, size_t errlen) {
    an_fig f;
    an_fig_series *s;
    double unit;
    const char *uname;
    if (an_fig__open_series(&f, sc, "slo_violations", &s, &unit, &uname, err, errlen) != 0) return -1;
    int plotted = 0;
    for (size_t i = 0; i < sc->nrows; i++) {
        const an_table_row *r = &sc->rows[i];
        if (!s[i].n) continue;
        char title[128];
        snprintf(title, sizeof title, "%s (seed %llu)", r->variant, (unsigned long long)r->runs[0].seed);
        int k = an_fig__block(&f, title);
        fprintf(f.dat, "# time_%s share_over_slo violations committed\n", uname);
        for (size_t j = 0; j < s[i].n; j++) {
            const eng_sample *x = &s[i].rows[j];
            fprintf(f.dat, "%.10g %.10g %llu %llu\n", rt_to_s(x->t) / unit,
                    x->out ? (double)x->slo_violations / (double)x->out : NAN,
                    (unsigned long long)x->slo_violations, (unsigned long long)x->out);
        }
        fprintf(f.plt, "%s $DATA index %d using 1:2 with lines lw 2 title ", plotted ? "," : "plot", k);
        an_fig__quote(f.plt, r->variant);
        plotted++;
    }
    an_fig__free_series(s, sc->nrows);
    if (!plotted) {
        an_fig__discard(&f);
        return 0;
    }
    double slo = sc->rows[0].runs[0].s.slo_ms;
    fprintf(
        f.gp,
        "set grid\nset key top right\nset xrange [0:*]\nset yrange [0:*]\nset offsets 0, 0, graph 0.2, 0\n"
        "set xlabel 'time (%s)'\nset ylabel 'share of readings over the %g ms SLO'\n",
        uname, slo);
    fprintf(f.cap,
            "SLO violations over time: for each sampling interval, the share of the readings committed "
            "at the sink in that interval whose latency exceeded the %g ms SLO (no point: nothing "
            "committed); time in %s from the start of the run.\n",
            slo, uname);
    an_fig__caption_runs(f.cap, sc, 1);
    return an_fig__render(&f, 900, 560, err, errlen);
}
