/* Actors on SimGrid (sim/rt_sim.c): the backend reuses the SimGrid actor of
 * a function that has returned for the next spawn on the same host, and
 * retires it after some reuses. None of that may show: every spawned
 * function must start at its spawn time, under its own name, with the
 * random stream rt_rng_derive gives that name, and its last message must
 * cross the network as any other. Workers on exec-0 each compute FLOPS,
 * write m bytes to the local SSD and then send m bytes to a collector on the driver host, which stamps the
 * arrival. CM02 without cross-traffic: the transfer takes the two cloud
 * links' latencies plus m over their bandwidth.
 *
 * - one at a time: 150 workers spawned 10 ms apart, each finished before the
 *   next starts, so nearly all run on a reused actor (and several actors
 *   retire);
 * - the last worker also sends to a channel nobody listens on, which the
 *   collector reads at t = 5 s: the transfer starts then, while the worker's
 *   actor is idle;
 * - bursts: 20 workers spawned at once at t = 2 s (mostly new actors), then
 *   20 more at t = 3 s (reused ones), worker i sleeping i ms first: the
 *   second burst's times must be the first's plus exactly 1 s.
 * The simulation runs in a child process (SimGrid runs one engine per
 * process), which sends back what it measured. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>

#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "engine/actors.h"
#include "sim_child.h"

#define SEQ 150
#define BURST 20
#define WORKERS (SEQ + 2 * BURST)
#define BYTES 125000
#define FLOPS 1e6
#define SEED 7
#define LATE (5 * RT_S)

typedef struct seen {
    rt_time_t start, sent, arrival;
    unsigned long draw;
    char name[64];
} seen;

static eng_topo_opts topo;
static seen got[WORKERS + 1]; /* the last: the last worker's second message, read at LATE */

typedef struct job {
    int k;
    rt_time_t sleep;
} job;

static void worker(rt_t *rt, void *arg) {
    job *j = arg;
    seen *s = &got[j->k];
    s->start = rt_now(rt);
    s->draw = gsl_rng_get(rt_rng(rt));
    snprintf(s->name, sizeof s->name, "%s", rt->name);
    if (j->sleep) rt_sleep(rt, j->sleep);
    rt_compute(rt, FLOPS);
    rt_io(rt, eng_store_tier(ENG_TIER_LOCAL_SSD)->device, BYTES, 1);
    s->sent = rt_now(rt);
    eng_msg *m = eng_msg_new(ENG_MSG_TICK);
    m->x = (uint64_t)j->k;
    rt_send(rt, rt_chan_open(rt, "collector"), m, BYTES);
    if (j->k == WORKERS - 1) rt_send(rt, rt_chan_open(rt, "late"), eng_msg_new(ENG_MSG_TICK), BYTES);
    free(j);
}

static void collector(rt_t *rt, void *arg) {
    rt_chan_t *self = rt_chan_open(rt, "collector");
    rt_chan_listen(rt, self);
    for (int i = 0; i < WORKERS; i++) {
        eng_msg *m;
        rt_recv(rt, self, (void **)&m);
        got[m->x].arrival = rt_now(rt);
        eng_msg_free(m);
    }
    rt_sleep_until(rt, LATE);
    eng_msg *m;
    rt_recv(rt, rt_chan_open(rt, "late"), (void **)&m);
    got[WORKERS].arrival = rt_now(rt);
    eng_msg_free(m);
}

static void spawn(rt_t *rt, int k, rt_time_t sleep) {
    job *j = malloc(sizeof *j);
    if (!j) abort();
    *j = (job){k, sleep};
    char name[64];
    snprintf(name, sizeof name, "worker-%d", k);
    if (rt_spawn(rt, name, "exec-0", worker, j) != 0) abort();
}

static void root(rt_t *rt, void *arg) {
    if (rt_spawn(rt, "collector", ENG_HOST_DRIVER, collector, NULL) != 0) abort();
    for (int k = 0; k < SEQ; k++) {
        rt_sleep_until(rt, k * 10 * RT_MS);
        spawn(rt, k, 0);
    }
    for (int round = 0; round < 2; round++) {
        rt_sleep_until(rt, (rt_time_t)(2 + round) * RT_S);
        for (int i = 0; i < BURST; i++) spawn(rt, SEQ + round * BURST + i, (rt_time_t)i * RT_MS);
    }
}

static void simulate(void) { assert_int_equal(sim_child_run(&topo, 1, SEED, root, got, sizeof got), 0); }

static void setup_once(void) {
    static int done;
    if (done) return;
    eng_topo_defaults(&topo);
    topo.sites = 1;
    topo.cloud = (eng_link_opts){1.25e9, 100 * RT_US};
    simulate();
    done = 1;
}

static void test_each_function_starts_on_time_as_itself(void **state) {
    setup_once();
    for (int k = 0; k < WORKERS; k++) {
        char name[64];
        snprintf(name, sizeof name, "worker-%d", k);
        assert_string_equal(got[k].name, name);
        gsl_rng *r = rt_rng_derive(SEED, name);
        assert_non_null(r);
        assert_int_equal(got[k].draw, gsl_rng_get(r));
        gsl_rng_free(r);
        rt_time_t want = k < SEQ ? k * 10 * RT_MS : (k < SEQ + BURST ? 2 : 3) * RT_S;
        assert_int_equal(got[k].start, want);
    }
}

static void test_last_messages_cross_the_network(void **state) {
    setup_once();
    double hand = 2 * 100e-6 + BYTES / 1.25e9;
    for (int k = 0; k < SEQ; k++) {
        double transit = rt_to_s(got[k].arrival - got[k].sent);
        assert_true(transit > 0.98 * hand && transit < 1.02 * hand);
        assert_int_equal(got[k].arrival - got[k].start, got[0].arrival - got[0].start);
    }
    /* Nobody listens on "late": the transfer starts when the collector asks,
     * long after the last worker returned and its actor went idle. */
    double late = rt_to_s(got[WORKERS].arrival - LATE);
    assert_true(late > 0.98 * hand && late < 1.02 * hand);
}

static void test_reused_burst_matches_new_burst(void **state) {
    setup_once();
    for (int i = 0; i < BURST; i++) {
        const seen *a = &got[SEQ + i], *b = &got[SEQ + BURST + i];
        assert_int_equal(b->start - a->start, RT_S);
        assert_int_equal(b->arrival - a->arrival, RT_S);
    }
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_each_function_starts_on_time_as_itself),
        cmocka_unit_test(test_last_messages_cross_the_network),
        cmocka_unit_test(test_reused_burst_matches_new_burst),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
