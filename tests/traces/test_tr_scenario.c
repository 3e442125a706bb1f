/* The trace rows of the scenario schema: workload.kind trace selects the
 * replay source, paths are relative to the scenario file, --set reaches
 * every trace key, and every mistake is reported at its file:line:column
 * (counted by hand in the texts below, 1-based) with the field's path. */
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
#include "tr_support.h"

static xp_scenario *load(const char *path, const xp_set *sets, size_t nsets) {
    char err[2048];
    xp_scenario *s = xp_scenario_load(path, NULL, sets, nsets, err, sizeof err);
    if (!s) fail_msg("%s", err);
    return s;
}

static void test_replay_selected(void **unused) {
    char path[4096], steps[4096];
    tr_test_data(path, sizeof path, "replay_steps.yaml");
    tr_test_data(steps, sizeof steps, "steps.csv");
    xp_scenario *s = load(path, NULL, 0);
    assert_true(s->replay);
    assert_string_equal(s->trace.o.path, steps); /* resolved next to the scenario */
    assert_int_equal(s->trace.o.format, TR_FMT_NAB);
    assert_int_equal(s->trace.rows, 4);
    assert_true(s->trace.o.speedup == 300 && s->trace.o.loop);
    eng_run_opts o;
    xp_scenario_run_opts(s, &o);
    assert_ptr_equal(o.source, tr_source());
    assert_ptr_equal(o.source_opts, &s->trace);
    assert_int_equal(o.devices_per_site, 3);
    xp_scenario_free(s);

    /* a variant or --set may switch back to a generator; the trace is then not read */
    xp_set sets[] = {
        {"workload.kind", "poisson"}, {"workload.rate", "2"}, {"workload.trace.path", "gone.csv"}};
    s = load(path, sets, 3);
    assert_false(s->replay);
    assert_int_equal(s->workload.kind, WL_POISSON);
    xp_scenario_run_opts(s, &o);
    assert_ptr_equal(o.source, wl_source());
    xp_scenario_free(s);
}

static void test_sets_reach_trace_keys(void **unused) {
    char path[4096];
    tr_test_data(path, sizeof path, "replay_steps.yaml");
    xp_set sets[] = {{"workload.trace.path", "sensors.csv"},
                     {"workload.trace.format", "csv"},
                     {"workload.trace.columns.time", "time_ms"},
                     {"workload.trace.columns.time_format", "epoch_ms"},
                     {"workload.trace.columns.device", "sensor"},
                     {"workload.trace.columns.values", "temp"},
                     {"workload.trace.columns.label", "alarm"},
                     {"workload.trace.start", "'2015-09-01 13:46:00'"},
                     {"workload.trace.phase", "30s"},
                     {"workload.trace.value_jitter", "0.25"},
                     {"workload.trace.strict", "true"}};
    xp_scenario *s = load(path, sets, sizeof sets / sizeof *sets);
    const tr_trace *t = &s->trace;
    assert_int_equal(t->o.format, TR_FMT_CSV);
    assert_int_equal(t->values, 1);
    assert_int_equal(t->devices, 3);
    assert_int_equal(t->rows, 3); /* 13:46:00 = 1441115160 drops the two rows at 13:45:00 */
    assert_int_equal(t->o.start, 1441115160 * RT_S);
    assert_int_equal(t->labelled, 2);
    assert_true(t->o.phase == 30 * RT_S && t->o.value_jitter == 0.25 && t->o.strict);
    xp_scenario_free(s);
}

static void test_skipped_rows_kept(void **unused) {
    char path[4096];
    tr_test_data(path, sizeof path, "replay_steps.yaml");
    xp_set set = {"workload.trace.path", "malformed.csv"};
    xp_scenario *s = load(path, &set, 1);
    assert_int_equal(s->trace.rows, 3);
    assert_int_equal(s->trace.skipped, 4);
    assert_int_equal(s->trace.nissues, 4);
    assert_non_null(strstr(s->trace.issues[0], "malformed.csv:3: value: expected a number, got 'abc'"));
    xp_scenario_free(s);
}

