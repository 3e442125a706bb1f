/* The PPO agent (see ppo.h): rollout collection, the minibatch update and
 * checkpoints. The loss pieces are in ppo_loss.c. Observations are stored
 * in the rollout as the networks saw them (normalised when norm_obs is on,
 * with the statistics of the moment, as SB3's VecNormalize does). */
#include "policies/rl/ppo.h"

#include <gsl/gsl_rng.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "policies/nn/adam.h"
#include "policies/nn/loss.h"
#include "policies/rl/fields.h"
#include "policies/rl/obsnorm.h"

struct pol_rl_ppo {
    pol_rl_ppo_opts o;
    size_t obs_dim, n_actions, n_envs;
    gsl_rng *rng;
    pol_nn_mlp *pi, *vf;
    pol_nn_adam *adam;
    pol_rl_obsnorm norm;
    uint64_t steps;
    int started;
    /* rollout, time-major n_steps x n_envs */
    float *cur;  /* n_envs x obs_dim: raw current observations */
    float *x;    /* n_envs x obs_dim: as the networks see them */
    float *xbuf; /* max_batch x obs_dim: scratch for act and probs */
    float *obs;  /* rollout observations (as seen) */
    float *logp, *value, *reward, *adv, *ret;
    int *action;
    unsigned char *done;
    float *last_values, *probs;
    pol_rl_step *st; /* n_envs: the last step of each environment */
    /* minibatch */
    size_t *perm;
    float *mb_obs, *mb_logp, *mb_adv, *mb_ret, *mb_val, *dlogits, *dv;
    int *mb_action;
};

void pol_rl_ppo_defaults(pol_rl_ppo_opts *o) {
    *o = (pol_rl_ppo_opts){
        .n_hidden = 2,
        .hidden = {64, 64},
        .lr = 3e-4,
        .adam_eps = 1e-5,
        .max_grad_norm = 0.5,
        .n_steps = 2048,
        .batch_size = 64,
        .n_epochs = 10,
        .gamma = 0.99,
        .gae_lambda = 0.95,
        .clip_range = 0.2,
        .vf_coef = 0.5,
        .norm_adv = 1,
        .total_steps = 1000000,
    };
}

int pol_rl_ppo_opts_check(const pol_rl_ppo_opts *o, char *err, size_t errlen) {
    const char *bad = NULL;
    if (o->n_hidden >= POL_NN_MAX_LAYERS) bad = "n_hidden must be below the layer limit";
    for (size_t i = 0; !bad && i < o->n_hidden; i++)
        if (o->hidden[i] == 0) bad = "hidden widths must be positive";
    if (!bad && !(o->lr > 0))
        bad = "lr must be positive";
    else if (!bad && (o->n_steps == 0 || o->batch_size == 0 || o->n_epochs == 0))
        bad = "n_steps, batch_size and n_epochs must be positive";
    else if (!bad && !(o->gamma >= 0 && o->gamma <= 1 && o->gae_lambda >= 0 && o->gae_lambda <= 1))
        bad = "gamma and gae_lambda must be in [0, 1]";
    else if (!bad && !(o->clip_range > 0))
        bad = "clip_range must be positive";
    else if (!bad && !(o->clip_range_vf >= 0 && o->ent_coef >= 0 && o->vf_coef >= 0))
        bad = "clip_range_vf, ent_coef and vf_coef must not be negative";
    else if (!bad && o->total_steps == 0)
        bad = "total_steps must be positive";
    if (!bad) return POL_NN_OK;
    snprintf(err, errlen, "ppo: %s", bad);
    return POL_NN_EINVAL;
}

void pol_rl_ppo_free(pol_rl_ppo *a) {
    if (!a) return;
    gsl_rng_free(a->rng);
    pol_nn_mlp_free(a->pi);
    pol_nn_mlp_free(a->vf);
    pol_nn_adam_free(a->adam);
    void *bufs[] = {a->xbuf,   a->cur,         a->x,     a->obs,       a->logp,   a->value,
                    a->reward, a->adv,         a->ret,   a->action,    a->done,   a->perm,
                    a->mb_obs, a->last_values, a->probs, a->mb_logp,   a->mb_adv, a->mb_ret,
                    a->mb_val, a->dlogits,     a->dv,    a->mb_action, a->st};
    for (size_t i = 0; i < sizeof bufs / sizeof *bufs; i++) free(bufs[i]);
    free(a);
}

