/* Serverless executors: what runs on an executor host once the pool has
 * requested it. After its startup delay an executor starts one slot actor
 * per core and its block server (the store server of its memory and local
 * SSD, engine/store_server.c), then tells the driver it is ready. Slots run
 * the operators on real records — map (fetch an offset range from the bus,
 * route each record to its reducer's block and write each block to the tier
 * the driver chose), reduce (read this reducer's blocks of the batch's
 * window from every store server holding one, fold them per device and
 * metric), and, in continuous mode, one record at a time — charging their
 * CPU cost. Blocks on the executor's own tiers are lost with it. */
#include <gsl/gsl_randist.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

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
    d->task = *t;
    d->task.sources = NULL; /* owned by the task message */
    d->task.nsources = 0;
    return d;
}

static void lat_of(eng_msg *d, const eng_batch *recs) {
    d->lat = malloc((recs->n ? recs->n : 1) * sizeof *d->lat);
    if (!d->lat) abort();
    for (size_t i = 0; i < recs->n; i++) d->lat[i] = (eng_lat){recs->r[i].ts, recs->r[i].count};
    d->nlat = (uint32_t)recs->n;
}

/* A hash of a record's identity, summed over the records a reduce task
 * reads: equal sums mean the same records were read, each as often. */
static uint64_t rec_digest(const eng_batch *b) {
    uint64_t sum = 0;
    for (size_t i = 0; i < b->n; i++) {
        const eng_rec *r = &b->r[i];
        uint64_t h = ((uint64_t)r->device << 32 | r->seq) ^ ((uint64_t)r->metric << 48) ^ (uint64_t)r->ts;
        h ^= h >> 33;
        h *= 0xff51afd7ed558ccdULL;
        h ^= h >> 33;
        sum += h;
    }
    return sum;
}

/* Writes the map output parts[r] to the tiers in tiers[r] (ENG_TIER_NONE:
 * not written): one PUT per store server, then waits until every block is
 * acknowledged. Fills placed[r] with the tier each block ended on and
 * returns the object store PUT requests. */
static uint32_t write_blocks(rt_t *rt, const slot_arg *a, rt_chan_t *self, const eng_task *t,
                             eng_batch *parts, const uint64_t *tiers, uint64_t *placed) {
    const eng_run_opts *o = a->ctx->o;
    uint32_t nr = t->nreducers, blocks = 0, puts = 0;
    eng_msg **put = calloc(nr, sizeof *put);
    char(*chan)[96] = calloc(nr, sizeof *chan);
    if (!put || !chan) abort();
    uint32_t nput = 0;
    for (uint32_t r = 0; r < nr; r++) {
        placed[r] = ENG_TIER_NONE;
        if (tiers[r] == ENG_TIER_NONE || parts[r].n == 0) continue;
        char name[96];
        eng_store_chan(name, sizeof name, o, (eng_tier)tiers[r], a->id, a->gen, r);
        uint32_t k = 0;
        while (k < nput && strcmp(chan[k], name) != 0) k++;
        if (k == nput) {
            snprintf(chan[nput], sizeof chan[nput], "%s", name);
            put[nput] = eng_msg_new(ENG_MSG_BLOCK_PUT);
            put[nput]->x = t->batch;
            put[nput]->a = t->partition;
            put[nput]->reply = self;
            eng_msg_alloc_parts(put[nput], nr);
            eng_msg_alloc_offs(put[nput], nr);
            for (uint32_t q = 0; q < nr; q++) put[nput]->offs[q] = ENG_TIER_NONE;
            nput++;
        }
        put[k]->parts[r] = parts[r];
        eng_batch_init(&parts[r]);
        put[k]->offs[r] = tiers[r];
        blocks++;
    }
    for (uint32_t k = 0; k < nput; k++) {
        size_t bytes = o->bus->request_bytes;
        for (uint32_t r = 0; r < nr; r++) bytes += put[k]->parts[r].n * o->driver->shuffle_bytes_per_record;
        rt_send(rt, rt_chan_open(rt, chan[k]), put[k], bytes);
    }
    while (blocks > 0) {
        eng_msg *ack;
        rt_recv(rt, self, (void **)&ack);
        if (ack->type != ENG_MSG_BLOCK_ACK) abort();
        for (uint32_t r = 0; r < nr && r < ack->noffs; r++)
            if (ack->offs[r] != ENG_TIER_NONE) placed[r] = ack->offs[r];
        blocks -= ack->b;
        puts += (uint32_t)ack->y;
        eng_msg_free(ack);
    }
    free(put);
    free(chan);
    return puts;
}

/* Map: the task message's offs[r] is the tier for reducer r's block
 * (ENG_TIER_NONE: a recomputation that rebuilds only the lost blocks). The
 * TASK_DONE reports, in offs, the tier each block ended on ([r]), its
 * records ([nr + r]), the object store PUTs ([2 nr]) and the task's run time
 * in ns ([2 nr + 1]); t = time spent writing. */
