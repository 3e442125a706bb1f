/* Test fixtures for analysis/ (see fixture.h). */
#include "fixture.h"
#include "engine/tmp.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>

#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

eng_metrics *fx_metrics(double cost_usd, double lat_a_ms, double lat_b_ms) {
    eng_metrics *m = eng_metrics_new();
    eng_hist_add(&m->latency, (rt_time_t)(lat_a_ms * 1e6), 50);
    eng_hist_add(&m->latency, (rt_time_t)(lat_b_ms * 1e6), 50);
    for (uint32_t i = 0; i < 10; i++) {
        eng_sample s = {.t = (rt_time_t)(i + 1) * RT_S,
                        .in = 10 * (i + 1),
                        .out = 10,
                        .backlog = i,
                        .ready = i,
                        .pending = 1,
                        .target = i + 1,
                        .cost_usd = cost_usd * (i + 1) / 10.0,
                        .lat_p50_ms = lat_a_ms,
                        .lat_p95_ms = lat_b_ms,
                        .lat_p99_ms = lat_b_ms,
                        .slo_violations = 5};
        eng_metrics_add_sample(m, &s);
    }
    for (uint64_t i = 0; i < 3; i++) {
        eng_batch_row b = {.id = i,
                           .trigger = (rt_time_t)i * RT_S,
                           .start = (rt_time_t)i * RT_S + 10 * RT_MS,
                           .end = (rt_time_t)i * RT_S + 500 * RT_MS,
                           .records = 7 + i,
                           .readings = 30 + i,
                           .map_tasks = 4,
                           .reduce_tasks = 2,
                           .executors = (uint32_t)i + 1};
        eng_metrics_add_batch(m, &b);
    }
    eng_summary *s = &m->summary;
    s->readings_in = 110;
    s->readings_filtered = 10;
    s->readings_out = 100;
    s->readings_queued = 0;
    s->readings_lost = 0;
    s->bus_records = 21;
    s->wan_bytes = 123456789012ULL;
    s->cost_usd = cost_usd;
    s->executor_hours = cost_usd * 3.0;
    s->batches = 3;
    s->sim_seconds = 10.0;
    s->wall_seconds = 0.25;
    eng_metrics_finish_latency(m, 80.0);
    return m;
}

an_meta fx_meta(const char *scenario, const char *variant, uint64_t seed, const char *text) {
    return (an_meta){.scenario_name = scenario,
                     .scenario_path = "experiments/scenarios/test.yaml",
                     .scenario_text = text,
                     .variant = variant,
                     .overrides = "",
                     .seed = seed,
                     .backend = "simgrid",
                     .allocator = variant,
                     .cloud = "aws"};
}

const char *fx_write_metrics(const char *dir, const char *scenario, const char *variant, uint64_t seed,
                             const eng_metrics *m, const char *text) {
    static char path[1024];
    snprintf(path, sizeof path, "%s/%s/%s/seed-%llu.h5", dir, scenario, variant, (unsigned long long)seed);
    an_meta meta = fx_meta(scenario, variant, seed, text);
    char err[512];
    if (an_results_write(path, &meta, m, err, sizeof err) != 0) {
        fprintf(stderr, "fixture: %s\n", err);
        abort();
    }
    return path;
}

const char *fx_write_run(const char *dir, const char *scenario, const char *variant, uint64_t seed,
                         double cost_usd, const char *text) {
    eng_metrics *m = fx_metrics(cost_usd, 10, 100);
    const char *path = fx_write_metrics(dir, scenario, variant, seed, m, text);
    eng_metrics_free(m);
    return path;
}

void fx_tmpdir(char *buf, size_t len) {
    if (eng_tmp_path(buf, len, "sparkiot-test-XXXXXX") != 0 || !mkdtemp(buf)) abort();
}

void fx_rmtree(const char *dir) {
    char cmd[1200];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
    if (system(cmd) != 0) fprintf(stderr, "fixture: could not remove %s\n", dir);
}

char *fx_slurp(const char *path, size_t *len) {
    FILE *f = fopen(path, "rb");
    if (!f) return NULL;
    size_t cap = 4096, n = 0;
    char *buf = malloc(cap);
    size_t got;
    while (buf && (got = fread(buf + n, 1, cap - n - 1, f)) > 0) {
        n += got;
        if (cap - n - 1 == 0) {
            char *more = realloc(buf, cap *= 2);
            if (!more) free(buf);
            buf = more;
        }
    }
    fclose(f);
    if (!buf) return NULL;
    buf[n] = '\0';
    if (len) *len = n;
    return buf;
}

/* <dir>/<name> as a new string; fails the test when it is missing. */
static char *read_out(const char *dir, const char *name, size_t *len) {
    char path[1024];
    snprintf(path, sizeof path, "%s/%s", dir, name);
    char *text = fx_slurp(path, len);
    if (!text) fail_msg("missing %s", path);
    return text;
}

void fx_assert_contains(const char *dir, const char *name, const char *needle) {
    char *text = read_out(dir, name, NULL);
    if (!strstr(text, needle)) fail_msg("%s lacks \"%s\":\n%s", name, needle, text);
    free(text);
}

void fx_assert_rendered(const char *dir, const char *base) {
    static const char *const ext[] = {"png", "pdf"}, *const magic[] = {"\x89PNG\r\n", "%PDF-"};
    for (int i = 0; i < 2; i++) {
        char name[512];
        size_t len;
        snprintf(name, sizeof name, "%s.%s", base, ext[i]);
        char *data = read_out(dir, name, &len);
        assert_true(len > 1000);
        assert_memory_equal(data, magic[i], strlen(magic[i]));
        free(data);
    }
}
