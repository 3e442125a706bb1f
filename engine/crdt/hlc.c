/* Hybrid logical clock update rules (Kulkarni et al. 2014, Fig. 5). */
#include "engine/crdt/hlc.h"

void crdt_hlc_init(crdt_hlc_clock *clk, rt_time_t max_offset) {
    clk->last = (crdt_hlc){INT64_MIN, 0};
    clk->max_offset = max_offset;
}

/* (l, c + 1), carrying into l when c is exhausted. */
static int successor(int64_t l, uint32_t c, crdt_hlc *out) {
    if (c < UINT32_MAX) {
        *out = (crdt_hlc){l, c + 1};
        return 0;
    }
    if (l == INT64_MAX) return CRDT_ECLOCK;
    *out = (crdt_hlc){l + 1, 0};
    return 0;
}

int crdt_hlc_now(crdt_hlc_clock *clk, rt_time_t pt, crdt_hlc *out) {
    crdt_hlc t = {pt, 0};
    if (pt <= clk->last.l && successor(clk->last.l, clk->last.c, &t)) return CRDT_ECLOCK;
    clk->last = *out = t;
    return 0;
}

int crdt_hlc_recv(crdt_hlc_clock *clk, rt_time_t pt, crdt_hlc m, crdt_hlc *out) {
    if (clk->max_offset > 0 && m.l > pt && (uint64_t)m.l - (uint64_t)pt > (uint64_t)clk->max_offset)
        return CRDT_ECLOCK;
    crdt_hlc l = clk->last, t = {pt, 0};
    int64_t top = l.l > m.l ? l.l : m.l;
    if (top >= pt) {
        uint32_t c = l.l == m.l ? (l.c > m.c ? l.c : m.c) : (l.l > m.l ? l.c : m.c);
        if (successor(top, c, &t)) return CRDT_ECLOCK;
    }
    clk->last = *out = t;
    return 0;
}
