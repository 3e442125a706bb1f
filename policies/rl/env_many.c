/* Stepping and resetting several environments of policies/rl at once (see
 * env.h): what lets PPO's rollouts and DQN's parallel episodes keep every
 * simulation of the allocator environment busy at the same time. The
 * built-in environments have no send/recv and simply step in turn. */
#include "policies/rl/env.h"

static int can_split(const pol_rl_env *e) { return e->ops->abi >= 2 && e->ops->send && e->ops->recv; }

/* Starts action a (or a reset) on every selected environment that can
 * split, then finishes every selected one in index order. */
static int many(pol_rl_env *const *envs, size_t n, const int *actions, const unsigned char *which, float *obs,
                pol_rl_step *out) {
    int rc;
    for (size_t i = 0; i < n; i++)
        if ((!which || which[i]) && can_split(envs[i]) &&
            (rc = envs[i]->ops->send(envs[i], actions ? actions[i] : POL_RL_RESET)))
            return rc;
    for (size_t i = 0; i < n; i++) {
        if (which && !which[i]) continue;
        pol_rl_env *e = envs[i];
        float *o = obs + i * pol_rl_env_obs_dim(e);
        if (can_split(e))
            rc = e->ops->recv(e, o, actions ? &out[i] : NULL);
        else
            rc = actions ? pol_rl_env_step(e, actions[i], o, &out[i]) : pol_rl_env_reset(e, o);
        if (rc) return rc;
    }
    return 0;
}

int pol_rl_env_step_many(pol_rl_env *const *envs, size_t n, const int *actions, float *obs,
                         pol_rl_step *out) {
    return many(envs, n, actions, NULL, obs, out);
}

int pol_rl_env_reset_many(pol_rl_env *const *envs, size_t n, const unsigned char *which, float *obs) {
    return many(envs, n, NULL, which, obs, NULL);
}
