/* The live broker against librdkafka's mock cluster, driven by a test actor
 * that plays edge and driver with the engine's broker protocol: every record
 * in the topic twice is served once, with its fields intact through the wire
 * format; offsets count distinct records; a commit lands in Kafka as the
 * consumer's position; the edge's end markers reach the partitions'
 * ledgers with the counts sent; and a restarted broker of the same run (a
 * second connection, as a restarted engine process makes) resumes from its
 * partitions' state records: after the committed records, dropping those
 * records if they are produced again, and adding to the counts. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>

#include <cmocka.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "actor_check.h"
#include "live/broker_kafka.h"

#define NP 3
#define N 300

typedef struct world {
    live_clock clock;
    eng_bus_opts bus;
    eng_driver_opts driver;
    eng_run_opts o;
    eng_ctx ctx;
    live_broker_arg arg;
    live_bus_stats stats;
    uint64_t in[NP]; /* readings per partition this round */
    const uint64_t *inp[1];
    uint32_t first; /* first device of this round */
    uint32_t again; /* records of the first round produced again in this one */
} world;

static eng_rec rec_of(uint32_t device) {
    eng_rec r = eng_rec_raw((rt_time_t)device * RT_MS, device, device % 7, (uint16_t)(device % 3),
                            device * 0.5, device % 2);
    return r;
}

static eng_msg *request(rt_t *rt, eng_msg_type type, rt_chan_t *self) {
    eng_msg *m = eng_msg_new(type);
    m->reply = self;
    return m;
}

static eng_msg *offsets(rt_t *rt, rt_chan_t *broker, rt_chan_t *self) {
    rt_send(rt, broker, request(rt, ENG_MSG_OFFSETS_REQ, self), 0);
    eng_msg *m;
    rt_recv(rt, self, (void **)&m);
    return m;
}

/* At-least-once delivery: before the edge, the topic receives a copy of
 * every record of this round, and `again` of the first round's. */
static void produce_copies(world *w, live_kafka *k) {
    for (uint32_t d = w->first; d < w->first + N; d++) {
        eng_rec r = rec_of(d);
        assert_true(live_kafka_produce(k, eng_partition_of(d, NP), &r, w->clock.epoch0) > 0);
    }
    for (uint32_t d = 0; d < w->again; d++) {
        eng_rec r = rec_of(d);
        assert_true(live_kafka_produce(k, eng_partition_of(d, NP), &r, w->clock.epoch0) > 0);
    }
}

/* The edge: this round's records, then its end markers. */
static void produce(rt_t *rt, world *w, rt_chan_t *broker) {
    eng_msg *m = eng_msg_new(ENG_MSG_PRODUCE);
    eng_msg_alloc_parts(m, NP);
    for (uint32_t d = w->first; d < w->first + N; d++) {
        eng_rec r = rec_of(d);
        eng_batch_push(&m->parts[eng_partition_of(d, NP)], &r);
    }
    rt_send(rt, broker, m, 0);
    rt_send(rt, broker, eng_msg_new(ENG_MSG_EDGE_DONE), 0);
}

static void edge_and_driver(rt_t *rt, void *arg) {
    world *w = arg;
    rt_chan_t *broker = rt_chan_open(rt, ENG_CHAN_BROKER), *self = rt_chan_open(rt, "test");
    if (rt_spawn(rt, "broker", "broker", live_broker_main, &w->arg) != 0) abort();
    produce(rt, w, broker);
    eng_msg *o = NULL;
    for (rt_time_t until = rt_now(rt) + 20 * RT_S; rt_now(rt) < until;) {
        eng_msg_free(o);
        o = offsets(rt, broker, self);
        uint64_t total = 0;
        for (uint32_t p = 0; p < NP; p++) total += o->offs[p];
        if (total >= N) break;
        rt_sleep(rt, 20 * RT_MS);
    }
    CHECK(o->x == N); /* readings appended: distinct new ones only */
    char *got = calloc(N, 1);
    for (uint32_t p = 0; p < NP; p++) {
        eng_msg *f = request(rt, ENG_MSG_FETCH_REQ, self);
        f->a = p;
        f->x = 0;
        f->y = o->offs[p];
        rt_send(rt, broker, f, 0);
        rt_recv(rt, self, (void **)&f);
        CHECK(f->recs.n == o->offs[p]);
        for (size_t i = 0; i < f->recs.n; i++) {
            eng_rec r = f->recs.r[i], want = rec_of(r.device);
            CHECK(r.device >= w->first && r.device < w->first + N);
            CHECK(memcmp(&r, &want, sizeof r) == 0);
            CHECK(eng_partition_of(r.device, NP) == p);
            if (r.device >= w->first && r.device < w->first + N) got[r.device - w->first]++;
        }
        eng_msg_free(f);
    }
    for (uint32_t i = 0; i < N; i++) CHECK(got[i] == 1);
    free(got);
    eng_msg *c = eng_msg_new(ENG_MSG_COMMIT);
    eng_msg_alloc_offs(c, NP);
    memcpy(c->offs, o->offs, NP * sizeof *c->offs);
    rt_send(rt, broker, c, 0);
    eng_msg_free(o);
    rt_send(rt, broker, request(rt, ENG_MSG_STOP, self), 0);
    eng_msg *s;
    rt_recv(rt, self, (void **)&s);
    CHECK(s->type == ENG_MSG_STOPPED);
    CHECK(s->x == 0); /* everything committed */
    eng_msg_free(s);
}

