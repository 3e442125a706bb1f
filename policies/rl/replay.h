/* Experience replay for off-policy learners (DQN): a ring of the last
 * `capacity` transitions (obs, action, reward, next_obs, terminal), sampled
 * uniformly with replacement. `terminal` is set only for true termination;
 * a time-limit truncation is stored as non-terminal so the learner
 * bootstraps through it (Stable-Baselines3's handle_timeout_termination). */
#ifndef POL_RL_REPLAY_H
#define POL_RL_REPLAY_H

#include <gsl/gsl_rng.h>
#include <stddef.h>
#include <stdint.h>

typedef struct pol_rl_replay {
    size_t capacity, obs_dim;
    size_t size, next; /* transitions held; slot the next push overwrites */
    float *obs, *next_obs, *reward;
    int32_t *action;
    uint8_t *terminal;
} pol_rl_replay;

/* A sampled minibatch, in arrays owned by the caller (batch rows each). */
typedef struct pol_rl_batch {
    float *obs, *next_obs, *reward; /* batch x obs_dim, batch x obs_dim, batch */
    int32_t *action;
    uint8_t *terminal;
} pol_rl_batch;

/* NULL if out of memory; free with pol_rl_replay_free. */
pol_rl_replay *pol_rl_replay_new(size_t capacity, size_t obs_dim);
void pol_rl_replay_free(pol_rl_replay *r);
/* Copies one transition in, overwriting the oldest when full. */
void pol_rl_replay_push(pol_rl_replay *r, const float *obs, int action, double reward, const float *next_obs,
                        int terminal);
/* Draws batch transitions uniformly with replacement (size must be > 0). */
void pol_rl_replay_sample(const pol_rl_replay *r, size_t batch, gsl_rng *rng, pol_rl_batch *out);

#endif
