/* `sparkiot figures`: from a results folder to the summary table and every
 * figure of every scenario in it. Finds the HDF5 files and sorts out the
 * training files of `sparkiot train` (learning curves are drawn, checkpoints
 * ignored), builds the table of the result files (table.c), writes table.md
 * and table.csv, then the figures (fig_*.c) of each scenario into their own
 * folder. */
#include "analysis/figures.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "analysis/ckpt_h5.h"
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
        an_fig_latency_cdf, an_fig_cost,     an_fig_executors,     an_fig_slo,
        an_fig_pareto,      an_fig_sync_cdf, an_fig_shuffle_tiers, an_fig_detection};
    if (an_files__mkdirs(sc->dir, err, errlen) != 0) return -1;
    for (size_t i = 0; i < sizeof figs / sizeof figs[0]; i++)
        if (figs[i](sc, err, errlen) != 0) return -1;
    return 0;
}

/* A learning curve of `sparkiot train`: <checkpoint>.curve.h5. */
static int is_curve(const char *path) {
    size_t n = strlen(path);
    return n >= 9 && !strcmp(path + n - 9, ".curve.h5");
}

/* A checkpoint: it lists its arrays (analysis/ckpt_h5.h). */
static int is_checkpoint(const char *path) {
    char names[8], why[256];
    return an_ckpt_h5_read_str(path, "arrays", names, sizeof names, why, sizeof why) == 0;
}

/* Reorders paths[0, n): *nres result files (and unreadable files, which
 * the table notes) first, then *ncurves learning curves; checkpoints are
 * freed and dropped. Both groups keep their order. */
static int sort_out(char **paths, size_t n, size_t *nres, size_t *ncurves, char *err, size_t errlen) {
    char **curves = malloc((n ? n : 1) * sizeof *curves);
    if (!curves) {
        snprintf(err, errlen, "out of memory sorting the result files");
        return -1;
    }
    size_t r = 0, c = 0;
    for (size_t i = 0; i < n; i++) {
        if (is_curve(paths[i]))
            curves[c++] = paths[i];
        else if (is_checkpoint(paths[i]))
            free(paths[i]);
        else
            paths[r++] = paths[i];
    }
    if (c) memcpy(paths + r, curves, c * sizeof *curves);
    free(curves);
    *nres = r;
    *ncurves = c;
    return 0;
}

int an_figures_write(const char *results_dir, const char *out_dir, const char *baseline, char *err,
                     size_t errlen) {
    char **paths;
    size_t n, nres = 0, ncurves = 0;
    if (an_results_find(results_dir, &paths, &n, err, errlen) != 0) return -1;
    int rc = sort_out(paths, n, &nres, &ncurves, err, errlen);
    if (rc != 0) nres = n;
    if (rc == 0 && nres + ncurves == 0) {
        snprintf(err, errlen, "no result files (*.h5) under %s", results_dir);
        rc = -1;
    }
    if (rc == 0) rc = an_files__mkdirs(out_dir, err, errlen);
    if (rc == 0)
        rc = an_fig_learning_curves((const char *const *)paths + nres, ncurves, out_dir, err, errlen);
    an_table *t = NULL;
    if (rc == 0 && nres) rc = an_table_build((const char *const *)paths, nres, baseline, &t, err, errlen);
    an_results_paths_free(paths, nres + ncurves);
    if (rc != 0 || !t) return rc;
    rc = write_table(t, out_dir, "table.md", an_table_write_md, err, errlen);
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
