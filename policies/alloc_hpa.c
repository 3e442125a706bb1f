/* The Kubernetes Horizontal Pod Autoscaler (autoscaling/v2), on executor
 * slot utilisation, following the controller of kubernetes/kubernetes
 * (pkg/controller/podautoscaler: replica_calculator.go GetResourceReplicas,
 * horizontal.go stabilizeRecommendationWithBehaviors and
 * convertDesiredReplicasWithBehaviorRate) and the documented defaults
 * (kubernetes.io, "Horizontal Pod Autoscaling"). Executors are the pods;
 * a slot is the CPU request; obs->utilisation is the pods' usage/request.
 *
 * Every sync_period (15 s, --horizontal-pod-autoscaler-sync-period):
 *  1. metric: mean utilisation of the ready executors since the last sync,
 *     truncated to a whole percent as Kubernetes does; ratio = metric/target.
 *  2. recommendation: current = ready + pending (the Deployment's replicas).
 *     |ratio - 1| <= tolerance (0.1) -> current; else ceil(ratio * ready).
 *     Pending (not yet ready) executors are Kubernetes' unready pods: when
 *     ratio > 1 they are re-counted at 0 % and the ratio recomputed; if that
 *     falls within tolerance or below 1 the recommendation is `current`,
 *     else ceil(new ratio * (ready + pending)). On a scale-down they are
 *     left out (ceil(ratio * ready)), as in Kubernetes.
 *  3. stabilisation: scale-down uses the largest recommendation of the last
 *     stabilisation_window (300 s) including this one; scale-up has no
 *     window (the default scaleUp.stabilizationWindowSeconds is 0).
 *  4. rate limits (the default behaviour, periodSeconds 15): up to
 *     max(+100 %, +4 executors) (selectPolicy Max) and down by 100 % of
 *     the count at the start of the trailing 15 s, counting the changes this
 *     autoscaler made in it.
 *  5. clamp to [min_executors, max_executors]; if the current count is
 *     already outside, it is set to the nearest bound at once.
 * The target is held between syncs; the first sync comes one sync_period
 * after the first decision so that the metric covers a whole period.
 * With no ready executor there is no metric and the count is kept
 * (Kubernetes reports "did not receive metrics" and does not scale).
 *
 * Parameters (defaults): target_utilisation 0.8 (the default CPU target of
 * `kubectl autoscale` and of autoscaling/v1, DefaultCPUUtilization = 80),
 * tolerance 0.1, sync_period 15 s, stabilisation_window 300 s. */
#include <assert.h>
#include <math.h>
#include <stdlib.h>

#include "policies/alloc_int.h"

#define HPA_POLICY_PERIOD (15 * RT_S)
#define HPA_UP_PERCENT 100.0
#define HPA_UP_PODS 4
#define HPA_DOWN_PERCENT 100.0

/* A past recommendation (v: executors) or scale event (v: signed change). */
typedef struct {
    rt_time_t t;
    int64_t v;
} hpa_sample;

typedef struct {
    hpa_sample *s;
    size_t n, cap;
} hpa_log;

typedef struct {
    double target_pct, tolerance;
    rt_time_t sync, window;
    uint32_t min, max;
    uint32_t target; /* the last decision, held between syncs */
    int started;
    rt_time_t next_sync;
    double busy, capacity; /* ready slot-time, busy and total, since the last sync */
    hpa_log recs, events;
} hpa_state;

static const char *const names[] = {"target_utilisation", "tolerance", "sync_period", "stabilisation_window",
                                    NULL};

/* Stores x, reusing an entry older than `stale` (as Kubernetes does). */
static void log_put(hpa_log *l, rt_time_t stale, hpa_sample x) {
    for (size_t i = 0; i < l->n; i++)
        if (l->s[i].t < stale) {
            l->s[i] = x;
            return;
        }
    assert(l->n < l->cap); /* syncs are >= sync_period apart: cap bounds the live entries */
    l->s[l->n++] = x;
}

static int log_init(hpa_log *l, rt_time_t span, rt_time_t sync, const eng_alloc_opts *o, char *err,
                    size_t errlen) {
    l->cap = (size_t)(span / sync) + 2;
    l->s = pol_alloc__state(o, l->cap * sizeof(*l->s), err, errlen);
    return l->s ? 0 : -1;
}

static void hpa_free(void *state) {
    hpa_state *s = state;
    if (!s) return;
    free(s->recs.s);
    free(s->events.s);
    free(s);
}

static void *hpa_init(const eng_alloc_opts *o, char *err, size_t errlen) {
    double target, tol;
    rt_time_t sync, window;
    if (pol_alloc__check_opts(o, names, err, errlen) < 0 ||
        pol_alloc__real(o, "target_utilisation", 0.8, 0, 1, POL_OPEN_LO, &target, err, errlen) < 0 ||
        pol_alloc__real(o, "tolerance", 0.1, 0, 1, POL_OPEN_HI, &tol, err, errlen) < 0 ||
        pol_alloc__duration(o, "sync_period", 15 * RT_S, RT_S, 3600 * RT_S, 0, &sync, err, errlen) < 0 ||
        pol_alloc__duration(o, "stabilisation_window", 300 * RT_S, 0, 3600 * RT_S, 0, &window, err, errlen) <
            0)
        return NULL;
    hpa_state *s = pol_alloc__state(o, sizeof(*s), err, errlen);
    if (!s) return NULL;
    if (log_init(&s->recs, window, sync, o, err, errlen) < 0 ||
        log_init(&s->events, HPA_POLICY_PERIOD, sync, o, err, errlen) < 0) {
        hpa_free(s);
        return NULL;
    }
    s->target_pct = 100.0 * target;
    s->tolerance = tol;
    s->sync = sync;
    s->window = window;
    s->min = o->min_executors;
    s->max = o->max_executors;
    s->target = pol_alloc__clamp(o->initial_executors, s->min, s->max);
    return s;
}

