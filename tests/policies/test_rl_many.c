/* Several environments at once (policies/rl/env_many.c) and the learners
 * that use them: an environment with send/recv is started before any is
 * waited for (the call log shows every send before the first recv), the
 * results arrive in index order, and PPO and DQN learn bit-identical
 * networks whether their environments step through send/recv or in turn,
 * so parallel workers change timing, never results. DQN on n environments
 * refuses another n later. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>

#include <cmocka.h>
#include <stdlib.h>
#include <string.h>

#include "policies/rl/dqn.h"
#include "policies/rl/ppo.h"

/* A chain environment wrapped with send/recv that logs its calls. */
typedef struct split {
    pol_rl_env *inner;
    int id, pending;
    char *log;
} split;

static size_t sp_obs_dim(const pol_rl_env *e) { return pol_rl_env_obs_dim(((split *)e->state)->inner); }
static size_t sp_n_actions(const pol_rl_env *e) { return pol_rl_env_n_actions(((split *)e->state)->inner); }
static int sp_reset(pol_rl_env *e, float *obs) { return pol_rl_env_reset(((split *)e->state)->inner, obs); }
static int sp_step(pol_rl_env *e, int a, float *obs, pol_rl_step *out) {
    return pol_rl_env_step(((split *)e->state)->inner, a, obs, out);
}
static void sp_free(pol_rl_env *e) {
    split *s = e->state;
    pol_rl_env_free(s->inner);
    free(s);
    free(e);
}
static int sp_send(pol_rl_env *e, int a) {
    split *s = e->state;
    if (s->log) sprintf(s->log + strlen(s->log), "%s%d ", a == POL_RL_RESET ? "S*" : "S", s->id);
    s->pending = a;
    return 0;
}
static int sp_recv(pol_rl_env *e, float *obs, pol_rl_step *out) {
    split *s = e->state;
    if (s->log) sprintf(s->log + strlen(s->log), "R%d ", s->id);
    return s->pending == POL_RL_RESET ? sp_reset(e, obs) : sp_step(e, s->pending, obs, out);
}

static const pol_rl_env_ops split_ops = {
    .abi = POL_RL_ENV_ABI,
    .name = "split",
    .obs_dim = sp_obs_dim,
    .n_actions = sp_n_actions,
    .reset = sp_reset,
    .step = sp_step,
    .free = sp_free,
    .send = sp_send,
    .recv = sp_recv,
};

/* Chain i (5 states, 20-step limit, seed 10 + i), split or not. */
static pol_rl_env *chain(int i, int with_split, char *log) {
    pol_rl_env *inner = pol_rl_chain_new(5, 20, 10 + (unsigned long)i);
    if (!with_split) return inner;
    split *s = calloc(1, sizeof *s);
    pol_rl_env *e = malloc(sizeof *e);
    *s = (split){.inner = inner, .id = i, .log = log};
    *e = (pol_rl_env){.ops = &split_ops, .state = s};
    return e;
}

static void test_sends_before_receives(void **unused) {
    char log[256] = "";
    pol_rl_env *envs[2] = {chain(0, 1, log), chain(1, 1, log)};
    float obs[10];
    pol_rl_step st[2];
    assert_int_equal(pol_rl_env_reset_many(envs, 2, NULL, obs), 0);
    int actions[2] = {1, 0};
    assert_int_equal(pol_rl_env_step_many(envs, 2, actions, obs, st), 0);
    unsigned char which[2] = {0, 1};
    assert_int_equal(pol_rl_env_reset_many(envs, 2, which, obs), 0);
    assert_string_equal(log, "S*0 S*1 R0 R1 S0 S1 R0 R1 S*1 R1 ");
    /* Chain from state 1: right reaches state 2 (one-hot), left ends the
     * episode in state 0 with reward 0.1; env 1 was reset to state 1. */
    assert_true(obs[2] == 1.0f && st[0].reward == 0.0 && !st[0].terminated);
    assert_true(st[1].terminated && st[1].reward == 0.1);
    assert_true(obs[5 + 1] == 1.0f);
    for (int i = 0; i < 2; i++) pol_rl_env_free(envs[i]);
}

static void blob_equal(pol_nn_blob *a, pol_nn_blob *b) {
    assert_int_equal(a->len, b->len);
    assert_memory_equal(a->data, b->data, a->len);
    pol_nn_blob_free(a);
    pol_nn_blob_free(b);
}

static pol_nn_blob ppo_run(int with_split) {
    char err[256];
    pol_rl_ppo_opts o;
    pol_rl_ppo_defaults(&o);
    o.n_steps = 32;
    o.batch_size = 16;
    o.n_epochs = 2;
    o.norm_obs = 1;
    pol_rl_env *envs[2] = {chain(0, with_split, NULL), chain(1, with_split, NULL)};
    pol_rl_ppo *a = pol_rl_ppo_new(&o, 5, 2, 2, 3, err, sizeof err);
    assert_non_null(a);
    assert_int_equal(pol_rl_ppo_learn(a, envs, 640), 0);
    pol_nn_blob b = {0};
    assert_int_equal(pol_rl_ppo_to_blob(a, &b), 0);
    pol_rl_ppo_free(a);
    for (int i = 0; i < 2; i++) pol_rl_env_free(envs[i]);
    return b;
}

static pol_nn_blob dqn_run(int with_split) {
    char err[256];
    pol_rl_dqn_opts o;
    pol_rl_dqn_defaults(&o);
    o.hidden[0] = o.hidden[1] = 16;
    o.learning_starts = 50;
    o.train_freq = 1;
    o.target_update_interval = 50;
    o.norm_obs = 1;
    o.total_steps = 600;
    pol_rl_env *envs[3] = {chain(0, with_split, NULL), chain(1, with_split, NULL),
                           chain(2, with_split, NULL)};
    pol_rl_dqn *a = pol_rl_dqn_new(&o, 5, 2, 4, err, sizeof err);
    assert_non_null(a);
    assert_int_equal(pol_rl_dqn_learn_many(a, envs, 3, 600), 0);
    assert_int_equal(pol_rl_dqn_steps(a), 600);
    assert_int_equal(pol_rl_dqn_learn_many(a, envs, 2, 10), POL_NN_EINVAL);
    pol_nn_blob b = {0};
    assert_int_equal(pol_rl_dqn_to_blob(a, &b), 0);
    pol_rl_dqn_free(a);
    for (int i = 0; i < 3; i++) pol_rl_env_free(envs[i]);
    return b;
}

static void test_ppo_same_either_way(void **unused) {
    pol_nn_blob a = ppo_run(1), b = ppo_run(0);
    blob_equal(&a, &b);
}

static void test_dqn_same_either_way(void **unused) {
    pol_nn_blob a = dqn_run(1), b = dqn_run(0);
    blob_equal(&a, &b);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_sends_before_receives),
        cmocka_unit_test(test_ppo_same_either_way),
        cmocka_unit_test(test_dqn_same_either_way),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
