/* Hybrid logical clocks (Kulkarni, Demirbas, Madappa, Avva, Leone: "Logical
 * Physical Clocks", OPODIS 2014): timestamps (l, c) that stay within the
 * clock offset of physical time, never go backwards even when the physical
 * clock does, and order causally related events. The LWW register orders
 * its writes by them (ties between replicas broken by replica id). A replica
 * keeps one clock, stamps each local write or send with crdt_hlc_now, and
 * feeds every timestamp it receives to crdt_hlc_recv. Physical time is passed
 * in (rt_now in the engine), so the clock is deterministic in simulation. */
#ifndef CRDT_HLC_H
#define CRDT_HLC_H

#include "engine/crdt/crdt.h"
#include "engine/rt.h"

typedef struct crdt_hlc_clock {
    crdt_hlc last;        /* the latest timestamp issued or received */
    rt_time_t max_offset; /* receive rejects l more than this ahead of pt; 0 disables */
} crdt_hlc_clock;

/* A clock at (INT64_MIN, 0), so the first event takes the physical time. */
void crdt_hlc_init(crdt_hlc_clock *clk, rt_time_t max_offset);

/* A local or send event at physical time pt:
 *   l' = max(l, pt); c' = (l' == l) ? c + 1 : 0.
 * Stores the new timestamp in *out and returns 0, or CRDT_ECLOCK (clock
 * unchanged) if it would pass (INT64_MAX, UINT32_MAX). When c would pass
 * UINT32_MAX, l advances by 1 ns and c restarts at 0 (still monotonic). */
int crdt_hlc_now(crdt_hlc_clock *clk, rt_time_t pt, crdt_hlc *out);

/* A receive event at physical time pt of a message stamped m:
 *   l' = max(l, m.l, pt);
 *   c' = c_max + 1 where c_max is the largest c among {l, m.l} equal to l'
 *        (both if both are), or c' = 0 if l' == pt only.
 * Returns 0 with *out set, or CRDT_ECLOCK with the clock unchanged if
 * max_offset > 0 and m.l - pt > max_offset (a peer's clock far ahead). */
int crdt_hlc_recv(crdt_hlc_clock *clk, rt_time_t pt, crdt_hlc m, crdt_hlc *out);

#endif
