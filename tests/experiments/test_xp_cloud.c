/* Finding and reading cloud profiles: by name next to the scenario
 * (../clouds/), by name in $SPARKIOT_SOURCE_DIR/experiments/clouds/, by a
 * path relative to the scenario or absolute; and a profile's own checks
 * (its name is its file name, a real date, startup keys that fit the
 * distribution), reported in the profile file. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>

#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "experiments/scenario.h"

#define MINIMAL XP_TEST_DATA "/scenarios/minimal.yaml"
#define CLOUDS XP_TEST_DATA "/scenarios/../clouds/"

static xp_scenario *with_cloud(const char *ref, char *err, size_t errlen) {
    xp_set set = {"cloud", ""};
    snprintf(set.value, sizeof set.value, "%s", ref);
    return xp_scenario_load(MINIMAL, NULL, &set, 1, err, errlen);
}

static void test_source_dir_from_environment(void **unused) {
    char err[2048];
    assert_int_equal(setenv("SPARKIOT_SOURCE_DIR", XP_TEST_DATA "/srcdir", 1), 0);
    xp_scenario *s = with_cloud("env_cloud", err, sizeof err);
    if (!s) fail_msg("%s", err);
    assert_string_equal(s->cloud_path, XP_TEST_DATA "/srcdir/experiments/clouds/env_cloud.yaml");
    assert_string_equal(s->cloud_name, "env_cloud");
    assert_int_equal(s->cloud.startup, ENG_STARTUP_FIXED);
    assert_true(s->cloud.startup_a == 3 * RT_S);
    assert_true(s->cloud.vcpu_hour_usd == 0.2 && s->cloud.egress_gb_usd == 0 &&
                s->cloud.billing_minimum == 0);
    xp_scenario_free(s);
    /* the profiles next to the scenario are still found first */
    s = with_cloud("test_cloud", err, sizeof err);
    if (!s) fail_msg("%s", err);
    assert_string_equal(s->cloud_path, CLOUDS "test_cloud.yaml");
    xp_scenario_free(s);
    assert_int_equal(unsetenv("SPARKIOT_SOURCE_DIR"), 0);
    assert_null(with_cloud("env_cloud", err, sizeof err));
    assert_non_null(strstr(err, "--set cloud: unknown cloud profile 'env_cloud'"));
}

static void test_paths(void **unused) {
    char err[2048];
    xp_scenario *s = with_cloud("../clouds/test_cloud.yaml", err, sizeof err);
    if (!s) fail_msg("%s", err);
    assert_string_equal(s->cloud_path, CLOUDS "test_cloud.yaml");
    assert_string_equal(s->cloud_name, "test_cloud");
    xp_scenario_free(s);
    s = with_cloud(XP_TEST_DATA "/clouds/test_cloud.yaml", err, sizeof err);
    if (!s) fail_msg("%s", err);
    assert_string_equal(s->cloud_path, XP_TEST_DATA "/clouds/test_cloud.yaml");
    xp_scenario_free(s);
    assert_null(with_cloud("nowhere.yaml", err, sizeof err));
    assert_string_equal(err, "--set cloud: cannot read cloud profile '" XP_TEST_DATA
                             "/scenarios/nowhere.yaml': No such file or directory");
}

static void test_profile_checks(void **unused) {
    char err[2048];
    assert_null(with_cloud("bad_cloud_name", err, sizeof err));
    assert_string_equal(err, CLOUDS "bad_cloud_name.yaml:1:7: name: 'other_name' differs from the file name "
                                    "'bad_cloud_name.yaml'; a profile is called by its file name");
    /* by path, the file name does not matter */
    xp_scenario *s = with_cloud("../clouds/bad_cloud_name.yaml", err, sizeof err);
    if (!s) fail_msg("%s", err);
    assert_string_equal(s->cloud_name, "other_name");
    xp_scenario_free(s);
    assert_null(with_cloud("bad_cloud_date", err, sizeof err));
    assert_string_equal(err,
                        CLOUDS "bad_cloud_date.yaml:4:7: date: expected the date the prices were read, like "
                               "2026-11-01, got '1 Nov 2026'");
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_source_dir_from_environment),
        cmocka_unit_test(test_paths),
        cmocka_unit_test(test_profile_checks),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
