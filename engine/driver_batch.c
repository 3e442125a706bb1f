/* Micro-batches and the sink. A trigger asks the broker for end offsets;
 * the batch is one map task per partition with new records (capped by
 * max_records_per_trigger, shared evenly over partitions), then one reduce
 * task per reducer reading the shuffle blocks (driver_shuffle.c). The
 * batch's readings become visible when its last reduce task ends: that is
 * when the sink measures their latency and the batch commits. Continuous
 * mode has no batches: each record pushed by the broker is one task,
 * visible when it ends. */
#include <stdlib.h>

#include "engine/driver.h"

void eng_driver__sink(driver *d, const eng_lat *lat, size_t n, rt_time_t now) {
    for (size_t i = 0; i < n; i++) {
        rt_time_t l = now - lat[i].ts;
        eng_hist_add2(&d->decide_hist, &d->sample_hist, l, lat[i].count);
        d->out += lat[i].count;
    }
}

static void request_offsets(driver *d, eng_tick_kind why) {
    eng_msg *m = eng_msg_new(ENG_MSG_OFFSETS_REQ);
    m->reply = d->self;
    m->a = why;
    rt_send(d->rt, d->broker, m, d->o->bus->request_bytes);
}

/* Decisions and samples first learn the bus's current state (input so far,
 * lag), and happen when the broker answers. */
void eng_driver__refresh(driver *d, eng_tick_kind why) {
    if (d->o->driver->mode == ENG_CONTINUOUS) { /* the driver sees every record pushed */
        if (why == ENG_TICK_DECIDE)
            eng_driver__decide(d);
        else
            eng_driver__sample(d);
        return;
    }
    request_offsets(d, why);
    d->refreshing++;
}

void eng_driver__trigger(driver *d) {
    request_offsets(d, ENG_TICK_TRIGGER);
    d->want_offsets = 1;
    d->trigger_pending = 0;
    d->row.trigger = rt_now(d->rt);
}

static void plan_maps(driver *d, const uint64_t *end) {
    uint64_t cap = d->o->driver->max_records_per_trigger;
    uint64_t per = cap ? (cap + d->np - 1) / d->np : 0;
    d->maps_left = 0;
    for (uint32_t p = 0; p < d->np; p++) {
        uint64_t to = end[p];
        if (per && to - d->committed[p] > per) to = d->committed[p] + per;
        d->planned[p] = to;
        if (to == d->committed[p]) continue;
        eng_task t = {.kind = ENG_TASK_MAP,
                      .id = ++d->task_seq,
                      .batch = d->batch,
                      .partition = p,
                      .from = d->committed[p],
                      .to = to,
                      .nreducers = d->o->driver->reduce_tasks};
        d->row.records += to - d->committed[p];
        eng_shuffle_mgr_plan(&d->shuffle, d->batch, p, t.from, t.to);
        eng_driver__enqueue(d, &t);
        d->maps_left++;
    }
}

void eng_driver__on_offsets(driver *d, eng_msg *m) {
    d->appended = m->x;
    d->backlog = 0;
    for (uint32_t p = 0; p < d->np; p++) d->backlog += m->offs[p] - d->committed[p];
    if (m->a != ENG_TICK_TRIGGER) {
        d->refreshing--;
        if (m->a == ENG_TICK_DECIDE && !d->ending) eng_driver__decide(d);
        if (m->a == ENG_TICK_SAMPLE) eng_driver__sample(d);
        return;
    }
    d->want_offsets = 0;
    d->batch++;
    eng_batch_row row = {.id = d->batch, .trigger = d->row.trigger};
    d->row = row;
    d->row.start = rt_now(d->rt);
    d->row.executors = eng_pool_count(&d->pool, ENG_EXEC_READY);
    d->nlat = 0;
    plan_maps(d, m->offs);
    d->row.map_tasks = d->maps_left;
    d->active = d->maps_left > 0;
    if (!d->active) d->batch--;
}

static void commit(driver *d, rt_time_t now) {
    eng_driver__sink(d, d->lat, d->nlat, now);
    d->row.end = now;
    d->row.readings = 0;
    for (size_t i = 0; i < d->nlat; i++) d->row.readings += d->lat[i].count;
    eng_metrics_add_batch(d->m, &d->row);
    rt_time_t took = now - d->row.trigger;
    d->last_batch_time = took;
    d->batch_time_sum += took;
    d->batch_count++;
    for (uint32_t p = 0; p < d->np; p++) {
        d->backlog -= d->planned[p] - d->committed[p];
        d->committed[p] = d->planned[p];
    }
    eng_driver__shuffle_commit(d);
    d->active = 0;
    if ((d->trigger_pending || d->o->driver->trigger == 0) && !d->ending) eng_driver__trigger(d);
}

void eng_driver__on_done(driver *d, eng_msg *m) {
    rt_time_t now = rt_now(d->rt);
    d->slot_busy[m->a] &= ~(1ULL << m->b);
    eng_pool_task_end(&d->pool, m->a, now);
    if (m->task.kind == ENG_TASK_RECORD) {
        eng_driver__sink(d, m->lat, m->nlat, now);
        return;
    }
    if (m->task.kind == ENG_TASK_MAP && d->maps_left == 0) { /* a recomputation */
        eng_driver__map_written(d, m, 1);
        return;
    }
    if (m->task.kind == ENG_TASK_MAP) {
        eng_driver__map_written(d, m, 0);
        if (d->nlat + m->nlat > d->caplat) {
            size_t cap = d->caplat ? d->caplat : 1024;
            while (cap < d->nlat + m->nlat) cap *= 2;
            eng_lat *l = realloc(d->lat, cap * sizeof *l);
            if (!l) abort();
            d->lat = l;
            d->caplat = cap;
        }
        for (uint32_t i = 0; i < m->nlat; i++) d->lat[d->nlat++] = m->lat[i];
        if (--d->maps_left == 0) eng_driver__start_reduces(d);
        return;
    }
    eng_driver__reduce_read(d, m);
    if (--d->reduces_left == 0) commit(d, now);
}

void eng_driver__on_push(driver *d, eng_msg *m) {
    d->pushed += m->recs.n;
    d->appended += eng_batch_readings(&m->recs);
    for (size_t i = 0; i < m->recs.n; i++) {
        eng_task t = {.kind = ENG_TASK_RECORD, .id = ++d->task_seq, .rec = m->recs.r[i]};
        eng_driver__enqueue(d, &t);
    }
}
