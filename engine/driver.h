/* The driver's state, shared by its three files: driver.c (event loop, task
 * dispatch, start and end of the run), driver_batch.c (micro-batch planning
 * and commit, continuous mode's sink) and driver_alloc.c (observation,
 * allocator decisions, executor requests and releases, sampling). All of it
 * is owned by the one driver actor. */
#ifndef ENG_DRIVER_H
#define ENG_DRIVER_H

#include "engine/actors.h"
#include "engine/pool.h"

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

/* driver_alloc.c */
int eng_driver__alloc_init(driver *d);
void eng_driver__alloc_free(driver *d);
void eng_driver__decide(driver *d);
void eng_driver__apply_target(driver *d);
void eng_driver__sample(driver *d);
void eng_driver__release(driver *d, uint32_t id);
void eng_driver__stop_executor(driver *d, uint32_t id);

#endif
