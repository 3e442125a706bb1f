/* The shuffle manager: the driver's record of every shuffle block (like
 * Spark's map output tracker and block manager master). It knows where each
 * block is, asks the placement policy (engine/shuffle.h) where new blocks go
 * and where live ones should move, drops blocks once no window will read
 * them, marks the blocks of a released executor lost and plans their
 * recomputation, and keeps the storage bill. Owned by the driver actor;
 * the messages it sends (drops, moves) go out through the driver's runtime.
 * Internal to engine/. */
#ifndef ENG_SHUFFLE_MGR_H
#define ENG_SHUFFLE_MGR_H

#include "engine/actors.h"
#include "engine/pool.h"
#include "engine/store.h"

typedef struct eng_mblock {
    uint64_t batch;
    uint32_t map, reducer;
    eng_tier tier;
    uint32_t exec, gen; /* the executor holding it (memory and local SSD) */
    uint64_t records;
    rt_time_t created, last_read; /* last_read -1: not read yet */
    uint32_t reads;
    uint8_t lost;   /* on a released executor: must be recomputed before it is read */
    uint8_t redo;   /* lost, and a recomputation of its map task is planned */
    uint8_t moving; /* a move is not acknowledged yet */
} eng_mblock;

/* A retained batch's map task: what a recomputation re-runs. */
typedef struct eng_mplan {
    uint64_t batch;
    uint32_t partition;
    uint64_t from, to;
} eng_mplan;

typedef struct eng_shuffle_mgr {
    const eng_run_opts *o;
    const eng_shuffle_policy *pol;
    void *state; /* the policy's */
    eng_mblock *b;
    size_t n, cap;
    eng_mplan *plans;
    size_t nplans, capplans;
    eng_store_bill bill;
    uint32_t moving;   /* blocks with a move in flight */
    uint64_t releases; /* executors released by the allocator so far */
    double ready_s;    /* executor-seconds ready so far */
    uint64_t lost, moves, recomputed;
} eng_shuffle_mgr;

/* Creates the policy's state; -1 with a message on bad parameters. */
int eng_shuffle_mgr_init(eng_shuffle_mgr *m, const eng_run_opts *o, char *err, size_t errlen);
void eng_shuffle_mgr_free(eng_shuffle_mgr *m);

/* Batches [*lo, *hi] the reduce tasks of `batch` read: its window when a
 * window result is due, else the batch alone. */
void eng_shuffle_mgr_window(const eng_shuffle_mgr *m, uint64_t batch, uint64_t *lo, uint64_t *hi);

/* A map task of `batch` over partition [from, to) is planned. */
void eng_shuffle_mgr_plan(eng_shuffle_mgr *m, uint64_t batch, uint32_t partition, uint64_t from, uint64_t to);
/* The tiers for the blocks a map task about to start writes, one per
 * reducer, into tiers (nreducers entries): every block of a new task, only
 * the lost ones of a recomputation (ENG_TIER_NONE for the others). */
void eng_shuffle_mgr_place(eng_shuffle_mgr *m, const eng_pool *pool, const eng_task *t, rt_time_t now,
                           uint64_t *tiers);
/* Executor (id, gen) finished a map task: offs is its TASK_DONE's. */
void eng_shuffle_mgr_written(eng_shuffle_mgr *m, uint32_t id, uint32_t gen, const eng_task *t,
                             const uint64_t *offs, rt_time_t now);
/* A store server acknowledged moved blocks (the ACK of a MOVE). */
void eng_shuffle_mgr_moved(eng_shuffle_mgr *m, const eng_msg *ack, rt_time_t now);

/* Blocks on executor id that are still to be read (lost ones excluded). */
size_t eng_shuffle_mgr_held(const eng_shuffle_mgr *m, uint32_t id);
/* 1 if a block of executor id is being moved. */
int eng_shuffle_mgr_moving_from(const eng_shuffle_mgr *m, uint32_t id);
/* Executor id is released at now: its memory and local-SSD blocks are lost. */
void eng_shuffle_mgr_release(eng_shuffle_mgr *m, uint32_t id, rt_time_t now);

/* The recomputations the reduce tasks of [lo, hi] need: one map task per
 * (batch, partition) with a lost block, appended to the driver's queue
 * through `enqueue` and counted once. Returns how many. */
uint32_t eng_shuffle_mgr_recompute(eng_shuffle_mgr *m, uint64_t lo, uint64_t hi, uint32_t nreducers,
                                   uint64_t *task_seq, void (*enqueue)(void *ctx, const eng_task *t),
                                   void *ctx);
/* The store servers holding reducer r's blocks of [lo, hi], as reduce task
 * sources (actors.h); *n of them in a new array the task owns. */
uint32_t *eng_shuffle_mgr_sources(const eng_shuffle_mgr *m, uint64_t lo, uint64_t hi, uint32_t r,
                                  uint32_t *n);
/* Reducer r read its blocks of [lo, hi] at now. */
void eng_shuffle_mgr_read(eng_shuffle_mgr *m, uint64_t lo, uint64_t hi, uint32_t r, rt_time_t now);

/* Batch `batch` has committed: drops the blocks no window will read again,
 * then moves the blocks the policy wants cooler. */
void eng_shuffle_mgr_commit(eng_shuffle_mgr *m, rt_t *rt, const eng_pool *pool, uint64_t batch,
                            rt_time_t now);
/* The first offset of partition p still needed to recompute a retained
 * batch (`committed` when none is). */
uint64_t eng_shuffle_mgr_floor(const eng_shuffle_mgr *m, uint32_t p, uint64_t committed);
/* Drops every block left (the run is over). */
void eng_shuffle_mgr_drop_all(eng_shuffle_mgr *m, rt_t *rt, rt_time_t now);
/* Releases observed over a decision interval: `releases` executors released
 * in `ready_s` executor-seconds. */
void eng_shuffle_mgr_observe(eng_shuffle_mgr *m, uint32_t releases, double ready_s);

/* Shared by shuffle_mgr.c and shuffle_commit.c. */
uint64_t eng_shuffle_mgr__bytes(const eng_shuffle_mgr *m, const eng_mblock *b);
eng_block_view eng_shuffle_mgr__view(const eng_shuffle_mgr *m, const eng_mblock *b);
void eng_shuffle_mgr__observe(const eng_shuffle_mgr *m, const eng_pool *pool, rt_time_t now,
                              eng_shuffle_obs *obs);
eng_tier eng_shuffle_mgr__checked(const eng_shuffle_mgr *m, eng_tier t);

#endif
