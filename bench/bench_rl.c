/* CartPole-v1 check of the learning algorithms of policies/rl (PPO and DQN)
 * before they drive the allocator: for each algorithm and seeds 1..5, train
 * with the RL-Baselines3-Zoo CartPole-v1 hyperparameters (docs/rl.md) and
 * every --eval-every environment steps evaluate the greedy policy on 20
 * episodes; a run is solved at the first evaluation whose mean return is at
 * least 475, and stops there or at its step budget (PPO 100,000, DQN
 * 150,000). Prints per run
 *   <algo> seed=<n> steps_to_475=<n|none> steps_per_s=<x> wall_s=<x> cpu_s=<x>
 * (steps_per_s: environment steps per second of training, evaluation
 * excluded; wall_s: the whole run; cpu_s: its processor time, which is what
 * one idle core would take when other jobs share the machine) and per
 * algorithm <algo> solved=<k>/<seeds>.
 * OpenBLAS is held to one thread.
 * Usage: bench_rl [ppo|dqn|all] [--seeds N] [--eval-every STEPS] */
#include <cblas.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "policies/rl/dqn.h"
#include "policies/rl/env.h"
#include "policies/rl/eval.h"
#include "policies/rl/ppo.h"

#define EVAL_EPISODES 20
#define PPO_ENVS 8

static double clock_s(clockid_t id) {
    struct timespec t;
    clock_gettime(id, &t);
    return (double)t.tv_sec + (double)t.tv_nsec * 1e-9;
}

static double now_s(void) { return clock_s(CLOCK_MONOTONIC); }

/* RL-Zoo hyperparams/ppo.yml, CartPole-v1. */
static void ppo_zoo(pol_rl_ppo_opts *o) {
    pol_rl_ppo_defaults(o);
    o->n_steps = 32;
    o->batch_size = 256;
    o->gae_lambda = 0.8;
    o->gamma = 0.98;
    o->n_epochs = 20;
    o->ent_coef = 0.0;
    o->lr = 1e-3;
    o->lr_anneal = 1;
    o->clip_range = 0.2;
    o->clip_anneal = 1;
    o->total_steps = 100000;
}

/* RL-Zoo hyperparams/dqn.yml, CartPole-v1 (n_timesteps 5e4 sets the
 * exploration schedule's horizon). */
static void dqn_zoo(pol_rl_dqn_opts *o) {
    pol_rl_dqn_defaults(o);
    o->lr = 2.3e-3;
    o->batch_size = 64;
    o->buffer_size = 100000;
    o->learning_starts = 1000;
    o->gamma = 0.99;
    o->target_update_interval = 10;
    o->train_freq = 256;
    o->gradient_steps = 128;
    o->exploration_fraction = 0.16;
    o->eps_final = 0.04;
    o->n_hidden = 2;
    o->hidden[0] = o->hidden[1] = 256;
    o->total_steps = 50000;
}

typedef struct run {
    int solved;
    unsigned long steps_to;
    double train_s, wall_s, cpu_s;
    unsigned long steps;
} run;

static int evaluate(pol_rl_env **eval_envs, pol_rl_policy p, double *mean) {
    return pol_rl_evaluate(eval_envs, EVAL_EPISODES, p, NULL, mean);
}

