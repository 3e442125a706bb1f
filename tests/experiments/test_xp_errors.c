/* Every kind of mistake a scenario file or a --set can hold, each with the
 * exact message it must give: the file:line:column (counted by hand in the
 * fixture under data/scenarios/, 1-based), the field, and what was expected.
 * Where a message lists registries that grow (allocators, cloud profiles),
 * only its start is compared. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>

#include <cmocka.h>
#include <stdio.h>
#include <string.h>

#include "experiments/scenario.h"

#define DIR XP_TEST_DATA "/scenarios/"

typedef struct error_case {
    const char *file, *variant, *set_key, *set_value;
    const char *want; /* after "<DIR><file>", unless it starts with "--set" */
    int whole;        /* compare the whole message, not just its start */
} error_case;

static const error_case cases[] = {
    {"bad_unknown_key.yaml", NULL, NULL, NULL,
     ":3:3: unknown key 'partitons' in bus; did you mean 'partitions'?", 1},
    {"bad_type.yaml", NULL, NULL, NULL,
     ":3:38: topology.wan.latency: expected a duration like 20ms, got '20' (units: ns, us, ms, s, m or min, "
     "h, d)",
     1},
    {"bad_range.yaml", NULL, NULL, NULL, ":2:8: seeds: expected an integer in [1, 1000], got '0'", 1},
    {"bad_integer.yaml", NULL, NULL, NULL,
     ":3:10: topology.sites: expected an integer in [1, 100000], got '1.5'", 1},
    {"bad_negative.yaml", NULL, NULL, NULL,
     ":3:15: bus.partitions: expected an integer in [1, 4096], got '-4'", 1},
    {"bad_duplicate.yaml", NULL, NULL, NULL, ":4:1: duplicate key 'seed' (first at line 2, column 1)", 1},
    {"bad_unit.yaml", NULL, NULL, NULL, ":2:11: duration: expected a duration like 20ms, got '10 mins'", 0},
    {"bad_bandwidth_unit.yaml", NULL, NULL, NULL,
     ":4:16: topology.access.bandwidth: expected a bandwidth like 100Mbps, got '10mbps' "
     "(units: bps, kbps, Mbps, Gbps, B/s, kB/s, MB/s, GB/s)",
     1},
    {"does_not_exist.yaml", NULL, NULL, NULL, ": cannot open: No such file or directory", 1},
    {"empty.yaml", NULL, NULL, NULL, ": the file is empty", 1},
    {"bad_syntax.yaml", NULL, NULL, NULL,
     ":3:4: syntax error: did not find expected ',' or '}' (while parsing a flow mapping at line 2, column "
     "11)",
     1},
    {"bad_tab.yaml", NULL, NULL, NULL, ":3:1: syntax error: found character that cannot start any token", 0},
    {"bad_anchor.yaml", NULL, NULL, NULL, ":3:11: anchor '&l' not supported (write the values out)", 1},
    {"bad_dotted.yaml", NULL, NULL, NULL, ":2:1: dotted key 'topology.sites': nest sections instead", 0},
    {"bad_toplevel.yaml", NULL, NULL, NULL,
     ":1:1: expected a mapping of keys at the top level, got a sequence", 1},
    {"bad_section.yaml", NULL, NULL, NULL,
     ":2:6: bus: expected a section (a mapping with keys partitions, append_flops, fetch_flops, "
     "request_bytes), "
     "got '16'",
     1},
    {"bad_no_name.yaml", NULL, NULL, NULL, ": missing required key 'name'", 1},
    {"bad_name.yaml", NULL, NULL, NULL,
     ":1:7: name: expected a name of lowercase letters, digits, '_' and '-', got 'Smart City'", 1},
    {"bad_enum.yaml", NULL, NULL, NULL,
     ":3:9: pipeline.mode: expected one of microbatch, continuous, got 'microbatches'; did you mean "
     "'microbatch'?",
     1},
    /* the registries and the option checks */
    {"bad_allocator.yaml", NULL, NULL, NULL,
     ":3:9: allocator.name: unknown allocator 'statc'; did you mean 'static'? (known: static, hpa, ", 0},
    {"bad_alloc_param.yaml", NULL, NULL, NULL,
     ":4:3: allocator static: unknown parameter 'executorz'; did you mean 'executors'?", 0},
    {"bad_alloc_value.yaml", NULL, NULL, NULL,
     ":4:14: allocator static: parameter 'executors' must be a whole number in [1, 32], got 1.5", 1},
    {"bad_alloc_number.yaml", NULL, NULL, NULL,
     ":4:14: allocator.executors: expected a number or a duration like 30s (a parameter of the allocator), "
     "got "
     "'lots'",
     1},
    {"bad_preset.yaml", NULL, NULL, NULL,
     ":3:11: workload.preset: unknown preset 'smartcity'; did you mean 'smart_city'? (known: smart_city, ",
     0},
    {"bad_cloud.yaml", NULL, NULL, NULL,
     ":2:8: cloud: unknown cloud profile 'aws_emr_serverles'; did you mean 'aws_emr_serverless'? (known: ",
     0},
    {"bad_filter.yaml", NULL, NULL, NULL, ":3:3: edge.filter: min must be <= max", 1},
    {"bad_jitter.yaml", NULL, NULL, NULL, ":4:11: workload.jitter must be >= 0 and < period / 2", 1},
    /* wl_opts_check says workload.peak_tod; the file says workload.diurnal.peak */
    {"bad_peak.yaml", NULL, NULL, NULL, ":4:29: workload.diurnal.peak must be in [0, day)", 1},
    {"bad_initial.yaml", NULL, NULL, NULL,
     ":2:1: allocator.initial_executors must be in [min_executors, max_executors]", 1},
    /* variants: errors point into the variant's own `set:` */
    {"bad_variant.yaml", "slow", NULL, NULL,
     ":5:33: topology.wan.latency: expected a duration like 20ms, got '20'", 0},
    {"bad_variant.yaml", "typo", NULL, NULL, ":7:11: unknown key 'wann' in topology; did you mean 'wan'?", 1},
    {"bad_variant_dup.yaml", NULL, NULL, NULL, ":4:11: variants.name: duplicate variant name 'a'", 1},
    {"full.yaml", "peek", NULL, NULL, ":59:1: no variant 'peek'; did you mean 'peak'? (known: base, peak)",
     1},
    {"minimal.yaml", "other", NULL, NULL, ": no variant 'other': the file has no variants", 1},
    /* --set: its key path stands in for the location */
    {"minimal.yaml", NULL, "topology.wann.latency", "5ms",
     "--set topology.wann.latency: unknown key 'wann' in topology; did you mean 'wan'?", 1},
    {"minimal.yaml", NULL, "topology.wan.latency", "20",
     "--set topology.wan.latency: expected a duration like 20ms, got '20'", 0},
    {"minimal.yaml", NULL, "name.x", "1", "--set name.x: 'name' is a value, not a section", 1},
    {"minimal.yaml", NULL, "topology..sites", "3", "--set topology..sites: empty name in key path", 0},
    {"minimal.yaml", NULL, "description", "\"unclosed", "--set description: syntax error: ", 0},
    {"minimal.yaml", NULL, "bus", "{partitions: 3}", "--set bus: expected a single value, got a mapping", 1},
    {"minimal.yaml", NULL, "variants.x", "1", "--set variants.x: variants cannot be set", 0},
    {"minimal.yaml", NULL, "allocator.executorz", "5",
     "--set allocator.executorz: allocator static: unknown parameter 'executorz'; did you mean 'executors'?",
     0},
    {"minimal.yaml", NULL, "allocator.nme", "hpa",
     "--set allocator.nme: expected a number or a duration like 30s (a parameter of the allocator), got "
     "'hpa'; "
     "did you mean 'allocator.name'?",
     1},
    {"minimal.yaml", NULL, "seeds", "1001", "--set seeds: expected an integer in [1, 1000], got '1001'", 1},
    {"minimal.yaml", NULL, "seed", "18446744073709551615", "--set seed: seed + seeds - 1 must be < 2^64", 1},
};

