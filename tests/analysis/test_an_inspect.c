/* `inspect`: the JSON form parsed back with jansson carries the file's
 * numbers exactly; the text form names them with units; a bad file prints
 * nothing and names the file. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>

#include <cmocka.h>
#include <jansson.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "analysis/inspect.h"
#include "engine/detect.h"
#include "fixture.h"

static char dir[256];

static int setup(void **state) {
    fx_tmpdir(dir, sizeof dir);
    return 0;
}

static int teardown(void **state) {
    fx_rmtree(dir);
    return 0;
}

/* Runs an_inspect_print into a string (the caller frees it). */
static char *inspect(const char *path, int json, int *rc, char *err, size_t errlen) {
    char *buf = NULL;
    size_t len = 0;
    FILE *out = open_memstream(&buf, &len);
    *rc = an_inspect_print(path, json, out, err, errlen);
    fclose(out);
    return buf;
}

static void test_json(void **state) {
    const char *path = fx_write_run(dir, "city", "ppo", 5, 0.1 + 0.2, "name: city\n");
    int rc;
    char err[512];
    char *text = inspect(path, 1, &rc, err, sizeof err);
    assert_int_equal(rc, 0);
    json_error_t jerr;
    json_t *o = json_loads(text, 0, &jerr);
    if (!o) fail_msg("not JSON: %s: %s", jerr.text, text);
    assert_string_equal(json_string_value(json_object_get(o, "scenario")), "city");
    assert_string_equal(json_string_value(json_object_get(o, "variant")), "ppo");
    assert_string_equal(json_string_value(json_object_get(o, "backend")), "simgrid");
    assert_string_equal(json_string_value(json_object_get(o, "allocator")), "ppo");
    assert_string_equal(json_string_value(json_object_get(o, "cloud")), "aws");
    assert_int_equal(json_integer_value(json_object_get(o, "seed")), 5);
    /* fx_metrics: cost 0.1 + 0.2 (not 0.3 in binary: must survive exactly),
     * executor-hours 3 x cost, 50 readings at 10 ms and 50 at 100 ms, SLO 80 ms;
     * the quantiles' bucket middles (9.99 ms, 100.4 ms) clamp to min and max */
    assert_true(json_real_value(json_object_get(o, "cost_usd")) == 0.1 + 0.2);
    assert_true(json_real_value(json_object_get(o, "executor_hours")) == (0.1 + 0.2) * 3.0);
    json_t *lat = json_object_get(o, "latency_ms");
    assert_true(json_real_value(json_object_get(lat, "mean")) == 55.0);
    assert_true(json_real_value(json_object_get(lat, "max")) == 100.0);
    assert_true(json_real_value(json_object_get(lat, "p50")) == 10.0);
    assert_true(json_real_value(json_object_get(lat, "p99")) == 100.0);
    assert_non_null(json_object_get(lat, "p95"));
    assert_true(json_real_value(json_object_get(o, "slo_ms")) == 80.0);
    assert_true(json_real_value(json_object_get(o, "slo_violation_share")) == 0.5);
    json_t *rec = json_object_get(o, "records");
    assert_int_equal(json_integer_value(json_object_get(rec, "in")), 110);
    assert_int_equal(json_integer_value(json_object_get(rec, "out")), 100);
    assert_int_equal(json_integer_value(json_object_get(rec, "filtered")), 10);
    assert_int_equal(json_integer_value(json_object_get(rec, "queued")), 0);
    assert_int_equal(json_integer_value(json_object_get(rec, "lost")), 0);
    assert_int_equal(json_integer_value(json_object_get(o, "wan_bytes")), 123456789012LL);
    assert_int_equal(json_integer_value(json_object_get(o, "batches")), 3);
    assert_true(json_real_value(json_object_get(o, "sim_seconds")) == 10.0);
    assert_true(json_real_value(json_object_get(o, "wall_seconds")) == 0.25);
    assert_null(json_object_get(o, "detection")); /* no detector, no labels */
    json_decref(o);
    free(text);
}

/* A run whose edges scored a detector: the counts and scores of
 * tests/traces/test_tr_detect.c's scripted stream (TP 2, FP 2, FN 6, TN 10,
 * 2 windows, 1 hit; precision 0.5, recall 0.25, F1 1/3, NAB 42.852937)
 * come back under "detection". */
static void test_detection(void **state) {
    char path[512], err[512];
    snprintf(path, sizeof path, "%s/det.h5", dir);
    eng_metrics *m = fx_metrics(1, 10, 100);
    eng_detect_counts c = {20, 2, 2, 6, 10, 2, 1, -0.285882520};
    eng_detect_summarise(&c, &m->summary);
    an_meta meta = fx_meta("city", "z", 1, "x");
    assert_int_equal(an_results_write(path, &meta, m, err, sizeof err), 0);
    eng_metrics_free(m);
    int rc;
    char *text = inspect(path, 1, &rc, err, sizeof err);
    assert_int_equal(rc, 0);
    json_t *o = json_loads(text, 0, NULL);
    json_t *d = json_object_get(o, "detection");
    assert_non_null(d);
    assert_true(json_real_value(json_object_get(d, "precision")) == 0.5);
    assert_true(json_real_value(json_object_get(d, "recall")) == 0.25);
    assert_true(fabs(json_real_value(json_object_get(d, "f1")) - 1.0 / 3.0) < 1e-15);
    assert_true(fabs(json_real_value(json_object_get(d, "nab_score")) - 42.852937) < 1e-5);
    assert_int_equal(json_integer_value(json_object_get(d, "fp")), 2);
    assert_int_equal(json_integer_value(json_object_get(d, "windows_hit")), 1);
    json_decref(o);
    free(text);
}

static void test_text(void **state) {
    const char *path = fx_write_run(dir, "city", "hpa", 1, 4.5, "x");
    int rc;
    char err[512];
    char *text = inspect(path, 0, &rc, err, sizeof err);
    assert_int_equal(rc, 0);
    assert_non_null(strstr(text, "cost (USD)"));
    assert_non_null(strstr(text, " 4.5\n"));
    assert_non_null(strstr(text, "latency p50 (ms)"));
    assert_non_null(strstr(text, path));
    free(text);
}

static void test_bad_file(void **state) {
    char path[512];
    snprintf(path, sizeof path, "%s/garbage.h5", dir);
    FILE *f = fopen(path, "w");
    fputs("not hdf5 at all", f);
    fclose(f);
    int rc;
    char err[512];
    char *text = inspect(path, 1, &rc, err, sizeof err);
    assert_int_equal(rc, -1);
    assert_string_equal(text, "");
    assert_non_null(strstr(err, path));
    free(text);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_json),
        cmocka_unit_test(test_detection),
        cmocka_unit_test(test_text),
        cmocka_unit_test(test_bad_file),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
