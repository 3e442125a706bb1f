/* The privacy path end to end in simulation (tests/scenario/data/
 * privacy_tiny.yaml: 2 sites of 3 devices, 2 metrics, 10 s windows for
 * 60 s; site 0 releases 6 windows, site 1 — offset by 5 s — 7, so 13
 * releases make 7 window totals, 6 of them with both sites). Checked by
 * hand: Paillier-encrypted totals equal the plaintext ones and the exact
 * sums; the CPU charged is the operation counts times the round-number
 * calibration; the bytes are the messages' sizes; the totals' latency grows
 * by exactly the charged CPU and the longer transfer; DP noise is drawn
 * before encryption, so it releases the same noisy totals either way, and
 * its budget is recorded. Federated learning over the same data (3 rounds):
 * each device's 60 readings give 59 differences, 13 windows of 8 every 4,
 * the last 4 held out; the bytes and CPU of every combination by hand. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>

#include <cmocka.h>
#include <math.h>
#include <stdio.h>

#include "scn.h"

#define SCENARIO "tests/scenario/data/privacy_tiny.yaml"
#define RELEASES 13 /* 6 + 7 */
#define WINDOWS 7   /* slices 0..6; slice 0 has site 1's first 5 s only */
#define METRICS 2
#define VALUES (2 * METRICS)  /* a sum and a count per metric */
#define READINGS (2 * 3 * 60) /* sites x devices x seconds */
#define HEADER 64             /* privacy.header_bytes default */
#define CT 526                /* privacy_costs_round.yaml: 2048-bit ciphertext */
#define ENCODE_S 0.0005
#define ENCRYPT_S 0.01
#define ADD_S 0.0002
#define DECRYPT_S 0.004
#define GEOMETRIC_S 0.00002
#define WAN_BPS 12.5e6 /* 100 Mbps */

static void run(const char *aggregation, const char *epsilon, const char *dir, an_run_summary *s) {
    char a[64], e[64], path[160];
    snprintf(a, sizeof a, "privacy.aggregation=%s", aggregation);
    snprintf(e, sizeof e, "privacy.epsilon=%s", epsilon);
    snprintf(path, sizeof path, "%s/%s-%s.h5", dir, aggregation, epsilon);
    const char *sets[] = {a, e};
    scn_run(SCENARIO, sets, 2, 5, path, s);
}

/* The plaintext and the Paillier run at one epsilon, in a fresh folder. */
static void run_pair(const char *epsilon, an_run_summary *p, an_run_summary *e) {
    char dir[64];
    scn_tmpdir(dir, sizeof dir);
    run("plain", epsilon, dir, p);
    run("paillier", epsilon, dir, e);
}

static void close_to(double got, double want, double tol) {
    if (fabs(got - want) > tol) fail_msg("got %.12g, want %.12g (tolerance %g)", got, want, tol);
}

static void test_encrypted_totals_equal_plaintext(void **unused) {
    (void)unused;
    an_run_summary p, e;
    run_pair("0", &p, &e);
    assert_int_equal(p.s.privacy_releases, RELEASES);
    assert_int_equal(e.s.privacy_windows, WINDOWS);
    assert_true(p.s.privacy_count_true == READINGS && p.s.readings_in == READINGS);
    assert_true(e.s.privacy_count_released == READINGS && p.s.privacy_count_released == READINGS);
    assert_true(p.s.privacy_sum_released == p.s.privacy_sum_true);
    assert_true(e.s.privacy_sum_true == p.s.privacy_sum_true);
    /* each of the 52 encrypted sums is rounded to 2^-32 */
    close_to(e.s.privacy_sum_released, p.s.privacy_sum_released, RELEASES * METRICS * 0x1p-33 + 1e-9);
    assert_true(p.s.privacy_sum_true > 1000); /* values around the workload's level, not zeros */
}

static void test_charged_cpu_and_bytes_by_hand(void **unused) {
    (void)unused;
    an_run_summary p, e;
    run_pair("0", &p, &e);
    assert_int_equal(p.s.privacy_bytes, RELEASES * (HEADER + VALUES * 8));
    assert_true(p.s.privacy_edge_cpu_s == 0 && p.s.privacy_cloud_cpu_s == 0);
    assert_int_equal(e.s.privacy_encryptions, RELEASES * VALUES);
    assert_int_equal(e.s.privacy_additions, (WINDOWS - 1) * VALUES); /* 6 windows of 2 ciphertexts each */
    assert_int_equal(e.s.privacy_decryptions, WINDOWS * VALUES);
    assert_int_equal(e.s.privacy_bytes, RELEASES * (HEADER + VALUES * CT));
    close_to(e.s.privacy_edge_cpu_s, RELEASES * VALUES * (ENCODE_S + ENCRYPT_S), 1e-12);
    close_to(e.s.privacy_cloud_cpu_s, (WINDOWS - 1) * VALUES * ADD_S + WINDOWS * VALUES * DECRYPT_S, 1e-12);
    /* a complete window's totals are known later by one release's CPU at the
     * edge, the longer transfer, one addition per value and the decryptions */
    double extra_ms = 1e3 * (VALUES * (ENCODE_S + ENCRYPT_S) + VALUES * (CT - 8) / WAN_BPS + VALUES * ADD_S +
                             VALUES * DECRYPT_S);
    close_to(e.s.privacy_latency_p50_ms - p.s.privacy_latency_p50_ms, extra_ms, 1.5);
    assert_true(p.s.privacy_latency_p50_ms >= 20); /* the WAN latency is its floor */
}

