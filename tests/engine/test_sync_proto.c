/* The delta anti-entropy state machine of edge-cloud sync, driven without a
 * runtime. A world of one cloud and three edges sends every message through
 * the wire codec over a network that drops 30% of them, duplicates 15% and
 * delivers in random order, with deltas expiring into full states; once the
 * network heals, every edge replica must equal the cloud's projection for
 * it, the cloud's counts, sums and alarms must equal an independent
 * sequential model of every window applied, and each update must have
 * become visible exactly once at each replica that needs it. Then hand
 * cases: visibility latency, duplicates and reordering, nothing sent back
 * to its origin, the full-state fallback, and the wire form. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>

#include <cmocka.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "engine/crdt/gcounter.h"
#include "engine/crdt/pncounter.h"
#include "engine/sync_baseline.h"
#include "engine/sync_monitor.h"
#include "engine/sync_proto.h"

#define SITES 3
#define DEVS 4 /* per site */
#define METRICS 2
#define NODES (SITES + 1) /* node 0 is the cloud, node 1 + s edge s */

typedef struct packet {
    uint32_t to; /* node */
    uint8_t *bytes;
    size_t len;
    eng_sync_vis *vis;
    size_t nvis;
} packet;

typedef struct world {
    eng_sync_proto node[NODES];
    packet *net;
    size_t nnet, capnet;
    gsl_rng *rng;
    double loss, dup;
    rt_time_t now;
    uint64_t states;                /* state messages sent */
    uint64_t visible[NODES][NODES]; /* [receiver][sender]: updates made visible */
    uint64_t count[SITES * DEVS][METRICS];
    int64_t sum[SITES * DEVS][METRICS];
    int alarm[SITES * DEVS];
} world;

static uint32_t peer_node(uint32_t node, uint32_t peer) { return node == 0 ? peer + 1 : 0; }
static uint32_t link_site(uint32_t node, uint32_t peer) { return node == 0 ? peer : node - 1; }

static void on_visible(void *ctx, uint32_t j, rt_time_t applied, rt_time_t now) {
    uint64_t *row = ctx;
    assert_true(now >= applied);
    row[j]++;
}

static void world_init(world *w, uint64_t seed, rt_time_t full_after) {
    memset(w, 0, sizeof *w);
    int32_t scopes[SITES] = {0, 1, 2}, all = ENG_SYNC_ALL_SITES;
    eng_sync_proto_init(&w->node[0], 1, SITES, scopes, SITES, full_after, 20 * RT_MS);
    for (uint32_t s = 0; s < SITES; s++)
        eng_sync_proto_init(&w->node[s + 1], 2 + s, SITES, &all, 1, full_after, 20 * RT_MS);
    w->rng = gsl_rng_alloc(gsl_rng_mt19937);
    gsl_rng_set(w->rng, seed);
}

static void world_free(world *w) {
    for (uint32_t i = 0; i < NODES; i++) eng_sync_proto_free(&w->node[i]);
    for (size_t i = 0; i < w->nnet; i++) {
        free(w->net[i].bytes);
        free(w->net[i].vis);
    }
    free(w->net);
    gsl_rng_free(w->rng);
}

/* Encodes m from `node` to its peer and puts it on the network (or not). */
static void post(world *w, uint32_t node, uint32_t peer, eng_sync_msg *m) {
    packet k = {.to = peer_node(node, peer), .vis = m->vis, .nvis = m->nvis};
    assert_int_equal(eng_sync_wire_encode(m, link_site(node, peer), &k.bytes, &k.len), 0);
    m->vis = NULL;
    eng_sync_msg_clear(m);
    int copies = gsl_rng_uniform(w->rng) < w->loss ? 0 : gsl_rng_uniform(w->rng) < w->dup ? 2 : 1;
    for (int c = 0; c < copies; c++) {
        if (w->nnet == w->capnet) {
            w->capnet = w->capnet ? 2 * w->capnet : 64;
            w->net = realloc(w->net, w->capnet * sizeof *w->net);
        }
        packet *q = &w->net[w->nnet++];
        *q = k;
        if (c == 0) continue;
        q->bytes = malloc(k.len);
        memcpy(q->bytes, k.bytes, k.len);
        q->vis = malloc(k.nvis ? k.nvis * sizeof *k.vis : 1);
        if (k.nvis) memcpy(q->vis, k.vis, k.nvis * sizeof *k.vis);
    }
    if (!copies) {
        free(k.bytes);
        free(k.vis);
    }
}

