/* An overloaded pipeline still ends cleanly and accounts for every reading:
 * when the run ends with a batch in flight and tasks queued, the batch runs
 * to its end, the rest is reported as queued, and nothing is lost. Also with
 * a per-trigger cap that leaves most of the input on the bus. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>

#include <cmocka.h>
#include <stdio.h>
#include <unistd.h>

#include "scn.h"

static void check(const char *const *sets, size_t n) {
    char dir[64], out[128];
    scn_tmpdir(dir, sizeof dir);
    snprintf(out, sizeof out, "%s/o.h5", dir);
    an_run_summary s;
    scn_run("experiments/scenarios/bench_sim.yaml", sets, n, 1, out, &s);
    unlink(out);
    rmdir(dir);
    assert_true(s.s.readings_out > 0);
    assert_true(s.s.readings_queued > 0);
    assert_int_equal(s.s.readings_lost, 0);
    assert_int_equal(s.s.readings_in, s.s.readings_out + s.s.readings_queued + s.s.readings_filtered);
    assert_int_equal(s.s.readings_in, 60000); /* 10,000 devices, one reading each 10 s, 60 s */
}

static void test_overloaded_end(void **state) {
    const char *sets[] = {"duration=60s", "drain=0s", "pipeline.map_flops=1e8"};
    check(sets, 3);
}

static void test_capped_triggers(void **state) {
    const char *sets[] = {"duration=60s", "drain=5s", "pipeline.max_records_per_trigger=100"};
    check(sets, 3);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_overloaded_end),
        cmocka_unit_test(test_capped_triggers),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
