/* Training a learning allocator (`sparkiot train`): a DQN or PPO agent of
 * policies/rl learns from episodes of a scenario simulated in child
 * processes (the allocator environment, train_env.h), on held-in workload
 * seeds disjoint from the scenario's own (held-out, evaluation) seeds. The
 * result is a checkpoint that `sparkiot run` loads (allocator.name: dqn or
 * ppo, allocator.checkpoint: the file) and a learning curve next to it.
 * With jobs = N, N episodes run at once in N children on the same weights:
 * PPO collects one rollout of N episodes per update, DQN steps the N
 * episodes in rounds and learns from their transitions in between
 * (docs/rl.md, "Parallel rollout workers"). The result is deterministic for
 * a seed and N; N = 1 is the serial algorithm.
 * The training hyperparameters are fixed here and documented in docs/rl.md. */
#ifndef XP_TRAIN_H
#define XP_TRAIN_H

#include <stddef.h>
#include <stdint.h>

#include "experiments/scenario.h"

typedef enum { XP_TRAIN_DQN, XP_TRAIN_PPO } xp_train_algo;

typedef struct xp_train_opts {
    const char *scenario; /* path */
    const char *variant;  /* NULL: the file as written */
    const xp_set *sets;   /* --set overrides, applied before allocator.name and .checkpoint */
    size_t nsets;
    xp_train_algo algo;
    uint32_t episodes;   /* >= 1 */
    const char *out;     /* checkpoint path; the curve goes to xp_train_curve_path(out) */
    uint64_t seed;       /* the agent's seed */
    uint64_t first_seed; /* workload seed of the first episode (XP_TRAIN_FIRST_SEED) */
    unsigned jobs;       /* rollout workers, episodes simulated at once; 0 or 1: one; divides episodes */
    int progress;        /* draw a status line on stderr */
} xp_train_opts;

/* Held-in workload seeds start here by default: far from the seeds
 * scenarios evaluate on (1, 2, ... in the shipped scenarios). */
#define XP_TRAIN_FIRST_SEED 1001

/* Bad input (scenario, options): the command exits 2. */
#define XP_TRAIN_EINPUT (-2)

/* Trains and writes the checkpoint and its curve. 0, -1 (failure while
 * running) or XP_TRAIN_EINPUT, with a message in err. */
int xp_train(const xp_train_opts *o, char *err, size_t errlen);

/* The default number of workers: the online processors, lowered to the
 * largest that divides episodes. */
unsigned xp_train_default_jobs(uint32_t episodes);

/* "dir/name.curve.h5" for checkpoint "dir/name.h5" (or "<path>.curve.h5"). */
void xp_train_curve_path(char *buf, size_t len, const char *ckpt);

#endif
