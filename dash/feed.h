/* A run's side of the dashboard: after each sampling interval the run hands
 * its metrics to its feed, which copies one small point out of them and
 * passes it on; at the end it passes the summary. A feed on a pipe (a
 * forked simulation) writes without blocking and drops a point when the
 * pipe is full, so the simulation never waits for the dashboard; a feed on
 * a hub (a run in the serving process, like `live`) pushes straight into
 * it. */
#ifndef DASH_FEED_H
#define DASH_FEED_H

#include <stdint.h>

#include "dash/hub.h"

typedef struct dash_feed dash_feed;

/* A feed writing run `run`'s records to the pipe `fd` (owned: closed by
 * dash_feed_free); made non-blocking here. NULL when memory runs out. */
dash_feed *dash_feed_pipe(int fd, uint32_t run);
/* A feed pushing run `run`'s records into `hub` (borrowed; outlives the
 * feed). Freeing it closes the run in the hub (failed without a summary),
 * as the end of a pipe does. */
dash_feed *dash_feed_hub(dash_hub *hub, uint32_t run);
void dash_feed_free(dash_feed *f);

/* Called right after the run appended a sample to m (same thread). */
void dash_feed_sample(dash_feed *f, const eng_metrics *m);
/* Called once at the end with the run's summary; on a pipe it waits (up to
 * a second) for room, as the summary must arrive. */
void dash_feed_end(dash_feed *f, const eng_summary *s);
/* Points dropped because the pipe was full. */
uint64_t dash_feed_dropped(const dash_feed *f);

#endif