static int send_if_owed(world *w, uint32_t node, uint32_t peer, eng_sync_action what) {
    eng_sync_obs obs;
    eng_sync_proto_observe(&w->node[node], peer, w->now, &obs);
    if (!obs.pending && !obs.need_state) return 0;
    eng_sync_msg m;
    eng_sync_proto_emit(&w->node[node], peer, what, w->now, &m);
    w->states += m.kind == ENG_SYNC_MSG_STATE;
    post(w, node, peer, &m);
    return 1;
}

static void deliver(world *w, size_t i) {
    packet k = w->net[i];
    w->net[i] = w->net[--w->nnet];
    eng_sync_msg m, ack;
    uint32_t site;
    char err[200];
    assert_int_equal(eng_sync_wire_decode(k.bytes, k.len, SITES, &site, &m, err, sizeof err), 0);
    free(k.bytes);
    m.vis = k.vis;
    m.nvis = k.nvis;
    uint32_t peer = k.to == 0 ? site : 0;
    assert_true(k.to == 0 || k.to == site + 1);
    int kind = m.kind;
    eng_sync_proto_receive(&w->node[k.to], peer, &m, w->now, on_visible, w->visible[k.to], &ack);
    if (kind != ENG_SYNC_MSG_ACK) post(w, k.to, peer, &ack);
}

/* A random window at site s, applied to its replica and to the model. */
static void window(world *w, uint32_t s) {
    eng_rec r[DEVS * METRICS];
    size_t n = 0;
    for (uint32_t d = 0; d < DEVS; d++) {
        uint32_t dev = s * DEVS + d;
        if (gsl_rng_uniform(w->rng) < 0.4) continue;
        int any = 0, anomaly = 0;
        for (uint16_t m = 0; m < METRICS; m++) {
            if (gsl_rng_uniform(w->rng) < 0.3) continue;
            uint32_t c = 1 + (uint32_t)gsl_rng_uniform_int(w->rng, 3);
            double sum = (double)((long)gsl_rng_uniform_int(w->rng, 400) - 200) / 4.0;
            uint16_t flag = gsl_rng_uniform(w->rng) < 0.2 ? ENG_REC_ANOMALY : 0;
            r[n++] = (eng_rec){0, 0, dev, 0, sum, sum / c, sum / c, c, m, flag};
            w->count[dev][m] += c;
            w->sum[dev][m] += llround(sum * 1000);
            any = 1;
            anomaly |= flag != 0;
        }
        if (any) w->alarm[dev] = anomaly;
    }
    eng_sync_proto *p = &w->node[s + 1];
    eng_sync_doc *delta;
    assert_int_equal(eng_sync_doc_window(p->state, p->replica, &p->clock, w->now, s, r, n, &delta), 0);
    eng_sync_proto_local(p, delta, w->now);
}

static void baselines(world *w) {
    eng_sync_proto *c = &w->node[0];
    eng_sync_doc *delta;
    eng_sync_totals *t = eng_sync_totals_new(SITES);
    for (uint32_t s = 0; s < SITES; s++) eng_sync_totals_update(t, c->state, s);
    assert_int_equal(eng_sync_doc_baselines(c->state, t, c->replica, &c->clock, w->now, &delta), 0);
    eng_sync_totals_free(t);
    if (delta) eng_sync_proto_local(c, delta, w->now);
}

static void lossy_phase(world *w, int steps) {
    for (int i = 0; i < steps; i++) {
        w->now += (rt_time_t)(1 + gsl_rng_uniform_int(w->rng, 20)) * RT_MS;
        double u = gsl_rng_uniform(w->rng);
        if (u < 0.25) {
            window(w, (uint32_t)gsl_rng_uniform_int(w->rng, SITES));
        } else if (u < 0.3) {
            baselines(w);
        } else if (u < 0.55) {
            uint32_t node = (uint32_t)gsl_rng_uniform_int(w->rng, NODES);
            uint32_t peer = node == 0 ? (uint32_t)gsl_rng_uniform_int(w->rng, SITES) : 0;
            send_if_owed(w, node, peer,
                         gsl_rng_uniform(w->rng) < 0.1 ? ENG_SYNC_SEND_STATE : ENG_SYNC_SEND_DELTA);
        } else if (u < 0.6) {
            for (uint32_t n = 0; n < NODES; n++) eng_sync_proto_expire(&w->node[n], w->now);
        } else if (w->nnet) {
            deliver(w, gsl_rng_uniform_int(w->rng, w->nnet));
        }
    }
}

