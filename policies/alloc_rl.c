/* What the learning allocators share (see alloc_rl.h): the feature vector,
 * the action set, the reward, the checkpoint reader hook, and the
 * init/decide/free behind both variants. Parameters (defaults):
 *   reward_cost  weight of the pool's cost rate, USD/h (1), >= 0
 *   reward_slo   weight of the share of readings over the SLO (10), >= 0
 * The weights only matter in training; a loaded policy acts greedily. */
#include "policies/alloc_rl.h"

#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "policies/alloc_int.h"

const int pol_alloc_rl_levels[POL_ALLOC_RL_ACTIONS] = {1, 2, 3, 4, 5, 6, 8, 10, 12, 16};

const char *const pol_alloc_rl_feature_names[POL_ALLOC_RL_FEATURES] = {
    "input_rate", "processed_rate", "backlog",     "pending_tasks", "load_per_slot",
    "batch_time", "latency_p50",    "latency_p95", "slo_share",     "ready",
    "pending",    "utilisation",    "cost_rate",   "time_sin",      "time_cos",
};

const char *const pol_alloc_rl__param_names[] = {"reward_cost", "reward_slo", NULL};

#define DAY_NS (24.0 * 3600.0 * 1e9)
#define TWO_PI 6.283185307179586
#define RATIO_CAP 10.0

static double capped(double v) { return v < 0 ? 0 : v > RATIO_CAP ? RATIO_CAP : v; }

void pol_alloc_rl_features(const eng_alloc_obs *o, float *x) {
    double slots = (double)o->ready * o->slots_per_executor;
    rt_time_t period = o->trigger > 0 ? o->trigger : o->interval;
    double max = o->max_executors ? (double)o->max_executors : 1.0;
    double slo = o->slo_ms > 0 ? o->slo_ms : 1.0;
    double phase = TWO_PI * (double)o->time_of_day / DAY_NS;
    double v[POL_ALLOC_RL_FEATURES] = {
        [POL_ALLOC_RL_F_INPUT_RATE] = log1p(o->input_rate),
        [POL_ALLOC_RL_F_PROCESSED_RATE] = log1p(o->processed_rate),
        [POL_ALLOC_RL_F_BACKLOG] = log1p((double)o->backlog),
        [POL_ALLOC_RL_F_PENDING_TASKS] = log1p((double)o->pending_tasks),
        [POL_ALLOC_RL_F_LOAD_PER_SLOT] = log1p(o->input_rate / (slots > 0 ? slots : 1.0)),
        [POL_ALLOC_RL_F_BATCH_TIME] = period > 0 ? capped((double)o->avg_batch_time / (double)period) : 0,
        [POL_ALLOC_RL_F_LATENCY_P50] = capped(o->latency_p50_ms / slo),
        [POL_ALLOC_RL_F_LATENCY_P95] = capped(o->latency_p95_ms / slo),
        [POL_ALLOC_RL_F_SLO_SHARE] = o->slo_share,
        [POL_ALLOC_RL_F_READY] = o->ready / max,
        [POL_ALLOC_RL_F_PENDING] = o->pending / max,
        [POL_ALLOC_RL_F_UTILISATION] = o->utilisation,
        [POL_ALLOC_RL_F_COST_RATE] = o->cost_rate_usd_h,
        [POL_ALLOC_RL_F_TIME_SIN] = sin(phase),
        [POL_ALLOC_RL_F_TIME_COS] = cos(phase),
    };
    for (size_t i = 0; i < POL_ALLOC_RL_FEATURES; i++) x[i] = (float)v[i];
}

double pol_alloc_rl_reward(const eng_alloc_obs *obs, double w_cost, double w_slo) {
    return -(w_cost * obs->cost_rate_usd_h + w_slo * obs->slo_share);
}

uint32_t pol_alloc_rl_target(int a, uint32_t min, uint32_t max) {
    int64_t n =
        ((int64_t)pol_alloc_rl_levels[a] * max + POL_ALLOC_RL_LEVEL_SCALE - 1) / POL_ALLOC_RL_LEVEL_SCALE;
    return pol_alloc__clamp(n, min, max);
}

/* Appends printf output at buf + *off (truncating at len). */
static void put(char *buf, size_t len, size_t *off, const char *fmt, ...) {
    if (*off + 1 >= len) return;
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(buf + *off, len - *off, fmt, ap);
    va_end(ap);
    if (n > 0) *off = *off + (size_t)n < len ? *off + (size_t)n : len - 1;
}