static void run_map(rt_t *rt, const slot_arg *a, rt_chan_t *self, const eng_msg *m) {
    const eng_task *t = &m->task;
    const eng_run_opts *o = a->ctx->o;
    uint32_t nr = t->nreducers;
    rt_time_t t0 = rt_now(rt);
    eng_msg *req = eng_msg_new(ENG_MSG_FETCH_REQ);
    req->a = t->partition;
    req->x = t->from;
    req->y = t->to;
    req->reply = self;
    rt_send(rt, rt_chan_open(rt, ENG_CHAN_BROKER), req, o->bus->request_bytes);
    eng_msg *f;
    rt_recv(rt, self, (void **)&f);
    rt_compute(rt, o->driver->task_overhead_flops + o->driver->map_flops * (double)f->recs.n);
    eng_batch *parts = calloc(nr, sizeof *parts);
    if (!parts || m->noffs != nr) abort();
    for (size_t i = 0; i < f->recs.n; i++)
        eng_batch_push(&parts[eng_partition_of(f->recs.r[i].device ^ 0x5bd1e995u, nr)], &f->recs.r[i]);
    eng_msg *d = done_msg(a, t);
    eng_msg_alloc_offs(d, 2 * nr + 2);
    for (uint32_t r = 0; r < nr; r++) d->offs[nr + r] = m->offs[r] == ENG_TIER_NONE ? 0 : parts[r].n;
    rt_time_t w0 = rt_now(rt);
    d->offs[2 * nr] = write_blocks(rt, a, self, t, parts, m->offs, d->offs);
    d->t = rt_now(rt) - w0;
    d->offs[2 * nr + 1] = (uint64_t)(rt_now(rt) - t0);
    for (uint32_t r = 0; r < nr; r++) eng_batch_free(&parts[r]);
    free(parts);
    lat_of(d, &f->recs);
    d->y = f->recs.n;
    eng_msg_free(f);
    rt_send(rt, rt_chan_open(rt, ENG_CHAN_DRIVER), d, o->bus->request_bytes);
}

/* Reduce: reads reducer t->reducer's blocks of batches [t->from, t->to]
 * (the batch itself, or its window) from every store server in sources.
 * The TASK_DONE reports y = fold outputs, t = time spent reading, and in
 * offs the digests of the records read from the batch itself ([0]) and from
 * the whole window ([1]), and how many records were read ([2]). */
static void run_reduce(rt_t *rt, const slot_arg *a, rt_chan_t *self, const eng_task *t, eng_agg *agg) {
    const eng_run_opts *o = a->ctx->o;
    char name[96];
    rt_time_t r0 = rt_now(rt);
    for (uint32_t i = 0; i < t->nsources; i++) {
        eng_msg *req = eng_msg_new(ENG_MSG_BLOCK_REQ);
        req->x = t->from;
        req->y = t->to;
        req->a = t->reducer;
        req->reply = self;
        eng_store__source_chan(name, sizeof name, o, t->sources[i], t->reducer);
        rt_send(rt, rt_chan_open(rt, name), req, o->bus->request_bytes);
    }
    eng_batch all, out;
    eng_batch_init(&all);
    eng_batch_init(&out);
    uint64_t own = 0, window = 0;
    eng_msg **got = malloc((t->nsources ? t->nsources : 1) * sizeof *got);
    if (!got) abort();
    size_t total = 0;
    for (uint32_t i = 0; i < t->nsources; i++) {
        rt_recv(rt, self, (void **)&got[i]);
        total += got[i]->parts[0].n + got[i]->parts[1].n;
    }
    if (eng_batch_reserve(&all, total) != 0) abort();
    for (uint32_t i = 0; i < t->nsources; i++) {
        own += rec_digest(&got[i]->parts[0]);
        window += rec_digest(&got[i]->parts[0]) + rec_digest(&got[i]->parts[1]);
        for (int p = 0; p < 2; p++) eng_batch_append(&all, &got[i]->parts[p]);
        eng_msg_free(got[i]);
    }
    free(got);
    rt_time_t read = rt_now(rt) - r0;
    if (eng_agg_fold(agg, all.r, all.n, &out) != 0) abort();
    rt_compute(rt, o->driver->task_overhead_flops + o->driver->reduce_flops * (double)all.n);
    eng_msg *d = done_msg(a, t);
    d->y = out.n;
    d->t = read;
    eng_msg_alloc_offs(d, 3);
    d->offs[0] = own;
    d->offs[1] = window;
    d->offs[2] = all.n;
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
            run_map(rt, a, self, m);
        else if (m->task.kind == ENG_TASK_REDUCE)
            run_reduce(rt, a, self, &m->task, &agg);
        else
            run_record(rt, a, &m->task);
        eng_msg_free(m);
    }
    eng_agg_free(&agg);
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
    eng_store_arg *store = malloc(sizeof *store);
    if (!store) abort();
    *store = (eng_store_arg){e->ctx, ENG_TIER_MEMORY, ENG_TIER_LOCAL_SSD, ""};
    eng_exec_blocks_chan(store->chan, sizeof store->chan, e->id, e->gen);
    if (rt_spawn(rt, store->chan, rt->host, eng_store_main, store) != 0) abort();
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
