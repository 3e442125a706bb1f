/* The figures drawn only when their data are present, from a hand-built
 * results folder: scenario "edge" with variants delta and full on seeds 1
 * and 2, both synced over a 10 ms one-way link —
 *   delta: 10 updates edge -> cloud at 20 ms and 10 cloud -> edge at 40 ms
 *          per seed; shuffle bytes 3 MiB to memory, 1 MiB to the object store
 *          and an edge detector scoring F1 0.5 and NAB 40 (seed 1), 0.7 and
 *          60 (seed 2)
 *   full:  10 updates each way at 50 ms per seed; 2 MiB to memory and 2 MiB
 *          (seed 1) or 4 MiB (seed 2) to local SSD (mean 3 MiB); no detector
 * and a training folder with a DQN checkpoint and its learning curve of 12
 * episodes, return = episode and cost = 2 x episode USD, SLO share 0.1.
 * Expected, by hand: the sync CDF of delta rises from 0 at 20 ms to 0.5 and
 * reaches 1 at 40 ms (the largest sample), full's is a step at 50 ms; the
 * shuffle stack is delta 3 + 0 + 0 + 1 MiB, full 2 + 3 + 0 + 0 MiB; delta's
 * F1 is 0.6 +- t(0.975, 1) 0.1 = 0.6 +- 1.2706205 and its NAB score 50 +-
 * 127.06205, full has none (NaN, 0 seeds); the
 * learning curve's 10-episode trailing means at episode 12 are
 * (3 + ... + 12) / 10 = 7.5 and 15 USD, at episode 1 the values themselves;
 * the checkpoint is neither drawn nor noted as a bad result file. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>

#include <cmocka.h>
#include <stdlib.h>
#include <string.h>

#include "analysis/ckpt_h5.h"
#include "analysis/figures.h"
#include "fixture.h"

#define MIB 1048576ULL

static char dir[256], results[300], out[300];

static void write_run(const char *variant, uint64_t seed, double up_ms, double down_ms,
                      const uint64_t *tiers) {
    eng_metrics *m = fx_metrics(1.0 * seed, 10, 100);
    eng_hist_add(&m->sync_up, (rt_time_t)(up_ms * 1e6), 10);
    eng_hist_add(&m->sync_down, (rt_time_t)(down_ms * 1e6), 10);
    m->summary.sync_updates = 20;
    m->summary.link_one_way_ms = 10;
    m->summary.sync_p50_ms = up_ms;
    m->summary.sync_p99_ms = down_ms;
    m->summary.shuffle_bytes_memory = tiers[0];
    m->summary.shuffle_bytes_local_ssd = tiers[1];
    m->summary.shuffle_bytes_remote_service = tiers[2];
    m->summary.shuffle_bytes_object_store = tiers[3];
    if (!strcmp(variant, "delta")) {
        m->summary.detect_tp = 1;
        m->summary.detect_f1 = seed == 1 ? 0.5 : 0.7;
        m->summary.detect_nab_score = seed == 1 ? 40 : 60;
    }
    fx_write_metrics(results, "edge", variant, seed, m, "edge text");
    eng_metrics_free(m);
}

static void write_training(void) {
    char path[512], err[512];
    snprintf(path, sizeof path, "%s/train/allocators-dqn.h5", results);
    an_ckpt_h5 *w = an_ckpt_h5_create(path, err, sizeof err);
    assert_non_null(w);
    float weights[3] = {1, 2, 3};
    assert_int_equal(an_ckpt_h5_put(w, "q/w", POL_NN_F32, weights, 3), 0);
    assert_int_equal(an_ckpt_h5_close(w, 1, err, sizeof err), 0);
    snprintf(path, sizeof path, "%s/train/allocators-dqn.curve.h5", results);
    an_curve_row rows[12];
    for (uint32_t e = 1; e <= 12; e++)
        rows[e - 1] = (an_curve_row){e, 1000 + e, (double)e, 2.0 * e, 0.1, 900, 10 * e, 0.5 * e};
    w = an_ckpt_h5_create(path, err, sizeof err);
    assert_non_null(w);
    assert_int_equal(an_ckpt_h5_curve(w, rows, 12), 0);
    assert_int_equal(an_ckpt_h5_attr_str(w, "algorithm", "dqn"), 0);
    assert_int_equal(an_ckpt_h5_attr_str(w, "scenario", "allocators"), 0);
    assert_int_equal(an_ckpt_h5_close(w, 1, err, sizeof err), 0);
}

static int setup(void **state) {
    fx_tmpdir(dir, sizeof dir);
    snprintf(results, sizeof results, "%s/results", dir);
    snprintf(out, sizeof out, "%s/figures", dir);
    const uint64_t delta[4] = {3 * MIB, 0, 0, MIB}, full1[4] = {2 * MIB, 2 * MIB, 0, 0},
                   full2[4] = {2 * MIB, 4 * MIB, 0, 0};
    for (uint64_t s = 1; s <= 2; s++) {
        write_run("delta", s, 20, 40, delta);
        write_run("full", s, 50, 50, s == 1 ? full1 : full2);
    }
    write_training();
    return 0;
}

static int teardown(void **state) {
    fx_rmtree(dir);
    return 0;
}

static void assert_contains(const char *name, const char *needle) { fx_assert_contains(out, name, needle); }

static void test_data_figures(void **state) {
    char err[1024];
    assert_int_equal(an_figures_write(results, out, "delta", err, sizeof err), 0);
    fx_assert_rendered(out, "edge/sync_cdf");
    assert_contains("edge/sync_cdf.dat", "# delta\n# 40 updates; one-way link latency 10 ms\n20 0\n");
    assert_contains("edge/sync_cdf.dat", " 0.5\n40 1\n");
    assert_contains("edge/sync_cdf.dat", "# full\n# 40 updates; one-way link latency 10 ms\n50 0\n50 1\n");
    assert_contains("edge/sync_cdf.txt", "One-way link latency per variant (ms): delta 10; full 10.");
    assert_contains("edge/sync_cdf.txt", "Dashed: the one-way link latency (10 ms)");
    assert_contains("edge/sync_cdf.txt", "- full: seeds 1, 2; files ");

    fx_assert_rendered(out, "edge/shuffle_tiers");
    assert_contains("edge/shuffle_tiers.dat", "remote_service object_store (MiB) seeds\n");
    assert_contains("edge/shuffle_tiers.dat", "0 \"delta\" 3 0 0 1 2\n1 \"full\" 2 3 0 0 2\n");
    assert_contains("edge/shuffle_tiers.txt", "Scenario edge");

    fx_assert_rendered(out, "edge/detection");
    assert_contains("edge/detection.dat", "# F1 (record level)\n# index variant mean ci95_half_width "
                                          "seeds_with_labels\n0 \"delta\" 0.6 1.27062");
    assert_contains("edge/detection.dat", "\n1 \"full\" nan nan 0\n");
    assert_contains("edge/detection.dat", "0 \"delta\" 50 127.0620");
    assert_contains("edge/detection.txt", "NAB window score");

    fx_assert_rendered(out, "learning_curves");
    assert_contains("learning_curves.dat", "# dqn on allocators\n");
    assert_contains("learning_curves.dat",
                    "return_mean10 cost_usd cost_usd_mean10 slo_share\n1 1 1 2 2 0.1\n");
    assert_contains("learning_curves.dat", "\n12 12 7.5 24 15 0.1\n");
    assert_contains("learning_curves.txt", "allocators-dqn.curve.h5");

    /* the table has the sync columns and no note about the training files */
    assert_contains("table.md", "| sync p50 (ms) | sync p99 (ms) |");
    char path[512];
    snprintf(path, sizeof path, "%s/table.md", out);
    char *md = fx_slurp(path, NULL);
    assert_null(strstr(md, "Notes"));
    free(md);
}

