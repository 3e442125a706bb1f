/* The edge's anomaly detector in a whole simulated replay: NAB's
 * realTraffic/speed_6005 (experiments/scenarios/replay_nab_traffic.yaml)
 * replayed once, without noise or phase offsets, its 2500 rows (16.9 days
 * of trace, 2015-08-31 18:22 to 2015-09-17 16:24) at speedup 30000 (48.7
 * simulated seconds, within a 60 s run), to 2 devices on one site,
 * each gateway scoring a z-score detector (window 32, threshold 3). Each
 * device replays the series exactly, so the run's counts are twice those
 * of the series alone, which test_tr_detect.c's test_nab_trace checks
 * against a direct batch computation: per device 2468 readings scored
 * (2500 minus the 32 of warm-up), 239 labelled (TP + FN), TP 3, FP 15,
 * FN 236, one window, hit; NAB raw -0.8009 per device, so the normalised
 * score is 100 (2 raw + 2) / 4 = 50 (raw + 1). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>

#include <cmocka.h>
#include <math.h>
#include <stdio.h>
#include <unistd.h>

#include "scn.h"

static void test_replay_counts(void **unused) {
    const char *sets[] = {"topology.sites=1",
                          "workload.devices_per_site=2",
                          "workload.trace.loop=false",
                          "workload.trace.value_jitter=0",
                          "workload.trace.phase=0s",
                          "workload.trace.speedup=30000",
                          "duration=60s",
                          "drain=30s",
                          "edge.detect.method=zscore",
                          "edge.detect.window=32",
                          "edge.detect.threshold=3"};
    char dir[64], out[128];
    an_run_summary sum;
    scn_tmpdir(dir, sizeof dir);
    snprintf(out, sizeof out, "%s/detect.h5", dir);
    scn_run("experiments/scenarios/replay_nab_traffic.yaml", sets, sizeof sets / sizeof sets[0], 1, out,
            &sum);
    const eng_summary *s = &sum.s;
    assert_int_equal(s->readings_in, 2 * 2500);
    assert_int_equal(s->readings_lost, 0);
    assert_int_equal(s->detect_scored, 2 * 2468);
    assert_int_equal(s->detect_tp + s->detect_fn, 2 * 239);
    assert_int_equal(s->detect_tp, 2 * 3);
    assert_int_equal(s->detect_fp, 2 * 15);
    assert_int_equal(s->detect_tn, 2 * (2468 - 239 - 15));
    assert_int_equal(s->detect_windows, 2);
    assert_int_equal(s->detect_windows_hit, 2);
    assert_true(fabs(s->detect_precision - 3.0 / 18.0) < 1e-12);
    assert_true(fabs(s->detect_recall - 3.0 / 239.0) < 1e-12);
    assert_true(fabs(s->detect_nab_score - 50 * (1 - 0.8009)) < 0.01);
    unlink(out);
    rmdir(dir);
}

int main(void) {
    const struct CMUnitTest tests[] = {cmocka_unit_test(test_replay_counts)};
    return cmocka_run_group_tests(tests, NULL, NULL);
}
