/* Overrides in their documented order — the file, then the chosen
 * variant's `set:`, then each --set in command-line order — and what a
 * --set may do: create sections the file lacks, enable a section by naming
 * it, take quoted strings and the word asap. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>

#include <cmocka.h>
#include <stdio.h>
#include <string.h>

#include "experiments/scenario.h"

#define FULL XP_TEST_DATA "/scenarios/full.yaml"
#define MINIMAL XP_TEST_DATA "/scenarios/minimal.yaml"

static xp_scenario *load(const char *path, const char *variant, const xp_set *sets, size_t n) {
    char err[1024] = "";
    xp_scenario *s = xp_scenario_load(path, variant, sets, n, err, sizeof err);
    if (!s) fail_msg("%s", err);
    return s;
}

static void test_variant_applies_its_sets(void **unused) {
    xp_scenario *s = load(FULL, "peak", NULL, 0);
    assert_string_equal(s->variant, "peak");
    assert_true(s->alloc.params[0].value == 16);
    assert_true(s->topo.wan.latency == 50 * RT_MS);
    assert_true(s->topo.wan.bandwidth == 2e6); /* the rest of the section is the file's */
    assert_true(s->alloc.interval == 30 * RT_S);
    xp_scenario_free(s);
    s = load(FULL, "base", NULL, 0);
    assert_true(s->alloc.params[0].value == 9);
    assert_true(s->topo.wan.latency == 20 * RT_MS);
    xp_scenario_free(s);
}

static void test_default_and_null_mean_the_file(void **unused) {
    const char *names[] = {NULL, "default"};
    for (int i = 0; i < 2; i++) {
        xp_scenario *s = load(FULL, names[i], NULL, 0);
        assert_string_equal(s->variant, "default");
        assert_true(s->alloc.params[0].value == 9);
        assert_true(s->topo.wan.latency == 20 * RT_MS);
        xp_scenario_free(s);
    }
}

static void test_set_comes_after_variant_in_order(void **unused) {
    xp_set sets[] = {
        {"topology.wan.latency", "70ms"}, {"allocator.executors", "12"}, {"allocator.executors", "11"}};
    xp_scenario *s = load(FULL, "peak", sets, 3);
    assert_true(s->topo.wan.latency == 70 * RT_MS);
    assert_int_equal(s->alloc.nparams, 1);
    assert_true(s->alloc.params[0].value == 11);
    assert_int_equal(s->alloc.params[0].line, 0); /* it came from a --set */
    xp_scenario_free(s);
}

static void test_set_creates_sections(void **unused) {
    xp_set sets[] = {{"edge.filter.min", "-5"},
                     {"topology.executor.cores", "8"},
                     {"pipeline.trigger", "asap"},
                     {"description", "\"a: b # not a comment\""},
                     {"allocator.cooldown", "2m"}};
    xp_scenario *s = load(MINIMAL, NULL, sets, 4);
    assert_int_equal(s->edge.filter, 1);
    assert_true(s->edge.filter_min == -5);
    assert_true(s->edge.filter_max == 1e300);
    assert_int_equal(s->topo.executor.cores, 8);
    assert_true(s->topo.executor.speed == 1e10);
    assert_true(s->driver.trigger == 0);
    assert_string_equal(s->description, "a: b # not a comment");
    xp_scenario_free(s);
    /* an allocator parameter is any other key, a duration stored in ns;
     * static refuses one it does not know */
    char err[512];
    assert_null(xp_scenario_load(MINIMAL, NULL, &sets[4], 1, err, sizeof err));
    assert_non_null(strstr(err, "--set allocator.cooldown: allocator static: unknown parameter 'cooldown'"));
    xp_set hpa[] = {{"allocator.name", "hpa"}, {"allocator.stabilisation_window", "2m"}};
    s = load(MINIMAL, NULL, hpa, 2);
    assert_string_equal(s->alloc.params[0].key, "stabilisation_window");
    assert_true(s->alloc.params[0].value == 120e9);
    xp_scenario_free(s);
}

static void test_set_enables_and_disables_filter(void **unused) {
    xp_set on = {"edge.filter", ""};
    xp_scenario *s = load(MINIMAL, NULL, &on, 1);
    assert_int_equal(s->edge.filter, 1);
    xp_scenario_free(s);
    xp_set off = {"edge.filter.enabled", "false"};
    s = load(FULL, NULL, &off, 1);
    assert_int_equal(s->edge.filter, 0);
    assert_true(s->edge.filter_min == -50); /* the bounds stay as written */
    xp_scenario_free(s);
}

/* A preset set from the command line still comes before the file's own
 * workload keys. */
static void test_set_preset_keeps_file_keys(void **unused) {
    xp_set set = {"workload.preset", "industry"};
    xp_scenario *s = load(FULL, NULL, &set, 1);
    assert_string_equal(s->preset, "industry");
    assert_int_equal(s->workload.kind, WL_DIURNAL);
    assert_int_equal(s->workload.metrics, 3);
    assert_true(s->workload.rate == 0.25);
    xp_scenario_free(s);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_variant_applies_its_sets),
        cmocka_unit_test(test_default_and_null_mean_the_file),
        cmocka_unit_test(test_set_comes_after_variant_in_order),
        cmocka_unit_test(test_set_creates_sections),
        cmocka_unit_test(test_set_enables_and_disables_filter),
        cmocka_unit_test(test_set_preset_keeps_file_keys),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
