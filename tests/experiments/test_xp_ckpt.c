/* Checkpoint files of the learning allocators: an agent that has learned a
 * little (so its Adam moments and observation statistics are not the
 * initial ones) survives the HDF5 round trip with every array bit-identical
 * and the same greedy actions, also through the allocator; damaged,
 * truncated, foreign and mismatched files are refused with the file named. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>

#include <cmocka.h>
#include <gsl/gsl_rng.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "analysis/ckpt_h5.h"
#include "engine/tmp.h"
#include "experiments/train_ckpt.h"
#include "policies/alloc.h"
#include "policies/alloc_rl.h"
#include "policies/rl/dqn.h"
#include "policies/rl/ppo.h"

#define F POL_ALLOC_RL_FEATURES
#define A POL_ALLOC_RL_ACTIONS

/* A test environment of the allocators' shape: Gaussian observations of
 * scale 50 around 100, reward -|action - 2|, episodes of 20 steps. */
typedef struct {
    gsl_rng *rng;
    int t;
} noise_env;

static void draw(noise_env *e, float *obs) {
    for (int i = 0; i < F; i++) obs[i] = (float)(100 + 50 * (gsl_rng_uniform(e->rng) - 0.5));
}
static size_t obs_dim(const pol_rl_env *env) { return F; }
static size_t n_actions(const pol_rl_env *env) { return A; }
static int reset(pol_rl_env *env, float *obs) {
    noise_env *e = env->state;
    e->t = 0;
    draw(e, obs);
    return 0;
}
static int step(pol_rl_env *env, int a, float *obs, pol_rl_step *out) {
    noise_env *e = env->state;
    draw(e, obs);
    *out = (pol_rl_step){.reward = -abs(a - 2), .truncated = ++e->t == 20};
    return 0;
}
static void env_free(pol_rl_env *env) {}
static const pol_rl_env_ops noise_ops = {.abi = POL_RL_ENV_ABI,
                                         .name = "noise",
                                         .obs_dim = obs_dim,
                                         .n_actions = n_actions,
                                         .reset = reset,
                                         .step = step,
                                         .free = env_free};

typedef struct {
    char dir[64], path[128];
    void *agent;
    int dqn;
} fixture;

static int dqn_visit(void *a, pol_nn_visit_fn fn, void *ctx) { return pol_rl_dqn_visit(a, fn, ctx); }
static int ppo_visit(void *a, pol_nn_visit_fn fn, void *ctx) { return pol_rl_ppo_visit(a, fn, ctx); }

/* Trains an agent for 300 steps and saves it to a fresh folder. */
static void make(fixture *fx, int dqn) {
    noise_env ne = {.rng = gsl_rng_alloc(gsl_rng_mt19937)};
    gsl_rng_set(ne.rng, 3);
    pol_rl_env env = {.ops = &noise_ops, .state = &ne};
    char err[512] = "";
    fx->dqn = dqn;
    if (dqn) {
        pol_rl_dqn_opts o;
        pol_rl_dqn_defaults(&o);
        o.norm_obs = 1;
        o.total_steps = 300;
        fx->agent = pol_rl_dqn_new(&o, F, A, 5, err, sizeof err);
        assert_non_null(fx->agent);
        assert_int_equal(pol_rl_dqn_learn(fx->agent, &env, 300), 0);
    } else {
        pol_rl_ppo_opts o;
        pol_rl_ppo_defaults(&o);
        o.norm_obs = 1;
        o.n_steps = 100;
        o.total_steps = 300;
        fx->agent = pol_rl_ppo_new(&o, F, A, 1, 5, err, sizeof err);
        assert_non_null(fx->agent);
        pol_rl_env *envs[1] = {&env};
        assert_int_equal(pol_rl_ppo_learn(fx->agent, envs, 300), 0);
    }
    gsl_rng_free(ne.rng);
    assert_int_equal(eng_tmp_path(fx->dir, sizeof fx->dir, "test_xp_ckpt-XXXXXX"), 0);
    assert_non_null(mkdtemp(fx->dir));
    snprintf(fx->path, sizeof fx->path, "%s/%s.h5", fx->dir, dqn ? "dqn" : "ppo");
    xp_ckpt_meta m = {.algorithm = dqn ? "dqn" : "ppo", .scenario = "t", .episodes = 1, .reward_slo = 10};
    if (xp_ckpt_save(fx->path, dqn ? dqn_visit : ppo_visit, fx->agent, &m, err, sizeof err) != 0)
        fail_msg("%s", err);
}

