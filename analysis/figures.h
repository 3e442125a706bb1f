/* Figures from result files: gnuplot through a pipe renders each figure as
 * PNG and PDF, beside the plotted numbers (<fig>.dat) and a caption
 * (<fig>.txt) naming the scenario, result files, seeds and baseline. Called
 * by `sparkiot figures` and `sparkiot paper`; file list in docs/figures.md. */
#ifndef AN_FIGURES_H
#define AN_FIGURES_H

#include <stddef.h>

#include "analysis/table.h"

/* Finds every result file under results_dir, writes table.md and table.csv
 * into out_dir and, per scenario, the figures into out_dir/<scenario>/.
 * baseline names the variant costs are divided by (NULL: none). Returns 0,
 * or -1 with a message (unreadable folder, no result files, mixed scenario
 * versions, gnuplot missing or failing). */
int an_figures_write(const char *results_dir, const char *out_dir, const char *baseline, char *err,
                     size_t errlen);

/* One scenario's rows of a table and the folder its figures go into. */
typedef struct an_fig_scenario {
    const an_table *table;
    const an_table_row *rows; /* the baseline first, see an_table */
    size_t nrows;
    const char *dir;
} an_fig_scenario;

/* Each writes <dir>/<name>.{png,pdf,dat,txt}; 0, or -1 with a message. A
 * figure whose runs hold no data for it (no latencies, no time series) is
 * not written and is not an error. */
int an_fig_latency_cdf(const an_fig_scenario *sc, char *err, size_t errlen); /* latency_cdf */
int an_fig_cost(const an_fig_scenario *sc, char *err, size_t errlen);        /* cost */
int an_fig_executors(const an_fig_scenario *sc, char *err, size_t errlen);   /* executors */
int an_fig_slo(const an_fig_scenario *sc, char *err, size_t errlen);         /* slo_violations */
int an_fig_pareto(const an_fig_scenario *sc, char *err, size_t errlen);      /* pareto (fig_pareto.c) */
int an_fig_sync_cdf(const an_fig_scenario *sc, char *err, size_t errlen);    /* sync_cdf (runs with sync) */
/* shuffle_tiers (scenarios where some run used a tier other than memory) */
int an_fig_shuffle_tiers(const an_fig_scenario *sc, char *err, size_t errlen);
/* detection (scenarios whose edges scored a detector against labels) */
int an_fig_detection(const an_fig_scenario *sc, char *err, size_t errlen);

/* learning_curves: <dir>/learning_curves.{png,pdf,dat,txt} from the n
 * learning-curve files (<checkpoint>.curve.h5) of `sparkiot train`;
 * nothing when n is 0. 0, or -1 with a message naming the file. */
#define AN_FIG_LEARNING_MEAN 10 /* episodes in the curves' trailing mean */
int an_fig_learning_curves(const char *const *paths, size_t n, const char *dir, char *err, size_t errlen);

#endif