typedef struct error_case {
    const char *yaml; /* %s: the fixtures folder */
    const char *want; /* after "<file>:" */
} error_case;

static const error_case cases[] = {
    {"name: x\nworkload:\n  kind: trace\n", "3:9: workload.kind: trace needs workload.trace.path"},
    {"name: x\nworkload:\n  kind: traec\n",
     "3:9: workload.kind: expected one of periodic, poisson, mmpp, diurnal, trace, got 'traec'; did you mean "
     "'trace'?"},
    {"name: x\nworkload:\n  kind: trace\n  trace:\n    path: %s/steps.csv\n    format: nabb\n",
     "6:13: workload.trace.format: expected one of auto, nab, uci, csv, jsonl, got 'nabb'; did you mean "
     "'nab'?"},
    {"name: x\nworkload:\n  kind: trace\n  trace:\n    path: %s/steps.csv\n    start: yesterday\n",
     "6:12: workload.trace.start: expected a time like 2015-09-01 00:00:00"},
    {"name: x\nworkload:\n  kind: trace\n  trace:\n    path: %s/steps.csv\n    speedup: 0\n",
     "6:14: workload.trace.speedup: expected a number > 0, got '0'"},
    {"name: x\nworkload:\n  kind: trace\n  trace:\n    path: %s/steps.csv\n    format: csv\n",
     "4:3: workload.trace.columns.time: the csv and jsonl formats need the time column's name"},
    {"name: x\nworkload:\n  kind: trace\n  trace:\n    path: %s/steps.csv\n    start: 2015-09-01 00:10:00\n"
     "    end: 2015-09-01 00:05:00\n",
     "7:10: workload.trace.end must be after start"},
    {"name: x\nworkload:\n  kind: trace\n  trace:\n    path: %s/unsorted.csv\n",
     "5:11: workload.trace.path: "},
    {"name: x\nworkload:\n  kind: trace\n  trace:\n    path: %s/malformed.csv\n    strict: true\n",
     "5:11: workload.trace.path: "},
    {"name: x\nworkload:\n  kind: trace\n  trace:\n    path: %s/steps.csv\n    labels: %s/sensors.csv\n",
     "6:13: workload.trace.labels: "},
    {"name: x\nworkload:\n  kind: trace\n  trace:\n    path: %s/steps.csv\n    columns: {values: []}\n",
     "6:23: workload.trace.columns.values: expected a list of 1 to 16 column names"},
};

/* The rest of a message after its location, for the cases that name a file. */
static const char *const tails[] = {
    [7] = "unsorted.csv:4: time goes backwards",
    [8] = "malformed.csv:3: value: expected a number, got 'abc' (strict mode rejects malformed rows)",
    [9] = "sensors.csv:1:",
};

static void test_errors(void **unused) {
    char dir[512], path[600], data[4096], text[8192], err[2048], want[1024];
    assert_int_equal(eng_tmp_path(dir, sizeof dir, "sparkiot-trscn-XXXXXX"), 0);
    assert_non_null(mkdtemp(dir));
    snprintf(path, sizeof path, "%s/s.yaml", dir);
    tr_test_data(data, sizeof data, "");
    data[strlen(data) - 1] = '\0';
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
        snprintf(text, sizeof text, cases[i].yaml, data, data);
        FILE *f = fopen(path, "w");
        fputs(text, f);
        fclose(f);
        xp_scenario *s = xp_scenario_load(path, NULL, NULL, 0, err, sizeof err);
        if (s) fail_msg("case %zu loaded", i);
        snprintf(want, sizeof want, "%s:%s", path, cases[i].want);
        if (strncmp(err, want, strlen(want)) != 0) fail_msg("case %zu:\n got  %s\n want %s", i, err, want);
        if (i < sizeof tails / sizeof *tails && tails[i] && !strstr(err, tails[i]))
            fail_msg("case %zu: '%s' lacks '%s'", i, err, tails[i]);
    }
    unlink(path);
    rmdir(dir);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_replay_selected),
        cmocka_unit_test(test_sets_reach_trace_keys),
        cmocka_unit_test(test_skipped_rows_kept),
        cmocka_unit_test(test_errors),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
