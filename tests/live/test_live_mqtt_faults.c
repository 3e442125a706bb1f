/* `sparkiot live` survives its MQTT broker failing mid-run. The test owns
 * the private mosquitto (no persistence: whatever it held in memory is
 * gone) and, once readings flow:
 * - kills it with SIGKILL and starts a new one on the same port at once:
 *   messages it had acknowledged to the devices but not yet delivered are
 *   lost with it, and the clients reconnect after their backoff;
 * - stops it (SIGTERM) and leaves the port closed for 3 s, so that the
 *   clients' reconnection attempts are refused before it comes back.
 * Either way the devices publish again what their edge did not acknowledge
 * end to end, the edges drop what arrives twice, and the result counts all
 * 2 x 25 x 30 = 1500 readings in and out exactly once: the edges' Kafka
 * records number 1500 too, nothing is queued or lost. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>

#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fixture.h"

static void restart_broker(fixture *f) {
    char err[512];
    if (live_mosquitto_start(&f->broker, f->broker.port, err, sizeof err) != 0) fail_msg("%s", err);
}

/* Runs live_small through `fault`, which takes the broker down and brings
 * it back, and checks the result. */
static void run_through(void (*fault)(fixture *f)) {
    fixture f;
    fixture_up(&f);
    const char *extra[] = {"--set", "drain=10s", NULL};
    pid_t pid = fixture_start_live(&f, extra);
    fixture_wait_readings(&f);
    proc_nap_ms(300);
    fault(&f);
    an_run_summary r;
    fixture_finish_live(&f, pid, 55, &r);
    char *out = proc_slurp(f.log);
    assert_non_null(strstr(out, "1500 readings published, 1500 acknowledged by the edges"));
    free(out);
    fixture_check_exactly_once(&r, LIVE_SMALL_TOTAL);
    fixture_down(&f);
}

static void kill_and_restart(fixture *f) {
    live_mosquitto_kill(&f->broker);
    restart_broker(f);
}

static void down_for_3s(fixture *f) {
    live_mosquitto_stop(&f->broker, 1);
    proc_nap_ms(3000);
    restart_broker(f);
}

static void test_broker_killed_and_restarted(void **state) { run_through(kill_and_restart); }
static void test_broker_down_for_3s(void **state) { run_through(down_for_3s); }

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_broker_killed_and_restarted),
        cmocka_unit_test(test_broker_down_for_3s),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
