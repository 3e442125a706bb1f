/* Figure detection: how well the edges' anomaly detector found the labelled
 * readings (docs/traces.md, "Scoring a detector"), per variant: record-level
 * F1 (left) and NAB's normalised window score (right; 100 perfect, 0 a
 * detector that never fires), means over seeds with 95% CI error bars —
 * the table's numbers. Drawn for scenarios whose runs scored labelled
 * readings. */
#include <math.h>

#include "analysis/fig_int.h"

static void panel(an_fig *f, int block, const char *ylabel, const char *yrange) {
    fprintf(f->plt, "set ylabel '%s'\nset yrange %s\n", ylabel, yrange);
    fprintf(f->plt,
            "plot $DATA index %d using 1:3:xtic(2) with boxes title 'mean over seeds', '' index %d using "
            "1:3:4 with yerrorbars pt 7 ps 0.5 lw 2 lc 'black' title '95%% CI'\n",
            block, block);
}

int an_fig_detection(const an_fig_scenario *sc, char *err, size_t errlen) {
    int present = 0;
    for (size_t i = 0; i < sc->nrows; i++) present |= sc->rows[i].stat[AN_M_DETECT_F1].n > 0;
    if (!present) return 0;
    an_fig f;
    if (an_fig__open(&f, sc, "detection", err, errlen) != 0) return -1;
    const an_metric m[2] = {AN_M_DETECT_F1, AN_M_DETECT_NAB};
    for (int p = 0; p < 2; p++) {
        an_fig__block(&f, p ? "NAB score (standard profile, normalised)" : "F1 (record level)");
        fprintf(f.dat, "# index variant mean ci95_half_width seeds_with_labels\n");
        for (size_t i = 0; i < sc->nrows; i++) {
            const an_stat *s = &sc->rows[i].stat[m[p]];
            fprintf(f.dat, "%zu \"%s\" %.10g %.10g %zu\n", i, sc->rows[i].variant, s->mean, s->half, s->n);
        }
    }
    fprintf(f.gp,
            "set multiplot layout 1,2\nset grid ytics\nset style fill solid 0.5 border -1\nset boxwidth 0.6\n"
            "set xrange [-0.6:%zu.6]\nset xtics rotate by -30\nset xlabel 'variant'\nset key above\n",
            sc->nrows - 1);
    panel(&f, 0, "F1, readings flagged vs labelled", "[0:1]");
    panel(&f, 1, "NAB score (100 perfect, 0 never fires)", "[*:100]");
    fprintf(f.plt, "unset multiplot\n");
    fprintf(f.cap, "Edge anomaly detection per variant, scored against the readings' ground-truth labels: "
                   "record-level F1 (left) and the NAB window score, standard profile, normalised so that "
                   "a perfect detector scores 100 and one that never fires 0 (right); means over the seeds "
                   "that scored labelled readings, error bars the 95%% confidence interval (Student t; no "
                   "bar: one seed).\n");
    an_fig__caption_runs(f.cap, sc, 0);
    return an_fig__render(&f, 1100, 520, err, errlen);
}
