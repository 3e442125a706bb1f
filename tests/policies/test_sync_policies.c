/* The sync policies on scripted observations, each decision worked out by
 * hand from the policy's rule (policies/sync_*.c, docs/sync.md), and the
 * registry that finds them by YAML name. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>

#include <cmocka.h>
#include <string.h>

#include "policies/sync.h"

static eng_sync_opts opts(void) {
    eng_sync_opts o;
    eng_sync_defaults(&o); /* interval 1 s, tick 100 ms, batch 1400 B, max backoff 8 s */
    return o;
}

/* One delta owed, sent `since` ago (RT_FOREVER: never), at time `now`. */
static eng_sync_obs owed(rt_time_t now, rt_time_t since, uint32_t unsent, uint32_t outstanding) {
    eng_sync_obs b = {.now = now,
                      .since_send = since,
                      .pending = 1,
                      .pending_bytes = 300,
                      .unsent = unsent,
                      .unsent_bytes = unsent ? 300 : 0,
                      .acks_outstanding = outstanding,
                      .link_latency = 20 * RT_MS};
    return b;
}

static eng_sync_action ask(const char *name, const eng_sync_obs *b) {
    const eng_sync_policy *p = pol_sync_find(name);
    assert_non_null(p);
    eng_sync_opts o = opts();
    return p->decide(&o, b);
}

static void test_nothing_owed_waits(void **unused) {
    eng_sync_obs idle = {.now = 5 * RT_S, .since_send = RT_FOREVER, .timer = 1};
    for (const char *const *n = pol_sync_names; *n; n++) assert_int_equal(ask(*n, &idle), ENG_SYNC_WAIT);
}

/* Rounds happen on timer ticks that reach a multiple of the 1 s interval
 * (the default tick is 100 ms), whatever the updates do. */
static void test_periodic(void **unused) {
    eng_sync_obs b = owed(3000 * RT_MS, RT_FOREVER, 1, 0);
    b.timer = 1;
    assert_int_equal(ask("periodic", &b), ENG_SYNC_SEND_DELTA); /* the tick at 3 s */
    b.timer = 0;
    assert_int_equal(ask("periodic", &b), ENG_SYNC_WAIT); /* an update at 3 s waits for the next round */
    b = owed(3100 * RT_MS, 100 * RT_MS, 1, 1);
    b.timer = 1;
    assert_int_equal(ask("periodic", &b), ENG_SYNC_WAIT); /* the tick after: same period */
    b = owed(4000 * RT_MS, RT_S, 0, 1);
    b.timer = 1;
    assert_int_equal(ask("periodic", &b), ENG_SYNC_SEND_DELTA); /* resend what is unacknowledged */
    eng_sync_obs st = {.now = 5 * RT_S, .since_send = RT_S, .need_state = 1, .timer = 1};
    assert_int_equal(ask("periodic", &st), ENG_SYNC_SEND_DELTA); /* the protocol turns it into a state */
    eng_sync_opts o = opts();
    o.tick = 300 * RT_MS; /* ticks at 0.9 s and 1.2 s: the round falls on 1.2 s */
    b = owed(900 * RT_MS, RT_FOREVER, 1, 0);
    b.timer = 1;
    assert_int_equal(pol_sync_find("periodic")->decide(&o, &b), ENG_SYNC_WAIT);
    b.now = 1200 * RT_MS;
    assert_int_equal(pol_sync_find("periodic")->decide(&o, &b), ENG_SYNC_SEND_DELTA);
}

static void test_eager(void **unused) {
    eng_sync_obs b = owed(2300 * RT_MS, 10 * RT_MS, 1, 3);
    assert_int_equal(ask("eager", &b), ENG_SYNC_SEND_DELTA); /* a new delta leaves at once */
    b = owed(2300 * RT_MS, 999 * RT_MS, 0, 1);
    assert_int_equal(ask("eager", &b), ENG_SYNC_WAIT); /* in flight, under the 1 s timeout */
    b = owed(2300 * RT_MS, RT_S, 0, 1);
    assert_int_equal(ask("eager", &b), ENG_SYNC_SEND_DELTA); /* retransmission */
}

static void test_adaptive(void **unused) {
    eng_sync_obs b = owed(RT_S, 5 * RT_MS, 1, 0);
    assert_int_equal(ask("adaptive", &b), ENG_SYNC_SEND_DELTA); /* idle link: no delay */
    /* one send in flight: timeout max(4 x 20 ms, 1 s / 10) = 100 ms */
    b = owed(RT_S, 99 * RT_MS, 1, 1);
    assert_int_equal(ask("adaptive", &b), ENG_SYNC_WAIT); /* Nagle: the new delta waits for the ack */
    b = owed(RT_S, 100 * RT_MS, 1, 1);
    assert_int_equal(ask("adaptive", &b), ENG_SYNC_SEND_DELTA);
    b.since_send = 10 * RT_MS;
    b.unsent_bytes = 1400;
    assert_int_equal(ask("adaptive", &b), ENG_SYNC_SEND_DELTA); /* a full batch leaves at once */
    /* three unanswered sends: 100 ms doubled twice */
    b = owed(RT_S, 399 * RT_MS, 0, 3);
    assert_int_equal(ask("adaptive", &b), ENG_SYNC_WAIT);
    b.since_send = 400 * RT_MS;
    assert_int_equal(ask("adaptive", &b), ENG_SYNC_SEND_DELTA);
    /* a slower link: 4 x 80 ms = 320 ms */
    b = owed(RT_S, 319 * RT_MS, 0, 1);
    b.link_latency = 80 * RT_MS;
    assert_int_equal(ask("adaptive", &b), ENG_SYNC_WAIT);
    b.since_send = 320 * RT_MS;
    assert_int_equal(ask("adaptive", &b), ENG_SYNC_SEND_DELTA);
    /* a long partition: the backoff stops at max_backoff */
    b = owed(RT_S, 7999 * RT_MS, 0, 40);
    assert_int_equal(ask("adaptive", &b), ENG_SYNC_WAIT);
    b.since_send = 8 * RT_S;
    assert_int_equal(ask("adaptive", &b), ENG_SYNC_SEND_DELTA);
}

static void test_full_state(void **unused) {
    eng_sync_obs b = owed(2000 * RT_MS, RT_FOREVER, 1, 0);
    b.timer = 1;
    assert_int_equal(ask("full_state", &b), ENG_SYNC_SEND_STATE);
    b.now = 2900 * RT_MS;
    assert_int_equal(ask("full_state", &b), ENG_SYNC_WAIT);
    b.now = 3000 * RT_MS;
    b.timer = 0;
    assert_int_equal(ask("full_state", &b), ENG_SYNC_WAIT);
    b.timer = 1;
    assert_int_equal(ask("full_state", &b), ENG_SYNC_SEND_STATE);
}

static void test_registry(void **unused) {
    const eng_sync_policy *const *all = pol_sync_all();
    size_t n = 0;
    for (; all[n]; n++) {
        assert_int_equal(all[n]->abi, ENG_SYNC_POLICY_ABI);
        assert_string_equal(all[n]->name, pol_sync_names[n]); /* the schema reads the name as this index */
        assert_ptr_equal(pol_sync_find(all[n]->name), all[n]);
    }
    assert_int_equal(n, 4);
    assert_null(pol_sync_names[n]);
    assert_null(pol_sync_find("gossip"));
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_nothing_owed_waits),
        cmocka_unit_test(test_periodic),
        cmocka_unit_test(test_eager),
        cmocka_unit_test(test_adaptive),
        cmocka_unit_test(test_full_state),
        cmocka_unit_test(test_registry),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
