/* Convergence of every CRDT type (and of maps of every value type): 3-5
 * replicas apply random operations and exchange delta groups through a
 * random schedule that drops, duplicates and reorders messages. After a
 * final full exchange every replica holds the same state and its value is
 * the sequential model's (cases.c: the sum of all increments, the extremum,
 * the write with the greatest HLC stamp, the adds no remove saw). Over a
 * network that loses nothing (but still duplicates and reorders), deltas
 * alone must converge, with no full exchange. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>

#include <cmocka.h>

#include "crdt/harness.h"

enum { WORLDS = 30, STEPS = 300 };

static void test_lossy(void **state) {
    const tcase *tc = *state;
    double sent = 0, dropped = 0, duplicated = 0;
    for (unsigned long seed = 1; seed <= WORLDS; seed++) {
        world *w = world_new(tc, 1000 + seed, 3 + (int)(seed % 3), (wnet){0.25, 0.15});
        world_run(w, STEPS);
        world_full_exchange(w);
        world_check_converged(w);
        sent += w->sent, dropped += w->dropped, duplicated += w->duplicated;
        world_free(w);
    }
    /* the schedule really was faulty */
    assert_true(dropped > 0.15 * sent && dropped < 0.35 * sent);
    assert_true(duplicated > 0.05 * sent);
}

static void test_deltas_alone(void **state) {
    const tcase *tc = *state;
    for (unsigned long seed = 1; seed <= WORLDS; seed++) {
        world *w = world_new(tc, 5000 + seed, 3 + (int)(seed % 3), (wnet){0, 0.2});
        world_run(w, STEPS);
        world_drain(w);
        world_check_converged(w);
        world_free(w);
    }
}

int main(void) {
    static const CMUnitTestFunction fn[] = {test_lossy, test_deltas_alone};
    static const char *const label[] = {"lossy network, full exchange", "deltas alone"};
    struct CMUnitTest tests[32];
    size_t n = case_tests(tests, 32, fn, label, 2);
    return _cmocka_run_group_tests("crdt_converge", tests, n, NULL, NULL);
}
