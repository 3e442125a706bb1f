/* The live broker actor (see live/broker_kafka.h): the engine's broker
 * protocol on top of Kafka. PRODUCE sends every record to its topic
 * partition (counted for the edges' end markers, sent once every local edge
 * is done); the poller's records build a per-partition view that OFFSETS
 * and FETCH serve; COMMIT counts the committed records in their partitions'
 * ledgers and trims the view; at most every PERSIST_EVERY (and at the end)
 * the broker produces the changed ledgers' state records and commits to
 * the consumer group, for each partition, the Kafka offset of the first
 * record not yet committed (or the consumer's position when none is left)
 * — the offset the state records name too. (Persisting at every 10 ms
 * micro-batch doubled the produce requests the cluster served; a crash
 * loses at most PERSIST_EVERY of counted commits, which the next owner
 * processes and counts again.) In continuous mode every new record is
 * pushed to the driver instead, and counted then.
 *
 * At STOP the broker waits until its process's edges have finished and
 * every record and end marker they produced has been delivered, and, if it
 * consumes, until every partition it owns has every site's end marker — or
 * until `stop_wait` has passed (what never arrived is reported as missing);
 * then it stops the poller, persists and commits, and answers STOPPED with
 * the readings of owned partitions never committed. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "live/broker_kafka.h"
#include "live/edge_ends.h"

#define PERSIST_EVERY (100 * RT_MS)

typedef struct kpart {
    eng_batch log;  /* distinct records [base, base + log.n) of the view */
    uint64_t *koff; /* Kafka offset of each record of the log */
    size_t capkoff;
    uint64_t base;
    int64_t pos;       /* next Kafka offset after everything consumed (-1: nothing yet) */
    int64_t committed; /* last Kafka offset committed to the group (-1: none) */
} kpart;

typedef struct kbroker {
    const live_broker_arg *a;
    const eng_run_opts *o;
    live_kafka *k;
    live_ledger *ledger; /* NULL: this process does not consume */
    kpart *parts;
    uint32_t np;
    uint64_t readings, received, produced, pushed, ends_sent;
    uint32_t edges_done;
    live_edge_ends ends;
    rt_chan_t *stop_reply;
    rt_time_t stop_at;
    rt_time_t persisted_at; /* when state records were last produced */
} kbroker;

static void broker_produce(kbroker *b, const eng_msg *m) {
    for (uint32_t p = 0; p < m->nparts && p < b->np; p++)
        for (size_t i = 0; i < m->parts[p].n; i++) {
            b->produced++;
            int bytes = live_kafka_produce(b->k, p, &m->parts[p].r[i], b->a->clock->epoch0);
            if (bytes < 0)
                atomic_fetch_add(&b->k->failed, 1);
            else
                live_edge_ends_count(&b->ends, p, &m->parts[p].r[i], (uint64_t)bytes);
        }
}

/* The Kafka offset of p's first record not yet committed. */
static int64_t resume_at(const kpart *l) { return l->log.n ? (int64_t)l->koff[0] : l->pos; }

static void persist_state(void *ctx, uint32_t p, const uint8_t *state, size_t len) {
    char key[16];
    snprintf(key, sizeof key, "%u", p);
    live_kafka_produce_control(ctx, 1, p, key, state, len);
}

/* Produces the changed (all, if `force`) owned ledgers' state records, then
 * commits to the group every owned partition whose first uncommitted Kafka
 * offset moved forward. */
static void persist_and_commit(kbroker *b, int force, int sync) {
    if (!b->ledger) return;
    int64_t *offs = malloc(b->np * sizeof *offs);
    if (!offs) abort();
    int any = 0;
    for (uint32_t p = 0; p < b->np; p++) {
        kpart *l = &b->parts[p];
        int64_t at = resume_at(l);
        live_ledger_persist(b->ledger, p, at, force, persist_state, b->k);
        offs[p] = at > l->committed && live_ledger_owned(b->ledger, p) ? at : -1;
        if (offs[p] >= 0) {
            l->committed = at;
            any = 1;
        }
    }
    if (any) live_kafka_commit(b->k, offs, sync);
    free(offs);
}

/* persist_and_commit, if PERSIST_EVERY has passed since the last time. */
static void persist_due(kbroker *b, rt_time_t now) {
    if (now - b->persisted_at < PERSIST_EVERY) return;
    b->persisted_at = now;
    persist_and_commit(b, 0, 0);
}

