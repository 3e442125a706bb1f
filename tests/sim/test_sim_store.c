/* One shuffle block through each tier on SimGrid, against a hand
 * computation (within 2%). The platform (sim/platform.c) has two executor
 * hosts on 10 Gbit/s links with 100 us latency (B, L), one remote shuffle
 * service host on a 5 Gbit/s link with 50 us latency (Bs, Ls), and the
 * object store behind a link that never limits. A writer on exec-0 puts one
 * block of b = 10 MB (10 000 records of 1000 bytes) on each tier and waits
 * for the acknowledgement; a reader on exec-1 then asks for it. Requests
 * and acknowledgements are r = 100 bytes. CM02 without cross-traffic: a
 * message of m bytes takes the path's latencies plus m over its narrowest
 * link; a disk access takes the tier's latency plus b over its bandwidth.
 *
 *   write memory (own executor, loopback):  b/mem_w
 *   write SSD:                              ssd_lat + b/ssd_w
 *   write remote service:  (L+Ls) + (b+r)/Bs + svc_lat + b/svc_w + (L+Ls) + r/Bs
 *   write object store:    L + (b+r)/B + obj_lat + b/obj_w + L + r/B
 *   read from exec-0's memory, by exec-1:   2L + r/B + b/mem_r + 2L + (b+r)/B
 *   read from exec-0's SSD:                 2L + r/B + ssd_lat + b/ssd_r + 2L + (b+r)/B
 *   read remote:  (L+Ls) + r/Bs + svc_lat + b/svc_r + (L+Ls) + (b+r)/Bs
 *   read object:  L + r/B + obj_lat + b/obj_r + L + (b+r)/B
 * The simulation runs in a child process (SimGrid runs one engine per
 * process), which sends back what it measured. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>

#include <cmocka.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "engine/actors.h"
#include "sim_child.h"

#define RECORDS 10000
#define BPR 1000
#define REQ 100

typedef struct world {
    eng_topo_opts topo;
    eng_bus_opts bus;
    eng_driver_opts driver;
    eng_shuffle_policy policy; /* only its tiers matter: every tier, so the service is deployed */
    eng_run_opts o;
    eng_ctx ctx;
    struct {
        double wrote[ENG_TIERS], read[ENG_TIERS]; /* seconds */
        int ok;                                   /* every reply was the one expected */
    } got;
} world;

static world w;

static void start_server(rt_t *rt, const char *host, eng_tier first, eng_tier last, const char *chan) {
    eng_store_arg *a = malloc(sizeof *a);
    if (!a) abort();
    *a = (eng_store_arg){&w.ctx, first, last, ""};
    snprintf(a->chan, sizeof a->chan, "%s", chan);
    if (rt_spawn(rt, a->chan, host, eng_store_main, a) != 0) abort();
}

/* reducer r's block is reducer r; tier t's block goes to reducer t. */
static void writer(rt_t *rt, void *arg) {
    rt_chan_t *self = rt_chan_open(rt, "writer");
    rt_chan_listen(rt, self);
    for (int t = 0; t < ENG_TIERS; t++) {
        eng_msg *put = eng_msg_new(ENG_MSG_BLOCK_PUT);
        put->x = 1;
        put->reply = self;
        eng_msg_alloc_parts(put, ENG_TIERS);
        eng_msg_alloc_offs(put, ENG_TIERS);
        for (int r = 0; r < ENG_TIERS; r++) put->offs[r] = r == t ? (uint64_t)t : ENG_TIER_NONE;
        for (uint32_t i = 0; i < RECORDS; i++) eng_batch_push(&put->parts[t], &(eng_rec){.device = i});
        char chan[96];
        eng_store_chan(chan, sizeof chan, &w.o, (eng_tier)t, 0, 0, (uint32_t)t);
        rt_time_t t0 = rt_now(rt);
        rt_send(rt, rt_chan_open(rt, chan), put, (size_t)RECORDS * BPR + REQ);
        eng_msg *ack;
        rt_recv(rt, self, (void **)&ack);
        w.got.wrote[t] = rt_to_s(rt_now(rt) - t0);
        w.got.ok &= ack->type == ENG_MSG_BLOCK_ACK && ack->offs[t] == (uint64_t)t;
        eng_msg_free(ack);
    }
    rt_send(rt, rt_chan_open(rt, "reader"), eng_msg_new(ENG_MSG_TICK), 0);
}

static void reader(rt_t *rt, void *arg) {
    rt_chan_t *self = rt_chan_open(rt, "reader");
    rt_chan_listen(rt, self);
    eng_msg *go;
    rt_recv(rt, self, (void **)&go);
    eng_msg_free(go);
    for (int t = 0; t < ENG_TIERS; t++) {
        eng_msg *req = eng_msg_new(ENG_MSG_BLOCK_REQ);
        req->x = req->y = 1;
        req->a = (uint32_t)t;
        req->reply = self;
        char chan[96];
        eng_store__source_chan(chan, sizeof chan, &w.o, eng_store_source((eng_tier)t, 0, 0), (uint32_t)t);
        rt_time_t t0 = rt_now(rt);
        rt_send(rt, rt_chan_open(rt, chan), req, REQ);
        eng_msg *b;
        rt_recv(rt, self, (void **)&b);
        w.got.read[t] = rt_to_s(rt_now(rt) - t0);
        w.got.ok &= b->parts[0].n == RECORDS;
        eng_msg_free(b);
    }
    const char *chans[] = {"exec-0.0/blocks", "shuffle-0/blocks", "object-store/blocks"};
    for (int i = 0; i < 3; i++) rt_send(rt, rt_chan_open(rt, chans[i]), eng_msg_new(ENG_MSG_STOP), 0);
}