static void drop(fixture *fx) {
    if (fx->dqn)
        pol_rl_dqn_free(fx->agent);
    else
        pol_rl_ppo_free(fx->agent);
    char cmd[128];
    snprintf(cmd, sizeof cmd, "rm -rf %s", fx->dir);
    assert_int_equal(system(cmd), 0);
}

/* Every array of one agent, in visiting order, for comparison. */
typedef struct {
    pol_nn_blob b;
} arrays;
static arrays arrays_of(fixture *fx, void *agent) {
    arrays a = {{0}};
    assert_int_equal(fx->dqn ? pol_rl_dqn_visit(agent, pol_nn_blob_put, &a.b)
                             : pol_rl_ppo_visit(agent, pol_nn_blob_put, &a.b),
                     0);
    return a;
}

static void *reload(fixture *fx, char *err, size_t errlen) {
    pol_nn_blob b = {0};
    char sig[1024];
    void *agent = NULL;
    if (xp_ckpt_read(fx->path, &b, sig, sizeof sig, err, errlen) == 0)
        agent = fx->dqn ? (void *)pol_rl_dqn_from_blob(b.data, b.len, F, A, 0, err, errlen)
                        : (void *)pol_rl_ppo_from_blob(b.data, b.len, F, A, 1, 0, err, errlen);
    pol_nn_blob_free(&b);
    return agent;
}

static void round_trip(int dqn) {
    fixture fx;
    make(&fx, dqn);
    char err[1024] = "";
    void *back = reload(&fx, err, sizeof err);
    if (!back) fail_msg("%s", err);
    arrays a = arrays_of(&fx, fx.agent), b = arrays_of(&fx, back);
    assert_int_equal(a.b.len, b.b.len);
    assert_memory_equal(a.b.data, b.b.data, a.b.len);
    /* Greedy actions on 500 observations, and those of the allocator. */
    gsl_rng *rng = gsl_rng_alloc(gsl_rng_mt19937);
    float x[500 * F];
    for (size_t i = 0; i < sizeof x / sizeof *x; i++) x[i] = (float)(200 * gsl_rng_uniform(rng));
    int act_a[500], act_b[500];
    float out_a[500 * A], out_b[500 * A]; /* Q-values or action probabilities */
    if (dqn) {
        pol_rl_dqn_act(fx.agent, x, 500, act_a);
        pol_rl_dqn_act(back, x, 500, act_b);
        pol_rl_dqn_q_values(fx.agent, x, 500, out_a);
        pol_rl_dqn_q_values(back, x, 500, out_b);
        pol_rl_dqn_free(back);
    } else {
        pol_rl_ppo_act(fx.agent, x, 500, act_a);
        pol_rl_ppo_act(back, x, 500, act_b);
        pol_rl_ppo_probs(fx.agent, x, 500, out_a);
        pol_rl_ppo_probs(back, x, 500, out_b);
        pol_rl_ppo_free(back);
    }
    assert_memory_equal(act_a, act_b, sizeof act_a);
    assert_memory_equal(out_a, out_b, sizeof out_a);
    gsl_rng_free(rng);
    xp_ckpt_install();
    const eng_alloc_ops *ops = pol_alloc_find(dqn ? "dqn" : "ppo");
    eng_alloc_opts o = {.min_executors = 1, .max_executors = 16, .initial_executors = 8, .interval = RT_S};
    snprintf(o.name, sizeof o.name, "%s", ops->name);
    snprintf(o.checkpoint, sizeof o.checkpoint, "%s", fx.path);
    void *st = ops->init(&o, err, sizeof err);
    if (!st) fail_msg("%s", err);
    eng_alloc_obs obs = {.max_executors = 16, .slo_ms = 5000, .slots_per_executor = 4, .ready = 8};
    for (int k = 0; k < 20; k++) {
        obs.input_rate = 50.0 * k;
        obs.backlog = 1000u * (uint32_t)k;
        float f[F];
        pol_alloc_rl_features(&obs, f);
        int act;
        if (dqn)
            pol_rl_dqn_act(fx.agent, f, 1, &act);
        else
            pol_rl_ppo_act(fx.agent, f, 1, &act);
        eng_alloc_decision d = {0};
        ops->decide(st, &obs, &d);
        assert_int_equal(d.target, pol_alloc_rl_target(act, 1, 16));
    }
    ops->free(st);
    pol_nn_blob_free(&a.b);
    pol_nn_blob_free(&b.b);
    drop(&fx);
}

