/* Shuffle placement: the `shuffle:` options of a scenario and the interface
 * of a placement policy (policies/shuffle_*.c, chosen by YAML name). The
 * driver's shuffle manager (engine/shuffle_mgr.h) asks the policy which tier
 * a new block goes to, tells it every read and every block's end, and after
 * every micro-batch asks where each live block should be now (a block only
 * cools: it may move to a slower tier, never back). A policy never calls the
 * runtime: it reads what happened and returns tiers, so one policy runs in
 * simulation and live. */
#ifndef ENG_SHUFFLE_H
#define ENG_SHUFFLE_H

#include <stddef.h>
#include <stdint.h>

#include "engine/alloc.h"
#include "engine/store.h"

typedef struct eng_shuffle_opts {
    char policy[32];
    eng_param params[ENG_MAX_PARAMS]; /* the policy's own parameters (durations in ns) */
    size_t nparams;
    /* A window result every `slide` micro-batches reads the blocks of the
     * last `window` batches (window 1: each batch reads only its own). */
    uint32_t window, slide;
    /* 1: the allocator may release idle executors that hold blocks still to
     * be read (their memory and local-SSD blocks are lost and recomputed);
     * 0: such executors are kept until their blocks are dropped. */
    int release_holders;
} eng_shuffle_opts;

void eng_shuffle_defaults(eng_shuffle_opts *o);
int eng_shuffle_check(const eng_shuffle_opts *o, char *err, size_t errlen);

/* One block as a policy sees it: reducer `reducer`'s share of map task
 * (bus partition) `map`'s output in micro-batch `batch`. */
typedef struct eng_block_view {
    uint64_t batch;
    uint32_t map, reducer; /* the reducer is the block's key group */
    eng_tier tier;
    uint64_t bytes; /* for a block not yet written: the expected size */
    rt_time_t created;
    rt_time_t last_read; /* -1: not read yet */
    uint32_t reads;
} eng_block_view;

/* The store as the policy sees it when it decides. */
typedef struct eng_shuffle_obs {
    rt_time_t now;
    uint32_t executors;           /* ready */
    uint64_t used[ENG_TIERS];     /* bytes held on each tier */
    uint64_t capacity[ENG_TIERS]; /* what the tier can hold now (memory, SSD: over ready executors);
                                     UINT64_MAX: unbounded */
    uint64_t releases;            /* executors the allocator has released so far */
    double ready_s; /* executor-seconds ready so far (releases / ready_s: an executor's release rate) */
} eng_shuffle_obs;

#define ENG_SHUFFLE_ABI 1

/* A placement policy. New slots go at the end. */
typedef struct eng_shuffle_policy {
    int abi;
    const char *name;
    const char *summary;            /* one line for docs */
    const char *const *param_names; /* NULL-terminated */
    unsigned tiers;                 /* bit t set: the policy may place or move blocks to tier t */
    /* The policy's state from o's parameters; NULL with a message naming
     * the parameter on a bad one. */
    void *(*init)(const eng_shuffle_opts *o, char *err, size_t errlen);
    void (*free)(void *state);
    /* The tier for a new block (a block that does not fit there goes to the
     * next slower tier with room). */
    eng_tier (*place)(void *state, const eng_shuffle_obs *o, const eng_block_view *b);
    /* Block b is read at now (b as it was before: reads and last_read do
     * not count this read yet). */
    void (*read)(void *state, const eng_block_view *b, rt_time_t now);
    /* Block b has been dropped: no reader will ask for it again. */
    void (*drop)(void *state, const eng_block_view *b, rt_time_t now);
    /* Where each of the n live blocks should be now: out[i] = the tier
     * (blocks[i].tier to keep it). NULL: blocks stay where they were put. */
    void (*review)(void *state, const eng_shuffle_obs *o, const eng_block_view *blocks, size_t n,
                   eng_tier *out);
} eng_shuffle_policy;

#endif
