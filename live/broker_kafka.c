/* The live broker actor (see live/broker_kafka.h): the engine's broker
 * protocol on top of Kafka. PRODUCE sends every record to its topic
 * partition; the poller's records build a per-partition view that OFFSETS
 * and FETCH serve; COMMIT trims the view and commits, for each partition,
 * the Kafka offset of the first record not yet committed (or the consumer's
 * position when none is left), so a restarted engine resumes exactly after
 * the committed records and skips the duplicates between them. In
 * continuous mode every new record is pushed to the driver instead.
 *
 * At STOP the broker waits until its process's edges have finished, every
 * record they produced has been delivered and consumed, or `stop_wait` has
 * passed (what never arrived is reported as missing); then it stops the
 * poller, commits, and answers STOPPED with the readings never committed. */
#include <stdlib.h>
#include <string.h>

#include "live/broker_kafka.h"

typedef struct kpart {
    eng_batch log;  /* distinct records [base, base + log.n) of the view */
    uint64_t *koff; /* Kafka offset of each record of the log */
    size_t capkoff;
    uint64_t base;
    int64_t pos;       /* next Kafka offset after everything consumed (-1: nothing yet) */
    int64_t committed; /* last Kafka offset committed (-1: none) */
} kpart;

typedef struct kbroker {
    const live_broker_arg *a;
    const eng_run_opts *o;
    live_kafka *k;
    kpart *parts;
    uint32_t np;
    uint64_t readings, received, expected, produced, pushed;
    uint32_t edges_done;
    rt_chan_t *stop_reply;
    rt_time_t stop_at;
} kbroker;

static void broker_produce(kbroker *b, const eng_msg *m) {
    for (uint32_t p = 0; p < m->nparts && p < b->np; p++)
        for (size_t i = 0; i < m->parts[p].n; i++) {
            b->produced++;
            if (live_kafka_produce(b->k, p, &m->parts[p].r[i], b->a->clock->epoch0) != 0)
                atomic_fetch_add(&b->k->failed, 1);
        }
}

/* Commits every partition whose first uncommitted Kafka offset moved. */
static void commit_kafka(kbroker *b, int sync) {
    if (!b->k->consumer) return;
    int64_t *offs = malloc(b->np * sizeof *offs);
    if (!offs) abort();
    int any = 0;
    for (uint32_t p = 0; p < b->np; p++) {
        kpart *l = &b->parts[p];
        int64_t at = l->log.n ? (int64_t)l->koff[0] : l->pos;
        offs[p] = at > l->committed ? at : -1;
        if (offs[p] >= 0) {
            l->committed = at;
            any = 1;
        }
    }
    if (any) live_kafka_commit(b->k, offs, sync);
    free(offs);
}

static void trim(kpart *l, uint64_t upto) {
    if (upto <= l->base) return;
    size_t drop = (size_t)(upto - l->base);
    if (drop > l->log.n) abort(); /* the driver commits within the view */
    memmove(l->log.r, l->log.r + drop, (l->log.n - drop) * sizeof *l->log.r);
    memmove(l->koff, l->koff + drop, (l->log.n - drop) * sizeof *l->koff);
    l->log.n -= drop;
    l->base = upto;
}

/* New records from the poller. */
static void broker_append(rt_t *rt, kbroker *b, eng_msg *m) {
    if (m->a == LIVE_POLL_BEAT) return;
    kpart *l = &b->parts[m->a];
    l->pos = (int64_t)m->y;
    size_t n = m->recs.n;
    if (n == 0) return; /* only duplicates: the position moved, nothing new */
    b->received += n;
    b->readings += eng_batch_readings(&m->recs);
    if (b->o->driver->mode == ENG_CONTINUOUS) { /* pushed to the driver, never fetched */
        eng_msg *push = eng_msg_new(ENG_MSG_PUSH);
        push->recs = m->recs;
        eng_batch_init(&m->recs);
        l->base += n;
        b->pushed += n;
        rt_send(rt, rt_chan_open(rt, ENG_CHAN_DRIVER), push, 0);
        commit_kafka(b, 0);
        return;
    }
    if (eng_batch_reserve(&l->log, n) != 0) abort();
    if (l->log.n + n > l->capkoff) {
        l->capkoff = l->log.cap;
        l->koff = realloc(l->koff, l->capkoff * sizeof *l->koff);
        if (!l->koff) abort();
    }
    memcpy(l->log.r + l->log.n, m->recs.r, n * sizeof *m->recs.r);
    memcpy(l->koff + l->log.n, m->offs, n * sizeof *m->offs);
    l->log.n += n;
}

static void broker_offsets(rt_t *rt, kbroker *b, const eng_msg *req) {
    eng_msg *m = eng_msg_new(ENG_MSG_OFFSETS);
    eng_msg_alloc_offs(m, b->np);
    for (uint32_t p = 0; p < b->np; p++) m->offs[p] = b->parts[p].base + b->parts[p].log.n;
    m->x = b->readings;
    m->a = req->a; /* what the driver wants them for: a trigger, a decision or a sample */
    rt_send(rt, req->reply, m, 0);
}