pol_rl_ppo *pol_rl_ppo_new(const pol_rl_ppo_opts *o, size_t obs_dim, size_t n_actions, size_t n_envs,
                           unsigned long seed, char *err, size_t errlen) {
    if (pol_rl_ppo_opts_check(o, err, errlen)) return NULL;
    if (obs_dim == 0 || obs_dim > POL_RL_OBSNORM_MAX || n_actions < 2 || n_envs == 0) {
        snprintf(err, errlen, "ppo: need 1..%d observations, at least 2 actions and 1 environment",
                 POL_RL_OBSNORM_MAX);
        return NULL;
    }
    pol_rl_ppo *a = calloc(1, sizeof *a);
    if (!a) goto nomem;
    a->o = *o;
    a->obs_dim = obs_dim;
    a->n_actions = n_actions;
    a->n_envs = n_envs;
    size_t d = obs_dim, A = n_actions, N = n_envs, TN = o->n_steps * n_envs, M = o->batch_size;
    size_t mb = M > N ? M : N;
    if (mb < 64) mb = 64;
    size_t sizes[POL_NN_MAX_LAYERS + 1], ns = 0;
    sizes[ns++] = d;
    for (size_t i = 0; i < o->n_hidden; i++) sizes[ns++] = o->hidden[i];
    sizes[ns] = A;
    a->pi = pol_nn_mlp_new(sizes, ns + 1, POL_NN_TANH, POL_NN_LINEAR, mb);
    sizes[ns] = 1;
    a->vf = pol_nn_mlp_new(sizes, ns + 1, POL_NN_TANH, POL_NN_LINEAR, mb);
    a->rng = gsl_rng_alloc(gsl_rng_mt19937);
    a->cur = malloc(N * d * sizeof(float));
    a->x = malloc(N * d * sizeof(float));
    a->xbuf = malloc(mb * d * sizeof(float));
    a->obs = malloc(TN * d * sizeof(float));
    a->logp = malloc(TN * sizeof(float));
    a->value = malloc(TN * sizeof(float));
    a->reward = malloc(TN * sizeof(float));
    a->adv = malloc(TN * sizeof(float));
    a->ret = malloc(TN * sizeof(float));
    a->action = malloc(TN * sizeof(int));
    a->done = malloc(TN);
    a->last_values = malloc(N * sizeof(float));
    a->st = malloc(N * sizeof *a->st);
    a->probs = malloc(mb * A * sizeof(float));
    a->perm = malloc(TN * sizeof(size_t));
    a->mb_obs = malloc(M * d * sizeof(float));
    a->mb_logp = malloc(M * sizeof(float));
    a->mb_adv = malloc(M * sizeof(float));
    a->mb_ret = malloc(M * sizeof(float));
    a->mb_val = malloc(M * sizeof(float));
    a->dlogits = malloc(M * A * sizeof(float));
    a->dv = malloc(M * sizeof(float));
    a->mb_action = malloc(M * sizeof(int));
    if (!a->pi || !a->vf || !a->rng || !a->cur || !a->x || !a->xbuf || !a->obs || !a->logp || !a->value ||
        !a->reward || !a->adv || !a->ret || !a->action || !a->done || !a->last_values || !a->st ||
        !a->probs || !a->perm || !a->mb_obs || !a->mb_logp || !a->mb_adv || !a->mb_ret || !a->mb_val ||
        !a->dlogits || !a->dv || !a->mb_action)
        goto nomem;
    gsl_rng_set(a->rng, seed);
    pol_nn_adam_opts ao;
    pol_nn_adam_defaults(&ao);
    ao.lr = o->lr;
    ao.eps = o->adam_eps;
    ao.max_grad_norm = o->max_grad_norm;
    a->adam = pol_nn_adam_new(&ao, a->pi->nparams + a->vf->nparams);
    if (!a->adam || pol_nn_mlp_init(a->pi, POL_NN_INIT_ORTHOGONAL, sqrt(2.0), 0.01, a->rng) ||
        pol_nn_mlp_init(a->vf, POL_NN_INIT_ORTHOGONAL, sqrt(2.0), 1.0, a->rng))
        goto nomem;
    pol_rl_obsnorm_init(&a->norm, d, 10.0);
    return a;
nomem:
    snprintf(err, errlen, "ppo: out of memory");
    pol_rl_ppo_free(a);
    return NULL;
}

