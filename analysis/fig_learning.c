/* Figure learning_curves: how the learning allocators trained — from the
 * learning-curve files `sparkiot train` writes beside each checkpoint
 * (<checkpoint>.curve.h5, one row per episode; docs/rl.md) — the return
 * and the bill of every episode, each with its trailing mean over
 * AN_FIG_LEARNING_MEAN episodes, one colour per file. Written into the
 * figures folder itself: a training run belongs to no result scenario. */
#include <stdlib.h>
#include <string.h>

#include "analysis/ckpt_h5.h"
#include "analysis/fig_int.h"

/* The mean return (or cost) of episodes i - w + 1 .. i (fewer at the start). */
static double trailing_mean(const an_curve_row *rows, size_t i, size_t w, int cost) {
    size_t lo = i + 1 >= w ? i + 1 - w : 0;
    double sum = 0;
    for (size_t j = lo; j <= i; j++) sum += cost ? rows[j].cost_usd : rows[j].ret;
    return sum / (double)(i - lo + 1);
}

/* One block per file: episode, return, its trailing mean, cost, its
 * trailing mean, SLO share. */
static int curve_block(an_fig *f, const char *path, int color, char *err, size_t errlen) {
    an_curve_row *rows;
    size_t n;
    char algo[64] = "", scen[64] = "", title[256];
    if (an_ckpt_h5_read_curve(path, &rows, &n, err, errlen) != 0) return -1;
    if (an_ckpt_h5_read_str(path, "algorithm", algo, sizeof algo, err, errlen) != 0 ||
        an_ckpt_h5_read_str(path, "scenario", scen, sizeof scen, err, errlen) != 0) {
        free(rows);
        return -1;
    }
    snprintf(title, sizeof title, "%s on %s", algo, scen);
    int k = an_fig__block(f, title);
    fprintf(f->dat, "# %s: %zu episodes\n# episode return return_mean%d cost_usd cost_usd_mean%d slo_share\n",
            path, n, AN_FIG_LEARNING_MEAN, AN_FIG_LEARNING_MEAN);
    for (size_t i = 0; i < n; i++)
        fprintf(f->dat, "%u %.10g %.10g %.10g %.10g %.10g\n", rows[i].episode, rows[i].ret,
                trailing_mean(rows, i, AN_FIG_LEARNING_MEAN, 0), rows[i].cost_usd,
                trailing_mean(rows, i, AN_FIG_LEARNING_MEAN, 1), rows[i].slo_share);
    free(rows);
    /* the return panel's curves; the cost panel follows once every block is in */
    fprintf(f->plt,
            "%s $DATA index %d using 1:2 with lines lw 0.5 lc %d notitle, '' index %d using 1:3 with "
            "lines lw 2 lc %d title ",
            k ? "," : "plot", k, color, k, color);
    an_fig__quote(f->plt, title);
    fprintf(f->cap, "- %s: %s\n", title, path);
    return k;
}

int an_fig_learning_curves(const char *const *paths, size_t n, const char *dir, char *err, size_t errlen) {
    if (n == 0) return 0;
    an_fig_scenario sc = {.dir = dir};
    an_fig f;
    if (an_fig__open(&f, &sc, "learning_curves", err, errlen) != 0) return -1;
    fprintf(f.cap,
            "Learning curves: per training episode, the undiscounted return (top; the sum over decisions "
            "of -(reward_cost x cost rate in USD/h + reward_slo x share of readings over the SLO), "
            "docs/rl.md) and the episode's bill in USD (bottom) of each learning allocator, thin lines per "
            "episode, thick lines the trailing "
            "mean over %d episodes. Training files (sparkiot train, <checkpoint>.curve.h5):\n",
            AN_FIG_LEARNING_MEAN);
    fprintf(f.gp, "set multiplot layout 2,1\nset grid\nset key top left\nset xlabel 'training episode'\n");
    fprintf(f.plt, "set ylabel 'return per episode (reward units)'\n");
    for (size_t i = 0; i < n; i++)
        if (curve_block(&f, paths[i], (int)i + 1, err, errlen) < 0) {
            an_fig__discard(&f);
            return -1;
        }
    fprintf(f.plt, "\nset ylabel 'cost per episode (USD)'\n");
    for (size_t i = 0; i < n; i++)
        fprintf(f.plt,
                "%s $DATA index %zu using 1:4 with lines lw 0.5 lc %zu notitle, '' index %zu using 1:5 "
                "with lines lw 2 lc %zu notitle",
                i ? "," : "plot", i, i + 1, i, i + 1);
    fprintf(f.plt, "\nunset multiplot\n");
    return an_fig__render(&f, 900, 800, err, errlen);
}
