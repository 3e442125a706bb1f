/* The driver: the cloud-side brain of the pipeline. One actor whose inbox
 * receives every event — ticks (trigger, decision, sample, end), bus
 * replies, executor readiness, task completions, moved shuffle blocks —
 * and reacts: plans
 * micro-batches, hands tasks to free executor slots in FIFO order, measures
 * every reading at the sink, asks the allocator for a target pool size, and
 * at the end drains the pipeline and accounts for every reading. */
#include <stdlib.h>
#include <string.h>

#include "engine/driver.h"

void eng_driver__enqueue(driver *d, const eng_task *t) {
    if (d->qn == d->qcap) {
        size_t cap = d->qcap ? 2 * d->qcap : 64;
        eng_task *q = malloc(cap * sizeof *q);
        if (!q) abort();
        for (size_t i = 0; i < d->qn; i++) q[i] = d->q[(d->qhead + i) % d->qcap];
        free(d->q);
        d->q = q;
        d->qcap = cap;
        d->qhead = 0;
    }
    d->q[(d->qhead + d->qn++) % d->qcap] = *t;
    if (d->backlog_since < 0) d->backlog_since = rt_now(d->rt);
}

/* The ready executor with a free slot that is busiest (lowest id on ties),
 * or -1: packing tasks keeps shuffle blocks on few executors and leaves the
 * others idle, so an allocator can release them. */
static int pick_executor(const driver *d) {
    int best = -1;
    for (uint32_t i = 0; i < d->pool.n; i++) {
        const eng_executor *e = &d->pool.ex[i];
        if (e->state != ENG_EXEC_READY || e->busy >= d->pool.slots) continue;
        if (best < 0 || e->busy > d->pool.ex[best].busy) best = (int)i;
    }
    return best;
}

void eng_driver__dispatch(driver *d) {
    rt_time_t now = rt_now(d->rt);
    /* Once ending, a micro-batch in flight still runs to its end; continuous
     * mode stops taking records (those left are counted as queued). */
    int stopped = d->ending && d->o->driver->mode == ENG_CONTINUOUS;
    while (d->qn > 0 && !stopped) {
        int id = pick_executor(d);
        if (id < 0) return;
        uint32_t s = 0;
        while (d->slot_busy[id] >> s & 1) s++;
        d->slot_busy[id] |= 1ULL << s;
        eng_pool_task_start(&d->pool, (uint32_t)id, now);
        eng_msg *m = eng_msg_new(ENG_MSG_TASK);
        m->task = d->q[d->qhead];
        d->qhead = (d->qhead + 1) % d->qcap;
        d->qn--;
        if (m->task.kind == ENG_TASK_MAP) {
            eng_msg_alloc_offs(m, m->task.nreducers);
            eng_shuffle_mgr_place(&d->shuffle, &d->pool, &m->task, now, m->offs);
        }
        char name[96];
        eng_exec_slot_chan(name, sizeof name, (uint32_t)id, d->pool.ex[id].gen, s);
        size_t bytes = d->o->bus->request_bytes + (m->task.kind == ENG_TASK_RECORD ? d->ctx->rec_bytes : 0);
        rt_send(d->rt, rt_chan_open(d->rt, name), m, bytes);
    }
    if (d->qn == 0) d->backlog_since = -1;
}

void eng_driver__send_stop(driver *d, const char *chan) {
    rt_send(d->rt, rt_chan_open(d->rt, chan), eng_msg_new(ENG_MSG_STOP), 0);
}

