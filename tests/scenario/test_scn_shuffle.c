/* Shuffle blocks lost with their executor (tests/scenario/data/
 * shuffle_loss.yaml): when the allocator may release executors that hold
 * blocks, the blocks a window still reads are lost and their map tasks are
 * re-run — and the reduce tasks still read every record exactly as often as
 * when nothing is lost. Each reduce task sums a hash of every record it
 * reads (of its own batch, and of its whole window); the sums over the run
 * must equal those of the same run where holders are kept, and of one where
 * every block lives in the remote shuffle service (which loses nothing). A
 * block recomputed twice or not at all would change the window sum. The
 * recomputation's slot time is priced at the executor's rate per slot
 * (4 x 0.052624 + 16 x 0.0057785 = $0.302952/h for 4 slots). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>

#include <cmocka.h>
#include <math.h>
#include <stdio.h>
#include <unistd.h>

#include "scn.h"

static void run(const char *release, const char *policy, an_run_summary *s) {
    char dir[64], out[128], set_release[64], set_policy[64];
    snprintf(set_release, sizeof set_release, "shuffle.release_holders=%s", release);
    snprintf(set_policy, sizeof set_policy, "shuffle.policy=%s", policy);
    const char *sets[] = {set_release, set_policy};
    scn_tmpdir(dir, sizeof dir);
    snprintf(out, sizeof out, "%s/run.h5", dir);
    scn_run("tests/scenario/data/shuffle_loss.yaml", sets, 2, 1, out, s);
    unlink(out);
    rmdir(dir);
    printf("%-5s %-14s lost %4llu recomputed %3llu (%.2f slot-s)  batches %llu  p50 %.0f ms  cost $%.5f\n",
           release, policy, (unsigned long long)s->s.shuffle_blocks_lost,
           (unsigned long long)s->s.recomputed_tasks, s->s.recompute_s, (unsigned long long)s->s.batches,
           s->s.latency_p50_ms, s->s.cost_usd);
    assert_int_equal(s->s.readings_lost, 0);
    assert_int_equal(s->s.readings_queued, 0);
    assert_int_equal(s->s.readings_out, s->s.readings_in);
}

static void test_lost_blocks_recomputed_exactly_once(void **state) {
    an_run_summary kept, released, remote;
    run("false", "memory_only", &kept);
    run("true", "memory_only", &released);
    run("true", "remote_service", &remote);
    assert_true(kept.s.shuffle_blocks_lost == 0 && kept.s.recomputed_tasks == 0);
    assert_true(released.s.shuffle_blocks_lost > 0);
    assert_true(released.s.recomputed_tasks > 0);
    assert_true(released.s.recomputed_tasks <= released.s.shuffle_blocks_lost);
    assert_true(remote.s.shuffle_blocks_lost == 0 && remote.s.recomputed_tasks == 0);
    assert_int_equal(released.s.batches, kept.s.batches);
    assert_int_equal(remote.s.batches, kept.s.batches);
    assert_true(released.s.shuffle_digest == kept.s.shuffle_digest);
    assert_true(released.s.window_digest == kept.s.window_digest);
    assert_true(remote.s.window_digest == kept.s.window_digest);
    assert_true(kept.s.window_digest != kept.s.shuffle_digest); /* windows do read older batches */
    assert_true(released.s.recompute_s > 0);
    double per_slot_s = (4 * 0.052624 + 16 * 0.0057785) / 4 / 3600;
    assert_true(fabs(released.s.recompute_usd - released.s.recompute_s * per_slot_s) < 1e-12);
}

int main(void) {
    const struct CMUnitTest tests[] = {cmocka_unit_test(test_lost_blocks_recomputed_exactly_once)};
    return cmocka_run_group_tests(tests, NULL, NULL);
}
