/* Figure sync_cdf: edge-cloud state sync visibility latency per variant —
 * from an update applied at one replica until the other has merged it —
 * from the runs' sync histograms (edge -> cloud and cloud -> edge together)
 * merged over seeds, on a log axis. The one-way link latency, the physical
 * floor of every visibility latency, is marked when the variants share it
 * and listed per variant in the caption. Scenarios without sync have no
 * such figure. */
#include <math.h>
#include <stdlib.h>

#include "analysis/fig_int.h"

/* Adds both directions of every run of r that synced into h. */
static int merge_row(const an_table_row *r, eng_hist *h, eng_hist *one, char *err, size_t errlen) {
    eng_hist_reset(h);
    for (size_t j = 0; j < r->nruns; j++)
        for (int down = 0; down < 2 && r->runs[j].s.sync_updates > 0; down++) {
            if (an_results_read_sync_hist(r->paths[j], down, one, err, errlen) != 0) return -1;
            eng_hist_merge(h, one);
        }
    return 0;
}

int an_fig_sync_cdf(const an_fig_scenario *sc, char *err, size_t errlen) {
    eng_hist *h, *one;
    an_fig f;
    if (an_fig__open_hists(&f, sc, "sync_cdf", &h, &one, err, errlen) != 0) return -1;
    int plotted = 0, rc = 0;
    double floor_ms = NAN; /* the variants' common one-way latency, or NaN when they differ */
    for (size_t i = 0; i < sc->nrows && rc == 0; i++) {
        const an_table_row *r = &sc->rows[i];
        rc = merge_row(r, h, one, err, errlen);
        if (rc != 0 || h->n == 0 || h->max <= 0) continue;
        double link = r->runs[0].s.link_one_way_ms;
        floor_ms = plotted == 0 || floor_ms == link ? link : NAN;
        char note[128];
        snprintf(note, sizeof note, "%llu updates; one-way link latency %g ms", (unsigned long long)h->n,
                 link);
        an_fig__cdf_curve(&f, h, r->variant, note);
        plotted++;
    }
    if (!an_fig__end_hists(&f, h, one, rc, plotted)) return rc;
    fprintf(f.gp, "set logscale x\nset grid\nset key outside right top\nset yrange [0:1]\n"
                  "set offsets graph 0.05, graph 0.05, 0, 0\n"
                  "set xlabel 'sync visibility latency, update applied to merged at the other replica "
                  "(ms, log scale)'\nset ylabel 'share of updates at or below'\n");
    if (floor_ms > 0)
        fprintf(f.gp,
                "set arrow from %.10g, graph 0 to %.10g, graph 1 nohead dashtype 2\n"
                "set label 'one-way link %g ms' at %.10g, graph 1 center offset 0,0.7\n",
                floor_ms, floor_ms, floor_ms, floor_ms);
    fprintf(f.cap, "Edge-cloud sync visibility latency CDF per variant: share of synced updates (edge to "
                   "cloud and cloud to edge together) visible at the other replica within x, from the runs' "
                   "sync histograms (1%% buckets) merged over all seeds of a variant.");
    if (floor_ms > 0)
        fprintf(f.cap, " Dashed: the one-way link latency (%g ms), the floor of any visibility latency.",
                floor_ms);
    fprintf(f.cap, "\nOne-way link latency per variant (ms):");
    for (size_t i = 0; i < sc->nrows; i++)
        fprintf(f.cap, "%s %s %g", i ? ";" : "", sc->rows[i].variant, sc->rows[i].runs[0].s.link_one_way_ms);
    fprintf(f.cap, ".\n");
    an_fig__caption_runs(f.cap, sc, 0);
    return an_fig__render(&f, 1100, 600, err, errlen);
}