static void test_error_messages(void **unused) {
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        const error_case *c = &cases[i];
        char path[512], want[1024], err[2048] = "";
        snprintf(path, sizeof path, DIR "%s", c->file);
        if (!strncmp(c->want, "--set", 5))
            snprintf(want, sizeof want, "%s", c->want);
        else
            snprintf(want, sizeof want, "%s%s", path, c->want);
        xp_set set;
        if (c->set_key) {
            snprintf(set.key, sizeof set.key, "%s", c->set_key);
            snprintf(set.value, sizeof set.value, "%s", c->set_value);
        }
        xp_scenario *s = xp_scenario_load(path, c->variant, &set, c->set_key ? 1 : 0, err, sizeof err);
        if (s) fail_msg("case %zu (%s) loaded", i, c->file);
        int ok = c->whole ? !strcmp(err, want) : !strncmp(err, want, strlen(want));
        if (!ok)
            fail_msg("case %zu (%s):\n  got  %s\n  want %s%s", i, c->file, err, want, c->whole ? "" : "...");
    }
}

/* The cloud profile's own mistakes are reported in the profile file. */
static void test_cloud_profile_errors(void **unused) {
    char err[2048];
    assert_null(xp_scenario_load(DIR "bad_cloud_startup.yaml", NULL, NULL, 0, err, sizeof err));
    assert_string_equal(err,
                        DIR "../clouds/bad_cloud_startup.yaml:8:26: startup.value: not used by dist uniform "
                            "(it takes min and max)");
    assert_null(xp_scenario_load(DIR "bad_cloud_noprice.yaml", NULL, NULL, 0, err, sizeof err));
    assert_string_equal(err, DIR
                        "../clouds/bad_cloud_noprice.yaml:6:1: prices: missing required key 'gb_hour_usd'");
}

/* A variant that is wrong does not stop the others from loading. */
static void test_other_variants_still_load(void **unused) {
    char err[2048];
    xp_scenario *s = xp_scenario_load(DIR "bad_variant.yaml", "fine", NULL, 0, err, sizeof err);
    if (!s) fail_msg("%s", err);
    assert_string_equal(s->variant, "fine");
    assert_int_equal(s->nvariants, 3);
    xp_scenario_free(s);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_error_messages),
        cmocka_unit_test(test_cloud_profile_errors),
        cmocka_unit_test(test_other_variants_still_load),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
