/* remote_service — every block is pushed to the remote shuffle service
 * (Apache Celeborn, Spark's push-based shuffle with Magnet): reducer r's
 * blocks are merged on service host r mod hosts, survive executor
 * releases, and cost the service hosts for the whole run. No parameters. */
#include "policies/shuffle_int.h"

const eng_shuffle_policy pol_shuffle_remote_service_ops = POL_SHUFFLE_ONE_TIER(
    "remote_service", "a remote shuffle service in the region (Celeborn, Magnet)", ENG_TIER_REMOTE);