/* Rounds over a network that loses nothing until nobody owes anything. */
static void heal(world *w) {
    w->loss = w->dup = 0;
    for (int round = 0; round < 100; round++) {
        w->now += 100 * RT_MS;
        baselines(w);
        int sent = 0;
        for (uint32_t n = 0; n < NODES; n++)
            for (uint32_t j = 0; j < w->node[n].npeers; j++)
                sent += send_if_owed(w, n, j, ENG_SYNC_SEND_DELTA);
        while (w->nnet) deliver(w, gsl_rng_uniform_int(w->rng, w->nnet));
        if (!sent) return;
    }
    fail_msg("no quiescence after 100 rounds");
}

static void check_converged(world *w) {
    const eng_sync_doc *cloud = w->node[0].state;
    for (uint32_t s = 0; s < SITES; s++) {
        eng_sync_digest *a = eng_sync_digest_of(cloud, (int32_t)s),
                        *b = eng_sync_digest_of(w->node[s + 1].state, (int32_t)s);
        assert_true(a->n > 0);
        assert_int_equal(eng_sync_digest_diff(a, b), 0);
        eng_sync_digest_free(a);
        eng_sync_digest_free(b);
    }
    for (uint32_t dev = 0; dev < SITES * DEVS; dev++) {
        uint32_t s = dev / DEVS;
        for (uint16_t m = 0; m < METRICS; m++) {
            uint8_t key[6] = {0, 0, 0, (uint8_t)dev, 0, (uint8_t)m};
            const crdt_gcounter *c =
                crdt_map_get(cloud->parts[s * ENG_SYNC_NVALUES + ENG_SYNC_COUNT], key, 6);
            const crdt_pncounter *x = crdt_map_get(cloud->parts[s * ENG_SYNC_NVALUES + ENG_SYNC_SUM], key, 6);
            assert_int_equal(c ? crdt_gcounter_value(c) : 0, w->count[dev][m]);
            assert_int_equal(x ? crdt_pncounter_value(x) : 0, w->sum[dev][m]);
        }
        uint8_t e[4] = {0, 0, 0, (uint8_t)dev};
        assert_int_equal(crdt_orset_contains(cloud->parts[eng_sync_doc_alarms_part(cloud)], e, 4),
                         w->alarm[dev]);
    }
    /* every entry a peer needed became visible there exactly once */
    for (uint32_t s = 0; s < SITES; s++) {
        const eng_sync_proto *e = &w->node[s + 1], *c = &w->node[0];
        uint64_t local = 0, owed = 0;
        for (uint64_t k = 0; k < e->seq; k++) local += e->meta[k].origin == ENG_SYNC_LOCAL;
        for (uint64_t k = 0; k < c->seq; k++) owed += c->meta[k].origin != (int32_t)s;
        assert_int_equal(w->visible[0][s], local);
        assert_int_equal(w->visible[s + 1][0], owed);
    }
}

static void test_lossy_world_converges(void **unused) {
    for (uint64_t seed = 1; seed <= 4; seed++) {
        world *w = malloc(sizeof *w);
        world_init(w, seed, 300 * RT_MS);
        w->loss = 0.3;
        w->dup = 0.15;
        lossy_phase(w, 3000);
        heal(w);
        check_converged(w);
        assert_true(w->states > 0); /* deltas expired and states replaced them */
        world_free(w);
        free(w);
    }
}

/* Edge 0 makes windows at t = 1, 2 and 3 s and after each sends the cloud
 * everything unacknowledged; the messages stay undelivered. Returns how
 * many are on the network. */