void pol_alloc_rl_signature(char *buf, size_t len) {
    size_t off = 0;
    buf[0] = 0;
    for (size_t i = 0; i < POL_ALLOC_RL_FEATURES; i++)
        put(buf, len, &off, "%s%s", i ? "," : "features=", pol_alloc_rl_feature_names[i]);
    for (size_t i = 0; i < POL_ALLOC_RL_ACTIONS; i++)
        put(buf, len, &off, "%s%d", i ? "," : ";levels=", pol_alloc_rl_levels[i]);
    put(buf, len, &off, "/%d", POL_ALLOC_RL_LEVEL_SCALE);
}

static pol_alloc_rl_reader reader;

void pol_alloc_rl_set_reader(pol_alloc_rl_reader fn) { reader = fn; }

typedef struct {
    const pol_alloc_rl_agent *ag;
    void *agent;                      /* the greedy policy (NULL in training) */
    const eng_alloc_learner *learner; /* training: who chooses */
    double w_cost, w_slo;
    uint32_t target, min, max;
} rl_state;

void pol_alloc_rl__free(void *state) {
    rl_state *s = state;
    if (!s) return;
    if (s->agent) s->ag->free(s->agent);
    free(s);
}

/* The greedy agent of o->checkpoint, or NULL with a message naming it. */
static void *load(const pol_alloc_rl_agent *ag, const eng_alloc_opts *o, char *err, size_t errlen) {
    if (!o->checkpoint[0]) {
        snprintf(
            err, errlen,
            "allocator %s: no checkpoint: set allocator.checkpoint to a file written by `sparkiot train`",
            ag->algo);
        return NULL;
    }
    if (!reader) {
        snprintf(err, errlen, "allocator %s: checkpoint '%s': this program cannot read checkpoints", ag->algo,
                 o->checkpoint);
        return NULL;
    }
    pol_nn_blob blob = {0};
    char sig[1024], want[1024], msg[512] = "";
    void *agent = NULL;
    if (reader(o->checkpoint, &blob, sig, sizeof sig, msg, sizeof msg) != 0) {
        snprintf(err, errlen, "allocator %s: %s", ag->algo, msg);
        goto done;
    }
    pol_alloc_rl_signature(want, sizeof want);
    if (strcmp(sig, want) != 0) {
        snprintf(err, errlen,
                 "allocator %s: checkpoint '%s' was trained for other features or actions ('%s'; this "
                 "allocator has '%s')",
                 ag->algo, o->checkpoint, sig, want);
        goto done;
    }
    agent = ag->from_blob(blob.data, blob.len, msg, sizeof msg);
    if (!agent) snprintf(err, errlen, "allocator %s: checkpoint '%s': %s", ag->algo, o->checkpoint, msg);
done:
    pol_nn_blob_free(&blob);
    return agent;
}

void *pol_alloc_rl__init(const pol_alloc_rl_agent *ag, const eng_alloc_opts *o, char *err, size_t errlen) {
    double w_cost, w_slo;
    if (pol_alloc__check_opts(o, pol_alloc_rl__param_names, err, errlen) < 0 ||
        pol_alloc__real(o, "reward_cost", POL_ALLOC_RL_REWARD_COST, 0, INFINITY, POL_OPEN_HI, &w_cost, err,
                        errlen) < 0 ||
        pol_alloc__real(o, "reward_slo", POL_ALLOC_RL_REWARD_SLO, 0, INFINITY, POL_OPEN_HI, &w_slo, err,
                        errlen) < 0)
        return NULL;
    rl_state *s = pol_alloc__state(o, sizeof *s, err, errlen);
    if (!s) return NULL;
    *s = (rl_state){
        .ag = ag,
        .learner = o->learner,
        .w_cost = w_cost,
        .w_slo = w_slo,
        .target = pol_alloc__clamp(o->initial_executors, o->min_executors, o->max_executors),
        .min = o->min_executors,
        .max = o->max_executors,
    };
    if (!s->learner && !(s->agent = load(ag, o, err, errlen))) {
        free(s);
        return NULL;
    }
    return s;
}

void pol_alloc_rl__decide(void *state, const eng_alloc_obs *obs, eng_alloc_decision *d) {
    rl_state *s = state;
    float x[POL_ALLOC_RL_FEATURES];
    pol_alloc_rl_features(obs, x);
    int a;
    if (s->learner)
        a = s->learner->act(s->learner->ctx, obs, x, POL_ALLOC_RL_FEATURES,
                            pol_alloc_rl_reward(obs, s->w_cost, s->w_slo));
    else
        a = s->ag->act(s->agent, x);
    if (a >= 0 && a < POL_ALLOC_RL_ACTIONS) s->target = pol_alloc_rl_target(a, s->min, s->max);
    d->target = s->target;
}
