/* The Kafka poller: the actor that reads the topic for the live broker.
 * It serves the producer's delivery reports and the consumer's rebalances
 * (live/kafka_group.c), consumes batches of records, drops the ones whose
 * (device, seq) was committed before (the partition's ledger, which
 * survives restarts) or seen already in this process since the partition
 * was assigned (exactly-once on at-least-once delivery), and records from
 * before the run's origin (another run's, left in the topic), hands the
 * edges' end markers to the ledger, and sends each partition's new records
 * and position to the broker (protocol in live/broker_kafka.h). When
 * nothing arrives it sends a heartbeat every BEAT_EVERY, so the broker
 * notices deadlines without receive timeouts. */
#include <stdio.h>
#include <stdlib.h>

#include "live/broker_kafka.h"
#include "live/dedup.h"
#include "live/wire.h"

#define BATCH 512
#define WAIT_MS 20
#define BEAT_EVERY (50 * RT_MS)

typedef struct poller {
    const live_broker_arg *a;
    live_dedup *seen; /* per partition, since it was assigned */
    eng_msg **out;    /* per partition, the message being filled (NULL: none) */
    uint64_t duplicates, undecodable, stale, errors;
} poller;

/* Partitions (re)assigned: they start again from their state's offset, so
 * what this process saw of them before counts as unseen. */
static void on_assign(void *ctx, const rd_kafka_topic_partition_list_t *parts) {
    poller *p = ctx;
    for (int i = 0; i < parts->cnt; i++) {
        live_dedup *d = &p->seen[parts->elems[i].partition];
        p->duplicates += d->duplicates;
        live_dedup_free(d);
        live_dedup_init(d, p->a->dedup_horizon);
    }
}

static eng_msg *out_for(poller *p, uint32_t part) {
    if (!p->out[part]) {
        p->out[part] = eng_msg_new(ENG_MSG_PUSH);
        p->out[part]->a = part;
        eng_msg_alloc_offs(p->out[part], BATCH);
        p->out[part]->noffs = 0;
    }
    return p->out[part];
}

static void take(poller *p, const rd_kafka_message_t *km) {
    if (km->err) {
        if (p->errors++ == 0) fprintf(stderr, "sparkiot: kafka: consumer: %s\n", rd_kafka_message_errstr(km));
        return;
    }
    if (km->partition < 0 || (uint32_t)km->partition >= p->a->kafka->partitions) return;
    uint32_t part = (uint32_t)km->partition;
    eng_msg *m = out_for(p, part);
    m->y = (uint64_t)km->offset + 1;
    live_wire_msg w;
    int kind = live_wire_decode(km->payload, km->len, p->a->clock->epoch0, &w);
    live_ledger *l = p->a->kafka->ledger;
    if (kind == LIVE_WIRE_PART_END && w.pe.partition == part) {
        live_ledger_end(l, part, &w.pe);
        return;
    }
    if (kind != LIVE_WIRE_RAW && kind != LIVE_WIRE_AGG) {
        p->undecodable++;
        return;
    }
    if (w.rec.ts < 0) {
        p->stale++;
        return;
    }
    if (live_ledger_committed(l, part, w.rec.device, w.rec.seq)) {
        p->duplicates++;
        return;
    }
    if (live_dedup_seen(&p->seen[part], w.rec.device, w.rec.seq, w.rec.ts)) return;
    eng_batch_push(&m->recs, &w.rec);
    m->offs[m->noffs++] = (uint64_t)km->offset;
}

/* Consumes one batch — waiting at most WAIT_MS for its first message,
 * then taking what else is there — and returns how many messages were sent
 * to the broker. */
static int poll_once(rt_t *rt, poller *p, rt_chan_t *broker) {
    live_kafka *k = p->a->kafka;
    rd_kafka_message_t *msgs[BATCH];
    ssize_t n = 0;
    if ((msgs[0] = rd_kafka_consume_queue(k->queue, WAIT_MS))) {
        ssize_t more = rd_kafka_consume_batch_queue(k->queue, 0, msgs + 1, BATCH - 1);
        n = 1 + (more > 0 ? more : 0);
    }
    for (ssize_t i = 0; i < n; i++) {
        take(p, msgs[i]);
        rd_kafka_message_destroy(msgs[i]);
    }
    int sent = 0;
    for (uint32_t part = 0; part < k->partitions; part++) {
        if (!p->out[part]) continue;
        rt_send(rt, broker, p->out[part], 0);
        p->out[part] = NULL;
        sent++;
    }
    return sent;
}

void live__poll_main(rt_t *rt, void *arg) {
    poller p = {.a = arg};
    live_kafka *k = p.a->kafka;
    p.seen = calloc(k->partitions, sizeof *p.seen);
    p.out = calloc(k->partitions, sizeof *p.out);
    if (!p.seen || !p.out) abort();
    for (uint32_t i = 0; i < k->partitions; i++) live_dedup_init(&p.seen[i], p.a->dedup_horizon);
    k->on_assign_ctx = &p;
    k->on_assign = on_assign;
    rt_chan_t *self = rt_chan_open(rt, LIVE_CHAN_POLL), *broker = rt_chan_open(rt, ENG_CHAN_BROKER);
    rt_chan_listen(rt, self);
    rt_time_t last_sent = rt_now(rt);
    eng_msg *stop = NULL;
    while (rt_try_recv(rt, self, (void **)&stop) != RT_OK) {
        live_kafka_poll_producer(k);
        int sent = 0;
        if (k->consumer)
            sent = poll_once(rt, &p, broker);
        else
            rt_sleep(rt, WAIT_MS * RT_MS);
        rt_time_t now = rt_now(rt);
        if (sent) {
            last_sent = now;
        } else if (now - last_sent >= BEAT_EVERY) {
            eng_msg *beat = eng_msg_new(ENG_MSG_PUSH);
            beat->a = LIVE_POLL_BEAT;
            rt_send(rt, broker, beat, 0);
            last_sent = now;
        }
    }
    k->on_assign = NULL;
    eng_msg *r = eng_msg_new(ENG_MSG_STOPPED);
    r->x = p.duplicates;
    for (uint32_t i = 0; i < k->partitions; i++) {
        r->x += p.seen[i].duplicates;
        live_dedup_free(&p.seen[i]);
    }
    r->y = p.undecodable;
    r->a = (uint32_t)p.errors;
    r->b = (uint32_t)p.stale;
    rt_send(rt, stop->reply, r, 0);
    eng_msg_free(stop);
    free(p.seen);
    free(p.out);
}
