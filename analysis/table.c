/* Building the summary table: reads result files, groups runs by (scenario,
 * variant), refuses to mix runs of different scenario texts, and computes
 * each metric's mean and 95% confidence interval over seeds, plus the cost
 * ratio to the baseline variant (paired per seed when the seeds match, else
 * the delta method). Writing it out is table_write.c. */
#include "analysis/table.h"

#include <gsl/gsl_cdf.h>
#include <math.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

static int has_sync(const eng_summary *s) { return s->sync_updates > 0; }
static int has_labels(const eng_summary *s) { return s->detect_tp + s->detect_fn > 0; }
static int has_prefetch(const eng_summary *s) { return s->prefetch_reads > 0; }
static int has_privacy(const eng_summary *s) { return s->privacy_releases > 0; }
static int has_fl(const eng_summary *s) { return s->fl_rounds > 0; }

static const struct {
    const char *title, *key;
    size_t offset;                       /* in eng_summary; the ratio is computed, not read */
    int (*present)(const eng_summary *); /* NULL: every run has it */
} metrics[AN_M_COUNT] = {
    [AN_M_COST_USD] = {"cost (USD)", "cost_usd", offsetof(eng_summary, cost_usd)},
    [AN_M_COST_RATIO] = {"cost × baseline", "cost_x_baseline", 0},
    [AN_M_LAT_P50_MS] = {"p50 (ms)", "latency_p50_ms", offsetof(eng_summary, latency_p50_ms)},
    [AN_M_LAT_P95_MS] = {"p95 (ms)", "latency_p95_ms", offsetof(eng_summary, latency_p95_ms)},
    [AN_M_LAT_P99_MS] = {"p99 (ms)", "latency_p99_ms", offsetof(eng_summary, latency_p99_ms)},
    [AN_M_SLO_SHARE] = {"share over SLO", "slo_violation_share", offsetof(eng_summary, slo_violation_share)},
    [AN_M_EXEC_HOURS] = {"executor-hours", "executor_hours", offsetof(eng_summary, executor_hours)},
    [AN_M_SYNC_P50_MS] = {"sync p50 (ms)", "sync_p50_ms", offsetof(eng_summary, sync_p50_ms), has_sync},
    [AN_M_SYNC_P99_MS] = {"sync p99 (ms)", "sync_p99_ms", offsetof(eng_summary, sync_p99_ms), has_sync},
    [AN_M_DETECT_F1] = {"detection F1", "detect_f1", offsetof(eng_summary, detect_f1), has_labels},
    [AN_M_DETECT_NAB] = {"NAB score", "detect_nab_score", offsetof(eng_summary, detect_nab_score),
                         has_labels},
    [AN_M_PREFETCH_HIT] = {"prefetch hit rate", "prefetch_hit_rate", offsetof(eng_summary, prefetch_hit_rate),
                           has_prefetch},
    [AN_M_PREFETCH_P99_MS] = {"edge read p99 (ms)", "prefetch_read_p99_ms",
                              offsetof(eng_summary, prefetch_read_p99_ms), has_prefetch},
    [AN_M_PRIV_P99_MS] = {"totals p99 (ms)", "privacy_latency_p99_ms",
                          offsetof(eng_summary, privacy_latency_p99_ms), has_privacy},
    [AN_M_PRIV_SUM_ERR] = {"sum rel. error", "privacy_sum_rel_err",
                           offsetof(eng_summary, privacy_sum_rel_err), has_privacy},
    [AN_M_FL_F1] = {"federated F1", "fl_f1", offsetof(eng_summary, fl_f1), has_fl},
    [AN_M_FL_CENTRAL_F1] = {"centralised F1", "fl_central_f1", offsetof(eng_summary, fl_central_f1), has_fl},
};

