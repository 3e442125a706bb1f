/* What the prefetch policies of policies/ share and nothing else sees:
 * their ops tables (listed by the registry, prefetch_registry.c). */
#ifndef POL_PREFETCH_INT_H
#define POL_PREFETCH_INT_H

#include "policies/prefetch.h"

extern const eng_prefetch_policy pol_prefetch_none_ops;
extern const eng_prefetch_policy pol_prefetch_lru_ops;
extern const eng_prefetch_policy pol_prefetch_ewma_ops;
extern const eng_prefetch_policy pol_prefetch_ar_ops;
extern const eng_prefetch_policy pol_prefetch_lstm_ops;

#endif
