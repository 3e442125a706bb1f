/* The driver's state, shared by its four files: driver.c (event loop, task
 * dispatch, start and end of the run), driver_batch.c (micro-batch planning
 * and commit, continuous mode's sink), driver_shuffle.c (the shuffle
 * between a batch's stages) and driver_alloc.c (observation, allocator
 * decisions, executor requests and releases, sampling). All of it is owned
 * by the one driver actor, the shuffle manager (engine/shuffle_mgr.h)
 * included. */
#ifndef ENG_DRIVER_H
#define ENG_DRIVER_H

#include "engine/actors.h"
#include "engine/pool.h"
#include "engine/shuffle_mgr.h"

typedef struct driver {
    rt_t *rt;
    const eng_ctx *ctx;
    const eng_run_opts *o;
    rt_chan_t *self, *broker;
    eng_pool pool;
    uint64_t *slot_busy; /* per executor host: bit s set while slot s runs a task */
    void *alloc;         /* the allocator's state */
    uint32_t target;
    /* task queue (FIFO) */
    eng_task *q;
    size_t qhead, qn, qcap;
    rt_time_t backlog_since; /* since when tasks have waited for a slot (-1: none waiting) */
    uint64_t task_seq;
    /* the bus as last seen */
    uint32_t np;
    uint64_t *committed, *planned;
    uint64_t appended; /* readings the broker has appended so far */
    uint64_t backlog;  /* records produced, not committed */
    /* the micro-batch in flight */
    int active, want_offsets, trigger_pending;
    uint32_t refreshing; /* offset requests in flight for a decision or a sample */
    uint64_t batch;
    uint32_t maps_left, reduces_left;
    int reducing;             /* its maps are done: its reduce stage is being prepared or runs */
    uint32_t recomputes_left; /* map tasks re-run for lost blocks before its reduce stage */
    uint64_t lo, hi;          /* the batches its reduce tasks read */
    eng_batch_row row;
    eng_lat *lat;
    size_t nlat, caplat;
    /* measurements */
    eng_metrics *m;
    eng_hist decide_hist, sample_hist;
    uint64_t out;    /* readings committed */
    uint64_t pushed; /* continuous: records received from the broker */
    uint64_t in_at_decide, out_at_decide, in_at_sample, out_at_sample;
    rt_time_t batch_time_sum, last_batch_time;
    uint32_t batch_count;
    rt_time_t last_decide;
    int ending;
    /* shuffle */
    eng_shuffle_mgr shuffle;
    uint32_t releases; /* executors released since the last decision */
    rt_time_t shuffle_write, shuffle_read, recompute_time;
    uint64_t own_digest, window_digest;
} driver;

/* driver.c */
void eng_driver__enqueue(driver *d, const eng_task *t);
void eng_driver__dispatch(driver *d);
void eng_driver__send_stop(driver *d, const char *chan);

/* driver_batch.c */
void eng_driver__trigger(driver *d);
void eng_driver__refresh(driver *d, eng_tick_kind why);
void eng_driver__on_offsets(driver *d, eng_msg *m);
void eng_driver__on_done(driver *d, eng_msg *m);
void eng_driver__on_push(driver *d, eng_msg *m);
void eng_driver__sink(driver *d, const eng_lat *lat, size_t n, rt_time_t now);

/* driver_shuffle.c */
int eng_driver__shuffle_init(driver *d);
void eng_driver__start_reduces(driver *d);
/* A map task's TASK_DONE m: its blocks are written (recompute: a
 * recomputation of lost ones). */
void eng_driver__map_written(driver *d, const eng_msg *m, int recompute);
/* A reduce task's TASK_DONE m: its blocks were read. */
void eng_driver__reduce_read(driver *d, const eng_msg *m);
void eng_driver__moved(driver *d, const eng_msg *ack);
void eng_driver__shuffle_commit(driver *d);
/* Drops every block left and returns the broker's STOP message, which
 * commits everything processed. */
eng_msg *eng_driver__shuffle_end(driver *d);
void eng_driver__shuffle_stop(driver *d);
/* The shuffle's bill until now (fills c; returns its total), and its part
 * of the summary at the end. */
double eng_driver__shuffle_usd(const driver *d, rt_time_t now, eng_store_cost *c);
void eng_driver__shuffle_summary(driver *d, eng_summary *s, rt_time_t end);

/* driver_alloc.c */
int eng_driver__alloc_init(driver *d);
void eng_driver__alloc_free(driver *d);
void eng_driver__decide(driver *d);
void eng_driver__apply_target(driver *d);
void eng_driver__sample(driver *d);
void eng_driver__release(driver *d, uint32_t id);
void eng_driver__stop_executor(driver *d, uint32_t id);

#endif
