/* Spark dynamic allocation, following Apache Spark's ExecutorAllocationManager
 * (core/src/main/scala/org/apache/spark/ExecutorAllocationManager.scala,
 * Spark 3.x) and its documented defaults (spark.apache.org, "Job Scheduling:
 * Dynamic Resource Allocation"). Spark runs this rule every 100 ms; here it
 * runs at every decision, with the timers kept against obs->now.
 *
 * Add: when tasks have been pending for backlog_timeout
 * (schedulerBacklogTimeout, 1 s) one round of requests is made, and another
 * every sustained_backlog_timeout (sustainedSchedulerBacklogTimeout, 1 s)
 * while the backlog lasts. A round raises the target to
 * max(target, ready) + n, capped by maxNeeded = ceil((pending + running
 * tasks) / slots per executor) and by max_executors; n starts at 1 and
 * doubles after each round that added exactly n (1, 2, 4, ...), and falls
 * back to 1 when a round is capped or adds nothing or the backlog clears
 * (the timer is then cleared too). A round that adds nothing leaves the
 * timer expired, so the next decision tries again. When the decision
 * interval is longer than the timers, the rounds Spark would have made in
 * between are replayed against the current observation.
 * Lower: when maxNeeded falls below the target, the target drops to
 * max(maxNeeded, min_executors): pending requests beyond it are cancelled,
 * running executors are not killed.
 * Remove: a ready executor idle for idle_timeout (executorIdleTimeout, 60 s;
 * obs->idle_for) is released, unless that would leave fewer than
 * max(target, min_executors) executors.
 * Until the first task runs or is pending (Spark's first stage submission)
 * or an executor times out, the target stays at initial_executors.
 * Executors are assumed to keep no state that blocks removal (an external
 * shuffle service, Spark's classic setting; no cached blocks).
 *
 * The decision is max(target, ready - released): Spark's target counts
 * ready and pending executors, and executors it does not release stay. The
 * pool is expected to cancel pending executors first and to release idle
 * ones (longest idle first).
 *
 * Parameters (defaults, ns): backlog_timeout 1 s, sustained_backlog_timeout
 * 1 s, idle_timeout 60 s. */
#include <stdlib.h>

#include "policies/alloc_int.h"

#define NOT_SET INT64_MIN

typedef struct {
    rt_time_t backlog_timeout, sustained, idle_timeout;
    uint32_t min, max;
    int64_t target;     /* numExecutorsTarget */
    int64_t to_add;     /* numExecutorsToAdd */
    rt_time_t add_time; /* when the next round of requests is due (NOT_SET: no backlog) */
    rt_time_t last_now; /* time of the previous decision (NOT_SET before the first) */
    int backlogged;     /* tasks were pending at the previous decision */
    int initializing;
} sd_state;

static const char *const names[] = {"backlog_timeout", "sustained_backlog_timeout", "idle_timeout", NULL};

static void *sd_init(const eng_alloc_opts *o, char *err, size_t errlen) {
    rt_time_t backlog, sustained, idle;
    if (pol_alloc__check_opts(o, names, err, errlen) < 0 ||
        pol_alloc__duration(o, "backlog_timeout", RT_S, 0, POL_YEAR, POL_OPEN_LO, &backlog, err, errlen) <
            0 ||
        pol_alloc__duration(o, "sustained_backlog_timeout", backlog, 0, POL_YEAR, POL_OPEN_LO, &sustained,
                            err, errlen) < 0 ||
        pol_alloc__duration(o, "idle_timeout", 60 * RT_S, 0, POL_YEAR, POL_OPEN_LO, &idle, err, errlen) < 0)
        return NULL;
    sd_state *s = pol_alloc__state(o, sizeof(*s), err, errlen);
    if (!s) return NULL;
    s->backlog_timeout = backlog;
    s->sustained = sustained;
    s->idle_timeout = idle;
    s->min = o->min_executors;
    s->max = o->max_executors;
    s->target = pol_alloc__clamp(o->initial_executors, s->min, s->max);
    s->to_add = 1;
    s->add_time = NOT_SET;
    s->last_now = NOT_SET;
    s->initializing = 1;
    return s;
}

