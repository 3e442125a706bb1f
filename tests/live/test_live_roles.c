/* `sparkiot live` as separate role processes sharing the test's brokers:
 * an engine, the devices (which pick the run's origin 1 s ahead and
 * publish it retained), the edge gateways started 1 s after the origin,
 * and a second engine joining the consumer group mid-run. The edges find
 * the origin on MQTT and subscribe after the devices' first second of
 * readings (500) went out to nobody, so those arrive only because the
 * devices publish again what the edges did not acknowledge. The second engine's
 * arrival moves partitions between engines mid-stream: the new owner
 * resumes each from its state record. At the end the two engines' result
 * files, each covering the partitions it owns, add up to all 1500
 * readings in and out exactly once. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>

#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fixture.h"

/* The number after `prefix` in text, or -1. */
static long long number_after(const char *text, const char *prefix) {
    const char *p = strstr(text, prefix);
    return p ? strtoll(p + strlen(prefix), NULL, 10) : -1;
}

static void test_roles_and_a_second_engine(void **state) {
    fixture f;
    fixture_up(&f);
    /* librdkafka 2.0's mock coordinator ends a group's sync as soon as the
     * leader's assignment arrives, and refuses a follower's SyncGroup that
     * comes later (a real broker waits for it): the follower rejoins and
     * the group rebalances again. The leader asks for metadata before it
     * assigns, so 100 ms of round trip on every answer puts the follower
     * ahead even on a loaded machine, and short sessions make the rare
     * repeat quick. */
    assert_int_equal(rd_kafka_mock_broker_set_rtt(f.cluster->mock, 1, 100), 0);
    const char *extra[] = {"--set", "drain=16s", NULL};
    const char *engine[] = {"--set",
                            "drain=16s",
                            "--kafka-config",
                            "session.timeout.ms=3000",
                            "--kafka-config",
                            "heartbeat.interval.ms=300",
                            NULL};
    pid_t a = fixture_start_role(&f, "engine", "engineA", engine);
    pid_t dev = fixture_start_role(&f, "devices", "devices", extra);
    int64_t origin = fixture_origin(&f);
    while (proc_epoch_ns() < origin + 1000000000) proc_nap_ms(10);
    pid_t edge = fixture_start_role(&f, "edge", "edge", extra);
    while (proc_epoch_ns() < origin + 4000000000LL) proc_nap_ms(10);
    pid_t b = fixture_start_role(&f, "engine", "engineB", engine);

    char *out = fixture_finish_role(&f, dev, "devices", 40, NULL);
    assert_non_null(strstr(out, "1500 readings published, 1500 acknowledged by the edges"));
    assert_true(number_after(out, "acknowledged by the edges (") >= 500); /* the first second's, again */
    assert_int_equal(number_after(out, "run origin "), origin);
    free(out);
    out = fixture_finish_role(&f, edge, "edge", 40, NULL);
    assert_non_null(strstr(out, "1500 received at the edges"));
    assert_non_null(strstr(out, "1500 records produced, 1500 delivered, 8 end markers"));
    assert_int_equal(number_after(out, "run origin "), origin);
    free(out);
    an_run_summary ra, rb;
    char *outa = fixture_finish_role(&f, a, "engineA", 40, &ra);
    char *outb = fixture_finish_role(&f, b, "engineB", 40, &rb);
    assert_int_equal(number_after(outa, "run origin "), origin);
    long long pa = number_after(outa, ") in "), pb = number_after(outb, ") in ");
    if (pa < 1 || pb < 1 || pa + pb != 4)
        fail_msg("the engines own %lld and %lld partitions:\n%s\n%s", pa, pb, outa, outb);
    free(outa);
    free(outb);
    assert_true(ra.s.readings_out > 0 && rb.s.readings_out > 0);
    an_run_summary sum = ra;
    sum.s.readings_in += rb.s.readings_in;
    sum.s.readings_out += rb.s.readings_out;
    sum.s.bus_records += rb.s.bus_records;
    sum.s.readings_queued += rb.s.readings_queued;
    sum.s.readings_filtered += rb.s.readings_filtered;
    sum.s.readings_lost += rb.s.readings_lost;
    fixture_check_exactly_once(&sum, LIVE_SMALL_TOTAL);
    fixture_down(&f);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_roles_and_a_second_engine),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
