/* The pure pieces of PPO's update (see ppo.h): GAE and the clipped
 * surrogate with its logit gradient. With logp_a = z_a - logsumexp(z):
 *   d logp_a / d z_j = [j = a] - p_j,  d H / d z_j = -p_j (log p_j + H).
 * The surrogate's gradient flows through r only where the unclipped term is
 * the minimum: A >= 0 and r <= 1+c, or A < 0 and r >= 1-c. */
#include <math.h>

#include "policies/nn/loss.h"
#include "policies/rl/ppo.h"

void pol_rl_gae(const float *reward, const float *value, const unsigned char *done, const float *last_values,
                size_t n_steps, size_t n_envs, double gamma, double lambda, float *adv, float *ret) {
    for (size_t i = 0; i < n_envs; i++) {
        double last = 0;
        for (size_t t = n_steps; t-- > 0;) {
            size_t k = t * n_envs + i;
            double next_v = t + 1 == n_steps ? last_values[i] : value[k + n_envs];
            double live = done[k] ? 0.0 : 1.0;
            double delta = reward[k] + gamma * next_v * live - value[k];
            last = delta + gamma * lambda * live * last;
            adv[k] = (float)last;
            ret[k] = (float)(last + value[k]);
        }
    }
}

double pol_rl_ppo_policy_loss(const float *logits, const int *action, const float *old_logp, const float *adv,
                              size_t m, size_t n_actions, double clip, double ent_coef, float *dlogits,
                              double stats[2]) {
    double loss = 0, ent_sum = 0, clipped = 0;
    for (size_t k = 0; k < m; k++) {
        const float *z = logits + k * n_actions;
        float *dz = dlogits + k * n_actions; /* holds log p until the gradient replaces it */
        pol_nn_log_softmax(z, 1, n_actions, dz);
        double h = 0;
        for (size_t j = 0; j < n_actions; j++) h -= exp(dz[j]) * dz[j];
        double r = exp(dz[action[k]] - old_logp[k]), A = adv[k];
        double rc = r < 1 - clip ? 1 - clip : r > 1 + clip ? 1 + clip : r;
        loss -= fmin(r * A, rc * A);
        ent_sum += h;
        clipped += fabs(r - 1) > clip;
        int active = A >= 0 ? r <= 1 + clip : r >= 1 - clip;
        double dlogp = active ? -A * r / (double)m : 0.0;
        for (size_t j = 0; j < n_actions; j++) {
            double lp = dz[j], p = exp(lp);
            double g = dlogp * (((size_t)action[k] == j ? 1.0 : 0.0) - p);
            g += ent_coef * p * (lp + h) / (double)m;
            dz[j] = (float)g;
        }
    }
    if (stats) {
        stats[0] = ent_sum / (double)m;
        stats[1] = clipped / (double)m;
    }
    return (loss - ent_coef * ent_sum) / (double)m;
}
