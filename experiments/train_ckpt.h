/* Checkpoint files of the learning allocators, on the experiments side:
 * saving a trained agent with what it was trained on (through
 * analysis/ckpt_h5.h), and the reader the dqn and ppo allocators load
 * through (policies/alloc_rl.h). policies/ may not use HDF5, so a program
 * that loads scenarios calls xp_ckpt_install once before the first load;
 * the allocator's init then reads allocator.checkpoint into the agent's
 * in-memory blob through it. */
#ifndef XP_TRAIN_CKPT_H
#define XP_TRAIN_CKPT_H

#include <stddef.h>
#include <stdint.h>

#include "policies/nn/ckpt.h"

/* What a checkpoint records besides the agent (root attributes). */
typedef struct xp_ckpt_meta {
    const char *algorithm; /* "dqn" or "ppo" */
    const char *scenario;  /* name */
    const char *scenario_path;
    const char *variant;   /* "" if none */
    const char *overrides; /* --set overrides, one per line */
    uint64_t agent_seed;
    uint64_t first_seed; /* held-in workload seeds: first_seed .. first_seed + episodes - 1 */
    uint32_t episodes;
    uint32_t jobs; /* rollout workers (episodes at once) */
    uint64_t steps;
    double reward_cost, reward_slo;
} xp_ckpt_meta;

/* An agent's visitor (pol_rl_dqn_visit, pol_rl_ppo_visit) and the agent. */
typedef int (*xp_ckpt_visit)(void *agent, pol_nn_visit_fn fn, void *ctx);

/* Writes checkpoint `path` atomically: the agent's arrays, the feature and
 * action signature of the allocators (pol_alloc_rl_signature) and meta.
 * 0, or -1 with a message naming the file. */
int xp_ckpt_save(const char *path, xp_ckpt_visit visit, void *agent, const xp_ckpt_meta *meta, char *err,
                 size_t errlen);

/* Reads checkpoint `path` into blob (zeroed by the caller; freed by the
 * caller with pol_nn_blob_free) and its signature into sig. 0, or -1 with
 * a message naming the file. It is the allocators' reader. */
int xp_ckpt_read(const char *path, pol_nn_blob *blob, char *sig, size_t siglen, char *err, size_t errlen);

/* Installs xp_ckpt_read as the learning allocators' reader. */
void xp_ckpt_install(void);

#endif
