/* A tiny training run of each algorithm on a 3.5-minute scenario: the
 * checkpoint and the learning curve are written, every episode has the
 * hand-counted number of transitions and its own held-in seed, the
 * checkpoint loads as an allocator, the same seed (and -j) gives the same
 * files and another seed does not; seeds that overlap the scenario's evaluation seeds
 * and a bad scenario are refused as bad input. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>

#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "analysis/ckpt_h5.h"
#include "engine/tmp.h"
#include "experiments/train.h"
#include "experiments/train_ckpt.h"
#include "policies/alloc.h"
#include "train_tiny.h"

/* duration + drain = 210 s, decisions every 15 s at 15, 30, ..., 195 s
 * (the next, 210 s, is the end): 13 decisions, 12 transitions. */
#define STEPS 12

static const char *yaml = "name: train_tiny\n" TRAIN_TINY_YAML;

static char dir[64], scenario[128];

static int setup(void **unused) {
    if (eng_tmp_path(dir, sizeof dir, "test_xp_train-XXXXXX") != 0 || !mkdtemp(dir)) return -1;
    snprintf(scenario, sizeof scenario, "%s/tiny.yaml", dir);
    FILE *f = fopen(scenario, "w");
    if (!f) return -1;
    fputs(yaml, f);
    fclose(f);
    xp_ckpt_install();
    return 0;
}

static int teardown(void **unused) {
    char cmd[128];
    snprintf(cmd, sizeof cmd, "rm -rf %s", dir);
    return system(cmd);
}

/* Trains into dir/<name>.h5 with `jobs` workers; returns xp_train's code,
 * err in err. */
static int train_j(xp_train_algo algo, uint32_t episodes, unsigned jobs, uint64_t seed, const char *name,
                   const xp_set *sets, size_t nsets, char *err, size_t errlen) {
    char out[160];
    snprintf(out, sizeof out, "%s/%s.h5", dir, name);
    xp_train_opts o = {.scenario = scenario,
                       .sets = sets,
                       .nsets = nsets,
                       .algo = algo,
                       .episodes = episodes,
                       .out = out,
                       .seed = seed,
                       .first_seed = XP_TRAIN_FIRST_SEED,
                       .jobs = jobs};
    return xp_train(&o, err, errlen);
}

static int train(xp_train_algo algo, uint32_t episodes, uint64_t seed, const char *name, const xp_set *sets,
                 size_t nsets, char *err, size_t errlen) {
    return train_j(algo, episodes, 1, seed, name, sets, nsets, err, errlen);
}

static void train_ok_j(xp_train_algo algo, uint32_t episodes, unsigned jobs, uint64_t seed,
                       const char *name) {
    char err[2048] = "";
    if (train_j(algo, episodes, jobs, seed, name, NULL, 0, err, sizeof err) != 0) fail_msg("%s", err);
}

static void train_ok(xp_train_algo algo, uint32_t episodes, uint64_t seed, const char *name) {
    char err[2048] = "";
    if (train(algo, episodes, seed, name, NULL, 0, err, sizeof err) != 0) fail_msg("%s", err);
}

static pol_nn_blob blob_of(const char *name) {
    char path[160], sig[1024], err[1024] = "";
    snprintf(path, sizeof path, "%s/%s.h5", dir, name);
    pol_nn_blob b = {0};
    if (xp_ckpt_read(path, &b, sig, sizeof sig, err, sizeof err) != 0) fail_msg("%s", err);
    return b;
}

static an_curve_row *curve_of(const char *name, size_t *n) {
    char path[160], err[1024] = "";
    snprintf(path, sizeof path, "%s/%s.curve.h5", dir, name);
    an_curve_row *rows;
    if (an_ckpt_h5_read_curve(path, &rows, n, err, sizeof err) != 0) fail_msg("%s", err);
    return rows;
}

static void check_curve(const char *name, size_t episodes) {
    size_t n;
    an_curve_row *r = curve_of(name, &n);
    assert_int_equal(n, episodes);
    for (size_t k = 0; k < n; k++) {
        assert_int_equal(r[k].episode, k + 1);
        assert_true(r[k].seed == XP_TRAIN_FIRST_SEED + k);
        assert_true(r[k].steps == (k + 1) * STEPS);
        /* Rewards are -(cost rate + 10 x share over the SLO): negative. */
        assert_true(r[k].ret < 0 && r[k].cost_usd > 0);
        assert_true(r[k].slo_share >= 0 && r[k].slo_share <= 1);
    }
    free(r);
}

