/* Edge sync lag while a run goes on: for each site, at a sampling instant,
 * the age of the oldest update applied at the site's edge replica that is
 * not yet visible at the cloud replica (0 when the cloud has all of them).
 * It grows while a site's link is cut or slow and falls back once its
 * updates arrive; at the end of the run the summary's visibility latencies
 * (engine/sync.h) say the rest. The driver's sampler reads it (never
 * blocking, adding no message) and puts the maximum and median over the
 * sites and the first sites' own lags into the run's sample for the
 * dashboard (docs/dashboard.md).
 *
 * Measurement only, and the one place where an actor reads other actors'
 * state: each sync agent publishes a read-only pointer to its protocol state
 * (the cloud agent the cloud replica's acknowledgement frontier per site,
 * each edge agent its numbered entries and their apply times) and clears it
 * before it ends; the sampler reads them and writes only its own scratch.
 * Nothing read feeds back into the simulation. This is sound because a
 * simulation runs its actors one at a time, and live runs start no sync
 * agents. The sampler finds the run's agents through the run context
 * (eng_ctx.sync, set by the root actor that starts them). */
#ifndef ENG_SYNC_LAG_H
#define ENG_SYNC_LAG_H

#include <stdint.h>

#include "engine/metrics.h"
#include "engine/rt.h"
#include "engine/sync.h"

/* The sync lags of run r (NULL: the run syncs no state) at `now`, into s's
 * sync_* fields (milliseconds); s->sync_sites is 0 when r is NULL. Lags of
 * sites whose agents have not started or have ended stay at their last
 * value. */
void eng_sync_lag_sample(eng_sync_run *r, rt_time_t now, eng_sample *s);

#endif
