/* Full-state sync, the state-based baseline: one round per
 * `sync.interval` on the clock, as periodic, but every round carries the
 * whole state projected to what the peer holds instead of deltas. Its bytes
 * grow with the state, not with the updates — what delta sync is measured
 * against. */
#include "policies/sync_int.h"

static eng_sync_action decide(const eng_sync_opts *o, const eng_sync_obs *obs) {
    return pol_sync__owed(obs) && pol_sync__round_due(o, obs) ? ENG_SYNC_SEND_STATE : ENG_SYNC_WAIT;
}

const eng_sync_policy pol_sync_full_state_ops = {ENG_SYNC_POLICY_ABI, "full_state", decide};
