/* The bus broker: Kafka-like topic partitions in the cloud region. Edges
 * produce to it over the WAN; the driver asks for end offsets and commits;
 * map tasks fetch offset ranges. Each partition is a log of records from its
 * first retained offset to its end offset; committed records are trimmed.
 * In continuous mode the broker also pushes every new record to the driver
 * (a long-polling consumer). It ends after STOP from the driver once every
 * edge's last produce has arrived, reporting the readings never committed. */
#include <stdlib.h>
#include <string.h>

#include "engine/actors.h"

typedef struct plog {
    eng_batch log; /* records [base, base + log.n) */
    uint64_t base;
} plog;

typedef struct broker {
    const eng_ctx *ctx;
    plog *parts;
    uint32_t np;
    uint64_t readings; /* appended so far */
    uint64_t expected; /* records announced by finished edges */
    uint64_t received; /* records appended from all edges */
    uint32_t edges_done;
    uint64_t pushed;      /* records pushed to the driver (continuous mode) */
    rt_time_t busy_until; /* when the appends taken so far are done */
} broker;

/* Appends are served first come, first served by one core of the broker's
 * host, accounted analytically: a produce arriving at t with n records
 * finishes at max(t, busy_until) + n append_flops / core speed. Anything that
 * reveals appends (offsets, fetches, pushes, the final report) first waits
 * until they are done. This is the time a simulated execution per produce
 * would give on a core of its own, without one simulated activity per
 * produce. */
static void take_appends(rt_t *rt, broker *b, uint64_t n) {
    const eng_run_opts *o = b->ctx->o;
    rt_time_t now = rt_now(rt);
    if (b->busy_until < now) b->busy_until = now;
    b->busy_until += rt_from_s(o->bus->append_flops * (double)n / o->topo->broker.speed);
}

static void finish_appends(rt_t *rt, const broker *b) {
    if (b->busy_until > rt_now(rt)) rt_sleep_until(rt, b->busy_until);
}

static void broker_produce(rt_t *rt, broker *b, eng_msg *m) {
    const eng_run_opts *o = b->ctx->o;
    uint64_t n = 0;
    eng_msg *push = NULL;
    if (o->driver->mode == ENG_CONTINUOUS) push = eng_msg_new(ENG_MSG_PUSH);
    for (uint32_t p = 0; p < m->nparts; p++) {
        eng_batch *src = &m->parts[p];
        plog *l = &b->parts[p];
        if (src->n == 0) continue;
        n += src->n;
        b->readings += eng_batch_readings(src);
        if (push) { /* pushed to the driver, never fetched: only the offsets advance */
            for (size_t i = 0; i < src->n; i++) eng_batch_push(&push->recs, &src->r[i]);
            l->base += src->n;
            continue;
        }
        if (eng_batch_reserve(&l->log, src->n) != 0) abort();
        memcpy(l->log.r + l->log.n, src->r, src->n * sizeof *src->r);
        l->log.n += src->n;
    }
    b->received += n;
    take_appends(rt, b, n);
    if (push) {
        finish_appends(rt, b);
        b->pushed += push->recs.n;
        rt_send(rt, rt_chan_open(rt, ENG_CHAN_DRIVER), push, push->recs.n * b->ctx->rec_bytes);
    }
}

static void broker_offsets(rt_t *rt, broker *b, eng_msg *req) {
    finish_appends(rt, b);
    eng_msg *m = eng_msg_new(ENG_MSG_OFFSETS);
    eng_msg_alloc_offs(m, b->np);
    for (uint32_t p = 0; p < b->np; p++) m->offs[p] = b->parts[p].base + b->parts[p].log.n;
    m->x = b->readings;
    m->a = req->a; /* what the requester wants the offsets for */
    rt_send(rt, req->reply, m, b->ctx->o->bus->request_bytes + 8 * b->np);
}

static void broker_fetch(rt_t *rt, broker *b, eng_msg *req) {
    plog *l = &b->parts[req->a];
    eng_msg *m = eng_msg_new(ENG_MSG_FETCH);
    uint64_t from = req->x, to = req->y;
    if (from < l->base || to > l->base + l->log.n || from > to) abort(); /* the driver plans within the log */
    size_t n = (size_t)(to - from);
    finish_appends(rt, b);
    if (eng_batch_reserve(&m->recs, n) != 0) abort();
    if (n) memcpy(m->recs.r, l->log.r + (from - l->base), n * sizeof *m->recs.r);
    m->recs.n = n;
    rt_compute(rt, b->ctx->o->bus->fetch_flops * (double)n);
    rt_send(rt, req->reply, m, n * b->ctx->rec_bytes + b->ctx->o->bus->request_bytes);
}

static void broker_commit(broker *b, eng_msg *m) {
    for (uint32_t p = 0; p < b->np && p < m->noffs; p++) {
        plog *l = &b->parts[p];
        uint64_t upto = m->offs[p];
        if (upto <= l->base) continue;
        size_t drop = (size_t)(upto - l->base);
        if (drop > l->log.n) abort();
        memmove(l->log.r, l->log.r + drop, (l->log.n - drop) * sizeof *l->log.r);
        l->log.n -= drop;
        l->base = upto;
    }
}

static uint64_t broker_uncommitted(const broker *b) {
    uint64_t n = 0;
    for (uint32_t p = 0; p < b->np; p++) n += eng_batch_readings(&b->parts[p].log);
    return n;
}

void eng_broker_main(rt_t *rt, void *arg) {
    broker b = {.ctx = arg};
    const eng_run_opts *o = b.ctx->o;
    b.np = o->bus->partitions;
    b.parts = calloc(b.np, sizeof *b.parts);
    if (!b.parts) abort();
    rt_chan_t *in = rt_chan_open(rt, ENG_CHAN_BROKER);
    rt_chan_listen(rt, in);
    rt_chan_t *stop_reply = NULL;
    for (;;) {
        eng_msg *m;
        rt_recv(rt, in, (void **)&m);
        switch (m->type) {
        case ENG_MSG_PRODUCE:
            broker_produce(rt, &b, m);
            break;
        case ENG_MSG_EDGE_DONE:
            b.edges_done++;
            b.expected += m->x;
            break;
        case ENG_MSG_OFFSETS_REQ:
            broker_offsets(rt, &b, m);
            break;
        case ENG_MSG_FETCH_REQ:
            broker_fetch(rt, &b, m);
            break;
        case ENG_MSG_COMMIT:
            broker_commit(&b, m);
            break;
        case ENG_MSG_STOP: /* its offsets, if any, are the driver's last commit */
            broker_commit(&b, m);
            stop_reply = m->reply;
            break;
        default:
            abort();
        }
        eng_msg_free(m);
        if (stop_reply && b.edges_done == o->topo->sites && b.received == b.expected) break;
    }
    finish_appends(rt, &b);
    eng_msg *r = eng_msg_new(ENG_MSG_STOPPED);
    r->x = broker_uncommitted(&b);
    r->y = b.pushed;
    rt_send(rt, stop_reply, r, 0);
    for (uint32_t p = 0; p < b.np; p++) eng_batch_free(&b.parts[p].log);
    free(b.parts);
}
