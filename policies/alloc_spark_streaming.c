/* Spark Streaming's dynamic allocation (spark.streaming.dynamicAllocation),
 * following Apache Spark's streaming ExecutorAllocationManager
 * (streaming/src/main/scala/org/apache/spark/streaming/scheduler/
 * ExecutorAllocationManager.scala) and its defaults. Where core dynamic
 * allocation waits for idle executors, which micro-batches rarely leave, this
 * rule looks at how much of the batch interval the batches take.
 *
 * Completed batches' processing times are summed (obs->avg_batch_time times
 * obs->batches at each decision). At every multiple of scaling_interval
 * (60 s; Spark's RecurringTimer ticks on multiples of its period) with at
 * least one batch completed since the last tick:
 *   ratio = mean batch processing time / batch interval (obs->trigger)
 *   ratio >= scaling_up_ratio (0.9):  target = ready + max(round(ratio), 1)
 *   ratio <= scaling_down_ratio (0.3): if ready > min_executors, one executor
 *                                      is killed (target - 1)
 * and the sums restart. Between ticks the target is held; it starts at
 * initial_executors. Spark counts registered (ready) executors when it asks
 * for more, so pending ones are not added to. Without a batch interval
 * (trigger 0) the ratio is undefined and nothing changes. Receivers are not
 * modelled (the direct Kafka source has none), so any executor may go.
 *
 * Parameters (defaults): scaling_interval 60 s, scaling_up_ratio 0.9,
 * scaling_down_ratio 0.3; Spark requires up > down. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>

#include "policies/alloc_int.h"

typedef struct {
    rt_time_t interval;
    double up, down;
    uint32_t min, max;
    uint32_t target;
    int started;
    rt_time_t next_tick;
    int64_t sum; /* processing time of the batches completed since the last tick */
    int64_t count;
} ss_state;

static const char *const names[] = {"scaling_interval", "scaling_up_ratio", "scaling_down_ratio", NULL};

static void *ss_init(const eng_alloc_opts *o, char *err, size_t errlen) {
    rt_time_t interval;
    double up, down;
    if (pol_alloc__check_opts(o, names, err, errlen) < 0 ||
        pol_alloc__duration(o, "scaling_interval", 60 * RT_S, 0, POL_YEAR, POL_OPEN_LO, &interval, err,
                            errlen) < 0 ||
        pol_alloc__real(o, "scaling_up_ratio", 0.9, 0, INFINITY, POL_OPEN_LO | POL_OPEN_HI, &up, err,
                        errlen) < 0 ||
        pol_alloc__real(o, "scaling_down_ratio", 0.3, 0, INFINITY, POL_OPEN_LO | POL_OPEN_HI, &down, err,
                        errlen) < 0)
        return NULL;
    if (up <= down) {
        snprintf(err, errlen,
                 "allocator %s: scaling_up_ratio (%g) must be greater than scaling_down_ratio (%g)", o->name,
                 up, down);
        return NULL;
    }
    ss_state *s = pol_alloc__state(o, sizeof(*s), err, errlen);
    if (!s) return NULL;
    s->interval = interval;
    s->up = up;
    s->down = down;
    s->min = o->min_executors;
    s->max = o->max_executors;
    s->target = pol_alloc__clamp(o->initial_executors, s->min, s->max);
    return s;
}

/* manageAllocation, at a tick of the timer. */
static void manage(ss_state *s, const eng_alloc_obs *obs) {
    if (s->count == 0 || obs->trigger <= 0) return;
    double ratio = (double)(s->sum / s->count) / (double)obs->trigger;
    if (ratio >= s->up) {
        int64_t add = (int64_t)floor(ratio + 0.5); /* Scala's math.round */
        s->target = pol_alloc__clamp((int64_t)obs->ready + (add > 1 ? add : 1), s->min, s->max);
    } else if (ratio <= s->down && obs->ready > s->min) {
        s->target = pol_alloc__clamp((int64_t)s->target - 1, s->min, s->max);
    }
}

static void ss_decide(void *state, const eng_alloc_obs *obs, eng_alloc_decision *d) {
    ss_state *s = state;
    if (!s->started) {
        s->started = 1;
        s->next_tick = (obs->now / s->interval + 1) * s->interval;
    }
    s->sum += (int64_t)obs->avg_batch_time * obs->batches;
    s->count += obs->batches;
    if (obs->now >= s->next_tick) {
        manage(s, obs);
        s->sum = s->count = 0;
        s->next_tick = (obs->now / s->interval + 1) * s->interval;
    }
    d->target = s->target;
}

static void ss_free(void *state) { free(state); }

const eng_alloc_ops pol_alloc_spark_streaming_ops = {
    .abi = ENG_ALLOC_ABI,
    .name = "spark_streaming",
    .summary = "Spark Streaming's rule: every 60 s, batch time / interval >= 0.9 adds, <= 0.3 removes one",
    .param_names = names,
    .init = ss_init,
    .decide = ss_decide,
    .free = ss_free,
};
