/* The wall-clock runtime under real threads: channels keep each sender's
 * order and lose or duplicate nothing under concurrent senders, receives
 * block until a send and never before, sleeps never return early, the run
 * ends only when every descendant actor has ended, per-actor streams are
 * the documented (seed, name) derivation, and the engine's ticker keeps its
 * schedule on the wall clock. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>

#include <cmocka.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "actor_check.h"
#include "engine/actors.h"
#include "live/rt_live.h"

#define SENDERS 4
#define PER_SENDER 20000

static live_clock clk;

static void run(rt_actor_fn fn, void *arg, live_free_fn leftover) {
    char err[256];
    actor_check_reset();
    live_clock_start(&clk);
    assert_int_equal(live_rt_run(&clk, 7, "host", fn, arg, leftover, err, sizeof err), 0);
    actor_check_result();
}

static void sender(rt_t *rt, void *arg) {
    uintptr_t id = (uintptr_t)arg;
    rt_chan_t *c = rt_chan_open(rt, "sink");
    for (uintptr_t i = 0; i < PER_SENDER; i++) rt_send(rt, c, (void *)(id << 32 | (i + 1)), 0);
}

static void fifo_root(rt_t *rt, void *arg) {
    rt_chan_t *c = rt_chan_open(rt, "sink");
    rt_chan_listen(rt, c);
    CHECK(c == rt_chan_open(rt, "sink"));
    for (uintptr_t s = 0; s < SENDERS; s++) CHECK(rt_spawn(rt, "sender", "h", sender, (void *)s) == 0);
    uint64_t next[SENDERS] = {0};
    for (int i = 0; i < SENDERS * PER_SENDER; i++) {
        void *m;
        rt_recv(rt, c, &m);
        uintptr_t v = (uintptr_t)m, s = v >> 32, k = v & 0xffffffffu;
        CHECK(s < SENDERS);
        CHECK(k == next[s] + 1); /* each sender's order, nothing lost or repeated */
        next[s] = k;
    }
    void *m;
    CHECK(rt_try_recv(rt, c, &m) == RT_TIMEOUT);
    *(int *)arg = 1;
}

static void test_fifo_under_concurrent_senders(void **state) {
    int done = 0;
    run(fifo_root, &done, NULL);
    assert_int_equal(done, 1);
}

static void late_sender(rt_t *rt, void *arg) {
    rt_sleep_until(rt, 60 * RT_MS);
    rt_send(rt, rt_chan_open(rt, "late"), arg, 0);
}

static void block_root(rt_t *rt, void *arg) {
    rt_chan_t *c = rt_chan_open(rt, "late");
    void *m;
    CHECK(rt_try_recv(rt, c, &m) == RT_TIMEOUT);
    CHECK(rt_spawn(rt, "late", "h", late_sender, arg) == 0);
    rt_recv(rt, c, &m);
    CHECK(m == arg);
    CHECK(rt_now(rt) >= 60 * RT_MS); /* not before the send */
    rt_time_t before = rt_now(rt);
    rt_sleep(rt, 25 * RT_MS);
    rt_time_t slept = rt_now(rt) - before;
    CHECK(slept >= 25 * RT_MS);
    CHECK(slept < 2 * RT_S);
    rt_time_t t = rt_now(rt);
    rt_sleep_until(rt, t - RT_MS); /* the past: returns at once */
    CHECK(rt_now(rt) - t < RT_S);
}

static void test_recv_blocks_until_send_and_sleep_is_not_early(void **state) {
    int token = 0;
    run(block_root, &token, NULL);
}

static atomic_int ended;

static void leaf(rt_t *rt, void *arg) {
    rt_sleep(rt, 20 * RT_MS);
    atomic_fetch_add(&ended, 1);
}

static void middle(rt_t *rt, void *arg) {
    for (int i = 0; i < 3; i++) CHECK(rt_spawn(rt, "leaf", "h", leaf, NULL) == 0);
    atomic_fetch_add(&ended, 1);
}

static void tree_root(rt_t *rt, void *arg) {
    for (int i = 0; i < 4; i++) CHECK(rt_spawn(rt, "middle", "h", middle, NULL) == 0);
}

static void test_run_ends_after_every_descendant(void **state) {
    atomic_store(&ended, 0);
    run(tree_root, NULL, NULL);
    assert_int_equal(atomic_load(&ended), 4 + 4 * 3);
}

static void rng_root(rt_t *rt, void *arg) {
    gsl_rng *want = rt_rng_derive(7, "root");
    for (int i = 0; i < 5; i++) CHECK(gsl_rng_get(rt_rng(rt)) == gsl_rng_get(want));
    gsl_rng_free(want);
    CHECK(!strcmp(rt->name, "root"));
    CHECK(!strcmp(rt->host, "host"));
}

static void test_rng_is_seed_and_name(void **state) { run(rng_root, NULL, NULL); }

static int freed;
static void count_free(void *m) { freed += (int)(uintptr_t)m; }

static void leftover_root(rt_t *rt, void *arg) {
    rt_chan_t *c = rt_chan_open(rt, "nobody");
    for (uintptr_t i = 1; i <= 40; i++) rt_send(rt, c, (void *)i, 0);
}

static void test_leftover_messages_are_handed_back(void **state) {
    freed = 0;
    run(leftover_root, NULL, count_free);
    assert_int_equal(freed, 40 * 41 / 2);
}

static void ticker_root(rt_t *rt, void *arg) {
    rt_chan_t *self = rt_chan_open(rt, "owner");
    eng_ticker_start(rt, "ticker", self, ENG_TICK_SAMPLE, 30 * RT_MS, 30 * RT_MS, 150 * RT_MS);
    for (int i = 1; i <= 5; i++) {
        eng_msg *m;
        rt_recv(rt, self, (void **)&m);
        CHECK(m->type == ENG_MSG_TICK);
        CHECK(m->t == i * 30 * RT_MS);
        CHECK(rt_now(rt) >= m->t);
        eng_msg_free(m);
    }
}

static void test_engine_ticker_keeps_schedule(void **state) { run(ticker_root, NULL, NULL); }

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_fifo_under_concurrent_senders),
        cmocka_unit_test(test_recv_blocks_until_send_and_sleep_is_not_early),
        cmocka_unit_test(test_run_ends_after_every_descendant),
        cmocka_unit_test(test_rng_is_seed_and_name),
        cmocka_unit_test(test_leftover_messages_are_handed_back),
        cmocka_unit_test(test_engine_ticker_keeps_schedule),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
