/* `sparkiot train` (see train.h): the agent, the allocator environment, the
 * learning loop of policies/rl, then the checkpoint and the learning curve.
 *
 * The scenario is loaded with allocator.name set to the algorithm and
 * allocator.checkpoint set to the untrained agent (saved to a temporary
 * file), so that the loader checks the allocator block exactly as `run`
 * will. Episodes are whole simulations of the scenario; with E episodes of
 * L transitions the agents' schedules (DQN's exploration, PPO's rollouts)
 * span E x L steps, and a PPO rollout is one episode (n_steps = L) on each
 * of the N = jobs environments, whose children run at the same time. */
#include "experiments/train.h"

#include <cblas.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "analysis/ckpt_h5.h"
#include "engine/tmp.h"
#include "experiments/train_ckpt.h"
#include "experiments/train_env.h"
#include "policies/alloc_rl.h"
#include "policies/rl/dqn.h"
#include "policies/rl/ppo.h"

/* The training hyperparameters (docs/rl.md lists them beside the
 * defaults). */
static void dqn_opts(pol_rl_dqn_opts *o, uint64_t total) {
    pol_rl_dqn_defaults(o);
    o->lr = 5e-4;
    o->buffer_size = 50000;
    o->learning_starts = 1000;
    o->batch_size = 64;
    o->gamma = 0.95;
    o->train_freq = 1;
    o->gradient_steps = 1;
    o->target_update_interval = 500;
    o->exploration_fraction = 0.5;
    o->double_q = 1;
    o->norm_obs = 1;
    o->total_steps = total;
}

static void ppo_opts(pol_rl_ppo_opts *o, uint64_t episode_steps, uint64_t total) {
    pol_rl_ppo_defaults(o);
    o->n_steps = episode_steps;
    o->batch_size = 32;
    o->lr = 5e-4;
    o->gamma = 0.95;
    o->ent_coef = 0.01;
    o->norm_obs = 1;
    o->total_steps = total;
}

/* The agent for episodes of L transitions; NULL with a message. */
static unsigned jobs_of(const xp_train_opts *o) { return o->jobs ? o->jobs : 1; }

static void *new_agent(const xp_train_opts *o, uint64_t L, char *err, size_t errlen) {
    uint64_t total = L * o->episodes;
    if (o->algo == XP_TRAIN_DQN) {
        pol_rl_dqn_opts d;
        dqn_opts(&d, total);
        return pol_rl_dqn_new(&d, POL_ALLOC_RL_FEATURES, POL_ALLOC_RL_ACTIONS, o->seed, err, errlen);
    }
    pol_rl_ppo_opts p;
    ppo_opts(&p, L, total);
    return pol_rl_ppo_new(&p, POL_ALLOC_RL_FEATURES, POL_ALLOC_RL_ACTIONS, jobs_of(o), o->seed, err, errlen);
}

static void free_agent(const xp_train_opts *o, void *agent) {
    if (o->algo == XP_TRAIN_DQN)
        pol_rl_dqn_free(agent);
    else
        pol_rl_ppo_free(agent);
}

static int dqn_visit(void *a, pol_nn_visit_fn fn, void *ctx) { return pol_rl_dqn_visit(a, fn, ctx); }
static int ppo_visit(void *a, pol_nn_visit_fn fn, void *ctx) { return pol_rl_ppo_visit(a, fn, ctx); }

typedef struct trainer {
    const xp_train_opts *o;
    an_curve_row *rows;
    uint32_t nrows;
    uint64_t steps;
    double t0;
} trainer;

