/* An engine process killed with SIGKILL mid-run and started again. The
 * devices, edge and engine roles run as separate processes on an origin
 * the test gives them (--origin); live_small runs for 8 s here, 4000
 * readings. Once the engine has persisted at least two state records in
 * every partition, the test kills it, produces into the topic copies of
 * 50 readings it had committed (at-least-once delivery: an edge that sent
 * them again), and starts a new engine. The new one is assigned the
 * partitions when the dead member's session has expired, resumes each from
 * its latest state record — after the committed records, with their counts
 * and committed pairs — drops the copies, and its result counts all 4000
 * readings in and out exactly once. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>

#include <cmocka.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>

#include "engine/msg.h"
#include "fixture.h"

#define TOTAL (2 * 25 * 80)
#define COPIES 50

/* Whether every partition of the state topic holds at least n records. */
static int states_at_least(rd_kafka_t *rk, int64_t n) {
    for (int p = 0; p < 4; p++) {
        int64_t lo, hi;
        if (rd_kafka_query_watermark_offsets(rk, "sparkiot.live_small.state", p, &lo, &hi, 2000) ||
            hi - lo < n)
            return 0;
    }
    return 1;
}

/* Copies of the first reading of devices 0 .. COPIES-1, as their edge
 * produced them. */
static void produce_copies(fixture *f, int64_t origin) {
    char err[512];
    live_kafka_opts ko = {.bootstrap = f->cluster->bootstrap,
                          .topic = "sparkiot.live_small",
                          .partitions = 4,
                          .produce = 1,
                          .timeout_ms = 10000};
    live_kafka *k = live_kafka_open(&ko, err, sizeof err);
    if (!k) fail_msg("%s", err);
    for (uint32_t d = 0; d < COPIES; d++) {
        eng_rec r = eng_rec_raw((rt_time_t)d * RT_MS, d, 0, 0, 1.0, 0);
        assert_true(live_kafka_produce(k, eng_partition_of(d, 4), &r, origin) > 0);
    }
    rd_kafka_flush(k->producer, 10000);
    live_kafka_poll_producer(k);
    assert_int_equal(atomic_load(&k->delivered), COPIES);
    live_kafka_close(k, 0);
}

/* The engine's "kafka HOST:PORT: N consumed (M duplicates dropped" line. */
static void consumed_line(const char *out, long long *consumed, long long *dups) {
    *consumed = *dups = -1;
    for (const char *l = out; l && *l; l = strchr(l, '\n') ? strchr(l, '\n') + 1 : NULL)
        if (sscanf(l, "kafka %*s %lld consumed (%lld duplicates dropped", consumed, dups) == 2) return;
}

static void test_engine_killed_and_restarted(void **state) {
    fixture f;
    fixture_up(&f);
    int64_t origin = proc_epoch_ns() + 1500000000;
    char at[32];
    snprintf(at, sizeof at, "%lld", (long long)origin);
    const char *extra[] = {"--origin", at, "--set", "duration=8s", "--set", "drain=14s", NULL};
    pid_t eng = fixture_start_role(&f, "engine", "engineA", extra);
    pid_t dev = fixture_start_role(&f, "devices", "devices", extra);
    pid_t edge = fixture_start_role(&f, "edge", "edge", extra);

    char e[512];
    rd_kafka_conf_t *c = rd_kafka_conf_new();
    rd_kafka_conf_set(c, "bootstrap.servers", f.cluster->bootstrap, e, sizeof e);
    rd_kafka_t *watch = rd_kafka_new(RD_KAFKA_CONSUMER, c, e, sizeof e);
    assert_non_null(watch);
    int i = 0;
    while (!states_at_least(watch, 2) && i++ < 300) proc_nap_ms(50);
    rd_kafka_destroy(watch);
    assert_true(proc_epoch_ns() < origin + 8000000000LL); /* the devices are still publishing */
    kill(eng, SIGKILL);
    waitpid(eng, NULL, 0);
    produce_copies(&f, origin);
    pid_t again = fixture_start_role(&f, "engine", "engineB", extra);

    free(fixture_finish_role(&f, dev, "devices", 40, NULL));
    free(fixture_finish_role(&f, edge, "edge", 40, NULL));
    an_run_summary r;
    char *out = fixture_finish_role(&f, again, "engineB", 50, &r);
    long long consumed, dups;
    consumed_line(out, &consumed, &dups);
    free(out);
    assert_true(consumed > 0 && consumed < TOTAL); /* resumed after what the first engine committed */
    assert_true(dups >= COPIES);
    fixture_check_exactly_once(&r, TOTAL);
    fixture_down(&f);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_engine_killed_and_restarted),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
