/* Periodic delta sync: one anti-entropy round per `sync.interval`, on the
 * clock (at the first timer tick at or after each multiple of the
 * interval), carrying every delta the peer has not acknowledged — so a lost
 * round is repaired by the next one. An update waits for the next round:
 * visibility latency is the wait (half an interval on average for updates
 * spread over it) plus the link; one message per interval while anything is
 * owed. */
#include "policies/sync_int.h"

static eng_sync_action decide(const eng_sync_opts *o, const eng_sync_obs *obs) {
    return pol_sync__owed(obs) && pol_sync__round_due(o, obs) ? ENG_SYNC_SEND_DELTA : ENG_SYNC_WAIT;
}

const eng_sync_policy pol_sync_periodic_ops = {ENG_SYNC_POLICY_ABI, "periodic", decide};
