/* Summary tables: means and 95% confidence intervals over seeds checked
 * against hand computations with published Student t quantiles
 * (t(0.975, 1) = 12.706205, t(0.975, 2) = 4.302653), paired and delta-method
 * cost ratios, one-seed rows, refusal to mix scenario versions, skipped
 * files, and the Markdown and CSV forms. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>

#include <cmocka.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "analysis/table.h"
#include "fixture.h"

static char dir[256];

static void near(double got, double want, double tol) {
    if (!(fabs(got - want) <= tol)) fail_msg("got %.10g, want %.10g (+- %g)", got, want, tol);
}

/* s1: static-peak (the baseline) costs 2, 4, 6 and hpa 1, 2, 3 on seeds
 * 1..3, oracle 0.5 on seed 1 only; s2: static-peak 4, 4, 4 on seeds 1..3
 * and dqn 1, 3 on seeds 7, 8. */
static int setup(void **state) {
    fx_tmpdir(dir, sizeof dir);
    for (int s = 1; s <= 3; s++) {
        fx_write_run(dir, "s1", "static-peak", (uint64_t)s, 2.0 * s, "s1 text");
        fx_write_run(dir, "s1", "hpa", (uint64_t)s, 1.0 * s, "s1 text");
        fx_write_run(dir, "s2", "static-peak", (uint64_t)s, 4.0, "s2 text");
    }
    fx_write_run(dir, "s1", "oracle", 1, 0.5, "s1 text");
    fx_write_run(dir, "s2", "dqn", 7, 1.0, "s2 text");
    fx_write_run(dir, "s2", "dqn", 8, 3.0, "s2 text");
    return 0;
}

static int teardown(void **state) {
    fx_rmtree(dir);
    return 0;
}

static an_table *build(char *err, size_t errlen) {
    char **paths;
    size_t n;
    assert_int_equal(an_results_find(dir, &paths, &n, err, errlen), 0);
    an_table *t = NULL;
    int rc = an_table_build((const char *const *)paths, n, "static-peak", &t, err, errlen);
    an_results_paths_free(paths, n);
    return rc == 0 ? t : NULL;
}

static const an_table_row *row(const an_table *t, const char *scenario, const char *variant) {
    for (size_t i = 0; i < t->nrows; i++)
        if (!strcmp(t->rows[i].scenario, scenario) && !strcmp(t->rows[i].variant, variant))
            return &t->rows[i];
    fail_msg("no row %s/%s", scenario, variant);
    return NULL;
}

static void test_find(void **state) {
    char **paths, err[512], other[600];
    size_t n;
    snprintf(other, sizeof other, "%s/s1/notes.txt", dir);
    fclose(fopen(other, "w"));
    assert_int_equal(an_results_find(dir, &paths, &n, err, sizeof err), 0);
    assert_int_equal(n, 12);
    for (size_t i = 1; i < n; i++) assert_true(strcmp(paths[i - 1], paths[i]) < 0);
    char want[600];
    snprintf(want, sizeof want, "%s/s1/hpa/seed-1.h5", dir);
    assert_string_equal(paths[0], want);
    an_results_paths_free(paths, n);
    remove(other);
    snprintf(other, sizeof other, "%s/nowhere", dir);
    assert_int_equal(an_results_find(other, &paths, &n, err, sizeof err), -1);
    assert_non_null(strstr(err, other));
}

