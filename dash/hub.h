/* The dashboard's shared state: the runs it has been told about, the latest
 * point and the summary of each, and a ring of every run's recent points
 * with sequence numbers (what /api/series?since= pages through). Writers
 * are the runs' feeds (dash/feed.h) or reader threads draining forked runs'
 * pipes; readers are the HTTP server's threads. One mutex guards it all and
 * is held only to copy a record in or render JSON out, so a run never waits
 * on a slow client. */
#ifndef DASH_HUB_H
#define DASH_HUB_H

#include <stddef.h>
#include <stdint.h>

#include "dash/rec.h"

#define DASH_MAX_RUNS 1024
#define DASH_RING 32768 /* points kept; older ones fall off the series */

typedef struct dash_hub dash_hub;

/* A new, empty hub; NULL when memory runs out. Free with dash_hub_free. */
dash_hub *dash_hub_new(void);
/* Waits for every pipe reader (dash_hub_read_fd) to reach end of file, then
 * frees the hub. The caller stops the server that reads it first. */
void dash_hub_free(dash_hub *h);

/* Registers a run about to start; returns its index, or -1 when the hub
 * already holds DASH_MAX_RUNS runs (the run then goes unwatched). */
int dash_hub_add_run(dash_hub *h, const dash_run_info *info);
/* Runs registered so far. */
uint32_t dash_hub_runs(dash_hub *h);
/* Says how many runs the command will start in all (for the progress the
 * header shows); 0 (the default) when unknown. */
void dash_hub_expect(dash_hub *h, uint32_t runs);
/* Takes one record of run r->run: a point joins the series (its seq is set
 * here), a summary ends the run as done. Records of unknown runs are
 * ignored. Thread-safe. */
void dash_hub_push(dash_hub *h, const dash_rec *r);
/* Ends run `run`: failed if no summary came. Thread-safe. */
void dash_hub_close_run(dash_hub *h, uint32_t run);
/* Starts a thread that reads records of run `run` from `fd` (owned: closed
 * at end of file) into the hub, then closes the run. 0, or -1 with a
 * message (fd and the run are then closed). */
int dash_hub_read_fd(dash_hub *h, uint32_t run, int fd, char *err, size_t errlen);
/* Waits until every reader so far has drained its pipe, then marks the hub
 * finished: the command starts no more runs. */
void dash_hub_finish(dash_hub *h);

/* Waits up to timeout_ms for a change after `version` (or for dash_hub_wake)
 * and returns the current version (it starts at 1 and grows with every
 * change). */
uint64_t dash_hub_wait(dash_hub *h, uint64_t version, int timeout_ms);
/* Wakes every dash_hub_wait (the server is stopping). */
void dash_hub_wake(dash_hub *h);

/* JSON documents (docs/dashboard.md), as new strings the caller frees;
 * NULL when memory runs out. The state: header, runs and their latest
 * point and summary. The series: points with seq > since, oldest first, at
 * most `max`. */
char *dash_hub_state_json(dash_hub *h);
char *dash_hub_series_json(dash_hub *h, uint64_t since, size_t max);
/* Both in one object {"state":..., "points":[...]}: an SSE event. *last is
 * the seq of the last point sent before (updated). */
char *dash_hub_event_json(dash_hub *h, uint64_t *last, size_t max);

#endif
