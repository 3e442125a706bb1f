/* Lockstep greedy evaluation (see eval.h). */
#include "policies/rl/eval.h"

#include <stdlib.h>
#include <string.h>

#include "policies/nn/nn.h"

int pol_rl_evaluate(pol_rl_env *const *envs, size_t n, pol_rl_policy policy, double *returns, double *mean) {
    size_t d = pol_rl_env_obs_dim(envs[0]), live = 0;
    float *obs = malloc(n * d * sizeof *obs), *batch = malloc(n * d * sizeof *batch);
    int *actions = malloc(n * sizeof *actions);
    size_t *who = malloc(n * sizeof *who);
    double *ret = calloc(n, sizeof *ret);
    int rc = obs && batch && actions && who && ret ? POL_NN_OK : POL_NN_ENOMEM;
    for (size_t i = 0; i < n && !rc; i++) {
        rc = pol_rl_env_reset(envs[i], obs + i * d);
        who[live++] = i;
    }
    while (live > 0 && !rc) {
        for (size_t k = 0; k < live; k++) memcpy(batch + k * d, obs + who[k] * d, d * sizeof *obs);
        policy.act(policy.self, batch, live, actions);
        size_t still = 0;
        for (size_t k = 0; k < live && !rc; k++) {
            size_t i = who[k];
            pol_rl_step st;
            rc = pol_rl_env_step(envs[i], actions[k], obs + i * d, &st);
            ret[i] += st.reward;
            if (!st.terminated && !st.truncated) who[still++] = i;
        }
        live = still;
    }
    if (!rc) {
        double sum = 0;
        for (size_t i = 0; i < n; i++) sum += ret[i];
        *mean = sum / (double)n;
        if (returns) memcpy(returns, ret, n * sizeof *ret);
    }
    free(obs);
    free(batch);
    free(actions);
    free(who);
    free(ret);
    return rc;
}
