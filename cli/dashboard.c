/* The dashboard's life in a command: started before the runs, fed by the
 * runner (forked runs) or by a progress callback (live), and after the runs
 * serving the final state until a signal arrives on a self-pipe. */
#include "cli/dashboard.h"

#include <errno.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "experiments/runner.h"

int cli_dash_start(cli_dash *d, const cli_args *a) {
    *d = (cli_dash){.exit_after = a->dashboard_exit};
    if (!a->dashboard) return CLI_OK;
    char host[256], err[512];
    unsigned port;
    if (dash_addr_parse(a->dashboard_addr, host, sizeof host, &port, err, sizeof err) != 0) {
        fprintf(stderr, "sparkiot: %s\n", err);
        return CLI_USAGE;
    }
    d->hub = dash_hub_new();
    d->srv = d->hub ? dash_server_start(d->hub, host, port, err, sizeof err) : NULL;
    if (!d->srv) {
        fprintf(stderr, "sparkiot: %s\n", d->hub ? err : "out of memory");
        dash_hub_free(d->hub);
        d->hub = NULL;
        return CLI_USAGE;
    }
    xp_runner_dashboard(d->hub);
    int v6 = strchr(host, ':') != NULL;
    fprintf(stderr, "dashboard: http://%s%s%s:%u/\n", v6 ? "[" : "", host, v6 ? "]" : "",
            dash_server_port(d->srv));
    return CLI_OK;
}

static int stop_pipe[2] = {-1, -1};

static void on_stop(int sig) {
    char c = (char)sig;
    if (write(stop_pipe[1], &c, 1) < 0) return;
}

/* Blocks until SIGINT or SIGTERM. */
static void wait_for_stop(void) {
    if (pipe(stop_pipe) != 0) return;
    struct sigaction sa = {.sa_handler = on_stop}, old_int, old_term;
    sigemptyset(&sa.sa_mask);
    sigaction(SIGINT, &sa, &old_int);
    sigaction(SIGTERM, &sa, &old_term);
    struct pollfd p = {.fd = stop_pipe[0], .events = POLLIN};
    while (poll(&p, 1, -1) < 0 && errno == EINTR) {
    }
    sigaction(SIGINT, &old_int, NULL);
    sigaction(SIGTERM, &old_term, NULL);
    close(stop_pipe[0]);
    close(stop_pipe[1]);
}

void cli_dash_end(cli_dash *d) {
    if (!d->hub) return;
    xp_runner_dashboard(NULL);
    dash_hub_finish(d->hub);
    if (!d->exit_after && dash_hub_runs(d->hub) > 0) {
        fprintf(stderr,
                "dashboard: the runs are over; serving their final state until interrupted (Ctrl-C)\n");
        wait_for_stop();
    }
    dash_server_stop(d->srv);
    dash_hub_free(d->hub);
    d->hub = NULL;
}

void cli_dash_progress_fn(void *ctx, rt_time_t now, rt_time_t end) {
    cli_dash_progress *p = ctx;
    dash_feed_sample(p->feed, p->m);
    if (p->inner) p->inner(NULL, now, end);
}
