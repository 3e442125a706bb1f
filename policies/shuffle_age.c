/* age — the baseline the temperature policy has to beat: a block's tier
 * follows its age alone (time since it was written), whatever its reads —
 * memory while younger than memory_for, then the local SSD until ssd_for,
 * the remote shuffle service until remote_for, the object store after.
 * Parameters (defaults), each at least the one before:
 *   memory_for  5s
 *   ssd_for     20s
 *   remote_for  60s */
#include <stdlib.h>

#include "policies/shuffle_int.h"

typedef struct age_state {
    rt_time_t memory_for, ssd_for, remote_for;
} age_state;

static const char *const names[] = {"memory_for", "ssd_for", "remote_for", NULL};

#define DAY (86400 * RT_S)

static void *age_init(const eng_shuffle_opts *o, char *err, size_t errlen) {
    age_state s;
    if (pol_shuffle__check(o, names, err, errlen) ||
        pol_shuffle__duration(o, "memory_for", 5 * RT_S, 0, DAY, &s.memory_for, err, errlen) ||
        pol_shuffle__duration(o, "ssd_for", 20 * RT_S, s.memory_for, DAY, &s.ssd_for, err, errlen) ||
        pol_shuffle__duration(o, "remote_for", 60 * RT_S, s.ssd_for, DAY, &s.remote_for, err, errlen))
        return NULL;
    age_state *st = malloc(sizeof *st);
    if (st) *st = s;
    return st;
}

static eng_tier by_age(const age_state *s, rt_time_t age) {
    return age < s->memory_for   ? ENG_TIER_MEMORY
           : age < s->ssd_for    ? ENG_TIER_LOCAL_SSD
           : age < s->remote_for ? ENG_TIER_REMOTE
                                 : ENG_TIER_OBJECT;
}

static eng_tier age_place(void *state, const eng_shuffle_obs *o, const eng_block_view *b) {
    return by_age(state, 0);
}

static void age_review(void *state, const eng_shuffle_obs *o, const eng_block_view *blocks, size_t n,
                       eng_tier *out) {
    for (size_t i = 0; i < n; i++) out[i] = by_age(state, o->now - blocks[i].created);
}

static void age_free(void *state) { free(state); }

const eng_shuffle_policy pol_shuffle_age_ops = {
    .abi = ENG_SHUFFLE_ABI,
    .name = "age",
    .summary = "baseline: the tier follows the block's age only",
    .param_names = names,
    .tiers = 1u << ENG_TIER_MEMORY | 1u << ENG_TIER_LOCAL_SSD | 1u << ENG_TIER_REMOTE | 1u << ENG_TIER_OBJECT,
    .init = age_init,
    .free = age_free,
    .place = age_place,
    .read = pol_shuffle__ignore,
    .drop = pol_shuffle__ignore,
    .review = age_review,
};
