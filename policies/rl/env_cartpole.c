/* CartPole-v1 as in Gym/Gymnasium's classic-control implementation: gravity
 * 9.8, cart mass 1.0, pole mass 0.1, pole half-length 0.5, force +-10 N,
 * tau 0.02 s, explicit Euler integration, termination beyond +-12 degrees or
 * +-2.4 m, truncation at 500 steps, reset uniform in +-0.05 for all four
 * state variables, reward 1 for every step including the last. State is
 * kept in double as Gym does; observations are float. */
#include <assert.h>
#include <gsl/gsl_rng.h>
#include <math.h>
#include <stdlib.h>

#include "policies/rl/env.h"

#define GRAVITY 9.8
#define MASSCART 1.0
#define MASSPOLE 0.1
#define TOTAL_MASS (MASSCART + MASSPOLE)
#define LENGTH 0.5
#define POLEMASS_LENGTH (MASSPOLE * LENGTH)
#define FORCE_MAG 10.0
#define TAU 0.02
#define THETA_LIMIT (12.0 * 2.0 * 3.14159265358979323846 / 360.0)
#define X_LIMIT 2.4
#define MAX_STEPS 500

typedef struct cartpole {
    gsl_rng *rng;
    double s[4]; /* x, x_dot, theta, theta_dot */
    int steps;
    int done;
} cartpole;

static const pol_rl_env_ops CARTPOLE_OPS;

static size_t obs_dim(const pol_rl_env *e) { return 4; }
static size_t n_actions(const pol_rl_env *e) { return 2; }

static void observe(const cartpole *c, float *obs) {
    for (int i = 0; i < 4; i++) obs[i] = (float)c->s[i];
}

static int reset(pol_rl_env *e, float *obs) {
    cartpole *c = e->state;
    for (int i = 0; i < 4; i++) c->s[i] = gsl_rng_uniform(c->rng) * 0.1 - 0.05;
    c->steps = 0;
    c->done = 0;
    observe(c, obs);
    return 0;
}

void pol_rl_cartpole_set_state(pol_rl_env *e, const double state[4], float *obs) {
    assert(e->ops == &CARTPOLE_OPS);
    cartpole *c = e->state;
    for (int i = 0; i < 4; i++) c->s[i] = state[i];
    c->steps = 0;
    c->done = 0;
    observe(c, obs);
}

static int step(pol_rl_env *e, int action, float *obs, pol_rl_step *out) {
    cartpole *c = e->state;
    assert(!c->done && (action == 0 || action == 1));
    double x = c->s[0], x_dot = c->s[1], theta = c->s[2], theta_dot = c->s[3];
    double force = action == 1 ? FORCE_MAG : -FORCE_MAG;
    double costheta = cos(theta), sintheta = sin(theta);
    double temp = (force + POLEMASS_LENGTH * theta_dot * theta_dot * sintheta) / TOTAL_MASS;
    double thetaacc = (GRAVITY * sintheta - costheta * temp) /
                      (LENGTH * (4.0 / 3.0 - MASSPOLE * costheta * costheta / TOTAL_MASS));
    double xacc = temp - POLEMASS_LENGTH * thetaacc * costheta / TOTAL_MASS;
    c->s[0] = x + TAU * x_dot;
    c->s[1] = x_dot + TAU * xacc;
    c->s[2] = theta + TAU * theta_dot;
    c->s[3] = theta_dot + TAU * thetaacc;
    c->steps++;
    out->reward = 1.0;
    out->terminated =
        c->s[0] < -X_LIMIT || c->s[0] > X_LIMIT || c->s[2] < -THETA_LIMIT || c->s[2] > THETA_LIMIT;
    out->truncated = !out->terminated && c->steps >= MAX_STEPS;
    c->done = out->terminated || out->truncated;
    observe(c, obs);
    return 0;
}

static void cp_free(pol_rl_env *e) {
    cartpole *c = e->state;
    gsl_rng_free(c->rng);
    free(c);
    free(e);
}

static const pol_rl_env_ops CARTPOLE_OPS = {
    .abi = POL_RL_ENV_ABI,
    .name = "cartpole",
    .obs_dim = obs_dim,
    .n_actions = n_actions,
    .reset = reset,
    .step = step,
    .free = cp_free,
};

pol_rl_env *pol_rl_cartpole_new(unsigned long seed) {
    cartpole *c = calloc(1, sizeof *c);
    if (!c) return NULL;
    c->done = 1;
    c->rng = pol_rl_env__rng(seed);
    pol_rl_env *e = c->rng ? pol_rl_env__wrap(&CARTPOLE_OPS, c) : NULL;
    if (!e) {
        gsl_rng_free(c->rng);
        free(c);
    }
    return e;
}
