/* The allocator registry: the static table that maps the YAML name of the
 * scenario's `allocator:` block to a variant's ops. experiments/ looks the
 * name up once per run; the driver then calls the variant's init, decide
 * (every decision interval) and free. */
#include <string.h>

#include "policies/alloc_int.h"

static const eng_alloc_ops *const table[] = {
    &pol_alloc_static_ops, &pol_alloc_hpa_ops, &pol_alloc_spark_dynamic_ops, &pol_alloc_spark_streaming_ops,
    &pol_alloc_oracle_ops, &pol_alloc_dqn_ops, &pol_alloc_ppo_ops,           NULL,
};

const eng_alloc_ops *pol_alloc_find(const char *name) {
    for (size_t i = 0; table[i]; i++)
        if (strcmp(table[i]->name, name) == 0) return table[i];
    return NULL;
}

const eng_alloc_ops *const *pol_alloc_all(void) { return table; }
