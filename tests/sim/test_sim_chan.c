/* Channels on SimGrid (sim/chan.c) under bursts: a listener keeps only a
 * few receives posted while it waits, yet every transfer must start when its
 * message is sent and the listener must take every message when it arrives.
 * Senders on exec-0 send to a listener on the driver host; the path is
 * exec-0's cloud link up and the driver's down (bandwidth B, latency L
 * each), and CM02 without cross-traffic shares each link equally among the
 * transfers on it.
 *
 * - N messages of m bytes at t = 1 s: all arrive at 1 s + 2L + N m / B
 *   (within 2%). Had the transfers beyond the posted receives waited for the
 *   listener to post more, they would arrive at least 2L later.
 * - four messages of m bytes, then one of s bytes, at t = 1 s: the four take
 *   the posted receives, the small one arrives first, at 1 s + 2L + 5 s / B
 *   (all five share the links until then), and must be taken then, not when
 *   the first big one arrives.
 * Each simulation runs in a child process (SimGrid runs one engine per
 * process), which sends back the arrival times. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>

#include <cmocka.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

#include "engine/actors.h"
#include "sim_child.h"

#define N 50
#define BYTES 1000000
#define B 1.25e9
#define L (100 * RT_US)
#define SMALL 1000
#define BURST_AT RT_S

static eng_topo_opts topo;
static int count;            /* messages in this test's burst */
static size_t size[N];       /* of message i, sent i-th */
static rt_time_t arrival[N]; /* of message i */

static void sender(rt_t *rt, void *arg) {
    eng_msg *m = eng_msg_new(ENG_MSG_TICK);
    m->x = (uint64_t)(uintptr_t)arg;
    rt_send(rt, rt_chan_open(rt, "sink"), m, size[m->x]);
}

static void sink(rt_t *rt, void *arg) {
    rt_chan_t *self = rt_chan_open(rt, "sink");
    rt_chan_listen(rt, self);
    for (int i = 0; i < count; i++) {
        eng_msg *m;
        rt_recv(rt, self, (void **)&m);
        arrival[m->x] = rt_now(rt);
        eng_msg_free(m);
    }
}

/* Senders run in the order they are spawned, so message i is sent i-th. */
static void root(rt_t *rt, void *arg) {
    if (rt_spawn(rt, "sink", ENG_HOST_DRIVER, sink, NULL) != 0) abort();
    rt_sleep_until(rt, BURST_AT);
    for (int i = 0; i < count; i++) {
        char name[32];
        snprintf(name, sizeof name, "sender-%d", i);
        if (rt_spawn(rt, name, "exec-0", sender, (void *)(uintptr_t)i) != 0) abort();
    }
}

static void simulate(void) { assert_int_equal(sim_child_run(&topo, 1, 1, root, arrival, sizeof arrival), 0); }

static void setup_burst(int n) {
    eng_topo_defaults(&topo);
    topo.sites = 1;
    topo.cloud = (eng_link_opts){B, L};
    count = n;
    for (int i = 0; i < n; i++) size[i] = BYTES;
}

static void test_burst_transfers_start_when_sent(void **state) {
    setup_burst(N);
    simulate();
    double hand = 2 * rt_to_s(L) + N * (double)BYTES / B;
    for (int i = 0; i < N; i++) {
        double got = rt_to_s(arrival[i] - BURST_AT);
        printf("message %2d: %.6f s after the burst, hand %.6f s\n", i, got, hand);
        assert_true(got > 0.98 * hand && got < 1.02 * hand);
    }
}

static void test_unwatched_message_taken_on_arrival(void **state) {
    setup_burst(5);
    size[4] = SMALL;
    simulate();
    double hand = 2 * rt_to_s(L) + 5 * (double)SMALL / B, got = rt_to_s(arrival[4] - BURST_AT);
    printf("small message: %.6f s after the burst, hand %.6f s\n", got, hand);
    assert_true(got > 0.98 * hand && got < 1.02 * hand);
    for (int i = 0; i < 4; i++) assert_true(arrival[i] > arrival[4]);
}

int main(void) {
    const struct CMUnitTest tests[] = {cmocka_unit_test(test_burst_transfers_start_when_sent),
                                       cmocka_unit_test(test_unwatched_message_taken_on_arrival)};
    return cmocka_run_group_tests(tests, NULL, NULL);
}
