/* The driver's control loop: every decision interval it builds the
 * allocator's observation from what happened, asks the scenario's allocator
 * for a target pool size and requests or releases executors to reach it;
 * every sample interval it records a row of the time series. New executors
 * start after a delay drawn from the cloud profile; only idle executors are
 * released, longest idle first, and those holding shuffle blocks still to
 * be read only when the scenario allows it (shuffle.release_holders) and
 * after the others, as Spark keeps executors with shuffle data. */
#include <gsl/gsl_randist.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>

#include "engine/driver.h"
#include "engine/priv_watch.h"
#include "engine/sync_lag.h"

_Static_assert(sizeof((eng_sample){0}.shuffle_bytes) / sizeof(uint64_t) == ENG_TIERS, "a sample's tiers");

int eng_driver__alloc_init(driver *d) {
    char err[512];
    d->alloc = d->o->alloc_ops->init(d->o->alloc, err, sizeof err);
    if (!d->alloc) {
        fprintf(stderr, "sparkiot: allocator %s: %s\n", d->o->alloc_ops->name, err);
        return -1;
    }
    d->target = d->o->alloc->initial_executors;
    return 0;
}

void eng_driver__alloc_free(driver *d) {
    if (d->alloc) d->o->alloc_ops->free(d->alloc);
    d->alloc = NULL;
}

static rt_time_t draw_startup(driver *d) {
    const eng_cloud *c = d->o->cloud;
    gsl_rng *r = rt_rng(d->rt);
    switch (c->startup) {
    case ENG_STARTUP_UNIFORM:
        return c->startup_a + (rt_time_t)(gsl_rng_uniform(r) * (double)(c->startup_b - c->startup_a));
    case ENG_STARTUP_LOGNORMAL: {
        double mu = log(rt_to_s(c->startup_a));
        double sigma = (log(rt_to_s(c->startup_b)) - mu) / 1.6448536269514722;
        return rt_from_s(gsl_ran_lognormal(r, mu, sigma));
    }
    default:
        return c->startup_a;
    }
}

static void request(driver *d) {
    int id = eng_pool_request(&d->pool, rt_now(d->rt));
    if (id < 0) return;
    eng_exec_arg *a = malloc(sizeof *a);
    if (!a) abort();
    *a = (eng_exec_arg){d->ctx, (uint32_t)id, d->pool.ex[id].gen, draw_startup(d)};
    char name[64], host[64];
    snprintf(name, sizeof name, "exec-%d.%u", id, a->gen);
    eng_topo_exec_host(host, sizeof host, (uint32_t)id);
    if (rt_spawn(d->rt, name, host, eng_exec_main, a) != 0) abort();
}

void eng_driver__stop_executor(driver *d, uint32_t id) {
    eng_executor *e = &d->pool.ex[id];
    char name[96];
    for (uint32_t s = 0; s < d->pool.slots; s++) {
        eng_exec_slot_chan(name, sizeof name, id, e->gen, s);
        eng_driver__send_stop(d, name);
    }
    eng_exec_blocks_chan(name, sizeof name, id, e->gen);
    eng_driver__send_stop(d, name);
}

void eng_driver__release(driver *d, uint32_t id) {
    eng_driver__stop_executor(d, id);
    eng_shuffle_mgr_release(&d->shuffle, id, rt_now(d->rt));
    eng_pool_release(&d->pool, id, rt_now(d->rt));
}

/* A ready, idle executor to release, or -1: one holding no shuffle block
 * still to be read, idle the longest; else, when the scenario lets holders
 * go, the holder idle the longest — unless a reduce stage is being prepared
 * or runs (it may read the blocks) or one of its blocks is moving. */
static int releasable(const driver *d) {
    int best = -1, best_holder = -1;
    for (uint32_t i = 0; i < d->pool.n; i++) {
        const eng_executor *e = &d->pool.ex[i];
        if (e->state != ENG_EXEC_READY || e->busy) continue;
        int *b = &best;
        if (eng_shuffle_mgr_held(&d->shuffle, i) > 0) {
            if (!d->o->shuffle->release_holders || d->reducing || eng_shuffle_mgr_moving_from(&d->shuffle, i))
                continue;
            b = &best_holder;
        }
        if (*b < 0 || e->idle_since < d->pool.ex[*b].idle_since) *b = (int)i;
    }
    return best >= 0 ? best : best_holder;
}

void eng_driver__apply_target(driver *d) {
    const eng_alloc_opts *a = d->o->alloc;
    if (d->target < a->min_executors) d->target = a->min_executors;
    if (d->target > a->max_executors) d->target = a->max_executors;
    if (d->target > d->ctx->max_executors) d->target = d->ctx->max_executors;
    uint32_t held = eng_pool_count(&d->pool, ENG_EXEC_READY) + eng_pool_count(&d->pool, ENG_EXEC_PENDING);
    for (; held < d->target; held++) request(d);
    /* Cancel starting executors first (newest first), as Spark and
     * Kubernetes do, then release idle ones. */
    for (uint32_t i = d->pool.n; i-- > 0 && held > d->target;) {
        if (d->pool.ex[i].state != ENG_EXEC_PENDING) continue;
        eng_pool_cancel(&d->pool, i, rt_now(d->rt));
        held--;
    }
    for (; held > d->target; held--) {
        int id = releasable(d);
        if (id < 0) break;
        eng_driver__release(d, (uint32_t)id);
        d->releases++;
    }
}

