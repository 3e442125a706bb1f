/* The static allocator: a fixed pool of `executors` executors for the whole
 * run, whatever the load — the baseline every cost ratio of the paper names.
 * Scenarios choose the count: "static-peak" provisions for the peak input
 * rate, "static-mean" for the mean. Parameter (default):
 *   executors  whole number in [min_executors, max_executors]
 *              (default: initial_executors, i.e. keep the pool as started)
 * It observes nothing; decide always returns the same target. */
#include <stdlib.h>

#include "policies/alloc_int.h"

typedef struct {
    uint32_t executors;
} static_state;

static const char *const names[] = {"executors", NULL};

static void *static_init(const eng_alloc_opts *o, char *err, size_t errlen) {
    uint32_t n;
    if (pol_alloc__check_opts(o, names, err, errlen) < 0 ||
        pol_alloc__count(o, "executors",
                         pol_alloc__clamp(o->initial_executors, o->min_executors, o->max_executors),
                         o->min_executors, o->max_executors, &n, err, errlen) < 0)
        return NULL;
    static_state *s = pol_alloc__state(o, sizeof(*s), err, errlen);
    if (s) s->executors = n;
    return s;
}

static void static_decide(void *state, const eng_alloc_obs *obs, eng_alloc_decision *d) {
    d->target = ((const static_state *)state)->executors;
}

static void static_free(void *state) { free(state); }

const eng_alloc_ops pol_alloc_static_ops = {
    .abi = ENG_ALLOC_ABI,
    .name = "static",
    .summary = "a fixed number of executors (parameter executors) for the whole run",
    .param_names = names,
    .init = static_init,
    .decide = static_decide,
    .free = static_free,
};
