/* Deep Q-learning (Mnih et al., 2015) for discrete actions, following
 * Stable-Baselines3's DQN: epsilon-greedy exploration with a linear
 * schedule, uniform replay, Huber TD loss on the taken action, Adam with
 * gradient-norm clipping, a target network updated by Polyak averaging
 * (tau = 1: hard copy) every target_update_interval environment steps, and
 * optionally double DQN (van Hasselt et al., 2016). It is one of the two
 * learning allocators' algorithms; CartPole (bench/bench_rl.c) checks it.
 * Defaults are SB3's except where docs/rl.md says otherwise. */
#ifndef POL_RL_DQN_H
#define POL_RL_DQN_H

#include <stddef.h>
#include <stdint.h>

#include "policies/nn/ckpt.h"
#include "policies/nn/mlp.h"
#include "policies/rl/env.h"
#include "policies/rl/eval.h"

typedef struct pol_rl_dqn_opts {
    size_t n_hidden;                      /* hidden layers: 2 */
    size_t hidden[POL_NN_MAX_LAYERS - 1]; /* widths: 64, 64 (ReLU) */
    double lr;                            /* Adam learning rate: 1e-4 */
    double adam_eps;                      /* 1e-8 */
    double max_grad_norm;                 /* 10 */
    size_t buffer_size;                   /* 100000 (SB3: 1e6) */
    size_t learning_starts;               /* uniform random actions before: 100 */
    size_t batch_size;                    /* 32 */
    double gamma;                         /* 0.99 */
    double tau;                           /* target Polyak coefficient: 1 */
    size_t train_freq;                    /* train every n env steps: 4 */
    size_t gradient_steps;                /* gradient steps per training: 1 */
    size_t target_update_interval;        /* env steps: 10000 */
    double exploration_fraction;          /* of total_steps: 0.1 */
    double eps_initial, eps_final;        /* 1.0, 0.05 */
    double huber_delta;                   /* 1 */
    int double_q;                         /* 0 */
    int norm_obs;                         /* running observation normalisation: 0 */
    uint64_t total_steps;                 /* horizon of the exploration schedule: 100000 */
} pol_rl_dqn_opts;

void pol_rl_dqn_defaults(pol_rl_dqn_opts *o);
/* 0, or POL_NN_EINVAL with a message naming the first bad option. */
int pol_rl_dqn_opts_check(const pol_rl_dqn_opts *o, char *err, size_t errlen);

typedef struct pol_rl_dqn pol_rl_dqn;

/* An untrained agent for obs_dim observations and n_actions actions; all
 * its randomness (initial weights, exploration, replay sampling) comes from
 * seed. NULL with a message on bad options or lack of memory. Free with
 * pol_rl_dqn_free. */
pol_rl_dqn *pol_rl_dqn_new(const pol_rl_dqn_opts *o, size_t obs_dim, size_t n_actions, unsigned long seed,
                           char *err, size_t errlen);
void pol_rl_dqn_free(pol_rl_dqn *a);

/* Interacts with env for `steps` more environment steps, learning as it
 * goes; successive calls continue the same run (pass the same env each
 * time: the agent keeps its current episode). Returns 0, POL_NN_ENOMEM or
 * the environment's negative code. */
int pol_rl_dqn_learn(pol_rl_dqn *a, pol_rl_env *env, uint64_t steps);
/* Environment steps taken so far. */
uint64_t pol_rl_dqn_steps(const pol_rl_dqn *a);
/* As pol_rl_dqn_learn on n environments at once (the same n on every call;
 * another n is POL_NN_EINVAL). Each round picks every environment's action
 * with the current network and epsilon (as for consecutive steps), steps
 * them all together (pol_rl_env_step_many), then stores and learns from
 * the n transitions in index order, so learning between an action and the
 * next is what n serial steps would do, but up to n - 1 gradient steps
 * newer than the action's network. Runs whole rounds until at least
 * `steps` more steps; n = 1 is pol_rl_dqn_learn exactly. */
int pol_rl_dqn_learn_many(pol_rl_dqn *a, pol_rl_env *const *envs, size_t n, uint64_t steps);
/* Q-values of n observations (n x obs_dim) into q (n x n_actions). */
void pol_rl_dqn_q_values(pol_rl_dqn *a, const float *obs, size_t n, float *q);
/* Greedy actions for n observations (n x obs_dim). */
void pol_rl_dqn_act(pol_rl_dqn *a, const float *obs, size_t n, int *actions);
/* The greedy policy, for pol_rl_evaluate; valid while a lives. */
pol_rl_policy pol_rl_dqn_policy(pol_rl_dqn *a);

/* Checkpoint: visits every named array that defines the agent: shape,
 * options, Q and target weights, Adam moments and step, observation
 * statistics and the step counter (not the replay buffer). */
int pol_rl_dqn_visit(pol_rl_dqn *a, pol_nn_visit_fn fn, void *ctx);
/* Serialises the agent into a fresh blob (zero-initialised by the caller;
 * free with pol_nn_blob_free). Returns 0 or POL_NN_ENOMEM. */
int pol_rl_dqn_to_blob(pol_rl_dqn *a, pol_nn_blob *out);
/* A new agent from a blob written by pol_rl_dqn_to_blob, for an environment
 * with obs_dim observations and n_actions actions. NULL with a message if
 * the blob is corrupt, is not a DQN checkpoint, or was trained for another
 * shape. The replay buffer starts empty. */
pol_rl_dqn *pol_rl_dqn_from_blob(const void *data, size_t len, size_t obs_dim, size_t n_actions,
                                 unsigned long seed, char *err, size_t errlen);

#endif