static void test_means_and_intervals(void **state) {
    char err[512];
    an_table *t = build(err, sizeof err);
    assert_non_null(t);
    assert_int_equal(t->nrows, 5);
    /* order: scenario, then the baseline, then variant names */
    assert_string_equal(t->rows[0].variant, "static-peak");
    assert_string_equal(t->rows[1].variant, "hpa");
    assert_string_equal(t->rows[2].variant, "oracle");
    assert_string_equal(t->rows[3].variant, "static-peak");
    assert_string_equal(t->rows[4].variant, "dqn");

    /* hpa: costs 1, 2, 3: mean 2, s = 1, half = 4.302653 * 1 / sqrt(3) = 2.484138 */
    const an_table_row *hpa = row(t, "s1", "hpa");
    assert_int_equal(hpa->nruns, 3);
    near(hpa->stat[AN_M_COST_USD].mean, 2.0, 1e-12);
    near(hpa->stat[AN_M_COST_USD].half, 2.484138, 1e-6);
    /* executor-hours are 3 x cost in the fixture: 6 +- 7.452413 */
    near(hpa->stat[AN_M_EXEC_HOURS].mean, 6.0, 1e-12);
    near(hpa->stat[AN_M_EXEC_HOURS].half, 7.452413, 1e-5);
    /* every seed has the same latency: zero-width interval */
    near(hpa->stat[AN_M_LAT_P50_MS].mean, 10.0, 1e-12);
    near(hpa->stat[AN_M_LAT_P50_MS].half, 0.0, 1e-12);
    near(hpa->stat[AN_M_SLO_SHARE].mean, 0.5, 1e-12);
    /* the same seeds as the baseline: per-seed ratios 1/2, 2/4, 3/6 */
    assert_int_equal(hpa->ratio_method, AN_RATIO_PAIRED);
    near(hpa->stat[AN_M_COST_RATIO].mean, 0.5, 1e-12);
    near(hpa->stat[AN_M_COST_RATIO].half, 0.0, 1e-12);

    /* the baseline: costs 2, 4, 6: 4 +- 4.302653 * 2 / sqrt(3) = 4.968276; ratio 1 +- 0 */
    const an_table_row *base = row(t, "s1", "static-peak");
    near(base->stat[AN_M_COST_USD].half, 4.968276, 1e-6);
    near(base->stat[AN_M_COST_RATIO].mean, 1.0, 1e-12);

    /* one seed: no interval (NaN, printed n/a), not zero */
    const an_table_row *oracle = row(t, "s1", "oracle");
    assert_int_equal(oracle->nruns, 1);
    near(oracle->stat[AN_M_COST_USD].mean, 0.5, 1e-12);
    assert_true(isnan(oracle->stat[AN_M_COST_USD].half));
    assert_int_equal(oracle->ratio_method, AN_RATIO_DELTA);
    near(oracle->stat[AN_M_COST_RATIO].mean, 0.5 / 4.0, 1e-12);
    assert_true(isnan(oracle->stat[AN_M_COST_RATIO].half));

    /* dqn vs a constant baseline, seeds differ: R = 2 / 4 = 0.5; delta
     * method Var(R) = R^2 (s_r^2 / (n_r m_r^2) + 0) = 0.25 * 2 / (2 * 4)
     * = 0.0625, Welch df = n_r - 1 = 1: half = 12.706205 * 0.25 = 3.176551 */
    const an_table_row *dqn = row(t, "s2", "dqn");
    assert_int_equal(dqn->ratio_method, AN_RATIO_DELTA);
    near(dqn->stat[AN_M_COST_RATIO].mean, 0.5, 1e-12);
    near(dqn->stat[AN_M_COST_RATIO].half, 3.176551, 1e-5);
    assert_int_equal(t->nnotes, 0);
    an_table_free(t);
}

/* Field k (0-based) of the CSV line that starts with `prefix`. */
static double csv_field(const char *csv, const char *prefix, int k) {
    const char *line = strstr(csv, prefix);
    assert_non_null(line);
    for (int i = 0; i < k; i++) line = strchr(line, ',') + 1;
    if (!strncmp(line, "NA", 2)) return NAN;
    return strtod(line, NULL);
}

/* The table's Markdown and CSV forms as new strings. */
static void render(const an_table *t, char **md, char **csv) {
    size_t len;
    FILE *f = open_memstream(md, &len);
    assert_int_equal(an_table_write_md(t, f), 0);
    fclose(f);
    f = open_memstream(csv, &len);
    assert_int_equal(an_table_write_csv(t, f), 0);
    fclose(f);
}