static void broker_fetch(rt_t *rt, kbroker *b, const eng_msg *req) {
    kpart *l = &b->parts[req->a];
    uint64_t from = req->x, to = req->y;
    if (from < l->base || to > l->base + l->log.n || from > to)
        abort(); /* the driver plans within the view */
    eng_msg *m = eng_msg_new(ENG_MSG_FETCH);
    size_t n = (size_t)(to - from);
    if (eng_batch_reserve(&m->recs, n) != 0) abort();
    memcpy(m->recs.r, l->log.r + (from - l->base), n * sizeof *m->recs.r);
    m->recs.n = n;
    rt_send(rt, req->reply, m, 0);
}

static void broker_commit(kbroker *b, const eng_msg *m) {
    for (uint32_t p = 0; p < b->np && p < m->noffs; p++) trim(&b->parts[p], m->offs[p]);
    commit_kafka(b, 0);
}

/* Whether everything this process's edges produced has been delivered and,
 * if this process consumes, consumed. */
static int settled(const kbroker *b) {
    if (b->edges_done < b->a->local_edges) return 0;
    uint64_t reported = atomic_load(&b->k->delivered) + atomic_load(&b->k->failed);
    if (b->k->producer && reported < b->produced) return 0;
    return !b->k->consumer || b->a->local_edges == 0 || b->received >= b->expected;
}

static void handle(rt_t *rt, kbroker *b, eng_msg *m) {
    switch (m->type) {
    case ENG_MSG_PRODUCE:
        broker_produce(b, m);
        break;
    case ENG_MSG_EDGE_DONE:
        b->edges_done++;
        b->expected += m->x;
        break;
    case ENG_MSG_PUSH:
        broker_append(rt, b, m);
        break;
    case ENG_MSG_OFFSETS_REQ:
        broker_offsets(rt, b, m);
        break;
    case ENG_MSG_FETCH_REQ:
        broker_fetch(rt, b, m);
        break;
    case ENG_MSG_COMMIT:
        broker_commit(b, m);
        break;
    case ENG_MSG_STOP: /* its offsets, if any, are the driver's last commit */
        if (m->noffs) broker_commit(b, m);
        b->stop_reply = m->reply;
        b->stop_at = rt_now(rt);
        break;
    default:
        abort();
    }
    eng_msg_free(m);
}

/* Stops the poller, taking the records it still sends; fills the stats. */
static void stop_poller(rt_t *rt, kbroker *b, rt_chan_t *in) {
    eng_msg *s = eng_msg_new(ENG_MSG_STOP);
    s->reply = in;
    rt_send(rt, rt_chan_open(rt, LIVE_CHAN_POLL), s, 0);
    for (;;) {
        eng_msg *m;
        rt_recv(rt, in, (void **)&m);
        if (m->type == ENG_MSG_STOPPED) {
            live_bus_stats *st = b->a->stats;
            st->duplicates = m->x;
            st->undecodable = m->y;
            st->consumer_errors = m->a;
            eng_msg_free(m);
            return;
        }
        if (m->type == ENG_MSG_PUSH) broker_append(rt, b, m);
        eng_msg_free(m);
    }
}

void live_broker_main(rt_t *rt, void *arg) {
    kbroker b = {
        .a = arg, .o = ((const live_broker_arg *)arg)->ctx->o, .k = ((const live_broker_arg *)arg)->kafka};
    b.np = b.k->partitions;
    b.parts = calloc(b.np, sizeof *b.parts);
    if (!b.parts) abort();
    for (uint32_t p = 0; p < b.np; p++) b.parts[p].pos = b.parts[p].committed = -1;
    rt_chan_t *in = rt_chan_open(rt, ENG_CHAN_BROKER);
    rt_chan_listen(rt, in);
    if (rt_spawn(rt, "broker-poll", rt->host, live__poll_main, arg) != 0) abort();
    while (!b.stop_reply || !(settled(&b) || rt_now(rt) - b.stop_at >= b.a->stop_wait)) {
        eng_msg *m;
        rt_recv(rt, in, (void **)&m);
        handle(rt, &b, m);
    }
    stop_poller(rt, &b, in);
    commit_kafka(&b, 1);
    live_bus_stats *st = b.a->stats;
    st->produced = b.produced;
    st->delivered = atomic_load(&b.k->delivered);
    st->delivery_failed = atomic_load(&b.k->failed);
    st->consumed = b.received;
    st->missing = b.k->consumer && b.a->local_edges && b.expected > b.received ? b.expected - b.received : 0;
    eng_msg *r = eng_msg_new(ENG_MSG_STOPPED);
    uint64_t left = 0;
    for (uint32_t p = 0; p < b.np; p++) left += eng_batch_readings(&b.parts[p].log);
    r->x = left;
    r->y = b.pushed;
    rt_send(rt, b.stop_reply, r, 0);
    for (uint32_t p = 0; p < b.np; p++) {
        eng_batch_free(&b.parts[p].log);
        free(b.parts[p].koff);
    }
    free(b.parts);
}