static void test_dp_noise_before_encryption(void **unused) {
    (void)unused;
    an_run_summary p, e;
    run_pair("0.5", &p, &e);
    assert_int_equal(p.s.privacy_noise_draws, RELEASES * VALUES);
    close_to(p.s.privacy_edge_cpu_s, RELEASES * VALUES * GEOMETRIC_S, 1e-12);
    close_to(e.s.privacy_edge_cpu_s, RELEASES * VALUES * (GEOMETRIC_S + ENCODE_S + ENCRYPT_S), 1e-12);
    assert_true(p.s.privacy_epsilon == 0.5);
    close_to(p.s.privacy_epsilon_device, 0.5 * WINDOWS * METRICS, 1e-12); /* site 1's 7 releases */
    assert_true(p.s.privacy_count_true == READINGS);
    assert_true(p.s.privacy_count_released != READINGS || p.s.privacy_sum_released != p.s.privacy_sum_true);
    assert_true(p.s.privacy_count_rel_err > 0);
    assert_true(e.s.privacy_count_released == p.s.privacy_count_released);
    close_to(e.s.privacy_sum_released, p.s.privacy_sum_released, 1e-6);
}

#define FL_ROUNDS 3
#define FL_P 6               /* 5 features and a bias */
#define FL_TRAIN (2 * 3 * 9) /* sites x devices x training windows */
#define FL_TEST (2 * 3 * 4)
#define STEP_S 0.0000001  /* logreg.step_s */
#define WORD_S 0.00000003 /* mask.word_s */

static void run_fl(const char *combine, const char *dir, an_run_summary *s) {
    char c[64], path[160];
    snprintf(c, sizeof c, "privacy.federated.combine=%s", combine);
    snprintf(path, sizeof path, "%s/fl-%s.h5", dir, combine);
    const char *sets[] = {c, "privacy.federated.rounds=3"};
    scn_run(SCENARIO, sets, 2, 5, path, s);
}

static void test_federated_bytes_and_cpu_by_hand(void **unused) {
    (void)unused;
    char dir[64];
    scn_tmpdir(dir, sizeof dir);
    an_run_summary p, m, e;
    run_fl("plain", dir, &p);
    run_fl("masked", dir, &m);
    run_fl("paillier", dir, &e);
    assert_int_equal(p.s.fl_samples, FL_TRAIN);
    assert_int_equal(p.s.fl_test_windows, FL_TEST);
    assert_int_equal(p.s.fl_rounds, FL_ROUNDS);
    /* ready messages, then per round a model down and an update up per site */
    uint64_t down = 2 * (HEADER + FL_P * 8), ready = 2 * HEADER;
    assert_int_equal(p.s.fl_bytes, ready + FL_ROUNDS * (down + 2 * (HEADER + (FL_P + 1) * 8)));
    assert_int_equal(m.s.fl_bytes, p.s.fl_bytes);
    assert_int_equal(e.s.fl_bytes, ready + FL_ROUNDS * (down + 2 * (HEADER + (FL_P + 1) * CT)));
    double train = FL_TRAIN * FL_ROUNDS * STEP_S;
    close_to(p.s.fl_edge_cpu_s, train, 1e-12);
    close_to(m.s.fl_edge_cpu_s, train + FL_ROUNDS * 2 * 1 * (FL_P + 1) * WORD_S, 1e-12);
    close_to(e.s.fl_edge_cpu_s, train + FL_ROUNDS * 2 * (FL_P + 1) * (ENCODE_S + ENCRYPT_S), 1e-12);
    assert_true(p.s.fl_cloud_cpu_s == 0 && m.s.fl_cloud_cpu_s == 0);
    close_to(e.s.fl_cloud_cpu_s, FL_ROUNDS * ((FL_P + 1) * ADD_S + (FL_P + 1) * DECRYPT_S), 1e-12);
    assert_true(e.s.fl_latency_s > p.s.fl_latency_s);
}

/* A run too short for any device to fill a window (5 s of readings, windows
 * of 8 differences): no client has a training window, so every update has
 * weight 0 and the model stays as it was; the run ends and says so instead
 * of dividing by zero (masked and Paillier updates refused the NaN). */
static void test_federated_without_training_windows(void **unused) {
    (void)unused;
    char dir[64];
    scn_tmpdir(dir, sizeof dir);
    const char *combines[] = {"plain", "masked", "paillier"};
    for (int i = 0; i < 3; i++) {
        char c[64], path[160];
        snprintf(c, sizeof c, "privacy.federated.combine=%s", combines[i]);
        snprintf(path, sizeof path, "%s/empty-%s.h5", dir, combines[i]);
        const char *sets[] = {c, "privacy.federated.rounds=3", "duration=5s"};
        an_run_summary s;
        scn_run(SCENARIO, sets, 3, 5, path, &s);
        assert_int_equal(s.s.fl_samples, 0);
        assert_int_equal(s.s.fl_test_windows, 0);
        assert_int_equal(s.s.fl_rounds, FL_ROUNDS);
        assert_true(s.s.fl_f1 == 0 && s.s.fl_central_f1 == 0);
    }
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_encrypted_totals_equal_plaintext),
        cmocka_unit_test(test_charged_cpu_and_bytes_by_hand),
        cmocka_unit_test(test_dp_noise_before_encryption),
        cmocka_unit_test(test_federated_bytes_and_cpu_by_hand),
        cmocka_unit_test(test_federated_without_training_windows),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