/* The driver committed p's view up to `upto`: counts and forgets them. */
static void trim(kbroker *b, uint32_t p, uint64_t upto, rt_time_t now) {
    kpart *l = &b->parts[p];
    if (upto <= l->base) return;
    size_t drop = (size_t)(upto - l->base);
    if (drop > l->log.n) abort(); /* the driver commits within the view */
    live_ledger_commit(b->ledger, p, l->log.r, drop, now, 0);
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
    if (n == 0) return; /* only duplicates or end markers: the position moved, nothing new */
    b->received += n;
    b->readings += eng_batch_readings(&m->recs);
    if (b->o->driver->mode == ENG_CONTINUOUS) { /* pushed to the driver, never fetched */
        live_ledger_commit(b->ledger, m->a, m->recs.r, n, rt_now(rt), 1);
        eng_msg *push = eng_msg_new(ENG_MSG_PUSH);
        push->recs = m->recs;
        eng_batch_init(&m->recs);
        l->base += n;
        b->pushed += n;
        rt_send(rt, rt_chan_open(rt, ENG_CHAN_DRIVER), push, 0);
        persist_due(b, rt_now(rt));
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
    if (n) memcpy(m->recs.r, l->log.r + (from - l->base), n * sizeof *m->recs.r);
    m->recs.n = n;
    rt_send(rt, req->reply, m, 0);
}

static void broker_commit(rt_t *rt, kbroker *b, const eng_msg *m) {
    rt_time_t now = rt_now(rt);
    for (uint32_t p = 0; p < b->np && p < m->noffs; p++) trim(b, p, m->offs[p], now);
    persist_due(b, now);
}

static void edge_done(kbroker *b) {
    if (++b->edges_done < b->a->local_edges) return;
    b->ends_sent = live_edge_ends_send(&b->ends, b->k, b->a->in);
    b->a->stats->end_markers = b->ends_sent;
}

/* Whether everything this process's edges produced has been delivered and,
 * if this process consumes, every owned partition has all its end markers. */
static int settled(const kbroker *b) {
    if (b->edges_done < b->a->local_edges) return 0;
    uint64_t reported = atomic_load(&b->k->delivered) + atomic_load(&b->k->failed);
    if (b->k->producer && (reported < b->produced || !live_kafka_control_settled(b->k))) return 0;
    return !b->ledger || live_ledger_complete(b->ledger);
}

static void handle(rt_t *rt, kbroker *b, eng_msg *m) {
    switch (m->type) {
    case ENG_MSG_PRODUCE:
        broker_produce(b, m);
        break;
    case ENG_MSG_EDGE_DONE:
        edge_done(b);
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
        broker_commit(rt, b, m);
        break;
    case ENG_MSG_STOP: /* its offsets, if any, are the driver's last commit */
        if (m->noffs) broker_commit(rt, b, m);
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
            st->stale = m->b;
            eng_msg_free(m);
            return;
        }
        if (m->type == ENG_MSG_PUSH) broker_append(rt, b, m);
        eng_msg_free(m);
    }
}

/* The readings and records of owned partitions still in the view. */
static void leftovers(const kbroker *b, uint64_t *readings, uint64_t *records) {
    *readings = *records = 0;
    for (uint32_t p = 0; p < b->np && b->ledger; p++)
        if (live_ledger_owned(b->ledger, p)) {
            *readings += eng_batch_readings(&b->parts[p].log);
            *records += b->parts[p].log.n;
        }
}

static void finish_stats(kbroker *b) {
    live_bus_stats *st = b->a->stats;
    st->produced = b->produced;
    st->delivered = atomic_load(&b->k->delivered);
    st->delivery_failed = atomic_load(&b->k->failed);
    st->consumed = b->received;
    uint64_t records;
    leftovers(b, &st->queued, &records);
    if (!b->ledger) return;
    live_ledger_totals t;
    live_ledger_sum(b->ledger, &t, NULL);
    uint64_t have = t.records_out + records;
    st->missing = t.bus_records > have ? t.bus_records - have : 0;
}

void live_broker_main(rt_t *rt, void *arg) {
    const live_broker_arg *a = arg;
    kbroker b = {
        .a = a, .o = a->ctx->o, .k = a->kafka, .ledger = a->kafka->consumer ? a->kafka->ledger : NULL};
    b.np = b.k->partitions;
    b.parts = calloc(b.np, sizeof *b.parts);
    if (!b.parts || live_edge_ends_init(&b.ends, a->first_site, a->local_edges, b.np, b.o->devices_per_site))
        abort();
    for (uint32_t p = 0; p < b.np; p++) b.parts[p].pos = b.parts[p].committed = -1;
    rt_chan_t *in = rt_chan_open(rt, ENG_CHAN_BROKER);
    rt_chan_listen(rt, in);
    if (rt_spawn(rt, "broker-poll", rt->host, live__poll_main, arg) != 0) abort();
    while (!b.stop_reply || !(settled(&b) || rt_now(rt) - b.stop_at >= a->stop_wait)) {
        eng_msg *m;
        rt_recv(rt, in, (void **)&m);
        handle(rt, &b, m);
    }
    stop_poller(rt, &b, in);
    persist_and_commit(&b, 1, 1);
    finish_stats(&b);
    eng_msg *r = eng_msg_new(ENG_MSG_STOPPED);
    r->x = a->stats->queued;
    r->y = b.pushed;
    rt_send(rt, b.stop_reply, r, 0);
    for (uint32_t p = 0; p < b.np; p++) {
        eng_batch_free(&b.parts[p].log);
        free(b.parts[p].koff);
    }
    free(b.parts);
    live_edge_ends_free(&b.ends);
}
