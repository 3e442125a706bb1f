/* The sync policy registry: the static table mapping the `sync.policy` name
 * of a scenario to a policy's ops. experiments/ reads the name as an index
 * into pol_sync_names; the sync agents call the policy's decide. */
#include <string.h>

#include "policies/sync_int.h"

static const eng_sync_policy *const table[] = {
    &pol_sync_periodic_ops, &pol_sync_eager_ops, &pol_sync_adaptive_ops, &pol_sync_full_state_ops, NULL,
};

const char *const pol_sync_names[] = {"periodic", "eager", "adaptive", "full_state", NULL};

const eng_sync_policy *pol_sync_find(const char *name) {
    for (size_t i = 0; table[i]; i++)
        if (strcmp(table[i]->name, name) == 0) return table[i];
    return NULL;
}

const eng_sync_policy *const *pol_sync_all(void) { return table; }
