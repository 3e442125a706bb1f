/* The reward-weight Pareto sweep on a 3.5-minute scenario with two baseline
 * variants and a learned variant (skipped as a baseline): two weights of one
 * short episode each give pareto.dat with one point per weight (sorted by
 * weight) and one per baseline, each point's cost, p95 and SLO share the
 * mean over the held-out seeds of its result files' summaries; weights are
 * parsed and refused with a message naming --pareto and the item. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>

#include <cmocka.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "analysis/results.h"
#include "engine/tmp.h"
#include "experiments/train_ckpt.h"
#include "experiments/train_pareto.h"
#include "train_tiny.h"

static const char *yaml = "name: pareto_tiny\n" TRAIN_TINY_YAML "variants:\n"
                          "  - {name: static-3, set: {allocator.executors: 3}}\n"
                          "  - {name: hpa, set: {allocator.name: hpa}}\n"
                          "  - {name: learned, set: {allocator.name: ppo, allocator.checkpoint: CKPT}}\n";

static char dir[64];

static int setup(void **unused) {
    return eng_tmp_path(dir, sizeof dir, "test_xp_pareto-XXXXXX") == 0 && mkdtemp(dir) ? 0 : -1;
}

static int teardown(void **unused) {
    char cmd[128];
    snprintf(cmd, sizeof cmd, "rm -rf %s", dir);
    return system(cmd);
}

static void parse_fails(const char *list, const char *want) {
    double w[XP_PARETO_MAX_WEIGHTS];
    size_t n;
    char err[512] = "";
    assert_int_equal(xp_pareto_parse_weights(list, w, XP_PARETO_MAX_WEIGHTS, &n, err, sizeof err),
                     XP_TRAIN_EINPUT);
    if (!strstr(err, want)) fail_msg("'%s': got '%s', want '%s'", list, err, want);
}

static void test_weights(void **unused) {
    double w[XP_PARETO_MAX_WEIGHTS];
    size_t n;
    char err[512];
    assert_int_equal(xp_pareto_parse_weights("0,2.5,1e2", w, XP_PARETO_MAX_WEIGHTS, &n, err, sizeof err), 0);
    assert_int_equal(n, 3);
    assert_true(w[0] == 0 && w[1] == 2.5 && w[2] == 100);
    parse_fails("1,abc", "--pareto: weight 2 ('abc') is not a number");
    parse_fails("1,,3", "weight 2 ('') is not a number");
    parse_fails("", "weight 1 ('') is not a number");
    parse_fails("3,-1", "weight 2 ('-1') must be a finite number >= 0");
    parse_fails("inf", "weight 1 ('inf') must be a finite number >= 0");
    parse_fails("10,1e1", "weight 2 ('1e1') repeats an earlier weight");
    parse_fails("1,2,3,4,5,6,7,8,9,10,11,12,13,14,15,16,17", "weight 17 ('17') is one weight too many");
}

/* The mean of metric `m` (0 cost, 1 p95, 2 SLO share) over the variant's
 * result files of seeds 1 and 2. */
static double mean_of(const char *variant, int m) {
    double sum = 0;
    for (int seed = 1; seed <= 2; seed++) {
        char path[256], err[1024];
        snprintf(path, sizeof path, "%s/out/results/pareto_tiny/%s/seed-%d.h5", dir, variant, seed);
        an_run_summary r;
        if (an_results_read_summary(path, &r, err, sizeof err) != 0) fail_msg("%s", err);
        sum += m == 0 ? r.s.cost_usd : m == 1 ? r.s.latency_p95_ms : r.s.slo_violation_share;
    }
    return sum / 2;
}

static void near(double got, double want) {
    if (fabs(got - want) > 1e-8 * (fabs(want) + 1e-12)) fail_msg("got %.12g, want %.12g", got, want);
}

static void test_tiny_sweep(void **unused) {
    char scenario[128], ckpt[128], out[128];
    snprintf(scenario, sizeof scenario, "%s/pareto_tiny.yaml", dir);
    snprintf(ckpt, sizeof ckpt, "%s/out/checkpoints/pareto-ppo-slo1.h5", dir);
    snprintf(out, sizeof out, "%s/out", dir);
    FILE *f = fopen(scenario, "w");
    assert_non_null(f);
    const char *at = strstr(yaml, "CKPT");
    fprintf(f, "%.*s%s%s", (int)(at - yaml), yaml, ckpt, at + 4);
    fclose(f);
    double w[2] = {30, 1};
    xp_pareto_opts o = {
        .train = {.scenario = scenario,
                  .algo = XP_TRAIN_PPO,
                  .episodes = 2,
                  .seed = 3,
                  .first_seed = XP_TRAIN_FIRST_SEED,
                  .jobs = 2},
        .weights = w,
        .nweights = 2,
        .out_dir = out,
        .overrides = "",
    };
    char err[4096] = "";
    FILE *log = fopen("/dev/null", "w");
    int rc = xp_pareto_run(&o, log, err, sizeof err);
    fclose(log);
    if (rc != 0) fail_msg("%s", err);
    char path[256], line[512];
    snprintf(path, sizeof path, "%s/figures/pareto_tiny/pareto.dat", out);
    f = fopen(path, "r");
    assert_non_null(f);
    const char *want[] = {"pareto-ppo-slo1", "pareto-ppo-slo30", "static-3", "hpa"};
    double want_w[] = {1, 30, NAN, NAN};
    size_t k = 0;
    while (k < 4 && fgets(line, sizeof line, f)) {
        char name[64];
        double wt, cost, ch, p95, ph, slo, sh;
        if (sscanf(line, "\"%63[^\"]\" %lf %lf %lf %lf %lf %lf %lf", name, &wt, &cost, &ch, &p95, &ph, &slo,
                   &sh) != 8)
            continue;
        assert_string_equal(name, want[k]);
        if (!isnan(want_w[k])) assert_true(wt == want_w[k]);
        near(cost, mean_of(name, 0));
        near(p95, mean_of(name, 1));
        near(slo, mean_of(name, 2));
        k++;
    }
    fclose(f);
    assert_int_equal(k, 4);
    snprintf(path, sizeof path, "%s/figures/pareto_tiny/pareto.png", out);
    assert_int_equal(access(path, F_OK), 0);
    snprintf(path, sizeof path, "%s/results/pareto_tiny/learned", out);
    assert_int_equal(access(path, F_OK), -1);
}

int main(void) {
    xp_ckpt_install();
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_weights),
        cmocka_unit_test(test_tiny_sweep),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
