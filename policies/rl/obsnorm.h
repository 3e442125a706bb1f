/* Running observation normalisation for the learning policies, as
 * Stable-Baselines3's VecNormalize: per-feature running mean and variance
 * (parallel Welford merge, initial count 1e-4), normalised value
 * clip((x - mean) / sqrt(var + 1e-8), -clip, clip). Off for CartPole (the
 * RL-Zoo settings do not normalise); meant for the allocator's observations,
 * whose features differ by orders of magnitude. Its statistics are part of a
 * checkpoint: a policy must see inputs scaled as in training. */
#ifndef POL_RL_OBSNORM_H
#define POL_RL_OBSNORM_H

#include <stddef.h>

#define POL_RL_OBSNORM_MAX 64

typedef struct pol_rl_obsnorm {
    size_t dim;
    double clip;
    double count;
    double mean[POL_RL_OBSNORM_MAX], var[POL_RL_OBSNORM_MAX];
} pol_rl_obsnorm;

/* dim <= POL_RL_OBSNORM_MAX. */
void pol_rl_obsnorm_init(pol_rl_obsnorm *n, size_t dim, double clip);
/* Merges the statistics of rows observations (rows x dim). */
void pol_rl_obsnorm_update(pol_rl_obsnorm *n, const float *x, size_t rows);
/* out = normalised x (rows x dim); out may equal x. */
void pol_rl_obsnorm_apply(const pol_rl_obsnorm *n, const float *x, size_t rows, float *out);

#endif
