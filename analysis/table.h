/* Summary tables over seeds: the result files of a sweep, grouped by
 * (scenario, variant), each metric as a mean with a 95% confidence interval
 * over seeds, and cost relative to a named baseline variant. Written as
 * Markdown (papers, READMEs) and CSV (further analysis); the figures reuse
 * the same table. Method in docs/figures.md. */
#ifndef AN_TABLE_H
#define AN_TABLE_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "analysis/results.h"

/* A mean over seeds and the half-width of its 95% confidence interval
 * (Student t). half is NaN when it cannot be estimated (one seed); mean is
 * NaN when there is no value at all (e.g. no baseline to divide by). */
typedef struct an_stat {
    size_t n;
    double mean, half;
} an_stat;

/* The columns of the table, in order. */
typedef enum an_metric {
    AN_M_COST_USD,
    AN_M_COST_RATIO, /* cost / the baseline variant's cost, same scenario */
    AN_M_LAT_P50_MS,
    AN_M_LAT_P95_MS,
    AN_M_LAT_P99_MS,
    AN_M_SLO_SHARE,
    AN_M_EXEC_HOURS,
    /* optional: only runs that hold them count (n may be below the seeds);
     * Markdown shows them for a scenario where some run has them */
    AN_M_SYNC_P50_MS, /* edge sync visibility latency (runs with sync) */
    AN_M_SYNC_P99_MS,
    AN_M_DETECT_F1, /* edge anomaly detection (runs that scored labelled readings) */
    AN_M_DETECT_NAB,
    AN_M_PREFETCH_HIT, /* edge reads of cloud state served by the cache (runs with prefetch) */
    AN_M_PREFETCH_P99_MS,
    AN_M_PRIV_P99_MS,   /* window end -> totals known to the key holder (runs with privacy) */
    AN_M_PRIV_SUM_ERR,  /* relative error of the released sums (differential privacy) */
    AN_M_FL_F1,         /* the federated detector (runs with federated learning) */
    AN_M_FL_CENTRAL_F1, /* one model trained on the pooled data, same windows */
    AN_M_COUNT
} an_metric;

/* How the cost ratio's interval was obtained. */
typedef enum an_ratio_method {
    AN_RATIO_NONE,   /* no baseline run in this scenario, or a zero baseline cost */
    AN_RATIO_PAIRED, /* same seeds as the baseline: t interval of per-seed ratios */
    AN_RATIO_DELTA   /* different seeds: ratio of means, delta method, Welch df */
} an_ratio_method;

typedef struct an_table_row {
    char scenario[64], variant[64];
    size_t nruns;
    an_run_summary *runs; /* sorted by seed */
    char **paths;         /* the result file of each run */
    an_stat stat[AN_M_COUNT];
    an_ratio_method ratio_method;
} an_table_row;

typedef struct an_table {
    char baseline[64];  /* "" when none was named */
    an_table_row *rows; /* by scenario name, then the baseline, then variant name */
    size_t nrows;
    char **notes; /* files skipped and why, scenarios without the baseline */
    size_t nnotes;
} an_table;

/* Column titles: Markdown (with the unit) and CSV (snake case). */
const char *an_table_metric_title(an_metric m);
const char *an_table_metric_key(an_metric m);
/* 1 if run s holds metric m (always, but for the optional ones). */
int an_table_metric_present(an_metric m, const an_run_summary *s);

/* Reads the n result files and builds *out (free with an_table_free).
 * Unreadable files are skipped and listed in notes. baseline may be NULL.
 * Fails with -1 and a message when no file could be read, or when two files
 * of the same scenario name were run from different scenario texts (both
 * named in the message). */
int an_table_build(const char *const *paths, size_t n, const char *baseline, an_table **out, char *err,
                   size_t errlen);
void an_table_free(an_table *t);

/* One Markdown table per scenario with its notes; CSV with one row per
 * (scenario, variant) and "NA" for intervals that cannot be estimated.
 * Return 0, or -1 when writing fails. */
int an_table_write_md(const an_table *t, FILE *out);
int an_table_write_csv(const an_table *t, FILE *out);

#endif
