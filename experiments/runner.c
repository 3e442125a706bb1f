/* One simulation per process: fork, run the pipeline on SimGrid, write the
 * result file, report back through the exit status and a pipe. An allocator
 * that plans ahead (the oracle) is given the run's future first. */
#include "experiments/runner.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "analysis/results.h"
#include "dash/feed.h"
#include "engine/pipeline.h"
#include "experiments/forecast.h"
#include "sim/sim.h"

void xp_result_path(char *buf, size_t len, const char *out_dir, const char *scenario, const char *variant,
                    uint64_t seed) {
    snprintf(buf, len, "%s/%s/%s/seed-%llu.h5", out_dir, scenario, variant, (unsigned long long)seed);
}

typedef struct bar {
    int on;
    int last;
    const char *label;
    dash_feed *feed; /* the dashboard's, or NULL */
    const eng_metrics *m;
} bar;

static dash_hub *watching; /* xp_runner_dashboard */

void xp_runner_dashboard(dash_hub *hub) { watching = hub; }

static void progress(void *ctx, rt_time_t now, rt_time_t end) {
    bar *b = ctx;
    dash_feed_sample(b->feed, b->m);
    if (!b->on || end <= 0) return;
    int pct = (int)(100.0 * (double)now / (double)end);
    if (pct > 100) pct = 100;
    if (pct == b->last) return;
    b->last = pct;
    char hashes[41];
    int n = pct * 40 / 100;
    memset(hashes, '#', (size_t)n);
    memset(hashes + n, '.', (size_t)(40 - n));
    hashes[40] = 0;
    fprintf(stderr, "\r%s [%s] %3d%%  %.0f/%.0f s simulated", b->label, hashes, pct, rt_to_s(now),
            rt_to_s(end));
    if (pct == 100) fputc('\n', stderr);
    fflush(stderr);
}