uint64_t pol_rl_ppo_steps(const pol_rl_ppo *a) { return a->steps; }

/* The networks' view of rows raw observations: normalised into out, or obs. */
static const float *prepare(const pol_rl_ppo *a, const float *obs, size_t rows, float *out) {
    if (!a->o.norm_obs) return obs;
    pol_rl_obsnorm_apply(&a->norm, obs, rows, out);
    return out;
}

void pol_rl_ppo_probs(pol_rl_ppo *a, const float *obs, size_t n, float *probs) {
    size_t mb = a->pi->max_batch, d = a->obs_dim, A = a->n_actions;
    for (size_t s = 0; s < n; s += mb) {
        size_t rows = n - s < mb ? n - s : mb;
        const float *logits = pol_nn_mlp_forward(a->pi, prepare(a, obs + s * d, rows, a->xbuf), rows);
        pol_nn_softmax(logits, rows, A, probs + s * A);
    }
}

void pol_rl_ppo_act(pol_rl_ppo *a, const float *obs, size_t n, int *actions) {
    size_t mb = a->pi->max_batch, d = a->obs_dim, A = a->n_actions;
    for (size_t s = 0; s < n; s += mb) {
        size_t rows = n - s < mb ? n - s : mb;
        const float *logits = pol_nn_mlp_forward(a->pi, prepare(a, obs + s * d, rows, a->xbuf), rows);
        for (size_t r = 0; r < rows; r++) actions[s + r] = (int)pol_nn_argmax(logits + r * A, A);
    }
}

static void act_cb(void *self, const float *obs, size_t n, int *actions) {
    pol_rl_ppo_act(self, obs, n, actions);
}

pol_rl_policy pol_rl_ppo_policy(pol_rl_ppo *a) { return (pol_rl_policy){.act = act_cb, .self = a}; }

/* V of n observations already in the networks' view (n <= max_batch). */
static void values_of(pol_rl_ppo *a, const float *x, size_t n, float *out) {
    const float *v = pol_nn_mlp_forward(a->vf, x, n);
    memcpy(out, v, n * sizeof(float));
}

static int start_envs(pol_rl_ppo *a, pol_rl_env *const *envs) {
    int rc = pol_rl_env_reset_many(envs, a->n_envs, NULL, a->cur);
    if (rc) return rc;
    if (a->o.norm_obs) pol_rl_obsnorm_update(&a->norm, a->cur, a->n_envs);
    a->started = 1;
    return POL_NN_OK;
}

static size_t sample(gsl_rng *rng, const float *p, size_t n) {
    double u = gsl_rng_uniform(rng), acc = 0;
    for (size_t j = 0; j + 1 < n; j++) {
        acc += p[j];
        if (u < acc) return j;
    }
    return n - 1;
}

