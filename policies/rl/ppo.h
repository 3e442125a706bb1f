/* Proximal Policy Optimisation (Schulman et al., 2017) for discrete
 * actions, following Stable-Baselines3's PPO: synchronous rollouts of
 * n_steps on each of n_envs environments, GAE(lambda) advantages with
 * time-limit truncations bootstrapped from the value of the final
 * observation, then n_epochs passes of shuffled minibatches on the clipped
 * surrogate, the (optionally clipped) value loss and an entropy bonus, with
 * per-minibatch advantage normalisation, one Adam over separate policy and
 * value networks (tanh, orthogonal init) clipped by their joint gradient
 * norm, and optionally linearly annealed learning rate and clip range. It is
 * the other learning allocators' algorithm; CartPole checks it. Defaults
 * are SB3's except where docs/rl.md says otherwise. */
#ifndef POL_RL_PPO_H
#define POL_RL_PPO_H

#include <stddef.h>
#include <stdint.h>

#include "policies/nn/ckpt.h"
#include "policies/nn/mlp.h"
#include "policies/rl/env.h"
#include "policies/rl/eval.h"

typedef struct pol_rl_ppo_opts {
    size_t n_hidden;                      /* hidden layers of each network: 2 */
    size_t hidden[POL_NN_MAX_LAYERS - 1]; /* widths: 64, 64 (tanh) */
    double lr;                            /* 3e-4 */
    int lr_anneal;                        /* anneal lr linearly to 0 over total_steps: 0 */
    double adam_eps;                      /* 1e-5 */
    double max_grad_norm;                 /* 0.5 */
    size_t n_steps;                       /* rollout length per environment: 2048 */
    size_t batch_size;                    /* minibatch: 64 */
    size_t n_epochs;                      /* 10 */
    double gamma;                         /* 0.99 */
    double gae_lambda;                    /* 0.95 */
    double clip_range;                    /* 0.2 */
    int clip_anneal;                      /* anneal clip_range linearly to 0: 0 */
    double clip_range_vf;                 /* 0: value loss not clipped */
    double ent_coef;                      /* 0 */
    double vf_coef;                       /* 0.5 */
    int norm_adv;                         /* 1 */
    int norm_obs;                         /* running observation normalisation: 0 */
    uint64_t total_steps;                 /* horizon of the annealing schedules: 1000000 */
} pol_rl_ppo_opts;

void pol_rl_ppo_defaults(pol_rl_ppo_opts *o);
/* 0, or POL_NN_EINVAL with a message naming the first bad option. */
int pol_rl_ppo_opts_check(const pol_rl_ppo_opts *o, char *err, size_t errlen);

typedef struct pol_rl_ppo pol_rl_ppo;

/* An untrained agent that collects rollouts from n_envs environments with
 * obs_dim observations and n_actions actions; all its randomness (weights,
 * action sampling, minibatch order) comes from seed. NULL with a message on
 * bad options or lack of memory. Free with pol_rl_ppo_free. */
pol_rl_ppo *pol_rl_ppo_new(const pol_rl_ppo_opts *o, size_t obs_dim, size_t n_actions, size_t n_envs,
                           unsigned long seed, char *err, size_t errlen);
void pol_rl_ppo_free(pol_rl_ppo *a);

/* Collects rollouts and trains on each until at least `steps` more
 * environment steps (n_steps x n_envs per rollout) have been taken.
 * Successive calls continue the same run with the same n_envs environments.
 * Returns 0, POL_NN_ENOMEM or an environment's negative code. */
int pol_rl_ppo_learn(pol_rl_ppo *a, pol_rl_env *const *envs, uint64_t steps);
uint64_t pol_rl_ppo_steps(const pol_rl_ppo *a);
/* Greedy (most probable) actions for n observations. */
void pol_rl_ppo_act(pol_rl_ppo *a, const float *obs, size_t n, int *actions);
/* Action probabilities for n observations (n x n_actions into probs). */
void pol_rl_ppo_probs(pol_rl_ppo *a, const float *obs, size_t n, float *probs);
pol_rl_policy pol_rl_ppo_policy(pol_rl_ppo *a);

/* Checkpoint: shape, options, policy and value weights, Adam state,
 * observation statistics and the step counter. */
int pol_rl_ppo_visit(pol_rl_ppo *a, pol_nn_visit_fn fn, void *ctx);
int pol_rl_ppo_to_blob(pol_rl_ppo *a, pol_nn_blob *out);
/* As pol_rl_dqn_from_blob, for PPO checkpoints. */
pol_rl_ppo *pol_rl_ppo_from_blob(const void *data, size_t len, size_t obs_dim, size_t n_actions,
                                 size_t n_envs, unsigned long seed, char *err, size_t errlen);

/* The pieces of PPO's update, exposed for their tests. */

/* GAE(lambda) over a rollout of n_steps x n_envs (time-major). done[t][i]
 * says step t ended env i's episode (its truncation bootstrap already added
 * to reward); last_values are V of the observations after the last step.
 *   delta_t = r_t + gamma V_{t+1} (1 - done_t) - V_t
 *   A_t = delta_t + gamma lambda (1 - done_t) A_{t+1};  R_t = A_t + V_t */
void pol_rl_gae(const float *reward, const float *value, const unsigned char *done, const float *last_values,
                size_t n_steps, size_t n_envs, double gamma, double lambda, float *adv, float *ret);

/* Clipped-surrogate policy loss with entropy bonus over m samples:
 *   -mean(min(r A, clip(r, 1-c, 1+c) A)) - ent_coef mean(H),
 *   r = exp(logp(action) - old_logp).
 * Writes its gradient with respect to the logits (m x n_actions) into
 * dlogits and, if stats is not NULL, {mean entropy, clip fraction}. */
double pol_rl_ppo_policy_loss(const float *logits, const int *action, const float *old_logp, const float *adv,
                              size_t m, size_t n_actions, double clip, double ent_coef, float *dlogits,
                              double stats[2]);

#endif