const char *an_table_metric_title(an_metric m) { return metrics[m].title; }
const char *an_table_metric_key(an_metric m) { return metrics[m].key; }
int an_table_metric_present(an_metric m, const an_run_summary *s) {
    return !metrics[m].present || metrics[m].present(&s->s);
}

/* Mean, sample variance and the 95% t half-width of x[0..n). */
static an_stat stat_of(const double *x, size_t n, double *var) {
    an_stat s = {n, NAN, NAN};
    *var = NAN;
    if (n == 0) return s;
    double sum = 0;
    for (size_t i = 0; i < n; i++) sum += x[i];
    s.mean = sum / (double)n;
    if (n < 2) return s;
    double ss = 0;
    for (size_t i = 0; i < n; i++) ss += (x[i] - s.mean) * (x[i] - s.mean);
    *var = ss / (double)(n - 1);
    s.half = gsl_cdf_tdist_Pinv(0.975, (double)(n - 1)) * sqrt(*var / (double)n);
    return s;
}

static int note(an_table *t, const char *fmt, ...) {
    char buf[1024];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(buf, sizeof buf, fmt, ap);
    va_end(ap);
    char **v = realloc(t->notes, (t->nnotes + 1) * sizeof *v);
    if (!v) return -1;
    t->notes = v;
    if (!(v[t->nnotes] = strdup(buf))) return -1;
    t->nnotes++;
    return 0;
}

static an_table_row *row_for(an_table *t, const an_run_summary *s) {
    for (size_t i = 0; i < t->nrows; i++)
        if (!strcmp(t->rows[i].scenario, s->scenario) && !strcmp(t->rows[i].variant, s->variant))
            return &t->rows[i];
    an_table_row *rows = realloc(t->rows, (t->nrows + 1) * sizeof *rows);
    if (!rows) return NULL;
    t->rows = rows;
    an_table_row *r = &rows[t->nrows++];
    memset(r, 0, sizeof *r);
    snprintf(r->scenario, sizeof r->scenario, "%s", s->scenario);
    snprintf(r->variant, sizeof r->variant, "%s", s->variant);
    return r;
}

/* Adds run s of file path; 1 if it was skipped as a duplicate seed. */
static int add_run(an_table *t, const an_run_summary *s, const char *path) {
    an_table_row *r = row_for(t, s);
    if (!r) return -1;
    for (size_t i = 0; i < r->nruns; i++)
        if (r->runs[i].seed == s->seed)
            return note(t, "%s skipped: seed %llu of %s/%s is already in %s", path,
                        (unsigned long long)s->seed, s->scenario, s->variant, r->paths[i])
                       ? -1
                       : 1;
    an_run_summary *runs = realloc(r->runs, (r->nruns + 1) * sizeof *runs);
    if (!runs) return -1;
    r->runs = runs;
    char **paths = realloc(r->paths, (r->nruns + 1) * sizeof *paths);
    if (!paths) return -1;
    r->paths = paths;
    if (!(paths[r->nruns] = strdup(path))) return -1;
    runs[r->nruns++] = *s;
    return 0;
}

/* The first row of `scenario` whose runs carry a scenario_sha256 other than
 * that of run s, or NULL. */
static const an_table_row *sha_clash(const an_table *t, const an_run_summary *s, size_t *which) {
    for (size_t i = 0; i < t->nrows; i++) {
        const an_table_row *r = &t->rows[i];
        if (strcmp(r->scenario, s->scenario) != 0 || !r->nruns) continue;
        for (*which = 0; *which < r->nruns; (*which)++)
            if (strcmp(r->runs[*which].scenario_sha256, s->scenario_sha256) != 0) return r;
    }
    return NULL;
}

/* Sorts a row's runs (and their paths) by seed. */
static void sort_runs(an_table_row *r) {
    for (size_t i = 1; i < r->nruns; i++)
        for (size_t j = i; j > 0 && r->runs[j - 1].seed > r->runs[j].seed; j--) {
            an_run_summary s = r->runs[j];
            r->runs[j] = r->runs[j - 1];
            r->runs[j - 1] = s;
            char *p = r->paths[j];
            r->paths[j] = r->paths[j - 1];
            r->paths[j - 1] = p;
        }
}

