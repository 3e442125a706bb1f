/* The prefetch policy registry: every prefetch policy of policies/ (one per
 * file, prefetch_*.c), looked up by its YAML name (`prefetch: {policy:
 * lstm}`). A policy predicts, after each window an edge gateway reads, how
 * often each key of cloud state will be read in the next one; the edge
 * cache (engine/prefetch.h) prefetches from those predictions. */
#ifndef POL_PREFETCH_H
#define POL_PREFETCH_H

#include "engine/prefetch.h"

/* The policy registered under `name`, or NULL. */
const eng_prefetch_policy *pol_prefetch_find(const char *name);
/* Every policy's name, NULL-terminated, in registry order: index i names
 * pol_prefetch_all()[i] (the scenario schema reads `prefetch.policy` as an
 * index). */
extern const char *const pol_prefetch_names[];
/* NULL-terminated table of every policy. */
const eng_prefetch_policy *const *pol_prefetch_all(void);

#endif