/* Whole percent, as Kubernetes' int32(metricsTotal * 100 / requestsTotal);
 * the epsilon keeps binary rounding of the slot-time sums from losing one. */
static double percent(double u) { return floor(100.0 * u + 1e-9); }

/* replica_calculator.go: the recommendation before stabilisation. */
static int64_t recommend(const hpa_state *s, const eng_alloc_obs *obs, int64_t current) {
    double u = s->busy / s->capacity;
    double ratio = percent(u) / s->target_pct;
    double ready = obs->ready, all = (double)obs->ready + obs->pending;
    if (!(obs->pending > 0 && ratio > 1.0)) {
        if (fabs(1.0 - ratio) <= s->tolerance) return current;
        return (int64_t)ceil(ratio * ready);
    }
    double again = percent(u * ready / all) / s->target_pct; /* unready executors at 0 % */
    if (fabs(1.0 - again) <= s->tolerance || again < 1.0) return current;
    int64_t n = (int64_t)ceil(again * all);
    return n < current ? current : n;
}

/* stabilizeRecommendationWithBehaviors: scale down to the largest
 * recommendation of the window; record the unstabilised one. */
static int64_t stabilise(hpa_state *s, rt_time_t now, int64_t current, int64_t rec) {
    int64_t down = rec;
    for (size_t i = 0; i < s->recs.n; i++)
        if (s->recs.s[i].t > now - s->window && s->recs.s[i].v > down) down = s->recs.s[i].v;
    log_put(&s->recs, now - s->window, (hpa_sample){now, rec});
    int64_t out = current < rec ? rec : current;
    return out > down ? down : out;
}

/* convertDesiredReplicasWithBehaviorRate with the default policies. */
static int64_t rate_limit(const hpa_state *s, rt_time_t now, int64_t current, int64_t desired) {
    int64_t added = 0, removed = 0;
    for (size_t i = 0; i < s->events.n; i++) {
        const hpa_sample *e = &s->events.s[i];
        if (e->t <= now - HPA_POLICY_PERIOD) continue;
        if (e->v > 0)
            added += e->v;
        else
            removed -= e->v;
    }
    int64_t start = current - added + removed;
    if (desired > current) {
        int64_t pct = (int64_t)ceil((double)start * (1.0 + HPA_UP_PERCENT / 100.0));
        int64_t limit = pct > start + HPA_UP_PODS ? pct : start + HPA_UP_PODS;
        if (limit < current) limit = current;
        if (limit > s->max) limit = s->max;
        return desired > limit ? limit : desired;
    }
    if (desired < current) {
        int64_t limit = (int64_t)((double)start * (1.0 - HPA_DOWN_PERCENT / 100.0));
        if (limit > current) limit = current;
        if (limit < s->min) limit = s->min;
        return desired < limit ? limit : desired;
    }
    return desired;
}

/* One sync of the controller (horizontal.go reconcileAutoscaler). */
static uint32_t reconcile(hpa_state *s, const eng_alloc_obs *obs) {
    int64_t current = (int64_t)obs->ready + obs->pending;
    int64_t desired;
    if (current > s->max)
        desired = s->max;
    else if (current < s->min)
        desired = s->min;
    else if (obs->ready == 0 || s->capacity <= 0)
        desired = current;
    else
        desired =
            rate_limit(s, obs->now, current, stabilise(s, obs->now, current, recommend(s, obs, current)));
    if (desired != current)
        log_put(&s->events, obs->now - HPA_POLICY_PERIOD, (hpa_sample){obs->now, desired - current});
    return (uint32_t)desired;
}

static void hpa_decide(void *state, const eng_alloc_obs *obs, eng_alloc_decision *d) {
    hpa_state *s = state;
    if (!s->started) {
        s->started = 1;
        s->next_sync = obs->now + s->sync;
    }
    double dt = obs->interval > 0 ? (double)obs->interval : 1.0;
    s->busy += obs->utilisation * obs->ready * dt;
    s->capacity += obs->ready * dt;
    if (obs->now >= s->next_sync) {
        s->target = reconcile(s, obs);
        s->busy = s->capacity = 0;
        s->next_sync = obs->now + s->sync;
    }
    d->target = s->target;
}

const eng_alloc_ops pol_alloc_hpa_ops = {
    .abi = ENG_ALLOC_ABI,
    .name = "hpa",
    .summary = "Kubernetes Horizontal Pod Autoscaler (autoscaling/v2) on executor utilisation",
    .param_names = names,
    .init = hpa_init,
    .decide = hpa_decide,
    .free = hpa_free,
};