static void root(rt_t *rt, void *arg) {
    start_server(rt, "exec-0", ENG_TIER_MEMORY, ENG_TIER_LOCAL_SSD, "exec-0.0/blocks");
    start_server(rt, "shuffle-0", ENG_TIER_REMOTE, ENG_TIER_REMOTE, "shuffle-0/blocks");
    start_server(rt, ENG_HOST_OBJECT_STORE, ENG_TIER_OBJECT, ENG_TIER_OBJECT, "object-store/blocks");
    if (rt_spawn(rt, "reader", "exec-1", reader, NULL) != 0 ||
        rt_spawn(rt, "writer", "exec-0", writer, NULL) != 0)
        abort();
}

/* Runs the simulation in a child process; fills w.got. */
static void simulate(void) {
    w.got.ok = 1;
    assert_int_equal(sim_child_run(&w.topo, 2, 1, root, &w.got, sizeof w.got), 0);
    assert_true(w.got.ok);
}

static void near(const char *what, double got, double want) {
    printf("%-28s %10.6f s   hand %10.6f s\n", what, got, want);
    assert_true(fabs(got - want) <= 0.02 * want);
}

static void test_one_block_per_tier(void **state) {
    eng_topo_defaults(&w.topo);
    w.topo.sites = 1;
    w.topo.cloud = (eng_link_opts){1.25e9, 100 * RT_US};
    eng_store_opts *s = &w.topo.store;
    s->service_hosts = 1;
    s->service_bandwidth = 6.25e8;
    s->service_latency = 50 * RT_US;
    s->tier[ENG_TIER_MEMORY] = (eng_tier_opts){0, 0, 8e9, 6e9};
    s->tier[ENG_TIER_LOCAL_SSD] = (eng_tier_opts){20, 80 * RT_US, 2e9, 1e9};
    s->tier[ENG_TIER_REMOTE] = (eng_tier_opts){500, 120 * RT_US, 3e9, 1.5e9};
    s->tier[ENG_TIER_OBJECT] = (eng_tier_opts){0, 30 * RT_MS, 5e9, 4e9};
    eng_bus_defaults(&w.bus);
    w.bus.request_bytes = REQ;
    eng_driver_defaults(&w.driver);
    w.driver.shuffle_bytes_per_record = BPR;
    w.policy.tiers = 0xf;
    w.o = (eng_run_opts){.topo = &w.topo, .bus = &w.bus, .driver = &w.driver, .shuffle_policy = &w.policy};
    w.ctx = (eng_ctx){.o = &w.o};
    simulate();

    const double b = (double)RECORDS * BPR, r = REQ, B = 1.25e9, L = 100e-6, Bs = 6.25e8, Ls = 50e-6;
    const eng_tier_opts *T = s->tier;
    const double ssd_lat = 80e-6, svc_lat = 120e-6, obj_lat = 30e-3;
    near("write memory", w.got.wrote[ENG_TIER_MEMORY], b / T[ENG_TIER_MEMORY].write_bw);
    near("write local SSD", w.got.wrote[ENG_TIER_LOCAL_SSD], ssd_lat + b / T[ENG_TIER_LOCAL_SSD].write_bw);
    near("write remote service", w.got.wrote[ENG_TIER_REMOTE],
         2 * (L + Ls) + (b + 2 * r) / Bs + svc_lat + b / T[ENG_TIER_REMOTE].write_bw);
    near("write object store", w.got.wrote[ENG_TIER_OBJECT],
         2 * L + (b + 2 * r) / B + obj_lat + b / T[ENG_TIER_OBJECT].write_bw);
    near("read memory (other host)", w.got.read[ENG_TIER_MEMORY], 4 * L + (b + 2 * r) / B + b / T[0].read_bw);
    near("read local SSD (other host)", w.got.read[ENG_TIER_LOCAL_SSD],
         4 * L + (b + 2 * r) / B + ssd_lat + b / T[ENG_TIER_LOCAL_SSD].read_bw);
    near("read remote service", w.got.read[ENG_TIER_REMOTE],
         2 * (L + Ls) + (b + 2 * r) / Bs + svc_lat + b / T[ENG_TIER_REMOTE].read_bw);
    near("read object store", w.got.read[ENG_TIER_OBJECT],
         2 * L + (b + 2 * r) / B + obj_lat + b / T[ENG_TIER_OBJECT].read_bw);
}

int main(void) {
    const struct CMUnitTest tests[] = {cmocka_unit_test(test_one_block_per_tier)};
    return cmocka_run_group_tests(tests, NULL, NULL);
}
