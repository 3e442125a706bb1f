/* local_disk — every block is written to the local SSD of the executor that
 * wrote it (Spark with its shuffle files always on disk: what the external
 * shuffle service serves). Blocks never move, and are lost with their
 * executor. No parameters. */
#include "policies/shuffle_int.h"

const eng_shuffle_policy pol_shuffle_local_disk_ops =
    POL_SHUFFLE_ONE_TIER("local_disk", "the executor's local SSD", ENG_TIER_LOCAL_SSD);
