/* The devices' resend buffer (live/unacked.h) against a plain array model:
 * random adds and acknowledgements (duplicates of both included) keep
 * exactly the readings added and not yet acknowledged — the table's
 * backward-shift deletion must leave every remaining key reachable — and
 * due() hands out exactly those last sent before the cut-off, once, with
 * their fields intact. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>

#include <cmocka.h>
#include <stdlib.h>
#include <string.h>

#include "live/unacked.h"

#define DEVICES 64
#define SEQS 200

static void test_matches_model(void **state) {
    live_unacked *u = live_unacked_new();
    assert_non_null(u);
    static char held[DEVICES][SEQS];
    static rt_time_t sent[DEVICES][SEQS];
    memset(held, 0, sizeof held);
    srand(7);
    size_t n = 0;
    for (int step = 0; step < 60000; step++) {
        uint32_t d = (uint32_t)rand() % DEVICES, q = (uint32_t)rand() % SEQS;
        if (rand() % 3) {
            eng_rec r = eng_rec_raw(step, d, q, (uint16_t)(q % 3), d * 1000.0 + q, 0);
            live_unacked_add(u, &r, step);
            if (!held[d][q]) sent[d][q] = step, n++;
            held[d][q] = 1;
        } else {
            assert_int_equal(live_unacked_ack(u, d, q), held[d][q]);
            n -= held[d][q];
            held[d][q] = 0;
        }
        if (step % 5000 == 0) assert_int_equal(live_unacked_count(u), n);
    }
    assert_int_equal(live_unacked_count(u), n);
    /* due: every held reading sent before the cut-off, once */
    rt_time_t cut = 30000;
    size_t want = 0;
    for (int d = 0; d < DEVICES; d++)
        for (int q = 0; q < SEQS; q++) want += held[d][q] && sent[d][q] < cut;
    eng_rec *out = malloc(n * sizeof *out);
    size_t got = live_unacked_due(u, cut, 99999, out, n);
    assert_int_equal(got, want);
    for (size_t i = 0; i < got; i++) {
        assert_true(held[out[i].device][out[i].seq]);
        assert_true(sent[out[i].device][out[i].seq] < cut);
        assert_true(out[i].value == out[i].device * 1000.0 + out[i].seq);
        held[out[i].device][out[i].seq] = 2; /* handed out */
    }
    assert_int_equal(live_unacked_due(u, cut, 99999, out, n), 0); /* now sent at 99999 */
    assert_int_equal(live_unacked_due(u, 100000, 100000, out, n), n);
    free(out);
    live_unacked_free(u);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_matches_model),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
