/* Figure executors: what the allocator did, one panel per variant for the
 * lowest seed: ready, pending and target executors (left axis) and the
 * input rate reaching the bus (right axis) over the run. */
#include <math.h>

#include "analysis/fig_int.h"

int an_fig_executors(const an_fig_scenario *sc, char *err, size_t errlen) {
    an_fig f;
    an_fig_series *s;
    double unit;
    const char *uname;
    if (an_fig__open_series(&f, sc, "executors", &s, &unit, &uname, err, errlen) != 0) return -1;
    int panels = 0;
    for (size_t i = 0; i < sc->nrows; i++) panels += s[i].n > 0;
    fprintf(
        f.gp,
        "set multiplot layout %d,1\nset grid\nset key top left horizontal\nset y2tics\nset ytics nomirror\n"
        "set xrange [0:*]\n"
        "set ylabel 'executors'\nset y2label 'input (readings/s)'\n",
        panels ? panels : 1);
    for (size_t i = 0; i < sc->nrows; i++) {
        const an_table_row *r = &sc->rows[i];
        if (!s[i].n) continue;
        char title[128];
        snprintf(title, sizeof title, "%s (seed %llu)", r->variant, (unsigned long long)r->runs[0].seed);
        int k = an_fig__block(&f, title);
        fprintf(f.dat, "# time_%s ready pending target input_readings_per_s\n", uname);
        rt_time_t prev = 0;
        double top = 1, top_rate = 1; /* the panel's highest executor count and input rate */
        for (size_t j = 0; j < s[i].n; j++) {
            const eng_sample *x = &s[i].rows[j];
            double dt = rt_to_s(x->t - prev), rate = dt > 0 ? (double)x->in / dt : 0.0;
            prev = x->t;
            fprintf(f.dat, "%.10g %u %u %u %.10g\n", rt_to_s(x->t) / unit, x->ready, x->pending, x->target,
                    rate);
            top = fmax(top, fmax(x->ready, fmax(x->pending, x->target)));
            top_rate = fmax(top_rate, rate);
        }
        /* headroom above the data for the key */
        fprintf(f.plt, "set yrange [0:%.10g]\nset y2range [0:%.10g]\n", 1.3 * top, 1.3 * top_rate);
        fprintf(f.plt, "set title ");
        an_fig__quote(f.plt, title);
        fprintf(f.plt, "\nset xlabel 'time (%s)'\n", uname);
        fprintf(f.plt,
                "plot $DATA index %d using 1:2 with steps lw 2 title 'ready', "
                "'' index %d using 1:3 with steps lw 2 title 'pending', "
                "'' index %d using 1:4 with steps dashtype 2 lw 2 title 'target', "
                "'' index %d using 1:5 axes x1y2 with lines lc 'gray' title 'input rate'\n",
                k, k, k, k);
    }
    fprintf(f.plt, "unset multiplot\n");
    an_fig__free_series(s, sc->nrows);
    if (!panels) {
        an_fig__discard(&f);
        return 0;
    }
    fprintf(f.cap,
            "Executors over time per variant: ready (usable), pending (requested, starting up) and the "
            "allocator's target (left axis), and the input rate produced to the bus in each sampling "
            "interval (right axis, readings/s); time in %s from the start of the run.\n",
            uname);
    an_fig__caption_runs(f.cap, sc, 1);
    return an_fig__render(&f, 900, 80 + 220 * panels, err, errlen);
}
