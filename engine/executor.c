/* Serverless executors: what runs on an executor host once the pool has
 * requested it. After its startup delay an executor starts one slot actor
 * per core and a block server, then tells the driver it is ready. Slots run
 * the operators on real records — map (fetch an offset range from the bus,
 * route each record to its reducer's shuffle block), reduce (fetch this
 * reducer's blocks from every map executor, fold them per device and
 * metric), and, in continuous mode, one record at a time — charging their
 * CPU cost. The block server keeps this executor's shuffle blocks in memory
 * until the driver drops the batch (they are lost with the executor). */
#include <gsl/gsl_randist.h>
#include <stdio.h>
#include <stdlib.h>

#include "engine/actors.h"
#include "engine/agg.h"

typedef struct slot_arg {
    const eng_ctx *ctx;
    uint32_t id, gen, slot;
} slot_arg;

void eng_exec_slot_chan(char *buf, size_t len, uint32_t id, uint32_t gen, uint32_t slot) {
    snprintf(buf, len, "exec-%u.%u/slot-%u", id, gen, slot);
}

void eng_exec_blocks_chan(char *buf, size_t len, uint32_t id, uint32_t gen) {
    snprintf(buf, len, "exec-%u.%u/blocks", id, gen);
}

static eng_msg *done_msg(const slot_arg *a, const eng_task *t) {
    eng_msg *d = eng_msg_new(ENG_MSG_TASK_DONE);
    d->a = a->id;
    d->b = a->slot;
    d->x = t->id;
    d->task.kind = t->kind;
    d->task.batch = t->batch;
    return d;
}

static void lat_of(eng_msg *d, const eng_batch *recs) {
    d->lat = malloc((recs->n ? recs->n : 1) * sizeof *d->lat);
    if (!d->lat) abort();
    for (size_t i = 0; i < recs->n; i++) d->lat[i] = (eng_lat){recs->r[i].ts, recs->r[i].count};
    d->nlat = (uint32_t)recs->n;
}

static void run_map(rt_t *rt, const slot_arg *a, rt_chan_t *self, const eng_task *t) {
    const eng_run_opts *o = a->ctx->o;
    eng_msg *req = eng_msg_new(ENG_MSG_FETCH_REQ);
    req->a = t->partition;
    req->x = t->from;
    req->y = t->to;
    req->reply = self;
    rt_send(rt, rt_chan_open(rt, ENG_CHAN_BROKER), req, o->bus->request_bytes);
    eng_msg *f;
    rt_recv(rt, self, (void **)&f);
    rt_compute(rt, o->driver->task_overhead_flops + o->driver->map_flops * (double)f->recs.n);
    eng_msg *put = eng_msg_new(ENG_MSG_BLOCK_PUT);
    put->x = t->batch;
    eng_msg_alloc_parts(put, t->nreducers);
    for (size_t i = 0; i < f->recs.n; i++)
        eng_batch_push(&put->parts[eng_partition_of(f->recs.r[i].device ^ 0x5bd1e995u, t->nreducers)],
                       &f->recs.r[i]);
    char name[96];
    eng_exec_blocks_chan(name, sizeof name, a->id, a->gen);
    rt_send(rt, rt_chan_open(rt, name), put, 0);
    eng_msg *d = done_msg(a, t);
    lat_of(d, &f->recs);
    d->y = f->recs.n;
    eng_msg_free(f);
    rt_send(rt, rt_chan_open(rt, ENG_CHAN_DRIVER), d, o->bus->request_bytes);
}

static void run_reduce(rt_t *rt, const slot_arg *a, rt_chan_t *self, const eng_task *t, eng_agg *agg) {
    const eng_run_opts *o = a->ctx->o;
    char name[96];
    for (uint32_t i = 0; i < t->nsources; i++) {
        eng_msg *req = eng_msg_new(ENG_MSG_BLOCK_REQ);
        req->x = t->batch;
        req->a = t->reducer;
        req->reply = self;
        eng_exec_blocks_chan(name, sizeof name, t->sources[i] & 0xffff, t->sources[i] >> 16);
        rt_send(rt, rt_chan_open(rt, name), req, o->bus->request_bytes);
    }
    eng_batch all, out;
    eng_batch_init(&all);
    eng_batch_init(&out);
    for (uint32_t i = 0; i < t->nsources; i++) {
        eng_msg *b;
        rt_recv(rt, self, (void **)&b);
        for (size_t k = 0; k < b->recs.n; k++) eng_batch_push(&all, &b->recs.r[k]);
        eng_msg_free(b);
    }
    if (eng_agg_fold(agg, all.r, all.n, &out) != 0) abort();
    rt_compute(rt, o->driver->task_overhead_flops + o->driver->reduce_flops * (double)all.n);
    eng_msg *d = done_msg(a, t);
    d->y = out.n;
    eng_batch_free(&all);
    eng_batch_free(&out);
    rt_send(rt, rt_chan_open(rt, ENG_CHAN_DRIVER), d, o->bus->request_bytes);
}

