/* The serverless executor pool: which executors are requested, starting,
 * ready or released, how busy they are, and what they cost. Pure
 * bookkeeping owned by the driver actor (no runtime calls), so the bill can
 * be checked by hand in unit tests. Executor ids are host indices; a host
 * freed by a release can serve a later request (its generation grows). */
#ifndef ENG_POOL_H
#define ENG_POOL_H

#include <stdint.h>

#include "engine/cost.h"
#include "engine/topo.h"

/* CANCELLED: released while still starting; billed up to the cancellation,
 * its host is free again once the executor comes up and is stopped. */
typedef enum { ENG_EXEC_FREE = 0, ENG_EXEC_PENDING, ENG_EXEC_READY, ENG_EXEC_CANCELLED } eng_exec_state;

typedef struct eng_executor {
    eng_exec_state state;
    uint32_t gen; /* generation of the executor on this host */
    rt_time_t requested, ready_at;
    rt_time_t idle_since; /* when busy last dropped to 0 (ready executors) */
    uint32_t busy;        /* tasks running on it */
    rt_time_t busy_ns;    /* slot-time spent on tasks since the last sample */
    rt_time_t busy_from;  /* start of the current busy accounting */
} eng_executor;

typedef struct eng_pool {
    const eng_cloud *cloud;
    uint32_t vcpu;
    double mem_gb;
    uint32_t slots; /* task slots per executor */
    eng_executor *ex;
    uint32_t n; /* executor hosts */
    double released_usd;
    double released_hours; /* billed executor-hours of released executors */
} eng_pool;

int eng_pool_init(eng_pool *p, const eng_cloud *cloud, const eng_host_opts *exec, uint32_t hosts);
void eng_pool_free(eng_pool *p);
/* Takes a free host for a new executor requested at `now`; its id, or -1. */
int eng_pool_request(eng_pool *p, rt_time_t now);
void eng_pool_ready(eng_pool *p, uint32_t id, rt_time_t now);
/* Releases executor id at `now` and bills it. */
void eng_pool_release(eng_pool *p, uint32_t id, rt_time_t now);
/* Cancels pending executor id at `now` and bills it. */
void eng_pool_cancel(eng_pool *p, uint32_t id, rt_time_t now);
/* A cancelled executor has come up (and been stopped): its host is free. */
void eng_pool_reclaim(eng_pool *p, uint32_t id);
/* Task accounting: a task starts / ends on executor id. */
void eng_pool_task_start(eng_pool *p, uint32_t id, rt_time_t now);
void eng_pool_task_end(eng_pool *p, uint32_t id, rt_time_t now);
uint32_t eng_pool_count(const eng_pool *p, eng_exec_state s);
uint32_t eng_pool_idle(const eng_pool *p);
/* The bill so far: released executors as billed, live ones pro rata. */
double eng_pool_cost_usd(const eng_pool *p, rt_time_t now);
/* Spend rate (USD/h) of the executors held now. */
double eng_pool_cost_rate(const eng_pool *p);
/* Busy slot-time since the last call (resets the accounting). */
rt_time_t eng_pool_take_busy(eng_pool *p, rt_time_t now);

#endif
