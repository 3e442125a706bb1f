/* The live measures a run hands its dashboard (engine/metrics.h's sample:
 * shuffle bytes per tier, privacy overhead, edge sync lag) on
 * tests/dash/data/watch.yaml, simulated twice, each in its own process:
 * watched (a progress callback set, as the dashboard does) and unwatched.
 * Watching must not change a simulated result: the two summaries are equal
 * in every field but the wall time, and so are the time series' own
 * columns. The watched series must agree with the summary at the end
 * (the last sample's shuffle tiers and privacy totals are the run's) and
 * with the fault schedule: site 0's link is cut from 10 s to 20 s, so at a
 * sample t in (11 s, 20 s) the oldest of its updates the cloud lacks was
 * applied no later than the first 1 s window after the cut, t - 11 s ago or
 * more; site 1's lag stays below the sync interval (1 s) plus a tick, the
 * one-way latency and transmission (1.1 s), and so does site 0's once the
 * link has been back for 3 s. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>

#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "engine/pipeline.h"
#include "experiments/scenario.h"
#include "sim/sim.h"

#define MAX_SAMPLES 64

typedef struct outcome {
    eng_summary summary;
    size_t nsamples;
    eng_sample samples[MAX_SAMPLES];
} outcome;

static void watched(void *ctx, rt_time_t now, rt_time_t end) { (void)ctx, (void)now, (void)end; }

/* Simulates the fixture in a child process (SimGrid runs one engine per
 * process) and reads back what it measured. */
static void simulate(int watch, outcome *out) {
    int fd[2];
    assert_int_equal(pipe(fd), 0);
    pid_t pid = fork();
    assert_true(pid >= 0);
    if (pid == 0) {
        close(fd[0]);
        char path[4096], err[2048];
        const char *src = getenv("SPARKIOT_SOURCE_DIR");
        snprintf(path, sizeof path, "%s/tests/dash/data/watch.yaml", src ? src : ".");
        xp_scenario *s = xp_scenario_load(path, NULL, NULL, 0, err, sizeof err);
        eng_metrics *m = eng_metrics_new();
        if (!s || !m) _exit(2);
        eng_run run = {.metrics = m, .progress = watch ? watched : NULL};
        xp_scenario_run_opts(s, &run.o);
        run.o.seed = s->seed;
        if (sim_run(&s->topo, s->alloc.max_executors, s->seed, ENG_HOST_DRIVER, eng_pipeline_main, &run, err,
                    sizeof err) != 0 ||
            m->nsamples > MAX_SAMPLES)
            _exit(3);
        outcome *o = calloc(1, sizeof *o);
        o->summary = m->summary;
        o->nsamples = m->nsamples;
        memcpy(o->samples, m->samples, m->nsamples * sizeof *m->samples);
        for (size_t off = 0; off < sizeof *o;) {
            ssize_t n = write(fd[1], (char *)o + off, sizeof *o - off);
            if (n <= 0) _exit(4);
            off += (size_t)n;
        }
        _exit(0);
    }
    close(fd[1]);
    size_t off = 0;
    ssize_t n;
    while (off < sizeof *out && (n = read(fd[0], (char *)out + off, sizeof *out - off)) > 0) off += (size_t)n;
    close(fd[0]);
    int status;
    assert_int_equal(waitpid(pid, &status, 0), pid);
    assert_true(WIFEXITED(status) && WEXITSTATUS(status) == 0);
    assert_int_equal(off, sizeof *out);
}

static void test_watching_changes_nothing(void **state) {
    (void)state;
    outcome *a = calloc(1, sizeof *a), *b = calloc(1, sizeof *b);
    simulate(1, a);
    simulate(0, b);
    a->summary.wall_seconds = b->summary.wall_seconds = 0;
    assert_memory_equal(&a->summary, &b->summary, sizeof a->summary);
    assert_int_equal(a->nsamples, b->nsamples);
    assert_int_equal(a->nsamples, 36); /* every second of 30 s + 5 s drain, and the last */
    for (size_t i = 0; i < a->nsamples; i++) {
        const eng_sample *x = &a->samples[i], *y = &b->samples[i];
        assert_memory_equal(x, y, offsetof(eng_sample, has_shuffle));
        assert_int_equal(y->has_shuffle + y->has_privacy + y->sync_sites, 0);
        assert_true(y->shuffle_bytes[0] == 0 && y->privacy_bytes == 0 && y->sync_lag_max_ms == 0);
    }
    free(a);
    free(b);
}

static void test_watched_series(void **state) {
    (void)state;
    outcome *a = calloc(1, sizeof *a);
    simulate(1, a);
    const eng_summary *s = &a->summary;
    const eng_sample *last = &a->samples[a->nsamples - 1];
    assert_true(last->has_shuffle && last->has_privacy);
    assert_int_equal(last->sync_sites, 2);
    assert_true(s->shuffle_bytes_memory > 0);
    assert_int_equal(last->shuffle_bytes[0], s->shuffle_bytes_memory);
    assert_int_equal(last->shuffle_bytes[1], s->shuffle_bytes_local_ssd);
    assert_int_equal(last->shuffle_bytes[2], s->shuffle_bytes_remote_service);
    assert_int_equal(last->shuffle_bytes[3], s->shuffle_bytes_object_store);
    assert_true(s->privacy_bytes > 0 && s->privacy_edge_cpu_s > 0 && s->privacy_cloud_cpu_s > 0);
    assert_int_equal(last->privacy_bytes, s->privacy_bytes);
    assert_float_equal(last->privacy_edge_cpu_s, s->privacy_edge_cpu_s, 1e-9);
    assert_float_equal(last->privacy_cloud_cpu_s, s->privacy_cloud_cpu_s, 1e-9);
    int in_cut = 0, healed = 0;
    for (size_t i = 1; i < a->nsamples; i++) {
        const eng_sample *x = &a->samples[i], *p = &a->samples[i - 1];
        double t = rt_to_s(x->t);
        for (int k = 0; k < 4; k++) assert_true(x->shuffle_bytes[k] >= p->shuffle_bytes[k]);
        assert_true(x->privacy_bytes >= p->privacy_bytes && x->privacy_edge_cpu_s >= p->privacy_edge_cpu_s);
        double lo = x->sync_lag_ms[0] < x->sync_lag_ms[1] ? x->sync_lag_ms[0] : x->sync_lag_ms[1];
        double hi = x->sync_lag_ms[0] + x->sync_lag_ms[1] - lo;
        assert_float_equal(x->sync_lag_max_ms, hi, 1e-9);
        assert_float_equal(x->sync_lag_median_ms, (lo + hi) / 2, 1e-9);
        assert_true(x->sync_lag_ms[1] < 1100);
        if (t > 11 && t < 20) {
            assert_true(x->sync_lag_ms[0] >= (t - 11) * 1e3);
            in_cut++;
        }
        if (t >= 23) {
            assert_true(x->sync_lag_ms[0] < 1100);
            healed++;
        }
    }
    assert_true(in_cut >= 8 && healed >= 8);
    free(a);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_watching_changes_nothing),
        cmocka_unit_test(test_watched_series),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
