/* DQN (see dqn.h). Per environment step: act epsilon-greedily (uniform
 * random before learning_starts), store the transition (raw observations;
 * normalised when sampled), update the target network every
 * target_update_interval steps, and every train_freq steps past
 * learning_starts take gradient_steps Huber-loss steps on minibatches. With
 * n environments a round chooses n actions with the current network, steps
 * every environment at once, then handles their transitions in index order
 * as n consecutive steps; with one environment that is the serial loop. */
#include "policies/rl/dqn.h"

#include <gsl/gsl_rng.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "policies/nn/adam.h"
#include "policies/nn/loss.h"
#include "policies/rl/fields.h"
#include "policies/rl/obsnorm.h"
#include "policies/rl/replay.h"

struct pol_rl_dqn {
    pol_rl_dqn_opts o;
    size_t obs_dim, n_actions;
    gsl_rng *rng;
    pol_nn_mlp *q, *target;
    pol_nn_adam *adam;
    pol_rl_replay *replay;
    pol_rl_obsnorm norm;
    uint64_t steps;
    /* per environment, sized by the first learn call (n_envs of them) */
    size_t n_envs;
    unsigned char *reset; /* 1: not in an episode */
    int *action;
    pol_rl_step *st;
    float *obs, *next_obs; /* n_envs x obs_dim */
    float *scratch;        /* max_batch x obs_dim */
    pol_rl_batch batch;
    float *y, *qa, *dqa, *dout; /* batch, batch, batch, batch x n_actions */
    int *next_a;                /* double DQN: online argmax at next_obs */
};

void pol_rl_dqn_defaults(pol_rl_dqn_opts *o) {
    *o = (pol_rl_dqn_opts){
        .n_hidden = 2,
        .hidden = {64, 64},
        .lr = 1e-4,
        .adam_eps = 1e-8,
        .max_grad_norm = 10,
        .buffer_size = 100000,
        .learning_starts = 100,
        .batch_size = 32,
        .gamma = 0.99,
        .tau = 1.0,
        .train_freq = 4,
        .gradient_steps = 1,
        .target_update_interval = 10000,
        .exploration_fraction = 0.1,
        .eps_initial = 1.0,
        .eps_final = 0.05,
        .huber_delta = 1.0,
        .total_steps = 100000,
    };
}

int pol_rl_dqn_opts_check(const pol_rl_dqn_opts *o, char *err, size_t errlen) {
    const char *bad = NULL;
    if (o->n_hidden >= POL_NN_MAX_LAYERS) bad = "n_hidden must be below the layer limit";
    for (size_t i = 0; !bad && i < o->n_hidden; i++)
        if (o->hidden[i] == 0) bad = "hidden widths must be positive";
    if (!bad && !(o->lr > 0))
        bad = "lr must be positive";
    else if (!bad && (o->buffer_size == 0 || o->batch_size == 0))
        bad = "buffer_size and batch_size must be positive";
    else if (!bad && !(o->gamma >= 0 && o->gamma <= 1))
        bad = "gamma must be in [0, 1]";
    else if (!bad && !(o->tau > 0 && o->tau <= 1))
        bad = "tau must be in (0, 1]";
    else if (!bad && (o->train_freq == 0 || o->target_update_interval == 0))
        bad = "train_freq and target_update_interval must be positive";
    else if (!bad && !(o->exploration_fraction > 0 && o->exploration_fraction <= 1))
        bad = "exploration_fraction must be in (0, 1]";
    else if (!bad && !(o->eps_initial >= 0 && o->eps_initial <= 1 && o->eps_final >= 0 && o->eps_final <= 1))
        bad = "eps_initial and eps_final must be in [0, 1]";
    else if (!bad && !(o->huber_delta > 0))
        bad = "huber_delta must be positive";
    else if (!bad && o->total_steps == 0)
        bad = "total_steps must be positive";
    if (!bad) return POL_NN_OK;
    snprintf(err, errlen, "dqn: %s", bad);
    return POL_NN_EINVAL;
}

void pol_rl_dqn_free(pol_rl_dqn *a) {
    if (!a) return;
    gsl_rng_free(a->rng);
    pol_nn_mlp_free(a->q);
    pol_nn_mlp_free(a->target);
    pol_nn_adam_free(a->adam);
    pol_rl_replay_free(a->replay);
    void *bufs[] = {a->obs,   a->next_obs,     a->scratch,      a->batch.obs,      a->batch.next_obs,
                    a->reset, a->batch.reward, a->batch.action, a->batch.terminal, a->y,
                    a->qa,    a->dqa,          a->dout,         a->next_a,         a->action,
                    a->st};
    for (size_t i = 0; i < sizeof bufs / sizeof *bufs; i++) free(bufs[i]);
    free(a);
}