/* The listener's onSchedulerBacklogged / onSchedulerQueueEmpty. */
static void track_backlog(sd_state *s, const eng_alloc_obs *obs) {
    if (obs->pending_tasks == 0) {
        s->backlogged = 0;
        s->add_time = NOT_SET;
        s->to_add = 1;
        return;
    }
    rt_time_t start = obs->now - obs->backlog_since;
    if (s->backlogged && start > s->last_now) { /* the queue emptied and filled again in between */
        s->add_time = NOT_SET;
        s->to_add = 1;
    }
    if (s->add_time == NOT_SET) s->add_time = start + s->backlog_timeout;
    s->backlogged = 1;
}

/* addExecutors: one round; returns how many executors it added. */
static int64_t add_round(sd_state *s, int64_t max_needed, int64_t ready) {
    if (s->target >= s->max) {
        s->to_add = 1;
        return 0;
    }
    int64_t t = (s->target > ready ? s->target : ready) + s->to_add;
    if (t > max_needed) t = max_needed;
    t = pol_alloc__clamp(t, s->min, s->max);
    int64_t delta = t - s->target;
    s->target = t;
    if (delta == 0) s->to_add = 1;
    return delta;
}

/* updateAndSyncNumExecutorsTarget, with the rounds due since last time. */
static void update_target(sd_state *s, const eng_alloc_obs *obs) {
    int64_t slots = obs->slots_per_executor ? obs->slots_per_executor : 1;
    int64_t max_needed = ((int64_t)obs->pending_tasks + obs->running_tasks + slots - 1) / slots;
    if (max_needed < s->target) {
        s->target = max_needed > s->min ? max_needed : s->min;
        s->to_add = 1;
        return;
    }
    while (s->add_time != NOT_SET && obs->now >= s->add_time) {
        /* A timer that expired before the previous decision only stayed
         * expired because its rounds added nothing; this one runs now. */
        rt_time_t round = s->add_time > s->last_now ? s->add_time : obs->now;
        int64_t delta = add_round(s, max_needed, obs->ready);
        if (delta <= 0) break;
        s->to_add = delta == s->to_add ? 2 * s->to_add : 1;
        s->add_time = round + s->sustained;
    }
}

static void sd_decide(void *state, const eng_alloc_obs *obs, eng_alloc_decision *d) {
    sd_state *s = state;
    track_backlog(s, obs);
    int64_t timed_out = 0;
    for (uint32_t i = 0; obs->idle_for && i < obs->ready; i++)
        if (obs->idle_for[i] >= s->idle_timeout) timed_out++;
    if (timed_out > 0 || obs->pending_tasks > 0 || obs->running_tasks > 0) s->initializing = 0;
    if (!s->initializing) update_target(s, obs);
    /* removeExecutors: keep at least max(target, min) executors. */
    int64_t keep = s->target > s->min ? s->target : s->min;
    int64_t removable = (int64_t)obs->ready - keep;
    int64_t released = timed_out < removable ? timed_out : removable > 0 ? removable : 0;
    int64_t want = (int64_t)obs->ready - released;
    d->target = pol_alloc__clamp(want > s->target ? want : s->target, s->min, s->max);
    s->last_now = obs->now;
}

static void sd_free(void *state) { free(state); }

const eng_alloc_ops pol_alloc_spark_dynamic_ops = {
    .abi = ENG_ALLOC_ABI,
    .name = "spark_dynamic",
    .summary = "Spark dynamic allocation: exponential ramp-up on a task backlog, release after 60 s idle",
    .param_names = names,
    .init = sd_init,
    .decide = sd_decide,
    .free = sd_free,
};