static int collect(pol_rl_ppo *a, pol_rl_env *const *envs) {
    size_t d = a->obs_dim, A = a->n_actions, N = a->n_envs;
    for (size_t t = 0; t < a->o.n_steps; t++) {
        const float *x = prepare(a, a->cur, N, a->x);
        size_t k0 = t * N;
        memcpy(a->obs + k0 * d, x, N * d * sizeof(float));
        pol_nn_softmax(pol_nn_mlp_forward(a->pi, x, N), N, A, a->probs);
        values_of(a, x, N, a->value + k0);
        for (size_t i = 0; i < N; i++) {
            const float *p = a->probs + i * A;
            size_t act = sample(a->rng, p, A);
            a->action[k0 + i] = (int)act;
            a->logp[k0 + i] = logf(p[act] > 1e-30f ? p[act] : 1e-30f);
        }
        int rc = pol_rl_env_step_many(envs, N, a->action + k0, a->cur, a->st);
        if (rc) return rc;
        for (size_t i = 0; i < N; i++) {
            const pol_rl_step *st = &a->st[i];
            double r = st->reward;
            if (st->truncated && !st->terminated) {
                float v;
                values_of(a, prepare(a, a->cur + i * d, 1, a->xbuf), 1, &v);
                r += a->o.gamma * v;
            }
            a->reward[k0 + i] = (float)r;
            a->done[k0 + i] = st->terminated || st->truncated;
        }
        if ((rc = pol_rl_env_reset_many(envs, N, a->done + k0, a->cur))) return rc;
        if (a->o.norm_obs) pol_rl_obsnorm_update(&a->norm, a->cur, N);
        a->steps += N;
    }
    values_of(a, prepare(a, a->cur, N, a->x), N, a->last_values);
    pol_rl_gae(a->reward, a->value, a->done, a->last_values, a->o.n_steps, N, a->o.gamma, a->o.gae_lambda,
               a->adv, a->ret);
    return POL_NN_OK;
}

static void normalise(float *v, size_t n) {
    if (n < 2) return;
    double mean = 0, var = 0;
    for (size_t i = 0; i < n; i++) mean += v[i];
    mean /= (double)n;
    for (size_t i = 0; i < n; i++) var += (v[i] - mean) * (v[i] - mean);
    double sd = sqrt(var / (double)(n - 1));
    for (size_t i = 0; i < n; i++) v[i] = (float)((v[i] - mean) / (sd + 1e-8));
}

/* One gradient step on the m samples listed in idx. */
static void update(pol_rl_ppo *a, const size_t *idx, size_t m, double clip) {
    size_t d = a->obs_dim;
    for (size_t k = 0; k < m; k++) {
        size_t s = idx[k];
        memcpy(a->mb_obs + k * d, a->obs + s * d, d * sizeof(float));
        a->mb_action[k] = a->action[s];
        a->mb_logp[k] = a->logp[s];
        a->mb_adv[k] = a->adv[s];
        a->mb_ret[k] = a->ret[s];
        a->mb_val[k] = a->value[s];
    }
    if (a->o.norm_adv) normalise(a->mb_adv, m);
    pol_nn_mlp_zero_grad(a->pi);
    pol_nn_mlp_zero_grad(a->vf);
    const float *logits = pol_nn_mlp_forward(a->pi, a->mb_obs, m);
    pol_rl_ppo_policy_loss(logits, a->mb_action, a->mb_logp, a->mb_adv, m, a->n_actions, clip, a->o.ent_coef,
                           a->dlogits, NULL);
    pol_nn_mlp_backward(a->pi, a->dlogits, NULL);
    const float *v = pol_nn_mlp_forward(a->vf, a->mb_obs, m);
    double cv = a->o.clip_range_vf;
    for (size_t k = 0; k < m; k++) {
        double diff = v[k] - a->mb_val[k], pred = v[k], pass = 1.0;
        if (cv > 0 && fabs(diff) > cv) {
            pred = a->mb_val[k] + (diff > 0 ? cv : -cv);
            pass = 0.0;
        }
        a->dv[k] = (float)(a->o.vf_coef * 2.0 * (pred - a->mb_ret[k]) / (double)m * pass);
    }
    pol_nn_mlp_backward(a->vf, a->dv, NULL);
    pol_nn_param_ref refs[2] = {pol_nn_mlp_ref(a->pi), pol_nn_mlp_ref(a->vf)};
    pol_nn_adam_step(a->adam, refs, 2);
}

static void train(pol_rl_ppo *a) {
    double remaining = 1.0 - (double)a->steps / (double)a->o.total_steps;
    if (remaining < 0) remaining = 0;
    a->adam->o.lr = a->o.lr_anneal ? a->o.lr * remaining : a->o.lr;
    double clip = a->o.clip_anneal ? a->o.clip_range * remaining : a->o.clip_range;
    size_t TN = a->o.n_steps * a->n_envs, M = a->o.batch_size;
    for (size_t e = 0; e < a->o.n_epochs; e++) {
        for (size_t i = 0; i < TN; i++) a->perm[i] = i;
        for (size_t i = TN - 1; i > 0; i--) {
            size_t j = gsl_rng_uniform_int(a->rng, i + 1), t = a->perm[i];
            a->perm[i] = a->perm[j];
            a->perm[j] = t;
        }
        for (size_t s = 0; s < TN; s += M) update(a, a->perm + s, TN - s < M ? TN - s : M, clip);
    }
}