/* One engine process's life: connect to the cluster at `bootstrap`, run the
 * test actor against a live broker, check the group's committed offsets
 * (`records` records are in the topic by then, end markers included) and
 * the ledger's totals (`out` readings committed in this run so far),
 * disconnect. */
static void round_trip(world *w, const char *bootstrap, int64_t records, uint64_t out) {
    char err[512];
    live_ledger *ledger = live_ledger_new(NP, 1, &w->clock, 3600 * RT_S);
    live_kafka_opts ko = {.bootstrap = bootstrap,
                          .topic = "sparkiot.test",
                          .group = "sparkiot.test",
                          .partitions = NP,
                          .produce = 1,
                          .consume = 1,
                          .ledger = ledger,
                          .timeout_ms = 10000};
    live_kafka *k = live_kafka_open(&ko, err, sizeof err);
    if (!k) fail_msg("%s", err);
    eng_bus_defaults(&w->bus);
    w->bus.partitions = NP;
    eng_driver_defaults(&w->driver);
    w->o.bus = &w->bus;
    w->o.driver = &w->driver;
    w->o.devices_per_site = 100000; /* every device is site 0's */
    w->ctx.o = &w->o;
    memset(&w->stats, 0, sizeof w->stats);
    memset(w->in, 0, sizeof w->in);
    for (uint32_t d = w->first; d < w->first + N; d++) w->in[eng_partition_of(d, NP)]++;
    w->inp[0] = w->in;
    produce_copies(w, k);
    w->arg = (live_broker_arg){.ctx = &w->ctx,
                               .kafka = k,
                               .clock = &w->clock,
                               .local_edges = 1,
                               .in = w->inp,
                               .stop_wait = 10 * RT_S,
                               .dedup_horizon = 60 * RT_S,
                               .stats = &w->stats};
    actor_check_reset();
    int rc =
        live_rt_run(&w->clock, 1, "test", edge_and_driver, w, (live_free_fn)eng_msg_free, err, sizeof err);
    actor_check_result();
    assert_int_equal(rc, 0);
    /* the group's committed offsets: every record consumed, duplicates and end markers too */
    rd_kafka_topic_partition_list_t *l = rd_kafka_topic_partition_list_new(NP);
    for (int p = 0; p < NP; p++) rd_kafka_topic_partition_list_add(l, "sparkiot.test", p);
    assert_int_equal(rd_kafka_committed(k->consumer, l, 10000), 0);
    int64_t committed = 0;
    for (int p = 0; p < NP; p++) committed += l->elems[p].offset;
    rd_kafka_topic_partition_list_destroy(l);
    assert_int_equal(committed, records);
    live_ledger_totals t;
    live_ledger_sum(ledger, &t, NULL);
    assert_int_equal(t.owned, NP);
    assert_int_equal(t.incomplete, 0);
    assert_int_equal(t.readings_out, out);
    assert_int_equal(t.records_out, out);
    /* the first round's end markers (a later round's repeat them: ignored) */
    assert_int_equal(t.readings_in, N);
    assert_int_equal(t.bus_records, N);
    live_kafka_close(k, 5000);
    live_ledger_free(ledger);
}

static void test_dedup_offsets_commit_and_restart(void **state) {
    world w = {0};
    char err[512], boot[512];
    live_kafka_opts ko = {
        .topic = "sparkiot.test", .group = "sparkiot.test", .partitions = NP, .timeout_ms = 10000};
    live_kafka *owner = live_kafka_open(&ko, err, sizeof err); /* the mock cluster, outliving both rounds */
    if (!owner) fail_msg("%s", err);
    snprintf(boot, sizeof boot, "%s", owner->bootstrap);
    live_clock_start(&w.clock); /* one run: both rounds share its origin */
    w.first = 0;
    round_trip(&w, boot, 2 * N + NP, N);
    assert_int_equal(w.stats.produced, N);
    assert_int_equal(w.stats.delivered, 2 * N); /* the copies went through the same producer */
    assert_int_equal(w.stats.end_markers, NP);
    assert_int_equal(w.stats.consumed, N);
    assert_int_equal(w.stats.duplicates, N);
    assert_int_equal(w.stats.missing, 0);
    /* the restarted engine sees only the new records: the first N are
     * committed, and 50 of them produced again are dropped by the state's
     * committed pairs */
    w.first = 1000;
    w.again = 50;
    round_trip(&w, boot, 4 * N + 50 + 2 * NP, 2 * N);
    assert_int_equal(w.stats.consumed, N);
    assert_int_equal(w.stats.duplicates, N + 50);
    live_kafka_close(owner, 0);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_dedup_offsets_commit_and_restart),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
