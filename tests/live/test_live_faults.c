/* `sparkiot live` survives its Kafka broker being unreachable for a while:
 * the test owns the mock cluster, takes its broker down for 1.5 s once
 * readings flow (connections dropped, new ones refused), then brings it
 * back. The idempotent producer retries, the consumer resumes, and the
 * result still counts all 2 x 25 x 30 = 1500 readings in and out exactly
 * once, nothing queued or lost. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>

#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fixture.h"

#define TOTAL (2 * 25 * 30)

static void test_kafka_outage_mid_run(void **state) {
    fixture f;
    fixture_up(&f);
    char sublog[128];
    snprintf(sublog, sizeof sublog, "%s/sub.log", f.dir);
    /* a watcher that returns once readings flow (if it subscribes after the
     * first ones, later ones wake it: devices publish for 3 s) */
    char *sub[] = {"/usr/bin/mosquitto_sub", "-h", "127.0.0.1", "-p", f.port, "-t",
                   "sparkiot/+/+",           "-C", "1",         "-W", "30",   NULL};
    pid_t watcher = proc_spawn(sub, sublog);
    const char *extra[] = {"--kafka-config", "reconnect.backoff.max.ms=200", "--set", "drain=8s", NULL};
    pid_t pid = fixture_start_live(&f, extra);
    assert_int_equal(proc_wait(watcher, 30), 0);
    assert_int_equal(rd_kafka_mock_broker_set_down(f.cluster->mock, 1), 0);
    proc_nap_ms(1500);
    assert_int_equal(rd_kafka_mock_broker_set_up(f.cluster->mock, 1), 0);
    an_run_summary r;
    fixture_finish_live(&f, pid, 55, &r);
    assert_int_equal(r.s.readings_in, TOTAL);
    assert_int_equal(r.s.readings_out, TOTAL);
    assert_int_equal(r.s.readings_queued, 0);
    assert_int_equal(r.s.readings_lost, 0);
    fixture_down(&f);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_kafka_outage_mid_run),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