static double wall_now(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

static int run_here(const xp_scenario *s, const char *variant, uint64_t seed, const char *overrides,
                    const char *out_path, int show_progress, dash_feed *feed, char *err, size_t errlen) {
    eng_metrics *m = eng_metrics_new();
    if (!m) {
        snprintf(err, errlen, "out of memory");
        return -1;
    }
    char label[160];
    snprintf(label, sizeof label, "%s/%s seed %llu", s->name, variant, (unsigned long long)seed);
    bar b = {show_progress, -1, label, feed, m};
    eng_run run = {.metrics = m, .progress = progress, .progress_ctx = &b};
    xp_scenario_run_opts(s, &run.o);
    run.o.seed = seed;
    eng_alloc_opts alloc = s->alloc;
    if (run.o.alloc_ops->needs_forecast) {
        if (xp_forecast_fill(&run.o, &alloc.future, err, errlen) != 0) {
            eng_metrics_free(m);
            return -1;
        }
        run.o.alloc = &alloc;
    }
    double t0 = wall_now();
    int rc = sim_run(&s->topo, s->alloc.max_executors, seed, ENG_HOST_DRIVER, eng_pipeline_main, &run, err,
                     errlen);
    m->summary.wall_seconds = wall_now() - t0;
    if (rc == 0 && m->summary.sim_seconds <= 0) {
        /* The driver summarises when it ends; SimGrid returns anyway when
         * every actor left is blocked (it reports a deadlock). */
        snprintf(err, errlen, "simulation of %s stopped before the pipeline finished (actors left blocked)",
                 label);
        rc = -1;
    }
    if (rc == 0) {
        if (b.on && b.last < 100) fputc('\n', stderr);
        an_meta meta = {
            .scenario_name = s->name,
            .scenario_path = s->path,
            .scenario_text = s->text,
            .variant = variant,
            .overrides = overrides ? overrides : "",
            .seed = seed,
            .backend = "simgrid",
            .allocator = s->alloc.name,
            .cloud = s->cloud.name,
        };
        rc = an_results_write(out_path, &meta, m, err, errlen);
        if (rc == 0) dash_feed_end(feed, &m->summary);
    }
    xp_forecast_free(&alloc.future);
    eng_metrics_free(m);
    return rc;
}

int xp_run_here(const xp_scenario *s, const char *variant, uint64_t seed, const char *overrides,
                const char *out_path, int show_progress, char *err, size_t errlen) {
    return run_here(s, variant, seed, overrides, out_path, show_progress, NULL, err, errlen);
}

/* Registers the run with the dashboard and opens the pipe its child feeds;
 * *run is -1 (and fds -1) when no dashboard watches. */
static void watch_run(const xp_scenario *s, const char *variant, uint64_t seed, int *run, int fds[2]) {
    *run = fds[0] = fds[1] = -1;
    if (!watching) return;
    eng_run_opts o;
    xp_scenario_run_opts(s, &o);
    dash_run_info info;
    dash_run_info_fill(&info, s->name, variant, "simgrid", seed, &o);
    *run = dash_hub_add_run(watching, &info);
    if (*run >= 0 && pipe(fds) != 0) {
        dash_hub_close_run(watching, (uint32_t)*run);
        *run = fds[0] = fds[1] = -1;
    }
}

int xp_run_start(const xp_scenario *s, const char *variant, uint64_t seed, const char *overrides,
                 const char *out_path, int show_progress, xp_child *c, char *err, size_t errlen) {
    int fds[2];
    snprintf(c->label, sizeof c->label, "%s/%s seed %llu", s->name, variant, (unsigned long long)seed);
    if (pipe(fds) != 0) {
        snprintf(err, errlen, "pipe: %s", strerror(errno));
        return -1;
    }
    int run, dfds[2];
    watch_run(s, variant, seed, &run, dfds);
    fflush(NULL);
    pid_t pid = fork();
    if (pid < 0) {
        snprintf(err, errlen, "fork: %s", strerror(errno));
        close(fds[0]);
        close(fds[1]);
        if (run >= 0) {
            close(dfds[0]);
            close(dfds[1]);
            dash_hub_close_run(watching, (uint32_t)run);
        }
        return -1;
    }
    if (pid == 0) {
        close(fds[0]);
        dash_feed *feed = NULL;
        if (run >= 0) {
            close(dfds[0]);
            feed = dash_feed_pipe(dfds[1], (uint32_t)run);
        }
        char msg[1024] = "";
        int rc = run_here(s, variant, seed, overrides, out_path, show_progress, feed, msg, sizeof msg);
        dash_feed_free(feed);
        if (rc != 0 && write(fds[1], msg, strlen(msg)) < 0) rc = -1;
        close(fds[1]);
        fflush(NULL);
        _exit(rc == 0 ? 0 : 1);
    }
    close(fds[1]);
    if (run >= 0) {
        close(dfds[1]);
        char msg[256];
        if (dash_hub_read_fd(watching, (uint32_t)run, dfds[0], msg, sizeof msg) != 0)
            fprintf(stderr, "sparkiot: %s\n", msg);
    }
    c->pid = pid;
    c->fd = fds[0];
    return 0;
}

int xp_run_finish(xp_child *c, int status, char *err, size_t errlen) {
    char msg[1024];
    ssize_t n = read(c->fd, msg, sizeof msg - 1);
    close(c->fd);
    c->fd = -1;
    msg[n > 0 ? n : 0] = 0;
    if (WIFEXITED(status) && WEXITSTATUS(status) == 0) return 0;
    if (n > 0)
        snprintf(err, errlen, "%s", msg);
    else if (WIFSIGNALED(status))
        snprintf(err, errlen, "simulation of %s died with signal %d", c->label, WTERMSIG(status));
    else
        snprintf(err, errlen, "simulation of %s failed", c->label);
    return -1;
}

int xp_run_reap(xp_child *kids, unsigned n, int *rc, char *err, size_t errlen) {
    for (;;) {
        int status;
        pid_t pid = waitpid(-1, &status, 0);
        if (pid < 0 && errno == EINTR) return -1;
        if (pid < 0) abort(); /* ECHILD with children running: a bug */
        for (unsigned k = 0; k < n; k++)
            if (kids[k].pid == pid) {
                *rc = xp_run_finish(&kids[k], status, err, errlen);
                kids[k].pid = 0;
                return (int)k;
            }
    }
}

int xp_run_one(const xp_scenario *s, const char *variant, uint64_t seed, const char *overrides,
               const char *out_path, int show_progress, char *err, size_t errlen) {
    xp_child c;
    if (xp_run_start(s, variant, seed, overrides, out_path, show_progress, &c, err, errlen) != 0) return -1;
    int status = 0;
    while (waitpid(c.pid, &status, 0) < 0 && errno == EINTR) {
    }
    return xp_run_finish(&c, status, err, errlen);
}
