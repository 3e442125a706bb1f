/* Placement policy parameters: the keys of the `shuffle:` section that the
 * scenario schema does not list arrive as eng_param pairs, and each
 * policy's init reads them here, rejecting unknown names (with the list of
 * known ones) and values out of range (with the range and where the value
 * was written). Also the hooks of the one-tier policies. */
#include <stdio.h>
#include <string.h>

#include "policies/shuffle_int.h"

static const eng_param *find(const eng_shuffle_opts *o, const char *key) {
    for (size_t i = 0; i < o->nparams; i++)
        if (strcmp(o->params[i].key, key) == 0) return &o->params[i];
    return NULL;
}

static void where(const eng_param *p, char *err, size_t errlen) {
    size_t n = strlen(err);
    if (p->line > 0 && n < errlen) snprintf(err + n, errlen - n, " (line %d, column %d)", p->line, p->col);
}

int pol_shuffle__check(const eng_shuffle_opts *o, const char *const *names, char *err, size_t errlen) {
    for (size_t i = 0; i < o->nparams; i++) {
        size_t k = 0;
        while (names[k] && strcmp(names[k], o->params[i].key) != 0) k++;
        if (names[k]) continue;
        snprintf(err, errlen, "shuffle policy %s: unknown parameter '%s'", o->policy, o->params[i].key);
        where(&o->params[i], err, errlen);
        size_t n = strlen(err);
        snprintf(err + n, errlen - n, "; known:%s", names[0] ? "" : " none");
        for (k = 0; names[k]; k++) {
            n = strlen(err);
            snprintf(err + n, errlen - n, "%s %s", k ? "," : "", names[k]);
        }
        return -1;
    }
    return 0;
}

static int out_of_range(const eng_shuffle_opts *o, const eng_param *p, const char *range, char *err,
                        size_t errlen) {
    snprintf(err, errlen, "shuffle policy %s: %s must be in %s", o->policy, p->key, range);
    where(p, err, errlen);
    return -1;
}

int pol_shuffle__real(const eng_shuffle_opts *o, const char *key, double dflt, double lo, double hi,
                      double *out, char *err, size_t errlen) {
    const eng_param *p = find(o, key);
    *out = p ? p->value : dflt;
    if (!p || (p->value >= lo && p->value <= hi)) return 0;
    char range[96];
    snprintf(range, sizeof range, "[%g, %g], got %g", lo, hi, p->value);
    return out_of_range(o, p, range, err, errlen);
}

int pol_shuffle__duration(const eng_shuffle_opts *o, const char *key, rt_time_t dflt, rt_time_t lo,
                          rt_time_t hi, rt_time_t *out, char *err, size_t errlen) {
    const eng_param *p = find(o, key);
    *out = p ? (rt_time_t)p->value : dflt;
    if (!p || (*out >= lo && *out <= hi)) return 0;
    char range[96];
    snprintf(range, sizeof range, "[%gs, %gs], got %gs", rt_to_s(lo), rt_to_s(hi), p->value / 1e9);
    return out_of_range(o, p, range, err, errlen);
}

const char *const pol_shuffle__no_params[] = {NULL};
static const eng_tier tier_of[ENG_TIERS] = {ENG_TIER_MEMORY, ENG_TIER_LOCAL_SSD, ENG_TIER_REMOTE,
                                            ENG_TIER_OBJECT};

void *pol_shuffle__fixed_init(const eng_shuffle_opts *o, char *err, size_t errlen) {
    if (pol_shuffle__check(o, pol_shuffle__no_params, err, errlen)) return NULL;
    unsigned mask = pol_shuffle_find(o->policy)->tiers, t = 0;
    while (!(mask >> t & 1u)) t++;
    return (void *)&tier_of[t];
}

void pol_shuffle__fixed_free(void *state) {}

eng_tier pol_shuffle__fixed_place(void *state, const eng_shuffle_obs *o, const eng_block_view *b) {
    return *(const eng_tier *)state;
}

void pol_shuffle__ignore(void *state, const eng_block_view *b, rt_time_t now) {}