static size_t three_messages(world *w) {
    eng_sync_proto *e = &w->node[1];
    for (int i = 1; i <= 3; i++) {
        w->now = i * RT_S;
        eng_rec r = {0, 0, (uint32_t)i, 0, i, i, i, 1, 0, 0};
        eng_sync_doc *delta;
        assert_int_equal(eng_sync_doc_window(e->state, e->replica, &e->clock, w->now, 0, &r, 1, &delta), 0);
        eng_sync_proto_local(e, delta, w->now);
        assert_int_equal(send_if_owed(w, 1, 0, ENG_SYNC_SEND_DELTA), 1);
    }
    return w->nnet;
}

static void test_duplicates_and_reordering(void **unused) {
    world w;
    world_init(&w, 7, 60 * RT_S);
    assert_int_equal(three_messages(&w), 3);
    packet first = w.net[0], last = w.net[2];
    /* deliver the newest, then the oldest, then a copy of the newest, then the middle one */
    packet dup = last;
    dup.bytes = malloc(last.len);
    memcpy(dup.bytes, last.bytes, last.len);
    dup.vis = malloc(last.nvis * sizeof *last.vis);
    memcpy(dup.vis, last.vis, last.nvis * sizeof *last.vis);
    packet order[4] = {last, first, dup, w.net[1]};
    w.nnet = 0;
    for (int i = 0; i < 4; i++) {
        w.net[w.nnet++] = order[i];
        w.now += RT_MS;
        deliver(&w, 0);
        while (w.nnet) deliver(&w, 0); /* the acknowledgement */
    }
    assert_int_equal(w.visible[0][0], 3); /* three updates, each visible once */
    assert_int_equal(w.node[0].peers[0].recv, 3);
    assert_int_equal(w.node[1].peers[0].acked, 3);
    eng_sync_digest *a = eng_sync_digest_of(w.node[0].state, 0), *b = eng_sync_digest_of(w.node[1].state, 0);
    assert_int_equal(eng_sync_digest_diff(a, b), 0);
    eng_sync_digest_free(a);
    eng_sync_digest_free(b);
    eng_sync_obs obs;
    eng_sync_proto_observe(&w.node[1], 0, w.now, &obs);
    assert_int_equal(obs.pending, 0);
    assert_int_equal(obs.acks_outstanding, 0);
    world_free(&w);
}

static rt_time_t seen_latency;
static void record_latency(void *ctx, uint32_t j, rt_time_t applied, rt_time_t now) {
    seen_latency = now - applied;
}

static void test_visibility_latency_and_rtt(void **unused) {
    world w;
    world_init(&w, 8, 60 * RT_S);
    w.now = RT_S;
    eng_sync_proto *e = &w.node[3];
    eng_rec r = {0, 0, 2 * DEVS, 0, 1, 1, 1, 1, 0, 0};
    eng_sync_doc *delta;
    assert_int_equal(eng_sync_doc_window(e->state, e->replica, &e->clock, w.now, 2, &r, 1, &delta), 0);
    eng_sync_proto_local(e, delta, w.now);
    eng_sync_msg m, ack;
    w.now = 1200 * RT_MS;
    eng_sync_proto_emit(&w.node[3], 0, ENG_SYNC_SEND_DELTA, w.now, &m);
    assert_int_equal(m.nvis, 1);
    w.now = 1250 * RT_MS; /* 50 ms on the link */
    eng_sync_proto_receive(&w.node[0], 2, &m, w.now, record_latency, NULL, &ack);
    assert_int_equal(seen_latency, 250 * RT_MS); /* applied at 1 s, visible at 1.25 s */
    w.now = 1300 * RT_MS;
    eng_sync_proto_receive(&w.node[3], 0, &ack, w.now, NULL, NULL, &m);
    eng_sync_obs obs;
    eng_sync_proto_observe(&w.node[3], 0, w.now, &obs);
    assert_int_equal(obs.link_latency, 50 * RT_MS); /* half the 100 ms round trip */
    assert_int_equal(obs.since_send, 100 * RT_MS);
    world_free(&w);
}