static double now_s(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

static void on_episode(void *ctx, const xp_episode *e) {
    trainer *t = ctx;
    if (t->nrows == t->o->episodes) return;
    an_curve_row *r = &t->rows[t->nrows++];
    t->steps += e->steps;
    *r = (an_curve_row){
        .episode = t->nrows,
        .seed = e->seed,
        .ret = e->ret,
        .cost_usd = e->cost_usd,
        .slo_share = e->slo_share,
        .latency_p95_ms = e->p95_ms,
        .steps = t->steps,
        .wall_s = now_s() - t->t0,
    };
    if (t->o->progress)
        fprintf(stderr, "\r%s episode %u/%u  seed %llu  return %.1f  cost $%.3f  over SLO %.2f%%  %.0f s   ",
                t->o->algo == XP_TRAIN_DQN ? "dqn" : "ppo", r->episode, t->o->episodes,
                (unsigned long long)r->seed, r->ret, r->cost_usd, 100 * r->slo_share, r->wall_s);
}

unsigned xp_train_default_jobs(uint32_t episodes) {
    long cpus = sysconf(_SC_NPROCESSORS_ONLN);
    unsigned j = cpus > 1 ? (unsigned)cpus : 1;
    while (j > 1 && episodes % j != 0) j--;
    return j;
}

void xp_train_curve_path(char *buf, size_t len, const char *ckpt) {
    size_t n = strlen(ckpt);
    int h5 = n > 3 && strcmp(ckpt + n - 3, ".h5") == 0;
    snprintf(buf, len, "%.*s.curve.h5", (int)(h5 ? n - 3 : n), ckpt);
}

/* The scenario as training runs it; NULL with a message (bad input). */
static xp_scenario *load(const xp_train_opts *o, const char *algo, const char *untrained, char *err,
                         size_t errlen) {
    if (o->nsets + 2 > XP_MAX_SETS) {
        snprintf(err, errlen, "at most %d --set options", XP_MAX_SETS - 2);
        return NULL;
    }
    xp_set sets[XP_MAX_SETS];
    if (o->nsets) memcpy(sets, o->sets, o->nsets * sizeof *sets);
    sets[o->nsets] = (xp_set){.key = "allocator.name"};
    snprintf(sets[o->nsets].value, sizeof sets[0].value, "%s", algo);
    sets[o->nsets + 1] = (xp_set){.key = "allocator.checkpoint"};
    snprintf(sets[o->nsets + 1].value, sizeof sets[0].value, "%s", untrained);
    return xp_scenario_load(o->scenario, o->variant, sets, o->nsets + 2, err, errlen);
}

static int check(const xp_train_opts *o, const xp_scenario *s, char *err, size_t errlen) {
    uint64_t last = o->first_seed + o->episodes - 1, eval_last = s->seed + s->seeds - 1;
    if (o->episodes == 0 || last < o->first_seed) {
        snprintf(err, errlen, "train: --episodes must be at least 1 and keep the seeds below 2^64");
        return -1;
    }
    if (o->episodes % jobs_of(o) != 0) {
        snprintf(err, errlen,
                 "train: -j %u does not divide --episodes %u (each worker runs the same number of whole "
                 "episodes)",
                 jobs_of(o), o->episodes);
        return -1;
    }
    if (o->first_seed <= eval_last && s->seed <= last) {
        snprintf(err, errlen,
                 "train: held-in seeds %llu..%llu overlap the scenario's evaluation seeds %llu..%llu (change "
                 "the scenario's seed)",
                 (unsigned long long)o->first_seed, (unsigned long long)last, (unsigned long long)s->seed,
                 (unsigned long long)eval_last);
        return -1;
    }
    if (xp_train_env_episode_steps(s) == 0) {
        snprintf(err, errlen,
                 "train: %s allows fewer than 3 decisions (duration + drain over allocator.interval)",
                 s->path);
        return -1;
    }
    return 0;
}

/* A temporary folder for the untrained checkpoint; "" on failure. */
static void temp_dir(char *buf, size_t len) {
    if (eng_tmp_path(buf, len, "sparkiot-train-XXXXXX") != 0 || !mkdtemp(buf)) buf[0] = 0;
}

int xp_train(const xp_train_opts *o, char *err, size_t errlen) {
    openblas_set_num_threads(1);
    signal(SIGPIPE, SIG_IGN);
    int dqn = o->algo == XP_TRAIN_DQN;
    const char *algo = dqn ? "dqn" : "ppo";
    xp_ckpt_visit visit = dqn ? dqn_visit : ppo_visit;
    trainer t = {.o = o, .t0 = now_s()};
    void *agent = NULL;
    pol_rl_env **envs = NULL;
    unsigned n = jobs_of(o);
    xp_scenario *s = NULL;
    int rc = -1;
    char dir[4096], untrained[4200] = "", ckpt_err[2048];
    temp_dir(dir, sizeof dir);
    if (!dir[0]) {
        snprintf(err, errlen, "train: cannot make a temporary folder");
        return -1;
    }
    snprintf(untrained, sizeof untrained, "%s/untrained.h5", dir);
    /* The untrained agent the loader checks (the schedules do not change
     * the initial weights, which come from the seed alone). */
    if (!(agent = new_agent(o, 1, err, errlen)) ||
        xp_ckpt_save(untrained, visit, agent, &(xp_ckpt_meta){.algorithm = algo}, err, errlen) != 0)
        goto done;
    free_agent(o, agent);
    agent = NULL;
    if (!(s = load(o, algo, untrained, err, errlen)) || check(o, s, err, errlen) != 0) {
        rc = XP_TRAIN_EINPUT;
        goto done;
    }
    if (!(agent = new_agent(o, xp_train_env_episode_steps(s), err, errlen))) goto done;
    t.rows = calloc(o->episodes, sizeof *t.rows);
    envs = calloc(n, sizeof *envs);
    xp_train_feed feed = {.first_seed = o->first_seed, .done = on_episode, .ctx = &t};
    int ok = t.rows && envs;
    for (unsigned i = 0; ok && i < n; i++) ok = (envs[i] = xp_train_env_new(s, &feed)) != NULL;
    if (!ok) {
        snprintf(err, errlen, "train: out of memory");
        goto done;
    }
    uint64_t total = xp_train_env_episode_steps(s) * o->episodes;
    int lrc = dqn ? pol_rl_dqn_learn_many(agent, envs, n, total) : pol_rl_ppo_learn(agent, envs, total);
    if (o->progress && t.nrows) fputc('\n', stderr);
    if (lrc != 0) {
        snprintf(err, errlen, "train: %s", feed.err[0] ? feed.err : "out of memory");
        goto done;
    }
    char sets[4096] = "";
    for (size_t i = 0, off = 0; i < o->nsets && off < sizeof sets; i++)
        off += (size_t)snprintf(sets + off, sizeof sets - off, "%s=%s\n", o->sets[i].key, o->sets[i].value);
    xp_ckpt_meta m = {
        .algorithm = algo,
        .scenario = s->name,
        .scenario_path = s->path,
        .variant = o->variant ? o->variant : "",
        .overrides = sets,
        .agent_seed = o->seed,
        .first_seed = o->first_seed,
        .episodes = o->episodes,
        .jobs = n,
        .steps = dqn ? pol_rl_dqn_steps(agent) : pol_rl_ppo_steps(agent),
        .reward_cost = pol_param_get(&s->alloc, "reward_cost", POL_ALLOC_RL_REWARD_COST),
        .reward_slo = pol_param_get(&s->alloc, "reward_slo", POL_ALLOC_RL_REWARD_SLO),
    };
    if (xp_ckpt_save(o->out, visit, agent, &m, err, errlen) != 0) goto done;
    char curve[4200];
    xp_train_curve_path(curve, sizeof curve, o->out);
    an_ckpt_h5 *w = an_ckpt_h5_create(curve, err, errlen);
    if (!w) goto done;
    int wrc = an_ckpt_h5_curve(w, t.rows, t.nrows);
    wrc |= an_ckpt_h5_attr_str(w, "algorithm", algo);
    wrc |= an_ckpt_h5_attr_str(w, "scenario", s->name);
    wrc |= an_ckpt_h5_attr_str(w, "checkpoint", o->out);
    if (an_ckpt_h5_close(w, wrc == 0, ckpt_err, sizeof ckpt_err) != 0) {
        snprintf(err, errlen, "%s", ckpt_err);
        goto done;
    }
    rc = 0;
done:
    for (unsigned i = 0; envs && i < n; i++) pol_rl_env_free(envs[i]);
    free(envs);
    free_agent(o, agent);
    xp_scenario_free(s);
    free(t.rows);
    remove(untrained);
    rmdir(dir);
    return rc;
}