/* The checkpoint as an allocator: init succeeds. */
static void loads_as_allocator(const char *algo, const char *name) {
    eng_alloc_opts o = {.min_executors = 1, .max_executors = 4, .initial_executors = 1, .interval = RT_S};
    snprintf(o.name, sizeof o.name, "%s", algo);
    snprintf(o.checkpoint, sizeof o.checkpoint, "%s/%s.h5", dir, name);
    const eng_alloc_ops *ops = pol_alloc_find(algo);
    char err[1024] = "";
    void *st = ops->init(&o, err, sizeof err);
    if (!st) fail_msg("%s", err);
    ops->free(st);
}

static void test_dqn_tiny(void **unused) {
    train_ok(XP_TRAIN_DQN, 3, 7, "dqn");
    check_curve("dqn", 3);
    loads_as_allocator("dqn", "dqn");
}

static void same_files(const char *a, const char *b, int want_same) {
    pol_nn_blob x = blob_of(a), y = blob_of(b);
    int same = x.len == y.len && memcmp(x.data, y.data, x.len) == 0;
    pol_nn_blob_free(&x);
    pol_nn_blob_free(&y);
    size_t n, m;
    an_curve_row *r = curve_of(a, &n), *s = curve_of(b, &m);
    assert_int_equal(n, m);
    for (size_t k = 0; k < n; k++)
        same &= r[k].episode == s[k].episode && r[k].seed == s[k].seed && r[k].ret == s[k].ret &&
                r[k].cost_usd == s[k].cost_usd && r[k].slo_share == s[k].slo_share &&
                r[k].latency_p95_ms == s[k].latency_p95_ms && r[k].steps == s[k].steps;
    free(r);
    free(s);
    assert_int_equal(same, want_same);
}

/* PPO learns after every episode (one rollout each): the same seed gives
 * bit-identical weights and curves, another seed different ones. */
static void test_ppo_tiny_is_deterministic(void **unused) {
    train_ok(XP_TRAIN_PPO, 2, 7, "ppo-a");
    train_ok(XP_TRAIN_PPO, 2, 7, "ppo-b");
    train_ok(XP_TRAIN_PPO, 2, 8, "ppo-c");
    check_curve("ppo-a", 2);
    loads_as_allocator("ppo", "ppo-a");
    same_files("ppo-a", "ppo-b", 1);
    same_files("ppo-a", "ppo-c", 0);
}

/* Two workers: each algorithm gives the same files for the same seed and
 * -j, every episode keeps its own held-in seed and length; PPO with one
 * update per two episodes is another algorithm than one per episode (its
 * weights differ from -j 1's), and a -j that does not divide the episodes
 * is refused. */
static void test_parallel_workers_are_deterministic(void **unused) {
    train_ok_j(XP_TRAIN_PPO, 4, 2, 7, "ppo-j2a");
    train_ok_j(XP_TRAIN_PPO, 4, 2, 7, "ppo-j2b");
    train_ok_j(XP_TRAIN_PPO, 4, 1, 7, "ppo-j1");
    check_curve("ppo-j2a", 4);
    same_files("ppo-j2a", "ppo-j2b", 1);
    same_files("ppo-j2a", "ppo-j1", 0);
    loads_as_allocator("ppo", "ppo-j2a");
    train_ok_j(XP_TRAIN_DQN, 2, 2, 7, "dqn-j2a");
    train_ok_j(XP_TRAIN_DQN, 2, 2, 7, "dqn-j2b");
    check_curve("dqn-j2a", 2);
    same_files("dqn-j2a", "dqn-j2b", 1);
    char err[2048] = "";
    assert_int_equal(train_j(XP_TRAIN_PPO, 4, 3, 1, "bad", NULL, 0, err, sizeof err), XP_TRAIN_EINPUT);
    assert_non_null(strstr(err, "-j 3 does not divide --episodes 4"));
}

static void test_bad_input(void **unused) {
    char err[2048] = "";
    xp_set overlap = {"seed", "1002"};
    assert_int_equal(train(XP_TRAIN_DQN, 3, 1, "bad", &overlap, 1, err, sizeof err), XP_TRAIN_EINPUT);
    assert_non_null(
        strstr(err, "held-in seeds 1001..1003 overlap the scenario's evaluation seeds 1002..1003"));
    xp_set typo = {"allocator.reward_sol", "3"};
    assert_int_equal(train(XP_TRAIN_PPO, 1, 1, "bad", &typo, 1, err, sizeof err), XP_TRAIN_EINPUT);
    assert_non_null(strstr(err, "did you mean 'reward_slo'"));
    char path[160];
    snprintf(path, sizeof path, "%s/bad.h5", dir);
    assert_int_equal(access(path, F_OK), -1);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_dqn_tiny),
        cmocka_unit_test(test_ppo_tiny_is_deterministic),
        cmocka_unit_test(test_parallel_workers_are_deterministic),
        cmocka_unit_test(test_bad_input),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