/* A folder of training files alone gives the learning curves and no table. */
static void test_training_only(void **state) {
    char err[1024], train[400], only[400];
    snprintf(train, sizeof train, "%s/train", results);
    snprintf(only, sizeof only, "%s/only", dir);
    assert_int_equal(an_figures_write(train, only, NULL, err, sizeof err), 0);
    char path[512];
    snprintf(path, sizeof path, "%s/learning_curves.png", only);
    char *png = fx_slurp(path, NULL);
    assert_non_null(png);
    free(png);
    snprintf(path, sizeof path, "%s/table.md", only);
    assert_null(fx_slurp(path, NULL));
}

/* Without sync or tiering the figures are not drawn. */
static void test_absent(void **state) {
    char err[1024], plain[400], figs[400];
    snprintf(plain, sizeof plain, "%s/plain", dir);
    snprintf(figs, sizeof figs, "%s/plain-figures", dir);
    fx_write_run(plain, "city", "hpa", 1, 1.0, "city text");
    assert_int_equal(an_figures_write(plain, figs, NULL, err, sizeof err), 0);
    char path[512];
    snprintf(path, sizeof path, "%s/city/sync_cdf.dat", figs);
    assert_null(fx_slurp(path, NULL));
    snprintf(path, sizeof path, "%s/city/shuffle_tiers.dat", figs);
    assert_null(fx_slurp(path, NULL));
    snprintf(path, sizeof path, "%s/city/detection.dat", figs);
    assert_null(fx_slurp(path, NULL));
    snprintf(path, sizeof path, "%s/learning_curves.dat", figs);
    assert_null(fx_slurp(path, NULL));
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_data_figures),
        cmocka_unit_test(test_training_only),
        cmocka_unit_test(test_absent),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
