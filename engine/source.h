/* Where readings come from: a source produces the readings of one edge
 * site's devices, slice by slice of device time. The synthetic populations of
 * workloads/ and the trace replay of traces/ implement it; the edge gateway
 * actor owns one open source. A struct of function pointers looked up by the
 * scenario's workload kind. */
#ifndef ENG_SOURCE_H
#define ENG_SOURCE_H

#include <gsl/gsl_rng.h>
#include <stddef.h>
#include <stdint.h>

#include "engine/rec.h"
#include "engine/rt.h"

#define ENG_SOURCE_ABI 1

typedef struct eng_source_ops {
    int abi;
    const char *name;
    /* Opens the population of devices [first_device, first_device + n) of
     * site `site`; `opts` is the source's own options (borrowed for the run),
     * `rng` the owning actor's stream (borrowed). NULL on failure. */
    void *(*open)(const void *opts, uint32_t site, uint32_t first_device, uint32_t n, gsl_rng *rng);
    /* Appends every reading with device timestamp in [t0, t1); successive
     * calls cover consecutive slices. 0, or negative on failure. */
    int (*emit)(void *src, rt_time_t t0, rt_time_t t1, eng_batch *out);
    void (*close)(void *src);
} eng_source_ops;

#endif