void eng_driver__decide(driver *d) {
    rt_time_t now = rt_now(d->rt);
    rt_time_t iv = now - d->last_decide;
    double secs = iv > 0 ? rt_to_s(iv) : 1.0;
    uint32_t ready = eng_pool_count(&d->pool, ENG_EXEC_READY);
    eng_shuffle_mgr_observe(&d->shuffle, d->releases, ready * secs);
    d->releases = 0;
    rt_time_t *idle_for = calloc(ready ? ready : 1, sizeof *idle_for);
    if (!idle_for) abort();
    uint32_t k = 0, running = 0;
    for (uint32_t i = 0; i < d->pool.n; i++) {
        const eng_executor *e = &d->pool.ex[i];
        if (e->state == ENG_EXEC_READY) idle_for[k++] = e->busy ? 0 : now - e->idle_since;
        running += e->busy;
    }
    rt_time_t busy = eng_pool_take_busy(&d->pool, now);
    double capacity = (double)ready * d->pool.slots * (double)iv;
    const eng_run_opts *o = d->o;
    eng_alloc_obs obs = {
        .now = now,
        .time_of_day = now % (24 * 3600 * RT_S),
        .interval = o->alloc->interval,
        .input_rate = (double)(d->appended - d->in_at_decide) / secs,
        .processed_rate = (double)(d->out - d->out_at_decide) / secs,
        .backlog = o->driver->mode == ENG_CONTINUOUS ? d->qn : d->backlog,
        .pending_tasks = (uint32_t)d->qn,
        .trigger = o->driver->trigger,
        .last_batch_time = d->last_batch_time,
        .avg_batch_time = d->batch_count ? d->batch_time_sum / d->batch_count : d->last_batch_time,
        .backlog_since = d->backlog_since >= 0 ? now - d->backlog_since : 0,
        .latency_p50_ms = eng_hist_quantile(&d->decide_hist, 0.50) / 1e6,
        .latency_p95_ms = eng_hist_quantile(&d->decide_hist, 0.95) / 1e6,
        .slo_ms = rt_to_s(o->slo) * 1e3,
        .ready = ready,
        .pending = eng_pool_count(&d->pool, ENG_EXEC_PENDING),
        .idle = eng_pool_idle(&d->pool),
        .idle_for = idle_for,
        .slots_per_executor = d->pool.slots,
        .utilisation = capacity > 0 ? (double)busy / capacity : 0,
        .cost_rate_usd_h = eng_pool_cost_rate(&d->pool),
        .min_executors = o->alloc->min_executors,
        .max_executors = o->alloc->max_executors,
        .running_tasks = running,
        .batches = d->batch_count,
        .slo_share = eng_hist_share_above(&d->decide_hist, o->slo),
    };
    if (obs.utilisation > 1) obs.utilisation = 1;
    eng_alloc_decision dec = {.target = d->target};
    o->alloc_ops->decide(d->alloc, &obs, &dec);
    free(idle_for);
    d->target = dec.target;
    eng_driver__apply_target(d);
    d->last_decide = now;
    d->in_at_decide = d->appended;
    d->out_at_decide = d->out;
    d->batch_time_sum = 0;
    d->batch_count = 0;
    eng_hist_reset(&d->decide_hist);
}

/* What the run's optional paths have done so far, for whoever watches it:
 * measurement only, read without messages (engine/metrics.h). */
static void watch(driver *d, rt_time_t now, eng_sample *s) {
    s->has_shuffle = d->o->driver->mode == ENG_MICROBATCH;
    for (int t = 0; t < ENG_TIERS; t++) s->shuffle_bytes[t] = d->shuffle.bill.written[t];
    if (d->ctx->priv) eng_priv_watch_sample(d->ctx->priv, s);
    eng_sync_lag_sample(d->ctx->sync, now, s);
}

void eng_driver__sample(driver *d) {
    rt_time_t now = rt_now(d->rt);
    eng_store_cost shuffle;
    eng_sample s = {
        .t = now,
        .in = d->appended - d->in_at_sample,
        .out = d->out - d->out_at_sample,
        .backlog = d->o->driver->mode == ENG_CONTINUOUS ? d->qn : d->backlog,
        .ready = eng_pool_count(&d->pool, ENG_EXEC_READY),
        .pending = eng_pool_count(&d->pool, ENG_EXEC_PENDING),
        .target = d->target,
        .cost_usd = eng_pool_cost_usd(&d->pool, now) + eng_driver__shuffle_usd(d, now, &shuffle),
        .lat_p50_ms = eng_hist_quantile(&d->sample_hist, 0.50) / 1e6,
        .lat_p95_ms = eng_hist_quantile(&d->sample_hist, 0.95) / 1e6,
        .lat_p99_ms = eng_hist_quantile(&d->sample_hist, 0.99) / 1e6,
    };
    s.slo_violations =
        (uint64_t)llround(eng_hist_share_above(&d->sample_hist, d->o->slo) * (double)d->sample_hist.n);
    if (d->ctx->progress) watch(d, now, &s);
    eng_metrics_add_sample(d->m, &s);
    eng_hist_merge(&d->m->latency, &d->sample_hist);
    d->in_at_sample = d->appended;
    d->out_at_sample = d->out;
    eng_hist_reset(&d->sample_hist);
    if (d->ctx->progress) d->ctx->progress(d->ctx->progress_ctx, now, d->ctx->end);
}
