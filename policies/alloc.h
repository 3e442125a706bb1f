/* The allocator registry: every allocator variant of policies/, looked up
 * by its YAML name (`allocator: {name: hpa, ...}`), plus helpers the
 * variants share for reading and checking their parameters. The types are
 * the engine's (engine/alloc.h). */
#ifndef POL_ALLOC_H
#define POL_ALLOC_H

#include <stddef.h>

#include "engine/alloc.h"

/* The allocator registered under `name`, or NULL. */
const eng_alloc_ops *pol_alloc_find(const char *name);
/* NULL-terminated table of every allocator. */
const eng_alloc_ops *const *pol_alloc_all(void);

/* Parameter lookup helpers for init functions: the value of `key` or `dflt`. */
double pol_param_get(const eng_alloc_opts *o, const char *key, double dflt);
/* Checks every parameter of o is one of `names`; -1 with a message (and a
 * "did you mean") if not. */
int pol_params_check(const eng_alloc_opts *o, const char *const *names, char *err, size_t errlen);

#endif