pol_rl_dqn *pol_rl_dqn_new(const pol_rl_dqn_opts *o, size_t obs_dim, size_t n_actions, unsigned long seed,
                           char *err, size_t errlen) {
    if (pol_rl_dqn_opts_check(o, err, errlen)) return NULL;
    if (obs_dim == 0 || obs_dim > POL_RL_OBSNORM_MAX || n_actions < 2) {
        snprintf(err, errlen, "dqn: need 1..%d observations and at least 2 actions (got %zu, %zu)",
                 POL_RL_OBSNORM_MAX, obs_dim, n_actions);
        return NULL;
    }
    pol_rl_dqn *a = calloc(1, sizeof *a);
    if (!a) goto nomem;
    a->o = *o;
    a->obs_dim = obs_dim;
    a->n_actions = n_actions;
    size_t sizes[POL_NN_MAX_LAYERS + 1], ns = 0, B = o->batch_size, mb = B > 64 ? B : 64;
    sizes[ns++] = obs_dim;
    for (size_t i = 0; i < o->n_hidden; i++) sizes[ns++] = o->hidden[i];
    sizes[ns++] = n_actions;
    a->rng = gsl_rng_alloc(gsl_rng_mt19937);
    if (!a->rng) goto nomem;
    gsl_rng_set(a->rng, seed);
    a->q = pol_nn_mlp_new(sizes, ns, POL_NN_RELU, POL_NN_LINEAR, mb);
    a->target = pol_nn_mlp_new(sizes, ns, POL_NN_RELU, POL_NN_LINEAR, mb);
    pol_nn_adam_opts ao;
    pol_nn_adam_defaults(&ao);
    ao.lr = o->lr;
    ao.eps = o->adam_eps;
    ao.max_grad_norm = o->max_grad_norm;
    a->replay = pol_rl_replay_new(o->buffer_size, obs_dim);
    a->scratch = malloc(mb * obs_dim * sizeof(float));
    a->batch.obs = malloc(B * obs_dim * sizeof(float));
    a->batch.next_obs = malloc(B * obs_dim * sizeof(float));
    a->batch.reward = malloc(B * sizeof(float));
    a->batch.action = malloc(B * sizeof(int32_t));
    a->batch.terminal = malloc(B);
    a->y = malloc(B * sizeof(float));
    a->qa = malloc(B * sizeof(float));
    a->dqa = malloc(B * sizeof(float));
    a->dout = malloc(B * n_actions * sizeof(float));
    a->next_a = malloc(B * sizeof(int));
    if (!a->q || !a->target || !a->replay || !a->scratch || !a->batch.obs || !a->batch.next_obs ||
        !a->batch.reward || !a->batch.action || !a->batch.terminal || !a->y || !a->qa || !a->dqa ||
        !a->dout || !a->next_a)
        goto nomem;
    a->adam = pol_nn_adam_new(&ao, a->q->nparams);
    if (!a->adam || pol_nn_mlp_init(a->q, POL_NN_INIT_XAVIER, 1.0, 1.0, a->rng)) goto nomem;
    pol_nn_mlp_polyak(a->target, a->q, 1.0);
    pol_rl_obsnorm_init(&a->norm, obs_dim, 10.0);
    return a;
nomem:
    snprintf(err, errlen, "dqn: out of memory");
    pol_rl_dqn_free(a);
    return NULL;
}

uint64_t pol_rl_dqn_steps(const pol_rl_dqn *a) { return a->steps; }

/* Normalised copy of rows observations, in buf (or obs itself when off). */
static const float *prepare(const pol_rl_dqn *a, const float *obs, size_t rows, float *buf) {
    if (!a->o.norm_obs) return obs;
    pol_rl_obsnorm_apply(&a->norm, obs, rows, buf);
    return buf;
}

/* Runs the Q-network on chunks of at most max_batch observations and hands
 * each chunk's Q-values to emit. */
static void q_chunks(pol_rl_dqn *a, const float *obs, size_t n, void *out,
                     void (*emit)(const pol_rl_dqn *, const float *, size_t, size_t, void *)) {
    size_t d = a->obs_dim, mb = a->q->max_batch;
    for (size_t start = 0; start < n; start += mb) {
        size_t rows = n - start < mb ? n - start : mb;
        emit(a, pol_nn_mlp_forward(a->q, prepare(a, obs + start * d, rows, a->scratch), rows), start, rows,
             out);
    }
}

static void emit_q(const pol_rl_dqn *a, const float *q, size_t start, size_t rows, void *out) {
    memcpy((float *)out + start * a->n_actions, q, rows * a->n_actions * sizeof(float));
}

