/* The discrete-action environment interface the learning algorithms of
 * policies/rl train on: CartPole (the reference check), the bandit and chain
 * test environments, and the allocator environment that wraps a simulated
 * pipeline. An environment is a struct of function pointers plus its state;
 * it owns its randomness (seeded at creation), so an episode sequence is
 * repeatable for a seed. Episodes end either by termination (a terminal
 * state: no future value) or by truncation (a time limit: the state still
 * has a value, which the algorithms bootstrap). */
#ifndef POL_RL_ENV_H
#define POL_RL_ENV_H

#include <gsl/gsl_rng.h>
#include <stddef.h>

/* 2: the optional send and recv slots. */
#define POL_RL_ENV_ABI 2

/* The action that asks send for a reset. */
#define POL_RL_RESET (-1)

typedef struct pol_rl_env pol_rl_env;

typedef struct pol_rl_step {
    double reward;
    int terminated; /* reached a terminal state */
    int truncated;  /* stopped by a time limit */
} pol_rl_step;

/* New slots go at the end; `abi` is POL_RL_ENV_ABI. */
typedef struct pol_rl_env_ops {
    int abi;
    const char *name;
    size_t (*obs_dim)(const pol_rl_env *env);
    size_t (*n_actions)(const pol_rl_env *env);
    /* Starts an episode and writes its first observation (obs_dim floats).
     * Returns 0 or a negative code. */
    int (*reset)(pol_rl_env *env, float *obs);
    /* Applies action (0 <= action < n_actions) and writes the next
     * observation, which after termination or truncation is the episode's
     * final one (call reset before stepping again). Returns 0 or a negative
     * code. */
    int (*step)(pol_rl_env *env, int action, float *obs, pol_rl_step *out);
    void (*free)(pol_rl_env *env);
    /* Optional (both or neither; abi >= 2): reset or step split in two so
     * that several environments advance at the same time. send starts a
     * step with action, or a reset with POL_RL_RESET, and returns without
     * waiting; recv waits for it and writes what step or reset would (out
     * is left alone after a reset). Each send is followed by one recv. */
    int (*send)(pol_rl_env *env, int action);
    int (*recv)(pol_rl_env *env, float *obs, pol_rl_step *out);
} pol_rl_env_ops;

struct pol_rl_env {
    const pol_rl_env_ops *ops;
    void *state; /* owned by the environment, released by ops->free */
};

static inline size_t pol_rl_env_obs_dim(const pol_rl_env *e) { return e->ops->obs_dim(e); }
static inline size_t pol_rl_env_n_actions(const pol_rl_env *e) { return e->ops->n_actions(e); }
static inline int pol_rl_env_reset(pol_rl_env *e, float *obs) { return e->ops->reset(e, obs); }
static inline int pol_rl_env_step(pol_rl_env *e, int action, float *obs, pol_rl_step *out) {
    return e->ops->step(e, action, obs, out);
}
static inline void pol_rl_env_free(pol_rl_env *e) {
    if (e) e->ops->free(e);
}

/* Several environments at once (env_many.c). Environments with send and
 * recv are all started before any is waited for, so they advance
 * concurrently; the others step in turn. Results are written and
 * environments are reset in index order either way, so the outcome does
 * not depend on which path ran. Each returns 0 or the first negative code.
 *
 * Steps env i with actions[i], writing its observation at obs + i x
 * obs_dim and its step into out[i]. */
int pol_rl_env_step_many(pol_rl_env *const *envs, size_t n, const int *actions, float *obs, pol_rl_step *out);
/* Resets the environments whose which[i] is nonzero (all if which is
 * NULL), writing their first observations at obs + i x obs_dim. */
int pol_rl_env_reset_many(pol_rl_env *const *envs, size_t n, const unsigned char *which, float *obs);

/* The built-in environments; each returns NULL if out of memory and is freed
 * with pol_rl_env_free. */

/* CartPole-v1 with Gym's classic physics (see env_cartpole.c): 4
 * observations, 2 actions, reward 1 per step, truncated at 500 steps. */
pol_rl_env *pol_rl_cartpole_new(unsigned long seed);
/* Starts a CartPole episode from a chosen state (x, x_dot, theta,
 * theta_dot), as reset does from a random one; writes its observation. */
void pol_rl_cartpole_set_state(pol_rl_env *env, const double state[4], float *obs);
/* Two-armed Bernoulli bandit: observation [1], arm a pays 1 with probability
 * p[a]; every episode is one step. */
pol_rl_env *pol_rl_bandit_new(double p0, double p1, unsigned long seed);
/* Chain of n >= 3 states, one-hot observation, actions 0 = left, 1 = right,
 * start in state 1. Reaching state 0 ends the episode with reward 0.1,
 * reaching state n-1 with reward 1; other steps pay 0; truncated after
 * max_steps. The optimal policy goes right everywhere. */
pol_rl_env *pol_rl_chain_new(size_t n, size_t max_steps, unsigned long seed);

/* Shared by the built-in environments: the wrapper around ops and state
 * (NULL if out of memory; state is then still the caller's), and a
 * Mersenne-Twister generator seeded with seed (NULL if out of memory). */
pol_rl_env *pol_rl_env__wrap(const pol_rl_env_ops *ops, void *state);
gsl_rng *pol_rl_env__rng(unsigned long seed);

#endif
