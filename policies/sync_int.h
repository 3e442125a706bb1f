/* What the sync policies of policies/ share and nothing else sees: their
 * ops tables (listed by the registry, sync_registry.c) and the facts every
 * policy starts from. */
#ifndef POL_SYNC_INT_H
#define POL_SYNC_INT_H

#include "policies/sync.h"

extern const eng_sync_policy pol_sync_periodic_ops;
extern const eng_sync_policy pol_sync_eager_ops;
extern const eng_sync_policy pol_sync_adaptive_ops;
extern const eng_sync_policy pol_sync_full_state_ops;

/* The peer lacks something: buffered deltas, or a state after some expired. */
static inline int pol_sync__owed(const eng_sync_obs *obs) { return obs->pending > 0 || obs->need_state; }

/* This is the first timer tick at or after a multiple of `sync.interval`:
 * rounds happen on the clock, whenever the updates come. */
static inline int pol_sync__round_due(const eng_sync_opts *o, const eng_sync_obs *obs) {
    return obs->timer && obs->now / o->interval > (obs->now - o->tick) / o->interval;
}

#endif