static void test_dqn_round_trip(void **unused) { round_trip(1); }
static void test_ppo_round_trip(void **unused) { round_trip(0); }

/* Hyperparameters and normalisation are attributes, weights datasets; the
 * signature and the training record are root attributes. */
static void test_layout(void **unused) {
    fixture fx;
    make(&fx, 1);
    char s[1024], err[512], want[1024];
    assert_int_equal(an_ckpt_h5_read_str(fx.path, "algorithm", s, sizeof s, err, sizeof err), 0);
    assert_string_equal(s, "dqn");
    assert_int_equal(an_ckpt_h5_read_str(fx.path, "signature", s, sizeof s, err, sizeof err), 0);
    pol_alloc_rl_signature(want, sizeof want);
    assert_string_equal(s, want);
    assert_int_equal(an_ckpt_h5_read_str(fx.path, "arrays", s, sizeof s, err, sizeof err), 0);
    assert_true(strncmp(s, "dqn/obs_dim\ndqn/n_actions\ndqn/config/n_hidden\n", 44) == 0);
    drop(&fx);
}

static void expect_refused(const char *path, const char *what) {
    pol_nn_blob b = {0};
    char sig[1024], err[1024] = "";
    assert_int_not_equal(xp_ckpt_read(path, &b, sig, sizeof sig, err, sizeof err), 0);
    pol_nn_blob_free(&b);
    if (!strstr(err, path) || !strstr(err, what)) fail_msg("'%s' lacks '%s' or '%s'", err, path, what);
}

/* Overwrites n bytes at offset off of path with 0x5a. */
static void damage(const char *path, long off, size_t n) {
    FILE *f = fopen(path, "r+b");
    assert_non_null(f);
    assert_int_equal(fseek(f, off, SEEK_SET), 0);
    for (size_t i = 0; i < n; i++) fputc(0x5a, f);
    fclose(f);
}

static long file_size(const char *path) {
    FILE *f = fopen(path, "rb");
    assert_non_null(f);
    fseek(f, 0, SEEK_END);
    long n = ftell(f);
    fclose(f);
    return n;
}

static void test_damaged_files_are_refused(void **unused) {
    fixture fx;
    make(&fx, 1);
    char path[160];
    snprintf(path, sizeof path, "%s/missing.h5", fx.dir);
    expect_refused(path, "No such file");
    snprintf(path, sizeof path, "%s/text.h5", fx.dir);
    FILE *f = fopen(path, "w");
    fputs("not a checkpoint\n", f);
    fclose(f);
    expect_refused(path, "not an HDF5 file");
    /* A truncated copy. */
    long n = file_size(fx.path);
    char cmd[512];
    snprintf(cmd, sizeof cmd, "head -c %ld %s > %s/cut.h5", n / 2, fx.path, fx.dir);
    assert_int_equal(system(cmd), 0);
    snprintf(path, sizeof path, "%s/cut.h5", fx.dir);
    expect_refused(path, "truncated");
    /* The Q-network's weights start after the first 2 KiB of metadata and
     * fill most of the file: damage 64 bytes in the middle (Fletcher-32). */
    damage(fx.path, n / 2, 64);
    expect_refused(fx.path, "cannot read array");
    /* An HDF5 file that is not a checkpoint. */
    snprintf(path, sizeof path, "%s/curve.h5", fx.dir);
    an_ckpt_h5 *w = an_ckpt_h5_create(path, cmd, sizeof cmd);
    assert_non_null(w);
    assert_int_equal(an_ckpt_h5_close(w, 1, cmd, sizeof cmd), 0);
    expect_refused(path, "no attribute 'arrays'");
    drop(&fx);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_dqn_round_trip),
        cmocka_unit_test(test_ppo_round_trip),
        cmocka_unit_test(test_layout),
        cmocka_unit_test(test_damaged_files_are_refused),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
