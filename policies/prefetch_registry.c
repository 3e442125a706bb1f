/* The prefetch policy registry: the static table mapping the
 * `prefetch.policy` name of a scenario to a policy's ops. experiments/ reads
 * the name as an index into pol_prefetch_names; the edge caches call the
 * policy's observe. */
#include <string.h>

#include "policies/prefetch_int.h"

static const eng_prefetch_policy *const table[] = {
    &pol_prefetch_none_ops, &pol_prefetch_lru_ops,  &pol_prefetch_ewma_ops,
    &pol_prefetch_ar_ops,   &pol_prefetch_lstm_ops, NULL,
};

const char *const pol_prefetch_names[] = {"none", "lru", "ewma", "ar", "lstm", NULL};

const eng_prefetch_policy *pol_prefetch_find(const char *name) {
    for (size_t i = 0; table[i]; i++)
        if (strcmp(table[i]->name, name) == 0) return table[i];
    return NULL;
}

const eng_prefetch_policy *const *pol_prefetch_all(void) { return table; }