static int run_one(const char *algo, unsigned long seed, unsigned long eval_every, run *out) {
    char err[256];
    pol_rl_env *train_envs[PPO_ENVS] = {0}, *eval_envs[EVAL_EPISODES] = {0};
    int ppo = strcmp(algo, "ppo") == 0, rc = -1;
    size_t n_train = ppo ? PPO_ENVS : 1;
    unsigned long budget = ppo ? 100000 : 150000;
    pol_rl_ppo *pa = NULL;
    pol_rl_dqn *da = NULL;
    for (size_t i = 0; i < n_train; i++) train_envs[i] = pol_rl_cartpole_new(seed * 1000 + i);
    for (size_t i = 0; i < EVAL_EPISODES; i++) eval_envs[i] = pol_rl_cartpole_new(seed * 1000 + 500 + i);
    if (ppo) {
        pol_rl_ppo_opts o;
        ppo_zoo(&o);
        pa = pol_rl_ppo_new(&o, 4, 2, PPO_ENVS, seed, err, sizeof err);
    } else {
        pol_rl_dqn_opts o;
        dqn_zoo(&o);
        da = pol_rl_dqn_new(&o, 4, 2, seed, err, sizeof err);
    }
    if (!pa && !da) {
        fprintf(stderr, "bench_rl: %s\n", err);
        goto done;
    }
    *out = (run){0};
    double t0 = now_s(), c0 = clock_s(CLOCK_PROCESS_CPUTIME_ID);
    unsigned long steps = 0;
    while (steps < budget) {
        double ts = now_s();
        rc = ppo ? pol_rl_ppo_learn(pa, train_envs, eval_every)
                 : pol_rl_dqn_learn(da, train_envs[0], eval_every);
        out->train_s += now_s() - ts;
        if (rc) goto done;
        steps = ppo ? pol_rl_ppo_steps(pa) : pol_rl_dqn_steps(da);
        double mean;
        if ((rc = evaluate(eval_envs, ppo ? pol_rl_ppo_policy(pa) : pol_rl_dqn_policy(da), &mean))) goto done;
        if (mean >= 475.0) {
            out->solved = 1;
            out->steps_to = steps;
            break;
        }
    }
    out->steps = steps;
    out->wall_s = now_s() - t0;
    out->cpu_s = clock_s(CLOCK_PROCESS_CPUTIME_ID) - c0;
    rc = 0;
done:
    pol_rl_ppo_free(pa);
    pol_rl_dqn_free(da);
    for (size_t i = 0; i < n_train; i++) pol_rl_env_free(train_envs[i]);
    for (size_t i = 0; i < EVAL_EPISODES; i++) pol_rl_env_free(eval_envs[i]);
    return rc;
}

int main(int argc, char **argv) {
    const char *which = "all";
    unsigned long seeds = 5, eval_every = 2048;
    for (int i = 1; i < argc; i++) {
        if (strcmp(argv[i], "--seeds") == 0 && i + 1 < argc)
            seeds = strtoul(argv[++i], NULL, 10);
        else if (strcmp(argv[i], "--eval-every") == 0 && i + 1 < argc)
            eval_every = strtoul(argv[++i], NULL, 10);
        else if (strcmp(argv[i], "ppo") == 0 || strcmp(argv[i], "dqn") == 0 || strcmp(argv[i], "all") == 0)
            which = argv[i];
        else {
            fprintf(stderr, "usage: bench_rl [ppo|dqn|all] [--seeds N] [--eval-every STEPS]\n");
            return 2;
        }
    }
    if (seeds == 0 || eval_every == 0) {
        fprintf(stderr, "bench_rl: --seeds and --eval-every must be positive\n");
        return 2;
    }
    openblas_set_num_threads(1);
    const char *algos[] = {"ppo", "dqn"};
    for (size_t a = 0; a < 2; a++) {
        if (strcmp(which, "all") != 0 && strcmp(which, algos[a]) != 0) continue;
        unsigned long solved = 0;
        for (unsigned long seed = 1; seed <= seeds; seed++) {
            run r;
            if (run_one(algos[a], seed, eval_every, &r)) {
                fprintf(stderr, "bench_rl: %s seed %lu failed\n", algos[a], seed);
                return 1;
            }
            solved += (unsigned long)r.solved;
            char to[32];
            if (r.solved)
                snprintf(to, sizeof to, "%lu", r.steps_to);
            else
                snprintf(to, sizeof to, "none");
            printf("%s seed=%lu steps_to_475=%s steps_per_s=%.0f wall_s=%.2f cpu_s=%.2f\n", algos[a], seed,
                   to, (double)r.steps / r.train_s, r.wall_s, r.cpu_s);
            fflush(stdout);
        }
        printf("%s solved=%lu/%lu\n", algos[a], solved, seeds);
    }
    return 0;
}
