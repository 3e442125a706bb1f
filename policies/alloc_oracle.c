/* The oracle allocator: the lower bound the other allocators are measured
 * against. It knows the future — the exact number of records that will
 * reach the bus in every micro-batch of the run (eng_alloc_forecast, which
 * experiments/ computes by replaying the devices' random streams) — and
 * holds the cheapest executor schedule under which, in its capacity model,
 * every batch finishes within the SLO. It has no parameters.
 *
 * Capacity model (micro-batch; docs/allocators.md derives it). A batch of n
 * records runs one map task per bus partition with records (the forecast
 * says how many each holds), then reduce_tasks reduce tasks of
 * n / reduce_tasks records. With S = k x slots task slots the map tasks go,
 * in partition order, to the first free slot (the driver's FIFO dispatch)
 * and the R reduce tasks take ceil(R / S) waves, so
 *   B(k, n) = makespan(o + map_flops x records of each map task; S) / f
 *             + ceil(R / S) (o + reduce_flops n / R) / f
 * (o the per-task overhead, f the flops/s of a slot). A record reaches the
 * bus at most `ingest` after its device timestamp and waits at most one
 * trigger T for its batch, so every record meets the SLO when
 *   B(k, n) <= budget = min(T, slo - ingest - T)
 * (T also keeps batches from queueing). The batch needs the least such k;
 * if even the most useful pool, ceil(max(partitions, R) / slots), cannot meet the
 * budget no schedule can, and the batch gets the least k that keeps up
 * (B <= T), or that most useful pool. Interval i (between decisions i and
 * i + 1) needs the largest k of the batches running in it — triggered in
 * (i interval - T, (i + 1) interval) — clamped to [min_executors,
 * max_executors].
 *
 * The schedule: requests are made `lead` = ceil(startup_max / interval)
 * decisions ahead (the startup delay's upper bound), releases at once;
 * pol_oracle__plan (alloc_oracle_plan.c) finds the cheapest one by dynamic
 * programming. decide() returns the planned pool size of the current
 * decision. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>

#include "policies/alloc_int.h"
#include "policies/alloc_oracle.h"

typedef struct {
    uint32_t *held; /* planned pool size from decision i; NULL: parameters checked only */
    size_t n;
    rt_time_t interval;
    uint32_t min;
} oracle_state;

static const char *const names[] = {NULL};

/* The map stage on `slots` slots, in seconds: the tasks in partition order,
 * each started on the first slot free (the driver's FIFO dispatch). parts:
 * records per partition, or NULL for n spread evenly over min(n, map_tasks)
 * tasks (then ceil(tasks / slots) equal waves). */
static double map_time(const eng_alloc_forecast *f, const uint32_t *parts, double n, uint32_t slots) {
    double o = f->task_overhead_flops;
    if (!parts) {
        double m = n < f->map_tasks ? ceil(n) : f->map_tasks;
        return ceil(m / slots) * (o + f->map_flops * n / m) / f->slot_flops;
    }
    double free_at[POL_ORACLE_MAX_TASKS], end = 0;
    if (slots > f->map_tasks) slots = f->map_tasks; /* the others stay idle */
    for (uint32_t s = 0; s < slots; s++) free_at[s] = 0;
    for (uint32_t p = 0; p < f->map_tasks; p++) {
        if (!parts[p]) continue;
        uint32_t first = 0;
        for (uint32_t s = 1; s < slots; s++)
            if (free_at[s] < free_at[first]) first = s;
        free_at[first] += (o + f->map_flops * parts[p]) / f->slot_flops;
        if (free_at[first] > end) end = free_at[first];
    }
    return end;
}

/* B(k, n): the map stage, then reduce_tasks equal reduce tasks in waves. */
static double batch_time(const eng_alloc_forecast *f, const uint32_t *parts, double n, uint32_t k) {
    uint32_t slots = k * f->slots;
    double r = f->reduce_tasks;
    return map_time(f, parts, n, slots) +
           ceil(r / slots) * (f->task_overhead_flops + f->reduce_flops * n / r) / f->slot_flops;
}

/* The least k in [1, most] with B(k, n) <= budget, or 0 if none. */
static uint32_t least_within(const eng_alloc_forecast *f, const uint32_t *parts, double n, double budget,
                             uint32_t most) {
    for (uint32_t k = 1; k <= most; k++)
        if (batch_time(f, parts, n, k) <= budget) return k;
    return 0;
}

