/* The shuffle placement registry: every placement policy of policies/ (one
 * per file, shuffle_*.c), looked up by its YAML name (`shuffle: {policy:
 * temperature, ...}`). The types are the engine's (engine/shuffle.h). */
#ifndef POL_SHUFFLE_H
#define POL_SHUFFLE_H

#include "engine/shuffle.h"

/* The policy registered under `name`, or NULL. */
const eng_shuffle_policy *pol_shuffle_find(const char *name);
/* NULL-terminated table of every policy, and of their names (same order). */
const eng_shuffle_policy *const *pol_shuffle_all(void);
extern const char *const pol_shuffle_names[];

#endif
