/* Internal to experiments/: the scenario file's schema table (every key a
 * scenario may hold; docs/scenarios.md documents the same list) and the
 * defaults a scenario starts from before its keys are read. */
#ifndef XP_SCENARIO_FIELDS_H
#define XP_SCENARIO_FIELDS_H

#include "experiments/scenario.h"
#include "experiments/schema.h"

extern const xp_field xp_scenario__fields[];
extern const size_t xp_scenario__nfields;

/* Every option struct's *_defaults(), then the scenario's own defaults
 * (seed 1, 5 seeds, 10 min, 60 s drain, 500 ms SLO, static allocator). */
void xp_scenario__defaults(xp_scenario *s);

/* The sync.partitions hook (scenario_sync.c). */
int xp_scenario__read_partitions(xp_walk *w, const xp_field *f, const xp_ynode *key, const xp_ynode *val);

/* The prefetch section's hook (present = enabled) and the checks of its
 * options against the edge's mode (scenario_prefetch.c). */
int xp_scenario__read_prefetch(xp_walk *w, const xp_field *f, const xp_ynode *key, const xp_ynode *val);
int xp_scenario__check_prefetch(const xp_scenario *s, xp_walk *w);
/* The `prefetch` line of `validate` (nothing when the section is off). */
void xp_scenario__describe_prefetch(const xp_scenario *s, FILE *out);

#endif