static void emit_argmax(const pol_rl_dqn *a, const float *q, size_t start, size_t rows, void *out) {
    for (size_t r = 0; r < rows; r++)
        ((int *)out)[start + r] = (int)pol_nn_argmax(q + r * a->n_actions, a->n_actions);
}

void pol_rl_dqn_q_values(pol_rl_dqn *a, const float *obs, size_t n, float *q) {
    q_chunks(a, obs, n, q, emit_q);
}

void pol_rl_dqn_act(pol_rl_dqn *a, const float *obs, size_t n, int *actions) {
    q_chunks(a, obs, n, actions, emit_argmax);
}

static void act_cb(void *self, const float *obs, size_t n, int *actions) {
    pol_rl_dqn_act(self, obs, n, actions);
}

pol_rl_policy pol_rl_dqn_policy(pol_rl_dqn *a) { return (pol_rl_policy){.act = act_cb, .self = a}; }

/* Epsilon at environment step `steps`. */
static double epsilon(const pol_rl_dqn *a, uint64_t steps) {
    double progress = (double)steps / (double)a->o.total_steps;
    if (progress > a->o.exploration_fraction) return a->o.eps_final;
    return a->o.eps_initial + progress * (a->o.eps_final - a->o.eps_initial) / a->o.exploration_fraction;
}

static void train_step(pol_rl_dqn *a) {
    size_t B = a->o.batch_size, A = a->n_actions;
    pol_rl_batch *b = &a->batch;
    pol_rl_replay_sample(a->replay, B, a->rng, b);
    const float *next = prepare(a, b->next_obs, B, b->next_obs);
    const float *obs = prepare(a, b->obs, B, b->obs);
    if (a->o.double_q) {
        const float *qn = pol_nn_mlp_forward(a->q, next, B);
        for (size_t k = 0; k < B; k++) a->next_a[k] = (int)pol_nn_argmax(qn + k * A, A);
    }
    const float *qt = pol_nn_mlp_forward(a->target, next, B);
    for (size_t k = 0; k < B; k++) {
        const float *row = qt + k * A;
        float v = a->o.double_q ? row[a->next_a[k]] : row[pol_nn_argmax(row, A)];
        a->y[k] = (float)(b->reward[k] + (b->terminal[k] ? 0.0 : a->o.gamma * v));
    }
    const float *q = pol_nn_mlp_forward(a->q, obs, B);
    for (size_t k = 0; k < B; k++) a->qa[k] = q[k * A + b->action[k]];
    pol_nn_huber(a->qa, a->y, B, a->o.huber_delta, a->dqa);
    memset(a->dout, 0, B * A * sizeof(float));
    for (size_t k = 0; k < B; k++) a->dout[k * A + b->action[k]] = a->dqa[k];
    pol_nn_mlp_zero_grad(a->q);
    pol_nn_mlp_backward(a->q, a->dout, NULL);
    pol_nn_param_ref ref = pol_nn_mlp_ref(a->q);
    pol_nn_adam_step(a->adam, &ref, 1);
}

/* The per-environment buffers for n environments, at the first call. */
static int size_envs(pol_rl_dqn *a, size_t n) {
    if (a->n_envs) return a->n_envs == n ? POL_NN_OK : POL_NN_EINVAL;
    size_t d = a->obs_dim;
    a->reset = malloc(n);
    a->action = malloc(n * sizeof *a->action);
    a->st = malloc(n * sizeof *a->st);
    a->obs = malloc(n * d * sizeof(float));
    a->next_obs = malloc(n * d * sizeof(float));
    if (!a->reset || !a->action || !a->st || !a->obs || !a->next_obs) return POL_NN_ENOMEM;
    memset(a->reset, 1, n);
    a->n_envs = n;
    return POL_NN_OK;
}

/* The action at environment step `steps` for raw observation obs. */
static int choose(pol_rl_dqn *a, const float *obs, uint64_t steps) {
    int action;
    if (steps < a->o.learning_starts || gsl_rng_uniform(a->rng) < epsilon(a, steps))
        return (int)gsl_rng_uniform_int(a->rng, a->n_actions);
    pol_rl_dqn_act(a, obs, 1, &action);
    return action;
}

/* Stores env i's transition of this round and learns from it. */
static void absorb(pol_rl_dqn *a, size_t i) {
    size_t d = a->obs_dim;
    const pol_rl_step *st = &a->st[i];
    const float *next = a->next_obs + i * d;
    if (a->o.norm_obs) pol_rl_obsnorm_update(&a->norm, next, 1);
    pol_rl_replay_push(a->replay, a->obs + i * d, a->action[i], st->reward, next, st->terminated);
    a->steps++;
    if (a->steps % a->o.target_update_interval == 0) pol_nn_mlp_polyak(a->target, a->q, a->o.tau);
    if (a->steps > a->o.learning_starts && a->steps % a->o.train_freq == 0)
        for (size_t g = 0; g < a->o.gradient_steps; g++) train_step(a);
    a->reset[i] = st->terminated || st->truncated;
}

