/* `none`: no edge cache at all. Every read is a demand fetch over the WAN
 * and nothing is kept: the baseline every other policy is measured
 * against (the cost of reading cloud state with no edge state). */
#include "policies/prefetch_int.h"

const eng_prefetch_policy pol_prefetch_none_ops = {ENG_PREFETCH_POLICY_ABI, "none", 0, 0, NULL, NULL, NULL};
