/* The calibration file and the scenario's privacy section
 * (experiments/scenario_privacy.c): the committed calibration holds a cost
 * for every operation, and its ciphertext sizes are those of the byte
 * format worked out by hand (2 + 8 + 4 + 2·bits/8 bytes); a scenario's
 * key size picks its section; missing keys, uncalibrated key sizes and
 * inconsistent sections are refused with a message naming the place. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>

#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "engine/tmp.h"
#include "experiments/scenario.h"
#include "experiments/scenario_privacy.h"

static void path(char *buf, size_t len, const char *rel) {
    const char *src = getenv("SPARKIOT_SOURCE_DIR");
    snprintf(buf, len, "%s/%s", src ? src : ".", rel);
}

static void test_committed_calibration(void **unused) {
    (void)unused;
    char file[4096], err[1024];
    path(file, sizeof file, "experiments/privacy_costs.yaml");
    for (uint32_t bits = 2048; bits <= 3072; bits += 1024) {
        eng_priv_costs c;
        assert_int_equal(xp_privacy__load_costs(file, bits, &c, err, sizeof err), 0);
        assert_int_equal(c.key_bits, bits);
        assert_int_equal(c.ciphertext_bytes, 2 + 8 + 4 + 2 * bits / 8); /* 526, 782 */
        assert_true(c.encode_s > 0 && c.encrypt_s > 0 && c.add_s > 0 && c.decrypt_s > 0);
        assert_true(c.geometric_s > 0 && c.mask_word_s > 0 && c.lr_step_s > 0);
    }
    eng_priv_costs c;
    assert_int_equal(xp_privacy__load_costs(file, 4096, &c, err, sizeof err), -1);
    assert_non_null(strstr(err, "4096"));
}

static void test_missing_key_refused(void **unused) {
    (void)unused;
    char file[512], err[1024];
    assert_int_equal(eng_tmp_path(file, sizeof file, "sparkiot-calib-XXXXXX"), 0);
    int fd = mkstemp(file);
    assert_true(fd >= 0);
    FILE *f = fdopen(fd, "w");
    fputs("measured: now\nmachine: here\ncommand: none\n"
          "paillier_2048: {ciphertext_bytes: 526, keygen_s: 1, encode_s: 1, encrypt_s: 1, encrypt_pre_s: 1,"
          " add_s: 1, decrypt_s: 1}\n"
          "paillier_3072: {ciphertext_bytes: 782, keygen_s: 1, encode_s: 1, encrypt_s: 1, encrypt_pre_s: 1,"
          " add_s: 1, decrypt_s: 1}\n"
          "mask: {word_s: 1}\nlogreg: {step_s: 1}\n",
          f);
    fclose(f);
    eng_priv_costs c;
    assert_int_equal(xp_privacy__load_costs(file, 2048, &c, err, sizeof err), -1);
    assert_non_null(strstr(err, file));
    assert_non_null(strstr(err, "dp"));
    unlink(file);
}

/* privacy_tiny.yaml with two "key=value" overrides. */
static xp_scenario *load(const char *set1, const char *set2, char *err, size_t errlen) {
    char file[4096];
    path(file, sizeof file, "tests/scenario/data/privacy_tiny.yaml");
    const char *kv[2] = {set1, set2};
    xp_set sets[2];
    for (int i = 0; i < 2; i++) {
        const char *eq = strchr(kv[i], '=');
        snprintf(sets[i].key, sizeof sets[i].key, "%.*s", (int)(eq - kv[i]), kv[i]);
        snprintf(sets[i].value, sizeof sets[i].value, "%s", eq + 1);
    }
    return xp_scenario_load(file, NULL, sets, 2, err, errlen);
}

static void test_scenario_section(void **unused) {
    (void)unused;
    char err[2048];
    xp_scenario *s = load("privacy.aggregation=paillier", "privacy.key_bits=3072", err, sizeof err);
    if (!s) fail_msg("%s", err);
    assert_true(s->privacy_enabled);
    assert_int_equal(s->privacy.costs.ciphertext_bytes, 782); /* privacy_costs_round.yaml, 3072 bits */
    assert_true(s->privacy.costs.encrypt_s == 0.03 && s->privacy.costs.decrypt_s == 0.01);
    assert_int_equal(s->privacy.metrics, 2); /* the workload's */
    eng_run_opts o;
    xp_scenario_run_opts(s, &o);
    assert_ptr_equal(o.privacy, &s->privacy);
    xp_scenario_free(s);

    assert_null(load("privacy.aggregation=paillier", "privacy.key_bits=4096", err, sizeof err));
    assert_non_null(strstr(err, "4096"));
    assert_null(load("privacy.metrics=1", "privacy.epsilon=1", err, sizeof err));
    assert_non_null(strstr(err, "privacy.metrics"));
    assert_null(load("privacy.federated.epsilon=2", "privacy.epsilon=1", err, sizeof err));
    assert_non_null(strstr(err, "federated.epsilon"));
    assert_null(load("edge.mode=raw", "edge.flush=0s", err, sizeof err));
    assert_non_null(strstr(err, "edge.mode aggregate"));
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_committed_calibration),
        cmocka_unit_test(test_missing_key_refused),
        cmocka_unit_test(test_scenario_section),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