static void test_never_back_to_origin(void **unused) {
    world w;
    world_init(&w, 9, 60 * RT_S);
    eng_rec r = {0, 0, 1, 0, 5, 5, 5, 1, 0, ENG_REC_ANOMALY};
    eng_sync_proto *e = &w.node[1];
    eng_sync_doc *delta;
    assert_int_equal(eng_sync_doc_window(e->state, e->replica, &e->clock, 0, 0, &r, 1, &delta), 0);
    eng_sync_proto_local(e, delta, 0);
    assert_int_equal(send_if_owed(&w, 1, 0, ENG_SYNC_SEND_DELTA), 1);
    deliver(&w, 0); /* the cloud merges the alarm; its ack goes back */
    eng_sync_obs obs;
    eng_sync_proto_observe(&w.node[0], 0, w.now, &obs);
    assert_int_equal(obs.pending, 0); /* nothing owed to the alarm's origin */
    eng_sync_proto_observe(&w.node[0], 1, w.now, &obs);
    assert_int_equal(obs.pending, 1); /* the other sites get it */
    eng_sync_msg m;
    eng_sync_proto_emit(&w.node[0], 1, ENG_SYNC_SEND_DELTA, w.now, &m);
    bool shared;
    assert_int_equal(eng_sync_doc_span(m.doc, &shared), ENG_SYNC_SITE_NONE); /* no site 0 values relayed */
    assert_true(shared);
    eng_sync_msg_clear(&m);
    eng_sync_proto_emit(&w.node[0], 0, ENG_SYNC_SEND_DELTA, w.now, &m);
    assert_true(eng_sync_doc_is_bottom(m.doc, ENG_SYNC_ALL_SITES));
    assert_int_equal(m.nvis, 0);
    eng_sync_msg_clear(&m);
    world_free(&w);
}

static void test_full_state_fallback(void **unused) {
    world w;
    world_init(&w, 10, 5 * RT_S);
    w.loss = 1; /* the first delta is lost */
    three_messages(&w);
    w.loss = 0;
    w.now = 9 * RT_S; /* windows at 1, 2 and 3 s are now older than 5 s */
    eng_sync_proto_expire(&w.node[1], w.now);
    eng_sync_obs obs;
    eng_sync_proto_observe(&w.node[1], 0, w.now, &obs);
    assert_true(obs.need_state);
    assert_int_equal(obs.pending, 0); /* the deltas themselves are gone */
    assert_int_equal(send_if_owed(&w, 1, 0, ENG_SYNC_SEND_DELTA), 1);
    assert_int_equal(w.states, 1); /* a delta was asked for, a state went */
    while (w.nnet) deliver(&w, 0);
    assert_int_equal(w.visible[0][0], 3);
    eng_sync_proto_observe(&w.node[1], 0, w.now, &obs);
    assert_false(obs.need_state);
    assert_int_equal(obs.pending, 0);
    world_free(&w);
}

static void test_wire(void **unused) {
    world w;
    world_init(&w, 11, 60 * RT_S);
    three_messages(&w);
    packet *k = &w.net[2];
    eng_sync_msg m;
    uint32_t site;
    char err[200];
    assert_int_equal(eng_sync_wire_decode(k->bytes, k->len, SITES, &site, &m, err, sizeof err), 0);
    assert_int_equal(site, 0);
    assert_int_equal(m.kind, ENG_SYNC_MSG_DELTA);
    assert_int_equal(m.from, 0);
    assert_int_equal(m.to, 3);
    uint8_t *again;
    size_t len;
    assert_int_equal(eng_sync_wire_encode(&m, site, &again, &len), 0);
    assert_int_equal(len, k->len);
    assert_memory_equal(again, k->bytes, len);
    free(again);
    eng_sync_msg_clear(&m);
    for (size_t n = 0; n < k->len; n++)
        assert_true(eng_sync_wire_decode(k->bytes, n, SITES, &site, &m, err, sizeof err) < 0);
    uint8_t *longer = malloc(k->len + 1);
    memcpy(longer, k->bytes, k->len);
    longer[k->len] = 0;
    assert_int_equal(eng_sync_wire_decode(longer, k->len + 1, SITES, &site, &m, err, sizeof err),
                     CRDT_ETRAILING);
    assert_int_equal(eng_sync_wire_decode(k->bytes, k->len, 0, &site, &m, err, sizeof err), CRDT_EMALFORMED);
    free(longer);
    world_free(&w);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_lossy_world_converges),      cmocka_unit_test(test_duplicates_and_reordering),
        cmocka_unit_test(test_visibility_latency_and_rtt), cmocka_unit_test(test_never_back_to_origin),
        cmocka_unit_test(test_full_state_fallback),        cmocka_unit_test(test_wire),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
