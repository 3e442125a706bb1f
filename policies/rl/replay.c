/* Replay ring buffer (see replay.h). */
#include "policies/rl/replay.h"

#include <assert.h>
#include <stdlib.h>
#include <string.h>

pol_rl_replay *pol_rl_replay_new(size_t capacity, size_t obs_dim) {
    assert(capacity > 0 && obs_dim > 0);
    pol_rl_replay *r = calloc(1, sizeof *r);
    if (!r) return NULL;
    r->capacity = capacity;
    r->obs_dim = obs_dim;
    r->obs = malloc(capacity * obs_dim * sizeof(float));
    r->next_obs = malloc(capacity * obs_dim * sizeof(float));
    r->reward = malloc(capacity * sizeof(float));
    r->action = malloc(capacity * sizeof(int32_t));
    r->terminal = malloc(capacity);
    if (!r->obs || !r->next_obs || !r->reward || !r->action || !r->terminal) {
        pol_rl_replay_free(r);
        return NULL;
    }
    return r;
}

void pol_rl_replay_free(pol_rl_replay *r) {
    if (!r) return;
    free(r->obs);
    free(r->next_obs);
    free(r->reward);
    free(r->action);
    free(r->terminal);
    free(r);
}

void pol_rl_replay_push(pol_rl_replay *r, const float *obs, int action, double reward, const float *next_obs,
                        int terminal) {
    size_t i = r->next, d = r->obs_dim;
    memcpy(r->obs + i * d, obs, d * sizeof(float));
    memcpy(r->next_obs + i * d, next_obs, d * sizeof(float));
    r->reward[i] = (float)reward;
    r->action[i] = action;
    r->terminal[i] = terminal != 0;
    r->next = (i + 1) % r->capacity;
    if (r->size < r->capacity) r->size++;
}

void pol_rl_replay_sample(const pol_rl_replay *r, size_t batch, gsl_rng *rng, pol_rl_batch *out) {
    assert(r->size > 0);
    size_t d = r->obs_dim;
    for (size_t k = 0; k < batch; k++) {
        size_t i = gsl_rng_uniform_int(rng, r->size);
        memcpy(out->obs + k * d, r->obs + i * d, d * sizeof(float));
        memcpy(out->next_obs + k * d, r->next_obs + i * d, d * sizeof(float));
        out->reward[k] = r->reward[i];
        out->action[k] = r->action[i];
        out->terminal[k] = r->terminal[i];
    }
}
