/* The sync policy registry: every sync policy of policies/ (one per file,
 * sync_*.c), looked up by its YAML name (`sync: {policy: eager}`). A policy
 * decides, for one peer at a time, whether an agent sends now and whether it
 * sends deltas or its whole state; the types are the engine's
 * (engine/sync.h). */
#ifndef POL_SYNC_H
#define POL_SYNC_H

#include "engine/sync.h"

/* The policy registered under `name`, or NULL. */
const eng_sync_policy *pol_sync_find(const char *name);
/* Every policy's name, NULL-terminated, in registry order: index i names
 * pol_sync_all()[i] (the scenario schema reads `sync.policy` as an index). */
extern const char *const pol_sync_names[];
/* NULL-terminated table of every policy. */
const eng_sync_policy *const *pol_sync_all(void);

#endif