uint32_t pol_oracle__batch_need(const eng_alloc_forecast *f, const uint32_t *parts, double n) {
    if (n <= 0) return 0;
    uint32_t tasks = f->map_tasks > f->reduce_tasks ? f->map_tasks : f->reduce_tasks;
    uint32_t most = (tasks + f->slots - 1) / f->slots;
    double T = rt_to_s(f->trigger), slo = rt_to_s(f->slo - f->ingest) - T;
    uint32_t k = least_within(f, parts, n, slo < T ? slo : T, most);
    if (!k) k = least_within(f, parts, n, T, most);
    return k ? k : most;
}

/* need[i] for the n decision intervals. */
static void interval_needs(const eng_alloc_opts *o, uint32_t *need, size_t n) {
    const eng_alloc_forecast *f = &o->future;
    for (size_t i = 0; i < n; i++) need[i] = 0;
    for (size_t j = 0; j < f->n; j++) {
        const uint32_t *parts = f->partition_records ? f->partition_records + j * f->map_tasks : NULL;
        uint32_t k = pol_oracle__batch_need(f, parts, round(f->rate[j] * rt_to_s(f->step)));
        rt_time_t from = (rt_time_t)(j + 1) * f->step, to = from + f->trigger;
        for (size_t i = (size_t)(from / o->interval); i < n && (rt_time_t)i * o->interval < to; i++)
            if (k > need[i]) need[i] = k;
    }
    for (size_t i = 0; i < n; i++) need[i] = pol_alloc__clamp(need[i], o->min_executors, o->max_executors);
}

static int check_future(const eng_alloc_opts *o, char *err, size_t errlen) {
    const eng_alloc_forecast *f = &o->future;
    const char *why = NULL;
    if (f->trigger <= 0 || f->step != f->trigger)
        why =
            "needs a micro-batch pipeline with a trigger (pipeline.mode: microbatch, pipeline.trigger > 0): "
            "its capacity model is the micro-batch one";
    else if (o->interval <= 0 || f->end <= 0 || f->billing_granularity <= 0)
        why = "the decision interval, the run's end and the billing granularity must be > 0";
    else if (f->slots == 0 || f->slot_flops <= 0 || f->map_tasks == 0 || f->reduce_tasks == 0)
        why = "executor slots, their speed and the map and reduce task counts must be > 0";
    else if (f->map_tasks > POL_ORACLE_MAX_TASKS)
        why = "at most 4096 map tasks (bus partitions) per batch";
    if (why) snprintf(err, errlen, "allocator %s: %s", o->name, why);
    return why ? -1 : 0;
}

static void *oracle_init(const eng_alloc_opts *o, char *err, size_t errlen) {
    if (pol_alloc__check_opts(o, names, err, errlen) < 0) return NULL;
    if (o->future.rate && check_future(o, err, errlen) < 0) return NULL;
    oracle_state *s = pol_alloc__state(o, sizeof(*s), err, errlen);
    if (!s || !o->future.rate) return s;
    const eng_alloc_forecast *f = &o->future;
    s->interval = o->interval;
    s->min = o->min_executors;
    s->n = (size_t)((f->end + o->interval - 1) / o->interval);
    uint32_t *need = malloc((s->n ? s->n : 1) * sizeof *need);
    s->held = malloc((s->n ? s->n : 1) * sizeof *s->held);
    pol_oracle_bill bill = {o->interval, f->billing_minimum, f->billing_granularity, f->end};
    size_t lead = (size_t)((f->startup_max + o->interval - 1) / o->interval);
    uint32_t initial = pol_alloc__clamp(o->initial_executors, o->min_executors, o->max_executors);
    if (need) interval_needs(o, need, s->n);
    if (!need || !s->held || pol_oracle__plan(need, s->n, initial, lead, &bill, s->held) < 0) {
        snprintf(err, errlen, "allocator %s: out of memory", o->name);
        free(need), free(s->held), free(s);
        return NULL;
    }
    free(need);
    return s;
}

static void oracle_decide(void *state, const eng_alloc_obs *obs, eng_alloc_decision *d) {
    const oracle_state *s = state;
    if (!s->held) abort(); /* initialised without a forecast: only for checking parameters */
    size_t i = (size_t)((obs->now + s->interval / 2) / s->interval);
    d->target = i < s->n ? s->held[i] : s->min;
}

static void oracle_free(void *state) {
    oracle_state *s = state;
    if (s) free(s->held);
    free(s);
}

const eng_alloc_ops pol_alloc_oracle_ops = {
    .abi = ENG_ALLOC_ABI,
    .name = "oracle",
    .summary = "lower bound: knows the future arrivals, holds the cheapest schedule that meets the SLO",
    .param_names = names,
    .init = oracle_init,
    .decide = oracle_decide,
    .free = oracle_free,
    .needs_forecast = 1,
};
