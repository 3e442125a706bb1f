/* Adaptive delta sync, after TCP: Nagle's rule for new deltas and a
 * retransmission timer with exponential backoff for unacknowledged ones.
 * - New deltas leave at once when nothing is in flight (an idle link costs
 *   no latency), or when `sync.batch_bytes` of them wait; otherwise they
 *   wait for the acknowledgement and ride with the next send.
 * - A send still unacknowledged after the timeout is repeated; the timeout
 *   is twice the measured round trip (at least interval / 10) and doubles
 *   with each unanswered send, up to `sync.max_backoff` — so a partition
 *   costs a few messages rather than one per interval, and the first
 *   exchange after it heals comes within max_backoff. */
#include "policies/sync_int.h"

/* The retransmission timeout after `outstanding` unanswered sends. */
static rt_time_t timeout(const eng_sync_opts *o, const eng_sync_obs *obs) {
    rt_time_t rto = 4 * obs->link_latency;
    if (rto < o->interval / 10) rto = o->interval / 10;
    for (uint32_t i = 1; i < obs->acks_outstanding && rto < o->max_backoff; i++) rto *= 2;
    return rto < o->max_backoff ? rto : o->max_backoff;
}

static eng_sync_action decide(const eng_sync_opts *o, const eng_sync_obs *obs) {
    if (!pol_sync__owed(obs)) return ENG_SYNC_WAIT;
    if (obs->acks_outstanding == 0) return ENG_SYNC_SEND_DELTA;
    if (obs->unsent_bytes >= o->batch_bytes) return ENG_SYNC_SEND_DELTA;
    return obs->since_send >= timeout(o, obs) ? ENG_SYNC_SEND_DELTA : ENG_SYNC_WAIT;
}

const eng_sync_policy pol_sync_adaptive_ops = {ENG_SYNC_POLICY_ABI, "adaptive", decide};