static void run_record(rt_t *rt, const slot_arg *a, const eng_task *t) {
    const eng_driver_opts *dr = a->ctx->o->driver;
    double flops =
        dr->map_dist == ENG_COST_EXPONENTIAL ? gsl_ran_exponential(rt_rng(rt), dr->map_flops) : dr->map_flops;
    rt_compute(rt, flops);
    eng_msg *d = done_msg(a, t);
    d->lat = malloc(sizeof *d->lat);
    if (!d->lat) abort();
    d->lat[0] = (eng_lat){t->rec.ts, t->rec.count};
    d->nlat = 1;
    d->y = 1;
    rt_send(rt, rt_chan_open(rt, ENG_CHAN_DRIVER), d, 0);
}

static void slot_main(rt_t *rt, void *arg) {
    slot_arg *a = arg;
    char name[96];
    eng_exec_slot_chan(name, sizeof name, a->id, a->gen, a->slot);
    rt_chan_t *self = rt_chan_open(rt, name);
    rt_chan_listen(rt, self);
    eng_agg agg;
    eng_agg_init(&agg);
    for (;;) {
        eng_msg *m;
        rt_recv(rt, self, (void **)&m);
        if (m->type == ENG_MSG_STOP) {
            eng_msg_free(m);
            break;
        }
        if (m->task.kind == ENG_TASK_MAP)
            run_map(rt, a, self, &m->task);
        else if (m->task.kind == ENG_TASK_REDUCE)
            run_reduce(rt, a, self, &m->task, &agg);
        else
            run_record(rt, a, &m->task);
        eng_msg_free(m);
    }
    eng_agg_free(&agg);
    free(a);
}

typedef struct held {
    uint64_t batch;
    eng_batch *parts;
    uint32_t nparts;
} held;

static held *find_held(held *h, size_t n, uint64_t batch) {
    for (size_t i = 0; i < n; i++)
        if (h[i].batch == batch) return &h[i];
    return NULL;
}

static void drop_held(held *h, size_t *n, uint64_t batch) {
    held *x = find_held(h, *n, batch);
    if (!x) return;
    for (uint32_t r = 0; r < x->nparts; r++) eng_batch_free(&x->parts[r]);
    free(x->parts);
    *x = h[--*n];
}

static void blocks_main(rt_t *rt, void *arg) {
    slot_arg *a = arg;
    char name[96];
    eng_exec_blocks_chan(name, sizeof name, a->id, a->gen);
    rt_chan_t *self = rt_chan_open(rt, name);
    rt_chan_listen(rt, self);
    held *h = NULL;
    size_t n = 0, cap = 0;
    uint32_t bpr = a->ctx->o->driver->shuffle_bytes_per_record;
    for (;;) {
        eng_msg *m;
        rt_recv(rt, self, (void **)&m);
        if (m->type == ENG_MSG_STOP) {
            eng_msg_free(m);
            break;
        }
        if (m->type == ENG_MSG_BLOCK_PUT) {
            held *x = find_held(h, n, m->x);
            if (!x) {
                if (n == cap && !(h = realloc(h, (cap = cap ? 2 * cap : 4) * sizeof *h))) abort();
                x = &h[n++];
                *x = (held){m->x, m->parts, m->nparts};
                m->parts = NULL;
                m->nparts = 0;
            } else {
                for (uint32_t r = 0; r < x->nparts && r < m->nparts; r++)
                    for (size_t k = 0; k < m->parts[r].n; k++)
                        eng_batch_push(&x->parts[r], &m->parts[r].r[k]);
            }
        } else if (m->type == ENG_MSG_BLOCK_REQ) {
            eng_msg *b = eng_msg_new(ENG_MSG_BLOCK);
            held *x = find_held(h, n, m->x);
            if (x && m->a < x->nparts) {
                b->recs = x->parts[m->a];
                eng_batch_init(&x->parts[m->a]);
            }
            rt_send(rt, m->reply, b, b->recs.n * bpr + a->ctx->o->bus->request_bytes);
        } else if (m->type == ENG_MSG_BLOCK_DROP) {
            drop_held(h, &n, m->x);
        }
        eng_msg_free(m);
    }
    while (n) drop_held(h, &n, h[0].batch);
    free(h);
    free(a);
}

static slot_arg *new_slot_arg(const eng_exec_arg *e, uint32_t slot) {
    slot_arg *s = malloc(sizeof *s);
    if (!s) abort();
    *s = (slot_arg){e->ctx, e->id, e->gen, slot};
    return s;
}

void eng_exec_main(rt_t *rt, void *arg) {
    eng_exec_arg *e = arg;
    rt_sleep(rt, e->startup);
    char name[96];
    snprintf(name, sizeof name, "exec-%u.%u/blocks", e->id, e->gen);
    if (rt_spawn(rt, name, rt->host, blocks_main, new_slot_arg(e, 0)) != 0) abort();
    uint32_t cores = e->ctx->o->topo->executor.cores;
    for (uint32_t s = 0; s < cores; s++) {
        eng_exec_slot_chan(name, sizeof name, e->id, e->gen, s);
        if (rt_spawn(rt, name, rt->host, slot_main, new_slot_arg(e, s)) != 0) abort();
    }
    eng_msg *r = eng_msg_new(ENG_MSG_EXEC_READY);
    r->a = e->id;
    r->b = e->gen;
    rt_send(rt, rt_chan_open(rt, ENG_CHAN_DRIVER), r, e->ctx->o->bus->request_bytes);
    free(e);
}
