/* Which engine reads which partition, and from where (see live/kafka.h,
 * live/ledger.h). On every assignment — all partitions at the start of a
 * process that is the run's only engine, or the consumer group's share
 * after a rebalance — the partitions' latest records in the state topic
 * are read with a group-less reader client, handed to the ledger, and each
 * partition starts at the offset its state names (the group's committed
 * offset, or the beginning, when it has none). On a revocation the ledger
 * lets the partitions go and the producer is flushed, so that the next
 * owner finds this process's latest state records. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "live/kafka.h"

#define STATE_READ_MS 10000 /* bound on reading state records */

typedef struct state_rec {
    int64_t offset; /* -1: none */
    uint8_t *value;
    size_t len;
} state_rec;

/* Reads the latest state record of each partition in `parts` into st[i]
 * (i: index in parts). Partitions whose state topic cannot be read keep
 * none, with a message: they restart their accounting. */
static void read_states(live_kafka *k, const rd_kafka_topic_partition_list_t *parts, state_rec *st) {
    rd_kafka_topic_partition_list_t *want = rd_kafka_topic_partition_list_new(parts->cnt);
    int pending = 0;
    for (int i = 0; i < parts->cnt; i++) {
        st[i].offset = -1;
        int64_t lo, hi;
        rd_kafka_resp_err_t e = rd_kafka_query_watermark_offsets(
            k->state_reader, k->state_topic, parts->elems[i].partition, &lo, &hi, k->timeout_ms);
        if (e) {
            fprintf(stderr, "sparkiot: kafka: cannot read %s [%d]: %s; its accounting restarts\n",
                    k->state_topic, parts->elems[i].partition, rd_kafka_err2str(e));
            continue;
        }
        if (hi > lo) {
            rd_kafka_topic_partition_list_add(want, k->state_topic, parts->elems[i].partition)->offset =
                hi - 1;
            pending++;
        }
    }
    if (pending && rd_kafka_assign(k->state_reader, want) == RD_KAFKA_RESP_ERR_NO_ERROR) {
        for (int waited = 0; pending && waited < STATE_READ_MS; waited += 100) {
            rd_kafka_message_t *m = rd_kafka_consumer_poll(k->state_reader, 100);
            if (!m) continue;
            for (int i = 0; i < parts->cnt && !m->err; i++) {
                if (parts->elems[i].partition != m->partition || m->offset < st[i].offset) continue;
                pending -= st[i].offset < 0;
                free(st[i].value);
                st[i] = (state_rec){.offset = m->offset, .value = malloc(m->len ? m->len : 1), .len = m->len};
                if (!st[i].value) abort();
                memcpy(st[i].value, m->payload, m->len);
            }
            rd_kafka_message_destroy(m);
        }
        rd_kafka_assign(k->state_reader, NULL);
    }
    if (pending)
        fprintf(stderr, "sparkiot: kafka: %d state records of %s not read in time\n", pending,
                k->state_topic);
    rd_kafka_topic_partition_list_destroy(want);
}

/* Gives the partitions in `parts` to the ledger and sets their start
 * offsets from their states. */
static void resume(live_kafka *k, rd_kafka_topic_partition_list_t *parts) {
    state_rec *st = calloc((size_t)parts->cnt + 1, sizeof *st);
    if (!st) abort();
    read_states(k, parts, st);
    for (int i = 0; i < parts->cnt; i++) {
        int64_t at =
            live_ledger_assign(k->ledger, (uint32_t)parts->elems[i].partition, st[i].value, st[i].len);
        parts->elems[i].offset = at >= 0 ? at : RD_KAFKA_OFFSET_INVALID;
        free(st[i].value);
    }
    free(st);
}

/* One line on stderr per rebalance: what a group member got or lost. */
static void say(const live_kafka *k, const char *what, const rd_kafka_topic_partition_list_t *parts) {
    char list[256] = "";
    size_t at = 0;
    for (int i = 0; i < parts->cnt && at < sizeof list - 12; i++)
        at += (size_t)snprintf(list + at, sizeof list - at, " %d", parts->elems[i].partition);
    fprintf(stderr, "sparkiot: kafka: run time %.3f s: %s partitions%s%s\n",
            rt_to_s(live_clock_now(live_ledger_clock(k->ledger))), what, list,
            live_ledger_frozen(k->ledger) ? " (after the run's end: its accounts stay as they are)" : "");
}

void live__kafka_rebalance(rd_kafka_t *rk, rd_kafka_resp_err_t err, rd_kafka_topic_partition_list_t *parts,
                           void *opaque) {
    live_kafka *k = opaque;
    say(k, err == RD_KAFKA_RESP_ERR__ASSIGN_PARTITIONS ? "assigned" : "revoked", parts);
    if (err == RD_KAFKA_RESP_ERR__ASSIGN_PARTITIONS) {
        if (!live_ledger_frozen(k->ledger)) {
            resume(k, parts);
            if (k->on_assign) k->on_assign(k->on_assign_ctx, parts);
        }
        rd_kafka_assign(rk, parts);
        return;
    }
    for (int i = 0; i < parts->cnt; i++) live_ledger_revoke(k->ledger, (uint32_t)parts->elems[i].partition);
    if (k->producer) rd_kafka_flush(k->producer, k->timeout_ms);
    rd_kafka_assign(rk, NULL);
}

int live__kafka_assign_all(live_kafka *k, char *err, size_t errlen) {
    rd_kafka_topic_partition_list_t *l = rd_kafka_topic_partition_list_new((int)k->partitions);
    for (uint32_t p = 0; p < k->partitions; p++) rd_kafka_topic_partition_list_add(l, k->topic, (int)p);
    resume(k, l);
    rd_kafka_topic_partition_list_t *committed = rd_kafka_topic_partition_list_copy(l);
    rd_kafka_resp_err_t e = rd_kafka_committed(k->consumer, committed, k->timeout_ms);
    for (int i = 0; i < l->cnt && !e; i++)
        if (l->elems[i].offset < 0)
            l->elems[i].offset =
                committed->elems[i].offset >= 0 ? committed->elems[i].offset : RD_KAFKA_OFFSET_BEGINNING;
    if (e)
        snprintf(err, errlen, "kafka at %s: reading the committed offsets of %s: %s", k->bootstrap, k->topic,
                 rd_kafka_err2str(e));
    else if ((e = rd_kafka_assign(k->consumer, l)))
        snprintf(err, errlen, "kafka at %s: assigning topic %s: %s", k->bootstrap, k->topic,
                 rd_kafka_err2str(e));
    rd_kafka_topic_partition_list_destroy(committed);
    rd_kafka_topic_partition_list_destroy(l);
    return e ? -1 : 0;
}

void live_kafka_settle(live_kafka *k) {
    if (k->producer) rd_kafka_flush(k->producer, k->timeout_ms);
    rd_kafka_topic_partition_list_t *l = rd_kafka_topic_partition_list_new((int)k->partitions);
    for (uint32_t p = 0; p < k->partitions; p++) rd_kafka_topic_partition_list_add(l, k->topic, (int)p);
    state_rec *st = calloc(k->partitions + 1, sizeof *st);
    if (!st) abort();
    read_states(k, l, st);
    for (uint32_t p = 0; p < k->partitions; p++) {
        live_ledger_settle(k->ledger, p, st[p].value, st[p].len);
        free(st[p].value);
    }
    free(st);
    rd_kafka_topic_partition_list_destroy(l);
}
