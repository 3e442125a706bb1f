/* The shuffle between a micro-batch's stages, on the driver's side. When
 * its last map task ends, the reduce stage starts once no block it reads is
 * moving and every lost block it reads has been rebuilt (one map task per
 * lost map output, re-fetching its offsets from the bus); each reduce task
 * then reads its reducer's blocks of the batch — or of the batch's window —
 * from the store servers that hold them. The driver also runs the remote
 * shuffle service and the object store's store servers, commits to the bus
 * only what no retained block may need again, and at the end puts the
 * shuffle's measurements and bill into the summary. */
#include <stdio.h>
#include <stdlib.h>

#include "engine/driver.h"

static void start_server(driver *d, const char *host, eng_tier t) {
    eng_store_arg *a = malloc(sizeof *a);
    if (!a) abort();
    *a = (eng_store_arg){d->ctx, t, t, ""};
    snprintf(a->chan, sizeof a->chan, "%s/blocks", host);
    if (rt_spawn(d->rt, a->chan, host, eng_store_main, a) != 0) abort();
}

/* Calls fn for each remote shuffle service host (when the service is
 * deployed) and for the object store. */
static void each_server(driver *d, void (*fn)(driver *d, const char *host, eng_tier t)) {
    char host[64];
    if (eng_store_service_deployed(d->o))
        for (uint32_t i = 0; i < d->o->topo->store.service_hosts; i++) {
            eng_topo_service_host(host, sizeof host, i);
            fn(d, host, ENG_TIER_REMOTE);
        }
    fn(d, ENG_HOST_OBJECT_STORE, ENG_TIER_OBJECT);
}

int eng_driver__shuffle_init(driver *d) {
    char err[512];
    if (eng_shuffle_mgr_init(&d->shuffle, d->o, err, sizeof err) != 0) {
        fprintf(stderr, "sparkiot: shuffle policy %s: %s\n", d->o->shuffle_policy->name, err);
        return -1;
    }
    each_server(d, start_server);
    return 0;
}

static void stop_server(driver *d, const char *host, eng_tier t) {
    char chan[96];
    snprintf(chan, sizeof chan, "%s/blocks", host);
    eng_driver__send_stop(d, chan);
}

static void enqueue(void *ctx, const eng_task *t) { eng_driver__enqueue(ctx, t); }

void eng_driver__start_reduces(driver *d) {
    if (!d->reducing) {
        d->reducing = 1;
        eng_shuffle_mgr_window(&d->shuffle, d->batch, &d->lo, &d->hi);
        d->row.window = (uint32_t)(d->hi - d->lo + 1);
    }
    if (d->reduces_left || d->recomputes_left || d->shuffle.moving) return; /* resumed when they end */
    uint32_t nr = d->o->driver->reduce_tasks;
    uint32_t redo = eng_shuffle_mgr_recompute(&d->shuffle, d->lo, d->hi, nr, &d->task_seq, enqueue, d);
    if (redo) {
        d->recomputes_left = redo;
        d->row.recomputed += redo;
        return;
    }
    d->reduces_left = nr;
    d->row.reduce_tasks = nr;
    for (uint32_t k = 0; k < nr; k++) {
        eng_task t = {.kind = ENG_TASK_REDUCE,
                      .id = ++d->task_seq,
                      .batch = d->batch,
                      .reducer = k,
                      .from = d->lo,
                      .to = d->hi};
        t.sources = eng_shuffle_mgr_sources(&d->shuffle, d->lo, d->hi, k, &t.nsources);
        eng_driver__enqueue(d, &t);
    }
}

void eng_driver__map_written(driver *d, const eng_msg *m, int recompute) {
    rt_time_t now = rt_now(d->rt);
    uint32_t nr = m->task.nreducers;
    eng_shuffle_mgr_written(&d->shuffle, m->a, d->pool.ex[m->a].gen, &m->task, m->offs, now);
    d->row.shuffle_write += m->t;
    d->shuffle_write += m->t;
    if (!recompute) return;
    d->recompute_time += (rt_time_t)m->offs[2 * nr + 1];
    if (--d->recomputes_left == 0) eng_driver__start_reduces(d);
}

