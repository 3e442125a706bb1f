/* Figure latency_cdf: the distribution of record latency per variant, from
 * the runs' latency histograms merged over seeds (every committed reading of
 * every seed counts once), on a log latency axis with the SLO marked. */
#include <stdlib.h>

#include "analysis/fig_int.h"

int an_fig_latency_cdf(const an_fig_scenario *sc, char *err, size_t errlen) {
    eng_hist *h, *one;
    an_fig f;
    if (an_fig__open_hists(&f, sc, "latency_cdf", &h, &one, err, errlen) != 0) return -1;
    int plotted = 0, rc = 0;
    for (size_t i = 0; i < sc->nrows && rc == 0; i++) {
        const an_table_row *r = &sc->rows[i];
        eng_hist_reset(h);
        for (size_t j = 0; j < r->nruns && rc == 0; j++) {
            rc = an_results_read_hist(r->paths[j], one, err, errlen);
            if (rc == 0) eng_hist_merge(h, one);
        }
        if (rc != 0 || h->n == 0 || h->max <= 0) continue; /* nothing to draw on a log axis */
        an_fig__cdf_curve(&f, h, r->variant, NULL);
        plotted++;
    }
    if (!an_fig__end_hists(&f, h, one, rc, plotted)) return rc;
    double slo = sc->rows[0].runs[0].s.slo_ms;
    fprintf(f.gp, "set logscale x\nset grid\nset key top left\nset yrange [0:1]\nset offsets graph 0.05, "
                  "graph 0.05, 0, 0\n"
                  "set xlabel 'latency, device timestamp to sink (ms, log scale)'\n"
                  "set ylabel 'share of readings at or below'\n");
    if (slo > 0)
        fprintf(f.gp,
                "set arrow from %.10g, graph 0 to %.10g, graph 1 nohead dashtype 2\n"
                "set label 'SLO %g ms' at %.10g, graph 1 center offset 0,0.7\n",
                slo, slo, slo, slo);
    fprintf(f.cap, "Latency CDF per variant: share of readings whose latency (device timestamp to result "
                   "visible at the sink) is at or below x, from the runs' latency histograms (1%% buckets) "
                   "merged over all seeds of a variant.\n");
    an_fig__caption_runs(f.cap, sc, 0);
    return an_fig__render(&f, 900, 560, err, errlen);
}
