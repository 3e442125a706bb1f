/* The allocator registry and the parameter checks every variant shares:
 * lookup by YAML name, the table's contents, unknown parameters with the
 * nearest known name (Levenshtein distance, worked by hand below), and
 * out-of-range values refused with the parameter, range and place. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>

#include <cmocka.h>

#include "tests/policies/alloc_fixture.h"

static void test_find_by_name(void **unused) {
    const char *names[] = {"static", "hpa", "spark_dynamic", "spark_streaming", "oracle"};
    for (size_t i = 0; i < 5; i++) {
        const eng_alloc_ops *ops = pol_alloc_find(names[i]);
        assert_non_null(ops);
        assert_string_equal(ops->name, names[i]);
        assert_int_equal(ops->abi, ENG_ALLOC_ABI);
    }
    assert_null(pol_alloc_find("HPA"));
    assert_null(pol_alloc_find("spark"));
    assert_null(pol_alloc_find(""));
}

static void test_table_is_complete_and_consistent(void **unused) {
    const eng_alloc_ops *const *all = pol_alloc_all();
    size_t n = 0;
    for (; all[n]; n++) {
        assert_ptr_equal(pol_alloc_find(all[n]->name), all[n]);
        assert_non_null(all[n]->summary);
        assert_non_null(all[n]->param_names);
        assert_non_null(all[n]->init);
        assert_non_null(all[n]->decide);
        assert_non_null(all[n]->free);
        for (size_t j = 0; j < n; j++) assert_string_not_equal(all[j]->name, all[n]->name);
    }
    assert_int_equal(n, 7);
    /* Every variant starts with its published defaults and no parameter. */
    for (size_t i = 0; all[i]; i++) {
        eng_alloc_opts o;
        fx_opts(&o, all[i]->name, 2, 10, 3);
        /* The learning allocators need a checkpoint, or a learner (training). */
        eng_alloc_learner learner = {0};
        if (!strcmp(all[i]->name, "dqn") || !strcmp(all[i]->name, "ppo")) o.learner = &learner;
        void *st = fx_init(&o);
        fx_free(&o, st);
    }
}

static void test_param_get(void **unused) {
    eng_alloc_opts o;
    fx_opts(&o, "hpa", 1, 10, 1);
    fx_param(&o, "tolerance", 0.05);
    assert_true(pol_param_get(&o, "tolerance", 0.1) == 0.05);
    assert_true(pol_param_get(&o, "sync_period", 7.0) == 7.0);
}

/* "tolerence" -> "tolerance": one substitution (e -> a), distance 1. */
static void test_unknown_parameter_suggests_nearest(void **unused) {
    eng_alloc_opts o;
    fx_opts(&o, "hpa", 1, 10, 1);
    fx_param_at(&o, "tolerence", 0.1, 12, 7);
    assert_string_equal(
        fx_init_error(&o),
        "allocator hpa: unknown parameter 'tolerence' (line 12, column 7); did you mean "
        "'tolerance'? Known: target_utilisation, tolerance, sync_period, stabilisation_window");
}

/* "sustained_timeout" -> "sustained_backlog_timeout": 8 insertions
 * ("backlog_"), a third of 25 characters or less: still suggested. Without a
 * file position the message has none. */
static void test_unknown_parameter_by_insertions(void **unused) {
    eng_alloc_opts o;
    fx_opts(&o, "spark_dynamic", 1, 10, 1);
    fx_param(&o, "sustained_timeout", 1e9);
    assert_string_equal(fx_init_error(&o),
                        "allocator spark_dynamic: unknown parameter 'sustained_timeout'; did "
                        "you mean 'sustained_backlog_timeout'? Known: backlog_timeout, "
                        "sustained_backlog_timeout, idle_timeout");
}

/* "cooldown" is 7 edits from the nearest HPA name, "tolerance" (and 10, 16,
 * 16 from the others): more than a third of 9 characters, no suggestion. */
static void test_unknown_parameter_far_from_all(void **unused) {
    eng_alloc_opts o;
    fx_opts(&o, "hpa", 1, 10, 1);
    fx_param(&o, "cooldown", 30);
    assert_string_equal(fx_init_error(&o),
                        "allocator hpa: unknown parameter 'cooldown'; known: "
                        "target_utilisation, tolerance, sync_period, stabilisation_window");
}

static void test_params_check_direct(void **unused) {
    static const char *const names[] = {"executors", NULL};
    static const char *const none[] = {NULL};
    eng_alloc_opts o;
    char err[256];
    fx_opts(&o, "static", 1, 10, 1);
    assert_int_equal(pol_params_check(&o, names, err, sizeof(err)), 0);
    fx_param(&o, "executors", 3);
    assert_int_equal(pol_params_check(&o, names, err, sizeof(err)), 0);
    fx_param_at(&o, "executor", 3, 4, 3); /* one deletion away */
    assert_int_equal(pol_params_check(&o, names, err, sizeof(err)), -1);
    assert_string_equal(err,
                        "allocator static: unknown parameter 'executor' (line 4, column 3); did you mean "
                        "'executors'? Known: executors");
    fx_opts(&o, "x", 1, 10, 1);
    fx_param(&o, "a", 1);
    assert_int_equal(pol_params_check(&o, none, err, sizeof(err)), -1);
    assert_string_equal(err, "allocator x: unknown parameter 'a'; known: none");
    /* A short buffer truncates the message, never overflows. */
    char small[16];
    assert_int_equal(pol_params_check(&o, names, small, sizeof(small)), -1);
    assert_int_equal(strlen(small), sizeof(small) - 1);
}

