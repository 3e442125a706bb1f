/* `lru`: a demand cache without prediction. A miss is fetched and kept; when
 * the budget is full the least recently read items leave. Nothing is
 * fetched ahead of need. */
#include "policies/prefetch_int.h"

const eng_prefetch_policy pol_prefetch_lru_ops = {ENG_PREFETCH_POLICY_ABI, "lru", 1, 0, NULL, NULL, NULL};
