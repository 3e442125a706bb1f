/* The wire format of readings and records (layout in live/wire.h): byte by
 * byte little-endian, so the format is the same on every host. */
#include "live/wire.h"

#include <string.h>

static void put16(uint8_t *p, uint16_t v) {
    p[0] = (uint8_t)v;
    p[1] = (uint8_t)(v >> 8);
}
static void put32(uint8_t *p, uint32_t v) {
    for (int i = 0; i < 4; i++) p[i] = (uint8_t)(v >> 8 * i);
}
static void put64(uint8_t *p, uint64_t v) {
    for (int i = 0; i < 8; i++) p[i] = (uint8_t)(v >> 8 * i);
}
static void putf(uint8_t *p, double v) {
    uint64_t u;
    memcpy(&u, &v, sizeof u);
    put64(p, u);
}
static uint16_t get16(const uint8_t *p) { return (uint16_t)(p[0] | p[1] << 8); }
static uint32_t get32(const uint8_t *p) {
    uint32_t v = 0;
    for (int i = 3; i >= 0; i--) v = v << 8 | p[i];
    return v;
}
static uint64_t get64(const uint8_t *p) {
    uint64_t v = 0;
    for (int i = 7; i >= 0; i--) v = v << 8 | p[i];
    return v;
}
static double getf(const uint8_t *p) {
    uint64_t u = get64(p);
    double v;
    memcpy(&v, &u, sizeof v);
    return v;
}

static int is_raw(const eng_rec *r) {
    return r->count == 1 && r->ts_last == r->ts && r->min == r->value && r->max == r->value;
}

size_t live_wire_encode(const eng_rec *r, int64_t epoch0, uint8_t *buf) {
    int raw = is_raw(r);
    buf[0] = LIVE_WIRE_VERSION;
    buf[1] = raw ? LIVE_WIRE_RAW : LIVE_WIRE_AGG;
    put16(buf + 2, r->metric);
    put16(buf + 4, r->flags);
    put32(buf + 6, r->device);
    put32(buf + 10, r->seq);
    put64(buf + 14, (uint64_t)(epoch0 + r->ts));
    putf(buf + 22, r->value);
    if (raw) return LIVE_WIRE_RAW_BYTES;
    put64(buf + 30, (uint64_t)(epoch0 + r->ts_last));
    put32(buf + 38, r->count);
    putf(buf + 42, r->min);
    putf(buf + 50, r->max);
    return LIVE_WIRE_AGG_BYTES;
}

size_t live_wire_encode_end(uint32_t site, uint64_t published, uint8_t *buf) {
    buf[0] = LIVE_WIRE_VERSION;
    buf[1] = LIVE_WIRE_END;
    put32(buf + 2, site);
    put64(buf + 6, published);
    return LIVE_WIRE_END_BYTES;
}

size_t live_wire_encode_ack(uint32_t site, int end_seen, const uint64_t *keys, uint32_t n, uint8_t *buf) {
    buf[0] = LIVE_WIRE_VERSION;
    buf[1] = LIVE_WIRE_ACK;
    put32(buf + 2, site);
    buf[6] = end_seen ? 1 : 0;
    put32(buf + 7, n);
    for (uint32_t i = 0; i < n; i++) {
        put32(buf + LIVE_WIRE_ACK_HEAD + 8 * i, (uint32_t)(keys[i] >> 32));
        put32(buf + LIVE_WIRE_ACK_HEAD + 8 * i + 4, (uint32_t)keys[i]);
    }
    return LIVE_WIRE_ACK_HEAD + 8 * (size_t)n;
}

size_t live_wire_encode_part_end(const live_wire_part_end *e, uint8_t *buf) {
    buf[0] = LIVE_WIRE_VERSION;
    buf[1] = LIVE_WIRE_PART_END;
    put32(buf + 2, e->site);
    put32(buf + 6, e->partition);
    put64(buf + 10, e->readings_in);
    put64(buf + 18, e->readings_out);
    put64(buf + 26, e->records);
    put64(buf + 34, e->bytes);
    return LIVE_WIRE_PART_END_BYTES;
}

void live_wire_ack_at(const live_wire_msg *m, uint32_t i, uint32_t *device, uint32_t *seq) {
    *device = get32(m->acks + 8 * i);
    *seq = get32(m->acks + 8 * i + 4);
}

/* Kinds 2, 3 and 4: the control messages. */
static int decode_control(const uint8_t *p, size_t len, live_wire_msg *m) {
    switch (m->kind) {
    case LIVE_WIRE_END:
        if (len != LIVE_WIRE_END_BYTES) return -1;
        m->site = get32(p + 2);
        m->published = get64(p + 6);
        return m->kind;
    case LIVE_WIRE_ACK:
        if (len < LIVE_WIRE_ACK_HEAD || p[6] > 1) return -1;
        m->site = get32(p + 2);
        m->end_seen = p[6];
        m->nacks = get32(p + 7);
        if (m->nacks > LIVE_WIRE_ACK_MAX || len != LIVE_WIRE_ACK_HEAD + 8 * (size_t)m->nacks) return -1;
        m->acks = p + LIVE_WIRE_ACK_HEAD;
        return m->kind;
    default: /* LIVE_WIRE_PART_END */
        if (len != LIVE_WIRE_PART_END_BYTES) return -1;
        m->pe = (live_wire_part_end){.site = get32(p + 2),
                                     .partition = get32(p + 6),
                                     .readings_in = get64(p + 10),
                                     .readings_out = get64(p + 18),
                                     .records = get64(p + 26),
                                     .bytes = get64(p + 34)};
        return m->kind;
    }
}

int live_wire_decode(const void *data, size_t len, int64_t epoch0, live_wire_msg *m) {
    const uint8_t *p = data;
    if (len < 2 || p[0] != LIVE_WIRE_VERSION) return -1;
    memset(m, 0, sizeof *m);
    m->kind = p[1];
    if (m->kind >= LIVE_WIRE_END && m->kind <= LIVE_WIRE_PART_END) return decode_control(p, len, m);
    if (!(m->kind == LIVE_WIRE_RAW && len == LIVE_WIRE_RAW_BYTES) &&
        !(m->kind == LIVE_WIRE_AGG && len == LIVE_WIRE_AGG_BYTES))
        return -1;
    eng_rec *r = &m->rec;
    r->metric = get16(p + 2);
    r->flags = get16(p + 4);
    r->device = get32(p + 6);
    r->seq = get32(p + 10);
    r->ts = (rt_time_t)get64(p + 14) - epoch0;
    r->value = getf(p + 22);
    if (m->kind == LIVE_WIRE_RAW) {
        r->ts_last = r->ts;
        r->count = 1;
        r->min = r->max = r->value;
        return m->kind;
    }
    r->ts_last = (rt_time_t)get64(p + 30) - epoch0;
    r->count = get32(p + 38);
    r->min = getf(p + 42);
    r->max = getf(p + 50);
    return m->kind;
}