int pol_rl_dqn_learn_many(pol_rl_dqn *a, pol_rl_env *const *envs, size_t n, uint64_t steps) {
    size_t d = a->obs_dim;
    int rc = size_envs(a, n);
    for (uint64_t s = 0; rc == 0 && s < steps; s += n) {
        if ((rc = pol_rl_env_reset_many(envs, n, a->reset, a->obs))) break;
        for (size_t i = 0; i < n; i++) {
            if (a->reset[i] && a->o.norm_obs) pol_rl_obsnorm_update(&a->norm, a->obs + i * d, 1);
            a->action[i] = choose(a, a->obs + i * d, a->steps + i);
        }
        if ((rc = pol_rl_env_step_many(envs, n, a->action, a->next_obs, a->st))) break;
        for (size_t i = 0; i < n; i++) absorb(a, i);
        memcpy(a->obs, a->next_obs, n * d * sizeof(float));
    }
    return rc;
}

int pol_rl_dqn_learn(pol_rl_dqn *a, pol_rl_env *env, uint64_t steps) {
    return pol_rl_dqn_learn_many(a, &env, 1, steps);
}

#define F(field, kind)                                                                                       \
    { "dqn/config/" #field, offsetof(pol_rl_dqn_opts, field), kind }
static const pol_rl_field FIELDS[] = {
    F(n_hidden, POL_RL_F_SIZE),
    F(hidden[0], POL_RL_F_SIZE),
    F(hidden[1], POL_RL_F_SIZE),
    F(hidden[2], POL_RL_F_SIZE),
    F(hidden[3], POL_RL_F_SIZE),
    F(hidden[4], POL_RL_F_SIZE),
    F(lr, POL_RL_F_DOUBLE),
    F(adam_eps, POL_RL_F_DOUBLE),
    F(max_grad_norm, POL_RL_F_DOUBLE),
    F(buffer_size, POL_RL_F_SIZE),
    F(learning_starts, POL_RL_F_SIZE),
    F(batch_size, POL_RL_F_SIZE),
    F(gamma, POL_RL_F_DOUBLE),
    F(tau, POL_RL_F_DOUBLE),
    F(train_freq, POL_RL_F_SIZE),
    F(gradient_steps, POL_RL_F_SIZE),
    F(target_update_interval, POL_RL_F_SIZE),
    F(exploration_fraction, POL_RL_F_DOUBLE),
    F(eps_initial, POL_RL_F_DOUBLE),
    F(eps_final, POL_RL_F_DOUBLE),
    F(huber_delta, POL_RL_F_DOUBLE),
    F(double_q, POL_RL_F_INT),
    F(norm_obs, POL_RL_F_INT),
    F(total_steps, POL_RL_F_U64),
};
#undef F

int pol_rl_dqn_visit(pol_rl_dqn *a, pol_nn_visit_fn fn, void *ctx) {
    pol_rl_dqn_opts o = a->o;
    pol_rl_parts p = {
        .algo = "dqn",
        .obs_dim = a->obs_dim,
        .n_actions = a->n_actions,
        .fields = FIELDS,
        .nfields = sizeof FIELDS / sizeof *FIELDS,
        .opts = &o,
        .net_names = {"q", "q_target"},
        .nets = {a->q, a->target},
        .adam = a->adam,
        .norm = &a->norm,
        .steps = &a->steps,
    };
    return pol_rl__visit_parts(&p, fn, ctx);
}

int pol_rl_dqn_to_blob(pol_rl_dqn *a, pol_nn_blob *out) {
    int rc = pol_rl_dqn_visit(a, pol_nn_blob_put, out);
    return rc ? rc : pol_nn_blob_finish(out);
}

pol_rl_dqn *pol_rl_dqn_from_blob(const void *data, size_t len, size_t obs_dim, size_t n_actions,
                                 unsigned long seed, char *err, size_t errlen) {
    pol_nn_blob_reader r;
    pol_rl_dqn_opts o;
    pol_rl_dqn_defaults(&o);
    if (pol_rl__open_checkpoint(&r, data, len, "dqn", obs_dim, n_actions, FIELDS,
                                sizeof FIELDS / sizeof *FIELDS, &o, err, errlen))
        return NULL;
    pol_rl_dqn *a = pol_rl_dqn_new(&o, obs_dim, n_actions, seed, err, errlen);
    if (a && pol_rl_dqn_visit(a, pol_nn_blob_get, &r)) {
        pol_rl_dqn_free(a);
        return NULL;
    }
    return a;
}