void eng_driver__reduce_read(driver *d, const eng_msg *m) {
    eng_shuffle_mgr_read(&d->shuffle, m->task.from, m->task.to, m->task.reducer, rt_now(d->rt));
    d->row.shuffle_read += m->t;
    d->shuffle_read += m->t;
    d->own_digest += m->offs[0];
    d->window_digest += m->offs[1];
}

void eng_driver__moved(driver *d, const eng_msg *ack) {
    eng_shuffle_mgr_moved(&d->shuffle, ack, rt_now(d->rt));
    if (d->reducing && d->shuffle.moving == 0) eng_driver__start_reduces(d);
}

/* Commits to the bus what no retained block may need to be recomputed
 * from; the records of retained batches stay on the bus until then. */
void eng_driver__shuffle_commit(driver *d) {
    eng_shuffle_mgr_commit(&d->shuffle, d->rt, &d->pool, d->batch, rt_now(d->rt));
    eng_msg *c = eng_msg_new(ENG_MSG_COMMIT);
    eng_msg_alloc_offs(c, d->np);
    for (uint32_t p = 0; p < d->np; p++) c->offs[p] = eng_shuffle_mgr_floor(&d->shuffle, p, d->committed[p]);
    rt_send(d->rt, d->broker, c, d->o->bus->request_bytes + 8 * d->np);
    d->reducing = 0;
}

eng_msg *eng_driver__shuffle_end(driver *d) {
    eng_shuffle_mgr_drop_all(&d->shuffle, d->rt, rt_now(d->rt));
    eng_msg *s = eng_msg_new(ENG_MSG_STOP);
    eng_msg_alloc_offs(s, d->np);
    for (uint32_t p = 0; p < d->np; p++) s->offs[p] = d->committed[p];
    return s;
}

void eng_driver__shuffle_stop(driver *d) { each_server(d, stop_server); }

double eng_driver__shuffle_usd(const driver *d, rt_time_t now, eng_store_cost *c) {
    const eng_store_opts *st = &d->o->topo->store;
    uint32_t hosts = eng_store_service_deployed(d->o) ? st->service_hosts : 0;
    eng_store_bill_cost(&d->shuffle.bill, d->o->cloud, now, hosts, st->service_cores, st->service_memory_gb,
                        c);
    return c->storage + c->requests + c->service;
}

void eng_driver__shuffle_summary(driver *d, eng_summary *s, rt_time_t end) {
    const eng_shuffle_mgr *m = &d->shuffle;
    s->shuffle_bytes_memory = m->bill.written[ENG_TIER_MEMORY];
    s->shuffle_bytes_local_ssd = m->bill.written[ENG_TIER_LOCAL_SSD];
    s->shuffle_bytes_remote_service = m->bill.written[ENG_TIER_REMOTE];
    s->shuffle_bytes_object_store = m->bill.written[ENG_TIER_OBJECT];
    s->recomputed_tasks = m->recomputed;
    s->shuffle_blocks_lost = m->lost;
    s->shuffle_moves = m->moves;
    s->shuffle_puts = m->bill.puts;
    s->shuffle_gets = m->bill.gets;
    s->shuffle_write_s = rt_to_s(d->shuffle_write);
    s->shuffle_read_s = rt_to_s(d->shuffle_read);
    s->recompute_s = rt_to_s(d->recompute_time);
    double slot_usd_s =
        eng_cost_rate_usd_h(d->o->cloud, d->pool.vcpu, d->pool.mem_gb) / d->pool.slots / 3600.0;
    s->recompute_usd = s->recompute_s * slot_usd_s;
    eng_store_cost c;
    s->cost_usd += eng_driver__shuffle_usd(d, end, &c);
    s->shuffle_storage_usd = c.storage;
    s->shuffle_request_usd = c.requests;
    s->shuffle_service_usd = c.service;
    s->shuffle_digest = d->own_digest;
    s->window_digest = d->window_digest;
}
