/* memory_only — Spark's default shuffle storage: every block goes to the
 * memory of the executor that wrote it; a block that does not fit spills to
 * the executor's local disk (and, beyond that, to the object store, where
 * Spark would fail the task). Blocks never move, and are lost with their
 * executor. No parameters. */
#include "policies/shuffle_int.h"

const eng_shuffle_policy pol_shuffle_memory_only_ops = POL_SHUFFLE_ONE_TIER(
    "memory_only", "Spark's default: executor memory, spilling to its local disk", ENG_TIER_MEMORY);