/* Orders rows by scenario, then the baseline variant, then variant name. */
static int row_before(const an_table_row *x, const an_table_row *y, const char *baseline) {
    int c = strcmp(x->scenario, y->scenario);
    if (c) return c < 0;
    int bx = !strcmp(x->variant, baseline), by = !strcmp(y->variant, baseline);
    if (bx != by) return bx;
    return strcmp(x->variant, y->variant) < 0;
}

static void sort_rows(an_table *t) {
    for (size_t i = 1; i < t->nrows; i++)
        for (size_t j = i; j > 0 && row_before(&t->rows[j], &t->rows[j - 1], t->baseline); j--) {
            an_table_row r = t->rows[j];
            t->rows[j] = t->rows[j - 1];
            t->rows[j - 1] = r;
        }
}

static double metric_of(const an_run_summary *s, an_metric m) {
    double v;
    memcpy(&v, (const char *)&s->s + metrics[m].offset, sizeof v);
    return v;
}

static int same_seeds(const an_table_row *a, const an_table_row *b) {
    if (a->nruns != b->nruns) return 0;
    for (size_t i = 0; i < a->nruns; i++)
        if (a->runs[i].seed != b->runs[i].seed) return 0;
    return 1;
}

/* The values of metric m of the runs of r that hold it; returns how many. */
static size_t values_of(const an_table_row *r, an_metric m, double *x) {
    size_t n = 0;
    for (size_t i = 0; i < r->nruns; i++)
        if (an_table_metric_present(m, &r->runs[i])) x[n++] = metric_of(&r->runs[i], m);
    return n;
}

/* The cost ratio of row r to row b (its scenario's baseline); x and y are
 * scratch arrays of at least r->nruns and b->nruns values. */
static void cost_ratio(an_table_row *r, const an_table_row *b, double *x, double *y) {
    an_stat *out = &r->stat[AN_M_COST_RATIO];
    double var_r, var_b;
    if (same_seeds(r, b)) {
        for (size_t i = 0; i < r->nruns; i++) {
            double base = b->runs[i].s.cost_usd;
            if (base == 0) return;
            x[i] = r->runs[i].s.cost_usd / base;
        }
        *out = stat_of(x, r->nruns, &var_r);
        r->ratio_method = AN_RATIO_PAIRED;
        return;
    }
    values_of(r, AN_M_COST_USD, x);
    values_of(b, AN_M_COST_USD, y);
    an_stat sr = stat_of(x, r->nruns, &var_r), sb = stat_of(y, b->nruns, &var_b);
    if (sb.mean == 0) return;
    double ratio = sr.mean / sb.mean;
    *out = (an_stat){r->nruns, ratio, NAN};
    r->ratio_method = AN_RATIO_DELTA;
    if (r->nruns < 2 || b->nruns < 2) return;
    /* Var(R) ~ R^2 (Var(m_r) / m_r^2 + Var(m_b) / m_b^2), Var(m) = s^2 / n;
     * Welch-Satterthwaite degrees of freedom for the t quantile. */
    double vr = sr.mean == 0 ? 0 : ratio * ratio * var_r / (double)r->nruns / (sr.mean * sr.mean);
    double vb = ratio * ratio * var_b / (double)b->nruns / (sb.mean * sb.mean);
    double v = vr + vb;
    if (v == 0) {
        out->half = 0;
        return;
    }
    double df = v * v / (vr * vr / (double)(r->nruns - 1) + vb * vb / (double)(b->nruns - 1));
    out->half = gsl_cdf_tdist_Pinv(0.975, df) * sqrt(v);
}