int pol_rl_ppo_learn(pol_rl_ppo *a, pol_rl_env *const *envs, uint64_t steps) {
    int rc;
    if (!a->started && (rc = start_envs(a, envs))) return rc;
    for (uint64_t done = 0; done < steps; done += a->o.n_steps * a->n_envs) {
        if ((rc = collect(a, envs))) return rc;
        train(a);
    }
    return POL_NN_OK;
}

#define F(field, kind)                                                                                       \
    { "ppo/config/" #field, offsetof(pol_rl_ppo_opts, field), kind }
static const pol_rl_field FIELDS[] = {
    F(n_hidden, POL_RL_F_SIZE),     F(hidden[0], POL_RL_F_SIZE),
    F(hidden[1], POL_RL_F_SIZE),    F(hidden[2], POL_RL_F_SIZE),
    F(hidden[3], POL_RL_F_SIZE),    F(hidden[4], POL_RL_F_SIZE),
    F(lr, POL_RL_F_DOUBLE),         F(lr_anneal, POL_RL_F_INT),
    F(adam_eps, POL_RL_F_DOUBLE),   F(max_grad_norm, POL_RL_F_DOUBLE),
    F(n_steps, POL_RL_F_SIZE),      F(batch_size, POL_RL_F_SIZE),
    F(n_epochs, POL_RL_F_SIZE),     F(gamma, POL_RL_F_DOUBLE),
    F(gae_lambda, POL_RL_F_DOUBLE), F(clip_range, POL_RL_F_DOUBLE),
    F(clip_anneal, POL_RL_F_INT),   F(clip_range_vf, POL_RL_F_DOUBLE),
    F(ent_coef, POL_RL_F_DOUBLE),   F(vf_coef, POL_RL_F_DOUBLE),
    F(norm_adv, POL_RL_F_INT),      F(norm_obs, POL_RL_F_INT),
    F(total_steps, POL_RL_F_U64),
};
#undef F

int pol_rl_ppo_visit(pol_rl_ppo *a, pol_nn_visit_fn fn, void *ctx) {
    pol_rl_ppo_opts o = a->o;
    pol_rl_parts p = {
        .algo = "ppo",
        .obs_dim = a->obs_dim,
        .n_actions = a->n_actions,
        .fields = FIELDS,
        .nfields = sizeof FIELDS / sizeof *FIELDS,
        .opts = &o,
        .net_names = {"pi", "vf"},
        .nets = {a->pi, a->vf},
        .adam = a->adam,
        .norm = &a->norm,
        .steps = &a->steps,
    };
    return pol_rl__visit_parts(&p, fn, ctx);
}

int pol_rl_ppo_to_blob(pol_rl_ppo *a, pol_nn_blob *out) {
    int rc = pol_rl_ppo_visit(a, pol_nn_blob_put, out);
    return rc ? rc : pol_nn_blob_finish(out);
}

pol_rl_ppo *pol_rl_ppo_from_blob(const void *data, size_t len, size_t obs_dim, size_t n_actions,
                                 size_t n_envs, unsigned long seed, char *err, size_t errlen) {
    pol_nn_blob_reader r;
    pol_rl_ppo_opts o;
    pol_rl_ppo_defaults(&o);
    if (pol_rl__open_checkpoint(&r, data, len, "ppo", obs_dim, n_actions, FIELDS,
                                sizeof FIELDS / sizeof *FIELDS, &o, err, errlen))
        return NULL;
    pol_rl_ppo *a = pol_rl_ppo_new(&o, obs_dim, n_actions, n_envs, seed, err, errlen);
    if (a && pol_rl_ppo_visit(a, pol_nn_blob_get, &r)) {
        pol_rl_ppo_free(a);
        return NULL;
    }
    return a;
}
