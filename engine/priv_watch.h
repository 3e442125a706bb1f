/* The privacy path's overhead while a run goes on: what its edges and its
 * aggregator have charged so far, read by the driver's sampler for whoever
 * watches the run (docs/dashboard.md). Measurement only: the counters are
 * those each edge and the aggregator keep in the path's shared state
 * (priv_run_int.h), each written by its one actor and read here between
 * their steps (a simulation runs its actors one at a time; live runs have no
 * privacy path). At the end of a run they equal the summary's privacy_bytes,
 * privacy_edge_cpu_s and privacy_cloud_cpu_s; federated learning's bytes and
 * CPU are not part of them. */
#ifndef ENG_PRIV_WATCH_H
#define ENG_PRIV_WATCH_H

#include "engine/metrics.h"
#include "engine/priv_run.h"

/* Fills s's privacy_* fields and sets s->has_privacy; r is the run's path. */
void eng_priv_watch_sample(const eng_priv_run *r, eng_sample *s);

#endif
