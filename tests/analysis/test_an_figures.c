/* Figures: from a results folder of hand-built runs, an_figures_write
 * renders non-empty PNG and PDF files through gnuplot, and the data files
 * beside them hold the numbers the fixture implies; captions name the
 * scenario, baseline, seeds and files. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>

#include <cmocka.h>
#include <stdlib.h>
#include <string.h>

#include "analysis/figures.h"
#include "fixture.h"

static char dir[256], results[300], out[300];

/* city: static-peak costs 2, 4 and hpa 1, 2 on seeds 1, 2 (hpa = 0.5 x). */
static int setup(void **state) {
    fx_tmpdir(dir, sizeof dir);
    snprintf(results, sizeof results, "%s/results", dir);
    snprintf(out, sizeof out, "%s/figures", dir);
    for (int s = 1; s <= 2; s++) {
        fx_write_run(results, "city", "static-peak", (uint64_t)s, 2.0 * s, "city text");
        fx_write_run(results, "city", "hpa", (uint64_t)s, 1.0 * s, "city text");
    }
    return 0;
}

static int teardown(void **state) {
    fx_rmtree(dir);
    return 0;
}

static void assert_contains(const char *name, const char *needle) { fx_assert_contains(out, name, needle); }

static void test_all_figures(void **state) {
    char err[1024];
    assert_int_equal(an_figures_write(results, out, "static-peak", err, sizeof err), 0);
    const char *figs[] = {"latency_cdf", "cost", "executors", "slo_violations"};
    for (size_t i = 0; i < 4; i++) {
        char name[64];
        snprintf(name, sizeof name, "city/%s", figs[i]);
        fx_assert_rendered(out, name);
        snprintf(name, sizeof name, "city/%s.txt", figs[i]);
        assert_contains(name, "Scenario city");
        assert_contains(name, "baseline variant static-peak");
        snprintf(name, sizeof name, "city/%s.log", figs[i]);
        char path[512];
        snprintf(path, sizeof path, "%s/%s", out, name);
        assert_null(fx_slurp(path, NULL)); /* gnuplot's log is removed on success */
    }
    /* cost relative to static-peak: per-seed ratios 1/2 and 2/4, so 0.5 +- 0 */
    assert_contains("city/cost.dat", "0 \"static-peak\" 1 0 2\n");
    assert_contains("city/cost.dat", "1 \"hpa\" 0.5 0 2\n");
    char seeds[1024];
    snprintf(seeds, sizeof seeds, "- hpa: seeds 1, 2; files %s/city/hpa/seed-1.h5, %s/city/hpa/seed-2.h5",
             results, results);
    assert_contains("city/cost.txt", seeds);
    /* latency CDF: half the readings at 10 ms, all by 100 ms (the maximum) */
    assert_contains("city/latency_cdf.dat", "# hpa\n10 0\n");
    assert_contains("city/latency_cdf.dat", " 0.5\n100 1\n");
    /* executors: at t = 3 s ready 2, pending 1, target 3, 30 readings in 1 s */
    assert_contains("city/executors.dat", "# hpa (seed 1)\n# time_s ready pending target");
    assert_contains("city/executors.dat", "\n3 2 1 3 30\n");
    assert_contains("city/executors.txt", "- hpa: seed 1; file ");
    /* SLO: 5 of 10 readings over the SLO in each interval */
    assert_contains("city/slo_violations.dat", "\n3 0.5 5 10\n");
    /* the tables */
    assert_contains("table.md", "| hpa | 2 |");
    assert_contains("table.csv", "city,hpa,2,1.5,");
}

/* Without a baseline the cost figure is in USD. */
static void test_no_baseline(void **state) {
    char err[1024];
    assert_int_equal(an_figures_write(results, out, NULL, err, sizeof err), 0);
    assert_contains("city/cost.dat", "# cost (USD)\n");
    assert_contains("city/cost.dat", "1 \"static-peak\" 3 ");
}

static void test_empty_folder(void **state) {
    char err[1024], empty[400];
    snprintf(empty, sizeof empty, "%s/nothing", dir);
    char cmd[500];
    snprintf(cmd, sizeof cmd, "mkdir -p '%s'", empty);
    assert_int_equal(system(cmd), 0);
    assert_int_equal(an_figures_write(empty, out, "static-peak", err, sizeof err), -1);
    assert_non_null(strstr(err, "no result files"));
    assert_non_null(strstr(err, empty));
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_all_figures),
        cmocka_unit_test(test_no_baseline),
        cmocka_unit_test(test_empty_folder),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
