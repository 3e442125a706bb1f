/* Figure cost: each variant's cost relative to the baseline variant (mean
 * over seeds, 95% CI error bars, the method as in the table), or in USD when
 * the scenario has no baseline runs. The numbers are the table's. */
#include <math.h>

#include "analysis/fig_int.h"

int an_fig_cost(const an_fig_scenario *sc, char *err, size_t errlen) {
    an_fig f;
    if (an_fig__open(&f, sc, "cost", err, errlen) != 0) return -1;
    int relative = 0;
    for (size_t i = 0; i < sc->nrows; i++) relative |= !isnan(sc->rows[i].stat[AN_M_COST_RATIO].mean);
    an_metric m = relative ? AN_M_COST_RATIO : AN_M_COST_USD;
    an_fig__block(&f, relative ? "cost relative to the baseline" : "cost (USD)");
    fprintf(f.dat, "# index variant mean ci95_half_width seeds\n");
    double top = relative ? 1.0 : 0.0; /* the highest bar or error bar */
    for (size_t i = 0; i < sc->nrows; i++) {
        const an_table_row *r = &sc->rows[i];
        double y = r->stat[m].mean + (isnan(r->stat[m].half) ? 0 : r->stat[m].half);
        if (y > top) top = y;
        fprintf(f.dat, "%zu \"%s\" %.10g %.10g %zu\n", i, r->variant, r->stat[m].mean, r->stat[m].half,
                r->nruns);
    }
    fprintf(f.gp,
            "set grid ytics\nset style fill solid 0.5 border -1\nset boxwidth 0.6\n"
            "set xrange [-0.6:%zu.6]\nset yrange [0:%.10g]\nset xtics rotate by -30\n"
            "set xlabel 'variant'\nset key above\n",
            sc->nrows - 1, top > 0 ? 1.15 * top : 1.0);
    if (relative) {
        char label[128];
        snprintf(label, sizeof label, "cost relative to %s (x)", sc->table->baseline);
        fputs("set ylabel ", f.gp);
        an_fig__quote(f.gp, label);
        fputc('\n', f.gp);
        fprintf(f.plt, "plot $DATA index 0 using 1:3:xtic(2) with boxes title 'mean over seeds', "
                       "'' index 0 using 1:3:4 with yerrorbars pt 7 ps 0.5 lw 2 lc 'black' title '95%% CI', "
                       "1 with lines dashtype 2 lc 'gray' title 'baseline'\n");
    } else {
        fprintf(f.gp, "set ylabel 'cost (USD)'\n");
        fprintf(f.plt,
                "plot $DATA index 0 using 1:3:xtic(2) with boxes title 'mean over seeds', "
                "'' index 0 using 1:3:4 with yerrorbars pt 7 ps 0.5 lw 2 lc 'black' title '95%% CI'\n");
    }
    if (relative)
        fprintf(f.cap,
                "Cost of each variant relative to the baseline variant %s: mean over seeds, error bars "
                "the 95%% confidence interval (per-seed ratios with a Student t interval when the seeds "
                "match the baseline's, else the ratio of means with a delta-method interval; no bar: "
                "one seed).\n",
                sc->table->baseline);
    else
        fprintf(f.cap, "Cost of each variant in USD (no baseline runs in this scenario): mean over seeds, "
                       "error bars the 95%% confidence interval (Student t; no bar: one seed).\n");
    an_fig__caption_runs(f.cap, sc, 0);
    return an_fig__render(&f, 900, 560, err, errlen);
}
