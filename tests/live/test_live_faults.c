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

#include "analysis/results.h"
#include "live/kafka.h"
#include "live/mqtt.h"
#include "proc.h"

#define TOTAL (2 * 25 * 30)

static void test_kafka_outage_mid_run(void **state) {
    const char *bin = getenv("SPARKIOT_BIN"), *src = getenv("SPARKIOT_SOURCE_DIR");
    assert_non_null(bin);
    assert_non_null(src);
    char err[512], dir[] = "/tmp/sparkiot-live-faults-XXXXXX";
    assert_non_null(mkdtemp(dir));
    live_mosquitto broker = {0};
    if (live_mosquitto_start(&broker, 0, err, sizeof err) != 0) fail_msg("%s", err);
    live_kafka_opts ko = {.topic = "sparkiot.live_small", .partitions = 4, .timeout_ms = 10000};
    live_kafka *cluster = live_kafka_open(&ko, err, sizeof err);
    if (!cluster) fail_msg("%s", err);

    char scen[1024], mqtt[64], port[16], log[128], sublog[128];
    snprintf(scen, sizeof scen, "%s/tests/live/data/live_small.yaml", src);
    snprintf(mqtt, sizeof mqtt, "127.0.0.1:%d", broker.port);
    snprintf(port, sizeof port, "%d", broker.port);
    snprintf(log, sizeof log, "%s/live.log", dir);
    snprintf(sublog, sizeof sublog, "%s/sub.log", dir);
    /* a watcher that returns once readings flow (if it subscribes after the
     * first ones, later ones wake it: devices publish for 3 s) */
    char *sub[] = {"/usr/bin/mosquitto_sub", "-h", "127.0.0.1", "-p", port, "-t",
                   "sparkiot/+/+",           "-C", "1",         "-W", "30", NULL};
    pid_t watcher = proc_spawn(sub, sublog);
    char *argv[] = {(char *)bin,
                    "live",
                    scen,
                    "--mqtt",
                    mqtt,
                    "--kafka",
                    cluster->bootstrap,
                    "--kafka-config",
                    "reconnect.backoff.max.ms=200",
                    "--set",
                    "drain=8s",
                    "--out",
                    dir,
                    NULL};
    pid_t pid = proc_spawn(argv, log);
    assert_int_equal(proc_wait(watcher, 30), 0);
    assert_int_equal(rd_kafka_mock_broker_set_down(cluster->mock, 1), 0);
    proc_nap_ms(1500);
    assert_int_equal(rd_kafka_mock_broker_set_up(cluster->mock, 1), 0);
    int rc = proc_wait(pid, 55);
    char *out = proc_slurp(log);
    if (rc != 0) fail_msg("sparkiot live exited %d:\n%s", rc, out);
    free(out);

    char path[1024];
    snprintf(path, sizeof path, "%s/live_small/default/seed-11.h5", dir);
    an_run_summary r;
    if (an_results_read_summary(path, &r, err, sizeof err) != 0) fail_msg("%s", err);
    assert_int_equal(r.s.readings_in, TOTAL);
    assert_int_equal(r.s.readings_out, TOTAL);
    assert_int_equal(r.s.readings_queued, 0);
    assert_int_equal(r.s.readings_lost, 0);

    live_kafka_close(cluster, 0);
    live_mosquitto_stop(&broker, 0);
    char cmd[256];
    snprintf(cmd, sizeof cmd, "rm -rf %s", dir);
    assert_int_equal(system(cmd), 0);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_kafka_outage_mid_run),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
