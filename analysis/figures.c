/* `sparkiot figures`: from a results folder to the summary table and every
 * figure of every scenario in it. Finds the result files, builds the table
 * (table.c), writes table.md and table.csv, then the figures (fig_*.c) of
 * each scenario into their own folder. */
#include "analysis/figures.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "analysis/files.h"

static int write_table(const an_table *t, const char *out_dir, const char *name,
                       int (*fn)(const an_table *, FILE *), char *err, size_t errlen) {
    char path[4096];
    snprintf(path, sizeof path, "%s/%s", out_dir, name);
    FILE *out = fopen(path, "w");
    if (!out) {
        snprintf(err, errlen, "cannot write %s: %s", path, strerror(errno));
        return -1;
    }
    int rc = fn(t, out);
    if (fclose(out) != 0 || rc != 0) {
        snprintf(err, errlen, "cannot write %s", path);
        return -1;
    }
    return 0;
}

static int scenario_figures(const an_fig_scenario *sc, char *err, size_t errlen) {
    int (*const figs[])(const an_fig_scenario *, char *, size_t) = {
        an_fig_latency_cdf, an_fig_cost, an_fig_executors, an_fig_slo, an_fig_pareto};
    if (an_files__mkdirs(sc->dir, err, errlen) != 0) return -1;
    for (size_t i = 0; i < sizeof figs / sizeof figs[0]; i++)
        if (figs[i](sc, err, errlen) != 0) return -1;
    return 0;
}

int an_figures_write(const char *results_dir, const char *out_dir, const char *baseline, char *err,
                     size_t errlen) {
    char **paths;
    size_t n;
    if (an_results_find(results_dir, &paths, &n, err, errlen) != 0) return -1;
    if (n == 0) {
        snprintf(err, errlen, "no result files (*.h5) under %s", results_dir);
        an_results_paths_free(paths, n);
        return -1;
    }
    an_table *t;
    int rc = an_table_build((const char *const *)paths, n, baseline, &t, err, errlen);
    an_results_paths_free(paths, n);
    if (rc != 0) return -1;
    rc = an_files__mkdirs(out_dir, err, errlen);
    if (rc == 0) rc = write_table(t, out_dir, "table.md", an_table_write_md, err, errlen);
    if (rc == 0) rc = write_table(t, out_dir, "table.csv", an_table_write_csv, err, errlen);
    for (size_t i = 0; i < t->nrows && rc == 0;) {
        size_t j = i + 1;
        while (j < t->nrows && !strcmp(t->rows[j].scenario, t->rows[i].scenario)) j++;
        char dir[4096];
        snprintf(dir, sizeof dir, "%s/%s", out_dir, t->rows[i].scenario);
        an_fig_scenario sc = {t, &t->rows[i], j - i, dir};
        rc = scenario_figures(&sc, err, errlen);
        i = j;
    }
    an_table_free(t);
    return rc;
}
