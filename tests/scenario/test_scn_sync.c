/* Edge-cloud state sync end to end in simulation (experiments/scenarios/
 * edge_sync.yaml, shortened): under 30% message loss and a partition longer
 * than the delta buffer's patience, every sync policy still leaves every
 * edge replica equal to the cloud's once the network heals; no update
 * becomes visible sooner than the one-way link latency allows; with eager
 * sync on a quiet link the median edge-to-cloud visibility is that latency
 * plus a few hundred microseconds of transmission; and a sync run is
 * deterministic per seed. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>

#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "scn.h"

#define SCENARIO "experiments/scenarios/edge_sync.yaml"
#define ONE_WAY_MS 20.1 /* topology.wan.latency 20 ms + topology.cloud.latency 100 us */

static void run(const char *policy, const char *loss, const char *parts, unsigned long long seed,
                const char *path, an_run_summary *s) {
    char p[64], l[64], c[96];
    snprintf(p, sizeof p, "sync.policy=%s", policy);
    snprintf(l, sizeof l, "sync.loss=%s", loss);
    snprintf(c, sizeof c, "sync.partitions=%s", parts);
    const char *sets[] = {"duration=60s", "drain=15s", p, l, c};
    scn_run(SCENARIO, sets, 5, seed, path, s);
}

static void hists(const char *path, eng_hist *up, eng_hist *down) {
    char err[1024];
    if (an_results_read_sync_hist(path, 0, up, err, sizeof err) != 0) fail_msg("%s", err);
    if (an_results_read_sync_hist(path, 1, down, err, sizeof err) != 0) fail_msg("%s", err);
}

static void test_lossy_partitioned_converges(void **unused) {
    static const char *const policies[] = {"periodic", "eager", "adaptive", "full_state"};
    char dir[64], path[128];
    scn_tmpdir(dir, sizeof dir);
    eng_hist *up = malloc(sizeof *up), *down = malloc(sizeof *down);
    for (int i = 0; i < 4; i++) {
        snprintf(path, sizeof path, "%s/%s.h5", dir, policies[i]);
        an_run_summary s;
        /* 25 s cut, longer than full_after (20 s): deltas expire, states follow */
        run(policies[i], "0.3", "all@20s-45s", 3, path, &s);
        const eng_summary *m = &s.s;
        assert_int_equal(m->readings_lost, 0);
        assert_true(m->sync_updates > 200);
        assert_int_equal(m->sync_divergent_keys_end, 0);
        assert_true(m->sync_divergence_mean > 0); /* the partition held them apart */
        assert_true(m->sync_full_states > 0);
        assert_true(m->link_one_way_ms == ONE_WAY_MS);
        assert_true(m->sync_converge_s > 0 && m->sync_converge_s < 15);
        assert_true(m->sync_up_p50_ms >= ONE_WAY_MS && m->sync_down_p50_ms >= ONE_WAY_MS);
        assert_true(m->sync_p99_ms > 20000); /* updates held back by the 25 s cut */
        hists(path, up, down);
        assert_true(up->n > 0 && down->n > 0);
        assert_true(up->n + down->n == m->sync_updates);
        assert_true((double)up->min >= ONE_WAY_MS * 1e6);
        assert_true((double)down->min >= ONE_WAY_MS * 1e6);
        unlink(path);
    }
    free(up);
    free(down);
    rmdir(dir);
}

static void test_eager_quiet_link_is_the_link(void **unused) {
    char dir[64], path[128];
    scn_tmpdir(dir, sizeof dir);
    snprintf(path, sizeof path, "%s/eager.h5", dir);
    an_run_summary s;
    run("eager", "0", "none", 1, path, &s);
    /* a window's delta (~1 kB) and the gateway's produce (~3 kB) share the
     * 100 Mbit/s uplink: well under a millisecond of transmission */
    assert_true(s.s.sync_up_p50_ms >= ONE_WAY_MS);
    assert_true(s.s.sync_up_p50_ms < ONE_WAY_MS + 1.0);
    assert_int_equal(s.s.sync_divergent_keys_end, 0);
    assert_true(s.s.sync_converge_s == 0);
    assert_int_equal(s.s.sync_full_states, 0);
    unlink(path);
    rmdir(dir);
}

static void test_deterministic(void **unused) {
    char dir[64], p1[128], p2[128], p3[128];
    scn_tmpdir(dir, sizeof dir);
    snprintf(p1, sizeof p1, "%s/a.h5", dir);
    snprintf(p2, sizeof p2, "%s/b.h5", dir);
    snprintf(p3, sizeof p3, "%s/c.h5", dir);
    an_run_summary s1, s2, s3;
    run("adaptive", "0.3", "1@10s-30s", 5, p1, &s1);
    run("adaptive", "0.3", "1@10s-30s", 5, p2, &s2);
    run("adaptive", "0.3", "1@10s-30s", 6, p3, &s3);
    assert_true(scn_same_summary(&s1.s, &s2.s));
    assert_false(scn_same_summary(&s1.s, &s3.s));
    assert_true(s1.s.sync_bytes != s3.s.sync_bytes); /* the loss draws differ */
    eng_hist *u1 = malloc(sizeof *u1), *u2 = malloc(sizeof *u2), *d1 = malloc(sizeof *d1),
             *d2 = malloc(sizeof *d2);
    hists(p1, u1, d1);
    hists(p2, u2, d2);
    assert_int_equal(memcmp(u1->count, u2->count, sizeof u1->count), 0);
    assert_int_equal(memcmp(d1->count, d2->count, sizeof d1->count), 0);
    free(u1);
    free(u2);
    free(d1);
    free(d2);
    unlink(p1);
    unlink(p2);
    unlink(p3);
    rmdir(dir);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_lossy_partitioned_converges),
        cmocka_unit_test(test_eager_quiet_link_is_the_link),
        cmocka_unit_test(test_deterministic),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
