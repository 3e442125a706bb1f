/* The wire format's control messages (live/wire.h) against bytes written
 * out by hand from the documented layout: an edge's acknowledgement and a
 * partition's end marker, both ways, and the malformed lengths refused. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>

#include <cmocka.h>
#include <string.h>

#include "live/wire.h"

static void test_ack(void **state) {
    uint64_t keys[2] = {(uint64_t)7 << 32 | 300, (uint64_t)0x01020304 << 32 | 5};
    static const uint8_t want[] = {1,    3,    2,    0,    0,    0, 1, 2, 0, 0, 0, /* site 2, end seen, n 2 */
                                   7,    0,    0,    0,    0x2c, 1, 0, 0,          /* device 7, seq 300 */
                                   0x04, 0x03, 0x02, 0x01, 5,    0, 0, 0}; /* device 0x01020304, seq 5 */
    uint8_t buf[LIVE_WIRE_ACK_HEAD + 16];
    assert_int_equal(live_wire_encode_ack(2, 1, keys, 2, buf), sizeof want);
    assert_memory_equal(buf, want, sizeof want);
    live_wire_msg m;
    assert_int_equal(live_wire_decode(want, sizeof want, 0, &m), LIVE_WIRE_ACK);
    assert_int_equal(m.site, 2);
    assert_int_equal(m.end_seen, 1);
    assert_int_equal(m.nacks, 2);
    uint32_t d, q;
    live_wire_ack_at(&m, 1, &d, &q);
    assert_int_equal(d, 0x01020304);
    assert_int_equal(q, 5);
    assert_int_equal(live_wire_decode(want, sizeof want - 1, 0, &m), -1); /* n says 2 pairs */
    assert_int_equal(live_wire_encode_ack(9, 0, NULL, 0, buf), LIVE_WIRE_ACK_HEAD);
    assert_int_equal(live_wire_decode(buf, LIVE_WIRE_ACK_HEAD, 0, &m), LIVE_WIRE_ACK);
    assert_int_equal(m.end_seen, 0);
    assert_int_equal(m.nacks, 0);
}

static void test_part_end(void **state) {
    live_wire_part_end e = {
        .site = 1, .partition = 3, .readings_in = 750, .readings_out = 700, .records = 70, .bytes = 0x1000};
    uint8_t want[LIVE_WIRE_PART_END_BYTES] = {1, 4, 1, 0, 0, 0, 3, 0, 0, 0};
    want[10] = 0xee, want[11] = 2; /* 750 */
    want[18] = 0xbc, want[19] = 2; /* 700 */
    want[26] = 70;                 /* records */
    want[35] = 0x10;               /* bytes */
    uint8_t buf[LIVE_WIRE_PART_END_BYTES];
    assert_int_equal(live_wire_encode_part_end(&e, buf), LIVE_WIRE_PART_END_BYTES);
    assert_memory_equal(buf, want, sizeof want);
    live_wire_msg m;
    assert_int_equal(live_wire_decode(want, sizeof want, 0, &m), LIVE_WIRE_PART_END);
    assert_memory_equal(&m.pe, &e, sizeof e);
    assert_int_equal(live_wire_decode(want, sizeof want - 1, 0, &m), -1);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_ack),
        cmocka_unit_test(test_part_end),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
