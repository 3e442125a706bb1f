/* The learning allocators (`dqn`, `ppo`): what they share. Each decision the
 * observation (engine/alloc.h) becomes a fixed feature vector, the policy
 * network picks one of a fixed set of executor targets, and, in
 * training, the interval that just ended is scored by a reward. The network
 * comes from a checkpoint file, which policies/ cannot parse (HDF5 lives in
 * analysis/): experiments/ installs a reader that turns the file into the
 * agent's in-memory blob (policies/nn/ckpt.h) before any scenario is loaded.
 * Training runs (experiments/train_env.c) pass a learner through
 * eng_alloc_opts instead: the allocator then computes features and rewards
 * and the learner chooses. docs/rl.md documents features, actions and
 * reward. */
#ifndef POL_ALLOC_RL_H
#define POL_ALLOC_RL_H

#include <stddef.h>
#include <stdint.h>

#include "engine/alloc.h"
#include "policies/nn/ckpt.h"

/* The feature vector, in order (see pol_alloc_rl_features). */
enum {
    POL_ALLOC_RL_F_INPUT_RATE,     /* ln(1 + records/s into the bus) */
    POL_ALLOC_RL_F_PROCESSED_RATE, /* ln(1 + records/s committed) */
    POL_ALLOC_RL_F_BACKLOG,        /* ln(1 + bus lag in records) */
    POL_ALLOC_RL_F_PENDING_TASKS,  /* ln(1 + tasks waiting for a slot) */
    POL_ALLOC_RL_F_LOAD_PER_SLOT,  /* ln(1 + input rate / ready slots (1 if none)) */
    POL_ALLOC_RL_F_BATCH_TIME,     /* mean batch time / trigger (/ interval without trigger), at most 10 */
    POL_ALLOC_RL_F_LATENCY_P50,    /* p50 / SLO, at most 10 */
    POL_ALLOC_RL_F_LATENCY_P95,    /* p95 / SLO, at most 10 */
    POL_ALLOC_RL_F_SLO_SHARE,      /* share of the interval's readings over the SLO */
    POL_ALLOC_RL_F_READY,          /* ready executors / max_executors */
    POL_ALLOC_RL_F_PENDING,        /* starting executors / max_executors */
    POL_ALLOC_RL_F_UTILISATION,    /* busy / ready slot-time, [0, 1] */
    POL_ALLOC_RL_F_COST_RATE,      /* USD per hour of the pool */
    POL_ALLOC_RL_F_TIME_SIN,       /* sin(2 pi time_of_day / 24 h) */
    POL_ALLOC_RL_F_TIME_COS,       /* cos(2 pi time_of_day / 24 h) */
    POL_ALLOC_RL_FEATURES
};

/* The actions: action i sets the target to pol_alloc_rl_levels[i] / 16 of
 * max_executors, rounded up and clamped to [min_executors, max_executors]:
 * with 16 at most, 1, 2, 3, 4, 5, 6, 8, 10, 12 or 16 executors. */
#define POL_ALLOC_RL_ACTIONS 10
#define POL_ALLOC_RL_LEVEL_SCALE 16
extern const int pol_alloc_rl_levels[POL_ALLOC_RL_ACTIONS];
/* Names of the features, in order (for checkpoints and documentation). */
extern const char *const pol_alloc_rl_feature_names[POL_ALLOC_RL_FEATURES];

/* Defaults of the reward weights (allocator parameters reward_cost and
 * reward_slo). */
#define POL_ALLOC_RL_REWARD_COST 1.0
#define POL_ALLOC_RL_REWARD_SLO 10.0

/* The features of obs into x (POL_ALLOC_RL_FEATURES floats). */
void pol_alloc_rl_features(const eng_alloc_obs *obs, float *x);
/* The reward of the interval that ended at obs:
 *   -(w_cost x cost_rate_usd_h + w_slo x slo_share). */
double pol_alloc_rl_reward(const eng_alloc_obs *obs, double w_cost, double w_slo);
/* The target action a asks for with these bounds. */
uint32_t pol_alloc_rl_target(int a, uint32_t min, uint32_t max);

/* "features=<name>,...;levels=<l>,.../16": what a checkpoint was trained with.
 * A checkpoint whose signature differs is refused. */
void pol_alloc_rl_signature(char *buf, size_t len);

/* Reads the checkpoint file `path`: the agent's arrays into blob (zeroed by
 * the caller, who frees it with pol_nn_blob_free, also on failure) and the
 * signature it was trained with into sig. Returns 0, or -1 with a message
 * naming the file in err. */
typedef int (*pol_alloc_rl_reader)(const char *path, pol_nn_blob *blob, char *sig, size_t siglen, char *err,
                                   size_t errlen);
/* Installs the reader every later init of dqn and ppo uses (NULL: none;
 * init then refuses checkpoints with a message saying so). */
void pol_alloc_rl_set_reader(pol_alloc_rl_reader fn);

/* Inside policies/: the two variants as a greedy agent behind three
 * functions, and the init/decide/free they share. */
typedef struct pol_alloc_rl_agent {
    const char *algo; /* "dqn" or "ppo": the allocator's name */
    void *(*from_blob)(const void *data, size_t len, char *err, size_t errlen);
    int (*act)(void *agent, const float *x); /* greedy action of one feature vector */
    void (*free)(void *agent);
} pol_alloc_rl_agent;

extern const char *const pol_alloc_rl__param_names[];
void *pol_alloc_rl__init(const pol_alloc_rl_agent *ag, const eng_alloc_opts *o, char *err, size_t errlen);
void pol_alloc_rl__decide(void *state, const eng_alloc_obs *obs, eng_alloc_decision *d);
void pol_alloc_rl__free(void *state);

#endif
