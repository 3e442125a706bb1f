/* The future of one run, for allocators that plan ahead (the oracle): the
 * exact number of records that will reach the bus in every micro-batch, and
 * the capacity facts of the pipeline, computed before the run from the
 * scenario and the seed. The runner fills eng_alloc_opts.future with it when
 * the scenario's allocator asks (eng_alloc_ops.needs_forecast). */
#ifndef XP_FORECAST_H
#define XP_FORECAST_H

#include <stddef.h>

#include "engine/pipeline.h"

/* Replays what the run's edge gateways will produce: each site's source is
 * opened with the stream its gateway actor gets, rt_rng_derive(seed,
 * "edge-<site>"), and asked for the same time slices, then filtered and
 * aggregated as the gateway does; each bus record is counted in the step
 * of its arrival at the broker (gateway send time plus the uncontended
 * transfer over the WAN and cloud links). Fills *f (f->rate is a new array:
 * free it with xp_forecast_free). Returns 0, or -1 with a message. */
int xp_forecast_fill(const eng_run_opts *o, eng_alloc_forecast *f, char *err, size_t errlen);
void xp_forecast_free(eng_alloc_forecast *f);

#endif