static void test_markdown_and_csv(void **state) {
    char err[512];
    an_table *t = build(err, sizeof err);
    assert_non_null(t);
    char *md, *csv;
    render(t, &md, &csv);
    assert_non_null(strstr(md, "### s1"));
    assert_non_null(strstr(md, "| hpa | 3 | 2.0 ± 2.5 | 0.5 ± 0 |"));
    assert_non_null(strstr(md, "| oracle | 1 | 0.5 ± n/a | 0.125 ± n/a (Δ) |"));
    assert_non_null(strstr(md, "delta method"));
    /* columns: scenario, variant, seeds, then mean and ci95 per metric */
    assert_non_null(strstr(csv, "scenario,variant,seeds,cost_usd,cost_usd_ci95,cost_x_baseline,"));
    near(csv_field(csv, "s1,hpa,", 2), 3, 0);
    near(csv_field(csv, "s1,hpa,", 3), 2.0, 1e-9);
    near(csv_field(csv, "s1,hpa,", 4), 2.484138, 1e-6);
    near(csv_field(csv, "s1,hpa,", 5), 0.5, 1e-9);
    assert_true(isnan(csv_field(csv, "s1,oracle,", 4)));
    assert_non_null(strstr(csv, ",paired,static-peak\n"));
    free(md);
    free(csv);
    an_table_free(t);
}

/* The optional columns: edge sync p50 / p99, detection F1 / NAB score,
 * prefetch, privacy and federated learning count only the runs that hold
 * them. Prefetch hit rate 0.2, 0.4, 0.6: 0.4 +- 4.302653 * 0.2 / sqrt(3) =
 * 0.4968275; centralised F1 0.85, 0.9, 0.95: 0.9 +- 0.1242069. Scenario "sync": variant a has sync
 * p50 10, 20, 30 ms (p99 twice that) on seeds 1..3: 20 +- 4.302653 * 10 /
 * sqrt(3) = 24.84138; F1 0.25, 0.5, 0.75: 0.5 +- 4.302653 * 0.25 / sqrt(3)
 * = 0.6210345; NAB 40 (all seeds): 40 +- 0. Variant b has neither: n/a. In
 * Markdown the "sync" section shows the columns, s1's does not; the CSV
 * always has them (NA where absent). */
static void test_optional_columns(void **state) {
    char sub[600], err[512];
    snprintf(sub, sizeof sub, "%s/opt", dir);
    for (int s = 1; s <= 3; s++) {
        eng_metrics *m = fx_metrics(1.0, 10, 100);
        m->summary.sync_updates = 5;
        m->summary.sync_p50_ms = 10.0 * s;
        m->summary.sync_p99_ms = 20.0 * s;
        m->summary.detect_tp = 1;
        m->summary.detect_f1 = 0.25 * s;
        m->summary.detect_nab_score = 40;
        snprintf(m->prefetch_policy, sizeof m->prefetch_policy, "lru");
        m->summary.prefetch_reads = 10;
        m->summary.prefetch_hit_rate = 0.2 * s;
        m->summary.privacy_releases = 1;
        m->summary.privacy_latency_p99_ms = 100;
        m->summary.fl_rounds = 2;
        m->summary.fl_central_f1 = 0.8 + 0.05 * s;
        fx_write_metrics(sub, "sync", "a", (uint64_t)s, m, "sync text");
        eng_metrics_free(m);
        fx_write_run(sub, "sync", "b", (uint64_t)s, 1.0, "sync text");
    }
    fx_write_run(sub, "s1", "hpa", 1, 1.0, "s1 text");
    char **paths;
    size_t n;
    assert_int_equal(an_results_find(sub, &paths, &n, err, sizeof err), 0);
    an_table *t = NULL;
    assert_int_equal(an_table_build((const char *const *)paths, n, "a", &t, err, sizeof err), 0);
    an_results_paths_free(paths, n);
    const an_table_row *a = row(t, "sync", "a"), *b = row(t, "sync", "b");
    near(a->stat[AN_M_SYNC_P50_MS].mean, 20, 1e-12);
    near(a->stat[AN_M_SYNC_P50_MS].half, 24.84138, 1e-5);
    near(a->stat[AN_M_SYNC_P99_MS].mean, 40, 1e-12);
    near(a->stat[AN_M_DETECT_F1].mean, 0.5, 1e-12);
    near(a->stat[AN_M_DETECT_F1].half, 0.6210345, 1e-6);
    near(a->stat[AN_M_DETECT_NAB].mean, 40, 1e-12);
    near(a->stat[AN_M_DETECT_NAB].half, 0, 1e-12);
    near(a->stat[AN_M_PREFETCH_HIT].mean, 0.4, 1e-12);
    near(a->stat[AN_M_PREFETCH_HIT].half, 0.4968275, 1e-6);
    near(a->stat[AN_M_PRIV_P99_MS].mean, 100, 1e-12);
    near(a->stat[AN_M_FL_CENTRAL_F1].mean, 0.9, 1e-12);
    near(a->stat[AN_M_FL_CENTRAL_F1].half, 0.1242069, 1e-6);
    assert_int_equal(b->stat[AN_M_PREFETCH_HIT].n, 0);
    assert_int_equal(b->stat[AN_M_FL_F1].n, 0);
    assert_int_equal(b->stat[AN_M_SYNC_P50_MS].n, 0);
    assert_true(isnan(b->stat[AN_M_SYNC_P50_MS].mean));
    char *md, *csv;
    render(t, &md, &csv);
    const char *sync_md = strstr(md, "### sync");
    assert_non_null(sync_md);
    assert_true(strstr(md, "sync p50 (ms)") > sync_md); /* not in s1's section */
    assert_non_null(strstr(sync_md,
                           "| sync p50 (ms) | sync p99 (ms) | detection F1 | NAB score | prefetch hit rate "
                           "| edge read p99 (ms) | totals p99 (ms) | sum rel. error | federated F1 | "
                           "centralised F1 |"));
    assert_non_null(strstr(sync_md, " | 20 ± 25 | 40 ± 50 | 0.50 ± 0.62 | 40 ± 0 |"));
    assert_non_null(strstr(sync_md, "| b | 3 |"));
    assert_non_null(strstr(csv, ",executor_hours_ci95,sync_p50_ms,sync_p50_ms_ci95,sync_p99_ms,"));
    assert_non_null(strstr(csv, "detect_f1,detect_f1_ci95,detect_nab_score,detect_nab_score_ci95,"));
    assert_true(isnan(csv_field(csv, "s1,hpa,", 17)));
    near(csv_field(csv, "sync,a,", 17), 20, 1e-9);
    free(md);
    free(csv);
    an_table_free(t);
}

