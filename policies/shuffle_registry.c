/* The placement policy registry: the static table mapping the
 * `shuffle.policy` name of a scenario to a policy's ops. experiments/ looks
 * the name up when it loads the scenario; the driver's shuffle manager
 * calls the policy. */
#include <string.h>

#include "policies/shuffle_int.h"

static const eng_shuffle_policy *const table[] = {
    &pol_shuffle_memory_only_ops,
    &pol_shuffle_local_disk_ops,
    &pol_shuffle_remote_service_ops,
    &pol_shuffle_object_store_ops,
    &pol_shuffle_age_ops,
    &pol_shuffle_temperature_ops,
    NULL,
};

const char *const pol_shuffle_names[] = {"memory_only", "local_disk", "remote_service", "object_store", "age",
                                         "temperature", NULL};

const eng_shuffle_policy *pol_shuffle_find(const char *name) {
    for (size_t i = 0; table[i]; i++)
        if (strcmp(table[i]->name, name) == 0) return table[i];
    return NULL;
}

const eng_shuffle_policy *const *pol_shuffle_all(void) { return table; }