static const an_table_row *baseline_of(const an_table *t, const char *scenario) {
    for (size_t i = 0; i < t->nrows; i++)
        if (!strcmp(t->rows[i].scenario, scenario) && !strcmp(t->rows[i].variant, t->baseline))
            return &t->rows[i];
    return NULL;
}

static int compute(an_table *t) {
    size_t most = 0;
    for (size_t i = 0; i < t->nrows; i++)
        if (t->rows[i].nruns > most) most = t->rows[i].nruns;
    double *x = malloc(2 * most * sizeof *x);
    if (!x) return -1;
    for (size_t i = 0; i < t->nrows; i++) {
        an_table_row *r = &t->rows[i];
        sort_runs(r);
        double var;
        for (int m = 0; m < AN_M_COUNT; m++) {
            if (m == AN_M_COST_RATIO) continue;
            r->stat[m] = stat_of(x, values_of(r, (an_metric)m, x), &var);
        }
    }
    int rc = 0;
    for (size_t i = 0; i < t->nrows && rc == 0; i++) {
        an_table_row *r = &t->rows[i];
        r->stat[AN_M_COST_RATIO] = (an_stat){r->nruns, NAN, NAN};
        const an_table_row *b = t->baseline[0] ? baseline_of(t, r->scenario) : NULL;
        if (b) cost_ratio(r, b, x, x + most);
        if (b && r->ratio_method == AN_RATIO_NONE)
            rc = note(t, "%s/%s: cost × baseline is n/a: a baseline run cost 0 USD", r->scenario, r->variant);
        int first_of_scenario = i == 0 || strcmp(t->rows[i - 1].scenario, r->scenario) != 0;
        if (!b && t->baseline[0] && first_of_scenario)
            rc = note(t, "%s: no runs of the baseline variant '%s'; cost × baseline is n/a", r->scenario,
                      t->baseline);
    }
    free(x);
    return rc;
}

int an_table_build(const char *const *paths, size_t n, const char *baseline, an_table **out, char *err,
                   size_t errlen) {
    an_table *t = calloc(1, sizeof *t);
    if (!t) goto oom;
    snprintf(t->baseline, sizeof t->baseline, "%s", baseline ? baseline : "");
    size_t read = 0;
    for (size_t i = 0; i < n; i++) {
        an_run_summary s;
        char why[1024];
        if (an_results_read_summary(paths[i], &s, why, sizeof why) != 0) {
            if (note(t, "skipped: %s", why) != 0) goto oom;
            continue;
        }
        size_t k;
        const an_table_row *clash = sha_clash(t, &s, &k);
        if (clash) {
            snprintf(err, errlen,
                     "scenario %s: %s and %s were run from different scenario texts (sha256 %.12s... and "
                     "%.12s...); compare them in separate result folders",
                     s.scenario, clash->paths[k], paths[i], clash->runs[k].scenario_sha256,
                     s.scenario_sha256);
            an_table_free(t);
            return -1;
        }
        int rc = add_run(t, &s, paths[i]);
        if (rc < 0) goto oom;
        if (rc == 0) read++;
    }
    if (read == 0) {
        snprintf(err, errlen, "no readable result files among %zu%s%s", n,
                 t->nnotes ? "; first problem: " : "", t->nnotes ? t->notes[0] : "");
        an_table_free(t);
        return -1;
    }
    sort_rows(t);
    if (compute(t) != 0) goto oom;
    *out = t;
    return 0;
oom:
    snprintf(err, errlen, "out of memory building the table");
    an_table_free(t);
    return -1;
}

void an_table_free(an_table *t) {
    if (!t) return;
    for (size_t i = 0; i < t->nrows; i++) {
        for (size_t j = 0; j < t->rows[i].nruns; j++) free(t->rows[i].paths[j]);
        free(t->rows[i].paths);
        free(t->rows[i].runs);
    }
    free(t->rows);
    for (size_t i = 0; i < t->nnotes; i++) free(t->notes[i]);
    free(t->notes);
    free(t);
}
