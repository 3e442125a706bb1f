/* The live recorder (live/recorder.h) read back by the generic CSV trace
 * reader of traces/ with the column map docs/live.md gives (time ts as
 * epoch_s, device, value, label): readings recorded out of order within
 * the hold come back in device-time order, each once, with its timestamp
 * exact to the nanosecond, its value exact to the bit and its label; a
 * reading later than the hold is counted, not written. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>

#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "engine/tmp.h"
#include "live/recorder.h"
#include "traces/reader.h"

#define EPOCH0 1732680000123456789LL /* a run origin with every digit used */
#define N 2000

static eng_rec reading(uint32_t i) {
    /* device i % 7, 3 ms apart, values that print with 17 significant digits */
    eng_rec r = eng_rec_raw((rt_time_t)i * 3 * RT_MS + i % 5, i % 7, i / 7, (uint16_t)(i % 3), 1.0 / (i + 3),
                            i % 11 == 0 ? ENG_REC_ANOMALY : 0);
    return r;
}

static void test_round_trip(void **state) {
    char path[512];
    assert_int_equal(eng_tmp_path(path, sizeof path, "sparkiot-recorder-XXXXXX"), 0);
    int fd = mkstemp(path);
    assert_true(fd >= 0);
    close(fd);
    char err[512];
    live_recorder *rec = live_recorder_open(path, EPOCH0, RT_S, err, sizeof err);
    if (!rec) fail_msg("%s", err);
    /* in blocks of 100, each block reversed: out of order by up to 0.3 s */
    for (uint32_t b = 0; b < N; b += 100) {
        eng_rec blk[100];
        for (uint32_t i = 0; i < 100; i++) blk[i] = reading(b + 99 - i);
        live_recorder_add(rec, blk, 100);
    }
    eng_rec late = reading(10); /* 6 s after it was due */
    live_recorder_add(rec, &late, 1);
    live_recorder_stats st;
    assert_int_equal(live_recorder_close(rec, &st, err, sizeof err), 0);
    assert_int_equal(st.written, N);
    assert_int_equal(st.late, 1);

    tr_colmap cols = {
        .time = "ts", .time_format = TR_TIME_EPOCH_S, .device = "device", .nvalues = 1, .label = "label"};
    strcpy(cols.values[0], "value");
    tr_reader *r = tr_reader_open(path, TR_FMT_CSV, &cols, 1, NULL, NULL, err, sizeof err);
    if (!r) fail_msg("%s", err);
    tr_row row;
    int64_t n = 0, prev = INT64_MIN;
    int rc;
    while ((rc = tr_reader_next(r, &row, err, sizeof err)) == 1) {
        const eng_rec want = reading((uint32_t)n); /* sorted order is generation order here */
        assert_int_equal(row.ts, EPOCH0 + want.ts);
        assert_true(row.ts >= prev);
        prev = row.ts;
        assert_int_equal(row.nvalues, 1);
        assert_memory_equal(&row.values[0], &want.value, sizeof want.value);
        assert_int_equal(row.anomaly, want.flags & ENG_REC_ANOMALY ? 1 : 0);
        n++;
    }
    if (rc < 0) fail_msg("%s", err);
    assert_int_equal(n, N);
    assert_int_equal(tr_reader_devices(r), 7);
    tr_reader_close(r);
    unlink(path);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_round_trip),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
