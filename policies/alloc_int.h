/* What the allocator variants of policies/ share and nothing else sees: their
 * ops tables (listed by the registry, alloc_registry.c) and the checked
 * parameter readers their init functions use (alloc_params.c), so every
 * variant reports a bad value the same way — naming the allocator, the
 * parameter, the accepted range and where the value was written. */
#ifndef POL_ALLOC_INT_H
#define POL_ALLOC_INT_H

#define POL_YEAR (365 * 86400 * RT_S)

#include <stddef.h>
#include <stdint.h>

#include "policies/alloc.h"

extern const eng_alloc_ops pol_alloc_static_ops;
extern const eng_alloc_ops pol_alloc_hpa_ops;
extern const eng_alloc_ops pol_alloc_spark_dynamic_ops;
extern const eng_alloc_ops pol_alloc_spark_streaming_ops;
extern const eng_alloc_ops pol_alloc_oracle_ops;
extern const eng_alloc_ops pol_alloc_dqn_ops;
extern const eng_alloc_ops pol_alloc_ppo_ops;

/* The first steps of every init: the parameter names are known ones
 * (pol_params_check) and min_executors <= max_executors. 0 or -1 with err. */
int pol_alloc__check_opts(const eng_alloc_opts *o, const char *const *names, char *err, size_t errlen);

/* Reads `key` (or `dflt` if absent) into *out, requiring lo <= v <= hi;
 * POL_OPEN_LO / POL_OPEN_HI in `open` make that bound strict. */
enum { POL_OPEN_LO = 1, POL_OPEN_HI = 2 };
int pol_alloc__real(const eng_alloc_opts *o, const char *key, double dflt, double lo, double hi,
                    unsigned open, double *out, char *err, size_t errlen);
/* The same for a duration in ns, lo and hi in ns (messages in seconds). */
int pol_alloc__duration(const eng_alloc_opts *o, const char *key, rt_time_t dflt, rt_time_t lo, rt_time_t hi,
                        unsigned open, rt_time_t *out, char *err, size_t errlen);
/* Reads the whole number `key` (`dflt` if absent) into *out, in [lo, hi]. */
int pol_alloc__count(const eng_alloc_opts *o, const char *key, uint32_t dflt, uint32_t lo, uint32_t hi,
                     uint32_t *out, char *err, size_t errlen);

/* A zeroed state block of `size` bytes, or NULL with "out of memory" in err.
 * The variant's free releases it with free(). */
void *pol_alloc__state(const eng_alloc_opts *o, size_t size, char *err, size_t errlen);

/* n clamped to [lo, hi]. */
static inline uint32_t pol_alloc__clamp(int64_t n, uint32_t lo, uint32_t hi) {
    return n < (int64_t)lo ? lo : n > (int64_t)hi ? hi : (uint32_t)n;
}

#endif