static void test_duplicate_parameter(void **unused) {
    eng_alloc_opts o;
    fx_opts(&o, "static", 1, 10, 1);
    fx_param_at(&o, "executors", 3, 5, 3);
    fx_param_at(&o, "executors", 4, 6, 3);
    assert_string_equal(fx_init_error(&o),
                        "allocator static: parameter 'executors' given twice (line 6, column 3)");
}

static void test_out_of_range_values(void **unused) {
    eng_alloc_opts o;
    fx_opts(&o, "hpa", 1, 10, 1);
    fx_param_at(&o, "tolerance", 1.0, 3, 5);
    assert_string_equal(fx_init_error(&o),
                        "allocator hpa: parameter 'tolerance' must be in [0, 1), got 1 (line 3, column 5)");
    fx_opts(&o, "hpa", 1, 10, 1);
    fx_param(&o, "target_utilisation", 0);
    assert_string_equal(fx_init_error(&o),
                        "allocator hpa: parameter 'target_utilisation' must be in (0, 1], got 0");
    fx_opts(&o, "hpa", 1, 10, 1);
    fx_param(&o, "stabilisation_window", -1e9);
    assert_string_equal(fx_init_error(&o),
                        "allocator hpa: parameter 'stabilisation_window' must be in [0, 3600] s, got -1 s");
    fx_opts(&o, "hpa", 1, 10, 1);
    fx_param(&o, "sync_period", 0);
    assert_string_equal(fx_init_error(&o),
                        "allocator hpa: parameter 'sync_period' must be in [1, 3600] s, got 0 s");

    fx_opts(&o, "spark_dynamic", 1, 10, 1);
    fx_param(&o, "idle_timeout", -5e9);
    assert_string_equal(
        fx_init_error(&o),
        "allocator spark_dynamic: parameter 'idle_timeout' must be in (0, 3.1536e+07] s, got -5 s");
    fx_opts(&o, "spark_dynamic", 1, 10, 1);
    fx_param(&o, "backlog_timeout", 0);
    assert_non_null(strstr(fx_init_error(&o), "'backlog_timeout' must be in (0,"));

    fx_opts(&o, "spark_streaming", 1, 10, 1);
    fx_param(&o, "scaling_up_ratio", 0.3);
    fx_param(&o, "scaling_down_ratio", 0.5);
    assert_string_equal(fx_init_error(&o),
                        "allocator spark_streaming: scaling_up_ratio (0.3) must be greater than "
                        "scaling_down_ratio (0.5)");
    fx_opts(&o, "spark_streaming", 1, 10, 1);
    fx_param(&o, "scaling_interval", -60e9);
    assert_non_null(strstr(fx_init_error(&o), "'scaling_interval' must be in (0,"));
    fx_opts(&o, "spark_streaming", 1, 10, 1);
    fx_param(&o, "scaling_down_ratio", -0.1);
    assert_non_null(strstr(fx_init_error(&o), "'scaling_down_ratio' must be in (0, inf), got -0.1"));

    fx_opts(&o, "static", 2, 20, 4);
    fx_param(&o, "executors", 25);
    assert_string_equal(fx_init_error(&o),
                        "allocator static: parameter 'executors' must be a whole number in [2, 20], got 25");
    fx_opts(&o, "static", 2, 20, 4);
    fx_param(&o, "executors", 2.5);
    assert_non_null(strstr(fx_init_error(&o), "got 2.5"));
}

static void test_min_above_max(void **unused) {
    const eng_alloc_ops *const *all = pol_alloc_all();
    for (size_t i = 0; all[i]; i++) {
        eng_alloc_opts o;
        fx_opts(&o, all[i]->name, 5, 4, 4);
        char want[128];
        snprintf(want, sizeof(want), "allocator %s: min_executors (5) exceeds max_executors (4)",
                 all[i]->name);
        assert_string_equal(fx_init_error(&o), want);
    }
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_find_by_name),
        cmocka_unit_test(test_table_is_complete_and_consistent),
        cmocka_unit_test(test_param_get),
        cmocka_unit_test(test_unknown_parameter_suggests_nearest),
        cmocka_unit_test(test_unknown_parameter_by_insertions),
        cmocka_unit_test(test_unknown_parameter_far_from_all),
        cmocka_unit_test(test_params_check_direct),
        cmocka_unit_test(test_duplicate_parameter),
        cmocka_unit_test(test_out_of_range_values),
        cmocka_unit_test(test_min_above_max),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