static int driver_init(driver *d, rt_t *rt, const eng_ctx *ctx) {
    memset(d, 0, sizeof *d);
    d->rt = rt;
    d->ctx = ctx;
    d->o = ctx->o;
    d->m = ctx->metrics;
    d->np = d->o->bus->partitions;
    d->backlog_since = -1;
    d->self = rt_chan_open(rt, ENG_CHAN_DRIVER);
    rt_chan_listen(rt, d->self);
    d->broker = rt_chan_open(rt, ENG_CHAN_BROKER);
    eng_hist_reset(&d->decide_hist);
    eng_hist_reset(&d->sample_hist);
    d->committed = calloc(d->np, sizeof *d->committed);
    d->planned = calloc(d->np, sizeof *d->planned);
    d->slot_busy = calloc(ctx->max_executors, sizeof *d->slot_busy);
    if (!d->committed || !d->planned || !d->slot_busy) return -1;
    if (eng_pool_init(&d->pool, d->o->cloud, &d->o->topo->executor, ctx->max_executors) != 0) return -1;
    if (eng_driver__shuffle_init(d) != 0) return -1;
    return eng_driver__alloc_init(d);
}

static void driver_free(driver *d) {
    eng_driver__alloc_free(d);
    eng_shuffle_mgr_free(&d->shuffle);
    eng_pool_free(&d->pool);
    free(d->committed);
    free(d->planned);
    free(d->slot_busy);
    free(d->q);
    free(d->lat);
}

static void start_tickers(driver *d) {
    const eng_run_opts *o = d->o;
    rt_time_t end = d->ctx->end;
    if (o->driver->mode == ENG_MICROBATCH) {
        if (o->driver->trigger > 0)
            eng_ticker_start(d->rt, "ticker-trigger", d->self, ENG_TICK_TRIGGER, o->driver->trigger,
                             o->driver->trigger, end);
        else
            eng_ticker_start(d->rt, "ticker-poll", d->self, ENG_TICK_POLL, 10 * RT_MS, 10 * RT_MS, end);
    }
    eng_ticker_start(d->rt, "ticker-decide", d->self, ENG_TICK_DECIDE, o->alloc->interval, o->alloc->interval,
                     end);
    eng_ticker_start(d->rt, "ticker-sample", d->self, ENG_TICK_SAMPLE, o->driver->sample_interval,
                     o->driver->sample_interval, end);
    eng_ticker_start(d->rt, "ticker-end", d->self, ENG_TICK_END, end, 0, end);
}

static void on_tick(driver *d, const eng_msg *m) {
    switch (m->a) {
    case ENG_TICK_TRIGGER:
    case ENG_TICK_POLL:
        if (d->ending) break;
        if (d->active || d->want_offsets)
            d->trigger_pending = m->a == ENG_TICK_TRIGGER;
        else
            eng_driver__trigger(d);
        break;
    case ENG_TICK_DECIDE:
        if (!d->ending) eng_driver__refresh(d, ENG_TICK_DECIDE);
        break;
    case ENG_TICK_SAMPLE: /* once ending, the broker may be gone: sample what is known */
        if (d->ending)
            eng_driver__sample(d);
        else
            eng_driver__refresh(d, ENG_TICK_SAMPLE);
        break;
    case ENG_TICK_END:
        d->ending = 1;
        break;
    default:
        break;
    }
}

/* Handles one event; returns 1 if the broker has reported it stopped. */
static int handle(driver *d, eng_msg *m, uint64_t *broker_left, uint64_t *broker_pushed) {
    int stopped = 0;
    switch (m->type) {
    case ENG_MSG_TICK:
        on_tick(d, m);
        break;
    case ENG_MSG_OFFSETS:
        eng_driver__on_offsets(d, m);
        break;
    case ENG_MSG_TASK_DONE:
        eng_driver__on_done(d, m);
        break;
    case ENG_MSG_PUSH:
        eng_driver__on_push(d, m);
        break;
    case ENG_MSG_BLOCK_ACK:
        eng_driver__moved(d, m);
        break;
    case ENG_MSG_EXEC_READY:
        if (d->pool.ex[m->a].state == ENG_EXEC_CANCELLED) {
            eng_driver__stop_executor(d, m->a);
            eng_pool_reclaim(&d->pool, m->a);
        } else {
            eng_pool_ready(&d->pool, m->a, rt_now(d->rt));
        }
        break;
    case ENG_MSG_STOPPED:
        *broker_left = m->x;
        *broker_pushed = m->y;
        stopped = 1;
        break;
    default:
        abort();
    }
    eng_msg_free(m);
    eng_driver__dispatch(d);
    return stopped;
}

