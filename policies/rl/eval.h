/* Greedy evaluation of a learned policy: runs whole episodes on a set of
 * environments in lockstep (one episode each), asking the policy for a
 * minibatch of actions per step, and reports the undiscounted returns. Used
 * by the benchmarks and tests of policies/rl. */
#ifndef POL_RL_EVAL_H
#define POL_RL_EVAL_H

#include <stddef.h>

#include "policies/rl/env.h"

/* A deterministic policy: fills actions[i] for each of the n observations
 * (n x obs_dim). */
typedef struct pol_rl_policy {
    void (*act)(void *self, const float *obs, size_t n, int *actions);
    void *self;
} pol_rl_policy;

/* One episode on each of the n environments (all with the same obs_dim).
 * Writes each return to returns (n values, may be NULL) and the mean to
 * *mean. Returns 0, POL_NN_ENOMEM, or an environment's negative code. */
int pol_rl_evaluate(pol_rl_env *const *envs, size_t n, pol_rl_policy policy, double *returns, double *mean);

#endif