/* Two versions of one scenario are refused, naming both files. */
static void test_mixed_versions(void **state) {
    char a[600], b[600], err[1024];
    snprintf(a, sizeof a, "%s", fx_write_run(dir, "s3", "hpa", 1, 1.0, "version one"));
    snprintf(b, sizeof b, "%s", fx_write_run(dir, "s3", "dqn", 1, 1.0, "version two"));
    const char *paths[] = {a, b};
    an_table *t = NULL;
    assert_int_equal(an_table_build(paths, 2, NULL, &t, err, sizeof err), -1);
    assert_null(t);
    assert_non_null(strstr(err, a));
    assert_non_null(strstr(err, b));
    assert_non_null(strstr(err, "s3"));
}

/* Unreadable files are skipped and named; with none readable, an error. */
static void test_skipped_files(void **state) {
    char bad[600], missing[600], err[1024];
    snprintf(bad, sizeof bad, "%s/bad.h5", dir);
    FILE *f = fopen(bad, "w");
    fputs("garbage", f);
    fclose(f);
    snprintf(missing, sizeof missing, "%s/missing.h5", dir);
    char good[600];
    snprintf(good, sizeof good, "%s/s1/hpa/seed-2.h5", dir);
    const char *paths[] = {bad, good, missing};
    an_table *t = NULL;
    assert_int_equal(an_table_build(paths, 3, "hpa", &t, err, sizeof err), 0);
    assert_int_equal(t->nrows, 1);
    assert_int_equal(t->nnotes, 2);
    assert_non_null(strstr(t->notes[0], bad));
    assert_non_null(strstr(t->notes[1], missing));
    an_table_free(t);
    assert_int_equal(an_table_build(paths, 1, "hpa", &t, err, sizeof err), -1);
    assert_non_null(strstr(err, bad));
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_find),
        cmocka_unit_test(test_means_and_intervals),
        cmocka_unit_test(test_markdown_and_csv),
        cmocka_unit_test(test_skipped_files),
        cmocka_unit_test(test_mixed_versions),
        cmocka_unit_test(test_optional_columns),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