static uint32_t busy_slots(const driver *d) {
    uint32_t n = 0;
    for (uint32_t i = 0; i < d->pool.n; i++) n += d->pool.ex[i].busy;
    return n;
}

/* After the end tick: finish the batch in flight, running tasks and block
 * moves, let starting executors come up, drop the shuffle blocks and commit
 * everything processed, stop the broker once all input has arrived, then
 * release everything. Returns the readings still queued. */
static uint64_t drain(driver *d) {
    uint64_t broker_left = 0, broker_pushed = 0;
    int stop_sent = 0, stopped = 0;
    for (;;) {
        int quiet = !d->active && !d->want_offsets && !d->refreshing && busy_slots(d) == 0 &&
                    eng_pool_count(&d->pool, ENG_EXEC_PENDING) == 0 &&
                    eng_pool_count(&d->pool, ENG_EXEC_CANCELLED) == 0 && d->shuffle.moving == 0;
        if (quiet && !stop_sent) {
            eng_msg *s = eng_driver__shuffle_end(d);
            s->reply = d->self;
            rt_send(d->rt, d->broker, s, d->o->bus->request_bytes + 8 * d->np);
            stop_sent = 1;
        }
        if (quiet && stopped && d->pushed == broker_pushed) break;
        eng_msg *m;
        rt_recv(d->rt, d->self, (void **)&m);
        stopped |= handle(d, m, &broker_left, &broker_pushed);
    }
    uint64_t queued = broker_left;
    for (size_t i = 0; i < d->qn; i++) queued += d->q[(d->qhead + i) % d->qcap].rec.count;
    return queued;
}

static void summarise(driver *d, uint64_t queued) {
    eng_summary *s = &d->m->summary;
    eng_detect_counts det = {0};
    for (uint32_t i = 0; i < d->o->topo->sites; i++) {
        const eng_edge_report *e = &d->ctx->edges[i];
        s->readings_in += e->readings_in;
        s->readings_filtered += e->filtered;
        s->bus_records += e->records;
        s->wan_bytes += e->wan_bytes;
        eng_detect_counts_add(&det, &e->detect);
    }
    eng_detect_summarise(&det, s);
    s->readings_out = d->out;
    s->readings_queued = queued;
    uint64_t accounted = s->readings_filtered + s->readings_out + s->readings_queued;
    s->readings_lost = s->readings_in > accounted ? s->readings_in - accounted : 0;
    s->cost_usd = d->pool.released_usd;
    s->executor_hours = d->pool.released_hours;
    s->batches = d->m->nbatches;
    s->sim_seconds = rt_to_s(rt_now(d->rt));
    eng_driver__shuffle_summary(d, s, rt_now(d->rt));
    eng_metrics_finish_latency(d->m, rt_to_s(d->o->slo) * 1e3);
}

void eng_driver_main(rt_t *rt, const eng_ctx *ctx) {
    driver d;
    if (driver_init(&d, rt, ctx) != 0) abort();
    start_tickers(&d);
    eng_driver__apply_target(&d);
    uint64_t unused_left, unused_pushed;
    while (!d.ending) {
        eng_msg *m;
        rt_recv(rt, d.self, (void **)&m);
        handle(&d, m, &unused_left, &unused_pushed);
    }
    uint64_t queued = drain(&d);
    for (uint32_t i = 0; i < d.pool.n; i++)
        if (d.pool.ex[i].state == ENG_EXEC_READY) eng_driver__release(&d, i);
    eng_driver__shuffle_stop(&d);
    eng_driver__sample(&d);
    summarise(&d, queued);
    eng_msg *m;
    while (rt_try_recv(rt, d.self, (void **)&m) == RT_OK) eng_msg_free(m);
    driver_free(&d);
}
