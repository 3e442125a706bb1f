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

#include "fixture.h"

static void test_kafka_outage_mid_run(void **state) {
    fixture f;
    fixture_up(&f);
    const char *extra[] = {"--kafka-config", "reconnect.backoff.max.ms=200", "--set", "drain=8s", NULL};
    pid_t pid = fixture_start_live(&f, extra);
    fixture_wait_readings(&f);
    assert_int_equal(rd_kafka_mock_broker_set_down(f.cluster->mock, 1), 0);
    proc_nap_ms(1500);
    assert_int_equal(rd_kafka_mock_broker_set_up(f.cluster->mock, 1), 0);
    an_run_summary r;
    fixture_finish_live(&f, pid, 55, &r);
    fixture_check_exactly_once(&r, LIVE_SMALL_TOTAL);
    fixture_down(&f);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_kafka_outage_mid_run),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
