/* What the placement policies of policies/ share and nothing else sees:
 * their ops tables (listed by shuffle_registry.c), the checked parameter
 * readers their init functions use and the hooks of policies that keep no
 * history (shuffle_params.c). */
#ifndef POL_SHUFFLE_INT_H
#define POL_SHUFFLE_INT_H

#include <stddef.h>

#include "policies/shuffle.h"

extern const eng_shuffle_policy pol_shuffle_memory_only_ops;
extern const eng_shuffle_policy pol_shuffle_local_disk_ops;
extern const eng_shuffle_policy pol_shuffle_remote_service_ops;
extern const eng_shuffle_policy pol_shuffle_object_store_ops;
extern const eng_shuffle_policy pol_shuffle_age_ops;
extern const eng_shuffle_policy pol_shuffle_temperature_ops;

/* Every parameter is one of `names`; -1 with a message listing them. */
int pol_shuffle__check(const eng_shuffle_opts *o, const char *const *names, char *err, size_t errlen);
/* The value of `key` (`dflt` if absent) into *out, within [lo, hi]; -1 with
 * a message naming the parameter, the range and where it was written. */
int pol_shuffle__real(const eng_shuffle_opts *o, const char *key, double dflt, double lo, double hi,
                      double *out, char *err, size_t errlen);
/* The same for a duration in ns (messages in seconds). */
int pol_shuffle__duration(const eng_shuffle_opts *o, const char *key, rt_time_t dflt, rt_time_t lo,
                          rt_time_t hi, rt_time_t *out, char *err, size_t errlen);

/* The policies that put every block on one tier and never move it:
 * `POL_SHUFFLE_ONE_TIER("memory_only", "summary", ENG_TIER_MEMORY)` is
 * such a policy's ops. Its init refuses any parameter and returns its tier
 * (found by name in the registry) as the state; place returns it. */
#define POL_SHUFFLE_ONE_TIER(policy, what, tier)                                                             \
    {                                                                                                        \
        .abi = ENG_SHUFFLE_ABI, .name = policy, .summary = what, .param_names = pol_shuffle__no_params,      \
        .tiers = 1u << (tier), .init = pol_shuffle__fixed_init, .free = pol_shuffle__fixed_free,             \
        .place = pol_shuffle__fixed_place, .read = pol_shuffle__ignore, .drop = pol_shuffle__ignore          \
    }
extern const char *const pol_shuffle__no_params[];
void *pol_shuffle__fixed_init(const eng_shuffle_opts *o, char *err, size_t errlen);
void pol_shuffle__fixed_free(void *state);
eng_tier pol_shuffle__fixed_place(void *state, const eng_shuffle_obs *o, const eng_block_view *b);
/* A read or drop hook that learns nothing. */
void pol_shuffle__ignore(void *state, const eng_block_view *b, rt_time_t now);

#endif
