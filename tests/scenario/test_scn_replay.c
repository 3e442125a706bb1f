/* The recorded-trace replay end to end: experiments/scenarios/
 * replay_nab_traffic.yaml (NAB speed_6005 at speedup 300, 4 sites x 250
 * devices, phase offsets within 5 trace minutes) run for one simulated
 * minute, through the runner and through `sparkiot replay`. Every reading
 * that went in must come out (none lost), and the readings in must be the
 * rows replayed: Python (csv + datetime) found that speed_6005's rows lie
 * at +0, +600, ..., +14700 s (the 21st) and +18900 s (the 22nd) after its
 * first row; one simulated minute is 18000 trace seconds, so every copy,
 * whatever its offset in [0, 300 s), replays exactly 21 rows:
 * 21 x 1000 devices = 21000 readings. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>

#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include "scn.h"

#define SCENARIO "experiments/scenarios/replay_nab_traffic.yaml"

static void check(const an_run_summary *sum) {
    assert_int_equal(sum->s.readings_in, 21000);
    assert_int_equal(sum->s.readings_out, 21000);
    assert_int_equal(sum->s.readings_lost, 0);
    assert_int_equal(sum->s.readings_queued, 0);
}

static void test_runner(void **unused) {
    char dir[64], out[128];
    const char *sets[] = {"duration=60s", "drain=60s"};
    an_run_summary sum;
    scn_tmpdir(dir, sizeof dir);
    snprintf(out, sizeof out, "%s/replay.h5", dir);
    scn_run(SCENARIO, sets, 2, 1, out, &sum);
    check(&sum);
    unlink(out);
    rmdir(dir);
}

/* `sparkiot replay TRACE --scenario S` writes what `run` writes. */
static void test_cli(void **unused) {
    const char *bin = getenv("SPARKIOT_BIN"), *src = getenv("SPARKIOT_SOURCE_DIR");
    assert_non_null(bin);
    assert_non_null(src);
    char dir[64], cmd[8192], out[256], err[1024];
    scn_tmpdir(dir, sizeof dir);
    snprintf(cmd, sizeof cmd,
             "'%s' replay '%s/../shared/traces/nab/realTraffic/speed_6005.csv' --scenario '%s/" SCENARIO
             "' --format nab --seed 2 --out '%s' --set duration=60s > /dev/null 2>&1",
             bin, src, src, dir);
    if (system(cmd) != 0) fail_msg("failed: %s", cmd);
    snprintf(out, sizeof out, "%s/replay_nab_traffic/default/seed-2.h5", dir);
    an_run_summary sum;
    if (an_results_read_summary(out, &sum, err, sizeof err) != 0) fail_msg("%s", err);
    check(&sum);
    unlink(out);
    snprintf(cmd, sizeof cmd, "rm -r '%s'", dir);
    assert_int_equal(system(cmd), 0);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_runner),
        cmocka_unit_test(test_cli),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
