/* The two small environments whose optimal policies are known, used by the
 * tests of policies/rl: a two-armed Bernoulli bandit and a short chain MDP
 * with a near trap (a small reward one step left of the start, the large
 * one at the far right). Also the helpers every built-in environment uses. */
#include <assert.h>
#include <gsl/gsl_rng.h>
#include <stdlib.h>
#include <string.h>

#include "policies/rl/env.h"

pol_rl_env *pol_rl_env__wrap(const pol_rl_env_ops *ops, void *state) {
    pol_rl_env *e = malloc(sizeof *e);
    if (!e) return NULL;
    e->ops = ops;
    e->state = state;
    return e;
}

gsl_rng *pol_rl_env__rng(unsigned long seed) {
    gsl_rng *r = gsl_rng_alloc(gsl_rng_mt19937);
    if (r) gsl_rng_set(r, seed);
    return r;
}

/* Both toy environments keep their parameters and position here. */
typedef struct toy {
    gsl_rng *rng;
    double p[2];      /* bandit: pay-out probability of each arm */
    size_t n;         /* chain: number of states (0 for the bandit) */
    size_t max_steps; /* chain: truncation */
    size_t pos, steps;
    int done;
} toy;

static size_t bandit_obs_dim(const pol_rl_env *e) { return 1; }
static size_t chain_obs_dim(const pol_rl_env *e) { return ((const toy *)e->state)->n; }
static size_t two_actions(const pol_rl_env *e) { return 2; }

static int bandit_reset(pol_rl_env *e, float *obs) {
    ((toy *)e->state)->done = 0;
    obs[0] = 1.0f;
    return 0;
}

static int bandit_step(pol_rl_env *e, int action, float *obs, pol_rl_step *out) {
    toy *t = e->state;
    assert(!t->done && (action == 0 || action == 1));
    out->reward = gsl_rng_uniform(t->rng) < t->p[action] ? 1.0 : 0.0;
    out->terminated = 1;
    out->truncated = 0;
    t->done = 1;
    obs[0] = 1.0f;
    return 0;
}

static void chain_observe(const toy *t, float *obs) {
    memset(obs, 0, t->n * sizeof *obs);
    obs[t->pos] = 1.0f;
}

static int chain_reset(pol_rl_env *e, float *obs) {
    toy *t = e->state;
    t->pos = 1;
    t->steps = 0;
    t->done = 0;
    chain_observe(t, obs);
    return 0;
}

static int chain_step(pol_rl_env *e, int action, float *obs, pol_rl_step *out) {
    toy *t = e->state;
    assert(!t->done && (action == 0 || action == 1));
    t->pos = action == 1 ? t->pos + 1 : t->pos - 1;
    t->steps++;
    out->terminated = t->pos == 0 || t->pos == t->n - 1;
    out->reward = t->pos == 0 ? 0.1 : t->pos == t->n - 1 ? 1.0 : 0.0;
    out->truncated = !out->terminated && t->steps >= t->max_steps;
    t->done = out->terminated || out->truncated;
    chain_observe(t, obs);
    return 0;
}

static void toy_free(pol_rl_env *e) {
    toy *t = e->state;
    gsl_rng_free(t->rng);
    free(t);
    free(e);
}

static const pol_rl_env_ops BANDIT_OPS = {
    .abi = POL_RL_ENV_ABI,
    .name = "bandit",
    .obs_dim = bandit_obs_dim,
    .n_actions = two_actions,
    .reset = bandit_reset,
    .step = bandit_step,
    .free = toy_free,
};

static const pol_rl_env_ops CHAIN_OPS = {
    .abi = POL_RL_ENV_ABI,
    .name = "chain",
    .obs_dim = chain_obs_dim,
    .n_actions = two_actions,
    .reset = chain_reset,
    .step = chain_step,
    .free = toy_free,
};

static pol_rl_env *toy_new(const pol_rl_env_ops *ops, toy init, unsigned long seed) {
    toy *t = malloc(sizeof *t);
    if (!t) return NULL;
    *t = init;
    t->done = 1;
    t->rng = pol_rl_env__rng(seed);
    pol_rl_env *e = t->rng ? pol_rl_env__wrap(ops, t) : NULL;
    if (!e) {
        gsl_rng_free(t->rng);
        free(t);
    }
    return e;
}

pol_rl_env *pol_rl_bandit_new(double p0, double p1, unsigned long seed) {
    return toy_new(&BANDIT_OPS, (toy){.p = {p0, p1}}, seed);
}

pol_rl_env *pol_rl_chain_new(size_t n, size_t max_steps, unsigned long seed) {
    assert(n >= 3 && max_steps > 0);
    return toy_new(&CHAIN_OPS, (toy){.n = n, .max_steps = max_steps}, seed);
}
