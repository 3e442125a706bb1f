/* The allocator environment: one episode is one simulation of a scenario
 * with a learning allocator (dqn or ppo) whose decisions come from the
 * learner in this process. SimGrid allows one engine per process, so each
 * episode runs in a forked child: at every decision the child's allocator
 * sends the feature vector and the reward of the interval that just ended
 * through a pipe and waits for the action; the last decision of the run
 * (the next one would fall at or after duration + drain) ends the episode
 * by truncation, and the child reports the run's bill and latency before it
 * exits. The environment implements pol_rl_env_ops (policies/rl/env.h), so
 * the agents of policies/rl learn from it exactly as from CartPole. */
#ifndef XP_TRAIN_ENV_H
#define XP_TRAIN_ENV_H

#include <stddef.h>
#include <stdint.h>

#include "experiments/scenario.h"
#include "policies/rl/env.h"

/* What one finished episode was. */
typedef struct xp_episode {
    uint64_t seed;    /* workload seed */
    double ret;       /* undiscounted return */
    uint64_t steps;   /* transitions */
    double cost_usd;  /* the run's bill */
    double slo_share; /* share of its readings over the SLO */
    double p95_ms;    /* latency p95 */
} xp_episode;

/* Where the episodes of one or more environments take their seeds and
 * report: episode k (from 0, in the order episodes start) uses workload
 * seed first_seed + k. */
typedef struct xp_train_feed {
    uint64_t first_seed;
    uint64_t started;
    void (*done)(void *ctx, const xp_episode *e);
    void *ctx;
    char err[1024]; /* why an environment call failed */
} xp_train_feed;

/* A new environment on scenario s (borrowed; its allocator must be dqn or
 * ppo) feeding from `feed` (borrowed). NULL if out of memory. Free with
 * pol_rl_env_free, which ends a child still running. Environment calls
 * return -1 on failure with the message in feed->err. */
pol_rl_env *xp_train_env_new(const xp_scenario *s, xp_train_feed *feed);

/* Transitions in one episode of s: decisions at interval, 2 interval, ...
 * up to the last before duration + drain, minus the first (which only
 * observes). */
uint64_t xp_train_env_episode_steps(const xp_scenario *s);

#endif
