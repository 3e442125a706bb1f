/* Eager delta sync: every new delta leaves at once (with everything still
 * unacknowledged), and unacknowledged deltas are sent again once
 * `sync.interval` has passed without a send. Lowest visibility latency — the
 * link's own — at the price of a message per update, each repeating what is
 * still in flight. */
#include "policies/sync_int.h"

static eng_sync_action decide(const eng_sync_opts *o, const eng_sync_obs *obs) {
    if (!pol_sync__owed(obs)) return ENG_SYNC_WAIT;
    return obs->unsent > 0 || obs->since_send >= o->interval ? ENG_SYNC_SEND_DELTA : ENG_SYNC_WAIT;
}

const eng_sync_policy pol_sync_eager_ops = {ENG_SYNC_POLICY_ABI, "eager", decide};
