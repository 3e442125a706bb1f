/* --dashboard for run, sweep and live: start the hub and the HTTP server
 * before any run (a bad address or a port in use is a usage error, exit 2,
 * with nothing run), and after the runs keep serving the final state until
 * SIGINT or SIGTERM, or stop at once with --dashboard-exit. */
#ifndef CLI_DASHBOARD_H
#define CLI_DASHBOARD_H

#include "cli/args.h"
#include "dash/feed.h"
#include "dash/server.h"
#include "engine/pipeline.h"

/* The options' paragraph in the help of run, sweep and live. */
#define CLI_DASH_HELP                                                                                        \
    "--dashboard[=[HOST:]PORT] serves a live dashboard of the runs (default 127.0.0.1:8080; PORT 0: any\n"   \
    "free port; the value may also follow as its own argument) and keeps serving the final state until\n"    \
    "Ctrl-C, or exits when the runs end with --dashboard-exit (docs/dashboard.md).\n"

typedef struct cli_dash {
    dash_hub *hub; /* NULL without --dashboard */
    dash_server *srv;
    int exit_after;
} cli_dash;

/* Starts the dashboard when a->dashboard asks for it (d->hub stays NULL
 * otherwise) and points the runner at it; prints its URL on stderr.
 * CLI_OK, or CLI_USAGE after printing why. */
int cli_dash_start(cli_dash *d, const cli_args *a);
/* After the last run: marks the hub finished, serves until a signal unless
 * --dashboard-exit or no run started (bad input), then stops and frees
 * everything. No-op without hub. */
void cli_dash_end(cli_dash *d);

/* A run in this process (live): its progress callback feeds the hub, then
 * calls `inner` (may be NULL). */
typedef struct cli_dash_progress {
    dash_feed *feed;
    const eng_metrics *m;
    eng_progress_fn inner;
} cli_dash_progress;

void cli_dash_progress_fn(void *ctx, rt_time_t now, rt_time_t end);

#endif
