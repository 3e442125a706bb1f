/* The scenario schema: one row per key of a scenario file, with its type,
 * unit, range and destination in xp_scenario, plus the hooks for the keys
 * that need more than a store — the workload preset (applied before the
 * other workload keys because its row comes first), the workload kind (a
 * synthetic arrival process, or `trace` for a recorded trace), the trace
 * section (read after its keys: it resolves the trace's paths and prepares
 * it), the edge filter and the state sync ("present = enabled"), the cloud
 * profile (another file), policy parameters (any other key of the
 * allocator and shuffle sections) and sync partitions (scenario_sync.c). */
#include "experiments/scenario_fields.h"

#include <math.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>

#include "experiments/cloud_load.h"
#include "experiments/scenario_privacy.h"
#include "experiments/units.h"
#include "policies/prefetch.h"
#include "policies/sync.h"

#define INF INFINITY
#define F(p, t, m, l, h, fl)                                                                                 \
    {                                                                                                        \
        .path = p, .type = t, .off = offsetof(xp_scenario, m), .size = sizeof(((xp_scenario *)0)->m),        \
        .lo = l, .hi = h, .flags = fl                                                                        \
    }
/* a field that *_check() messages call `al` */
#define FA(p, t, m, l, h, fl, al)                                                                            \
    {                                                                                                        \
        .path = p, .type = t, .off = offsetof(xp_scenario, m), .size = sizeof(((xp_scenario *)0)->m),        \
        .lo = l, .hi = h, .flags = fl, .alias = al                                                           \
    }
#define E(p, m, n, al)                                                                                       \
    { .path = p, .type = XP_T_ENUM, .off = offsetof(xp_scenario, m), .names = n, .alias = al }
#define SEC(p)                                                                                               \
    { .path = p, .type = XP_T_MAP }
#define LINK(n)                                                                                              \
    SEC("topology." #n), F("topology." #n ".bandwidth", XP_T_BW, topo.n.bandwidth, 0, INF, XP_F_LO_OPEN),    \
        F("topology." #n ".latency", XP_T_DUR, topo.n.latency, 0, INF, 0)
#define HOST(n)                                                                                              \
    SEC("topology." #n), F("topology." #n ".speed", XP_T_SPEED, topo.n.speed, 0, INF, XP_F_LO_OPEN),         \
        F("topology." #n ".cores", XP_T_U32, topo.n.cores, 1, 1024, 0),                                      \
        F("topology." #n ".memory_gb", XP_T_F64, topo.n.memory_gb, 0, INF, XP_F_LO_OPEN)
#define TIER(n)                                                                                              \
    SEC("shuffle.tiers." #n),                                                                                \
        F("shuffle.tiers." #n ".latency", XP_T_DUR, topo.store.tier[TIER_##n].latency, 0, INF, 0),           \
        F("shuffle.tiers." #n ".read_bandwidth", XP_T_BW, topo.store.tier[TIER_##n].read_bw, 0, INF,         \
          XP_F_LO_OPEN),                                                                                     \
        F("shuffle.tiers." #n ".write_bandwidth", XP_T_BW, topo.store.tier[TIER_##n].write_bw, 0, INF,       \
          XP_F_LO_OPEN)
#define CAPACITY(n)                                                                                          \
    F("shuffle.tiers." #n ".capacity_gb", XP_T_F64, topo.store.tier[TIER_##n].capacity_gb, 0, INF, 0)
enum {
    TIER_memory = ENG_TIER_MEMORY,
    TIER_local_ssd = ENG_TIER_LOCAL_SSD,
    TIER_remote_service = ENG_TIER_REMOTE,
    TIER_object_store = ENG_TIER_OBJECT
};
#define OPEN XP_F_LO_OPEN

static const char *const kinds[] = {"periodic", "poisson", "mmpp", "diurnal", "trace", NULL};
enum { KIND_TRACE = 4 }; /* kinds[] index of the replay; the others are wl_kind values */
static const char *const value_models[] = {"random_walk", "seasonal", NULL};
static const char *const edge_modes[] = {"raw", "aggregate", NULL};
static const char *const detect_methods[] = {"off", "zscore", NULL};
static const char *const exec_modes[] = {"microbatch", "continuous", NULL};
static const char *const cost_dists[] = {"fixed", "exponential", NULL};

_Static_assert(sizeof(wl_kind) == sizeof(int) && sizeof(wl_value_model) == sizeof(int) &&
                   sizeof(eng_edge_mode) == sizeof(int) && sizeof(eng_detect_method) == sizeof(int) &&
                   sizeof(eng_exec_mode) == sizeof(int) && sizeof(eng_cost_dist) == sizeof(int) &&
                   sizeof(tr_format) == sizeof(int) && sizeof(tr_time_format) == sizeof(int),
               "enums are read as int");

static xp_scenario *scen(xp_walk *w) { return w->base; }

static int read_preset(xp_walk *w, const xp_field *f, const xp_ynode *key, const xp_ynode *val) {
    xp_scenario *s = scen(w);
    const char *const *names = wl_preset_names();
    char list[512], hint[128] = "", got[160];
    if (val->kind == XP_Y_SCALAR && !val->null && strlen(val->str) < sizeof s->preset &&
        wl_preset_apply(&s->workload, val->str) == 0) {
        snprintf(s->preset, sizeof s->preset, "%s", val->str);
        return 0;
    }
    if (val->kind == XP_Y_SCALAR) xp_suggest__hint(hint, sizeof hint, val->str, names);
    xp_suggest__join(list, sizeof list, names);
    return xp_yaml__fail(w->err, w->errlen, w->origin, val, f->path, "unknown preset %s%s (known: %s)",
                         xp_yaml__what(val, got, sizeof got), hint, list);
}

/* One of the synthetic arrival processes, or `trace`, which needs a trace. */
static int read_kind(xp_walk *w, const xp_field *f, const xp_ynode *key, const xp_ynode *val) {
    xp_scenario *s = scen(w);
    char list[256], hint[128] = "", got[160];
    for (int i = 0; val->kind == XP_Y_SCALAR && !val->null && kinds[i]; i++) {
        if (strcmp(val->str, kinds[i]) != 0) continue;
        s->replay = i == KIND_TRACE;
        if (!s->replay) s->workload.kind = (wl_kind)i;
        if (s->replay && !xp_yaml__path(w->root, "workload.trace.path"))
            return xp_yaml__fail(w->err, w->errlen, w->origin, val, f->path,
                                 "trace needs workload.trace.path (the recorded trace to replay)");
        return 0;
    }
    if (val->kind == XP_Y_SCALAR) xp_suggest__hint(hint, sizeof hint, val->str, kinds);
    xp_suggest__join(list, sizeof list, kinds);
    return xp_yaml__fail(w->err, w->errlen, w->origin, val, f->path, "expected one of %s, got %s%s", list,
                         xp_yaml__what(val, got, sizeof got), hint);
}

/* A trace window bound: an ISO-8601 time, stored in ns since the epoch. */
static int read_trace_time(xp_walk *w, const xp_field *f, const xp_ynode *key, const xp_ynode *val) {
    rt_time_t t;
    char got[160];
    if (val->kind != XP_Y_SCALAR || val->null || tr_time_parse_iso(val->str, &t) != 0)
        return xp_yaml__fail(w->err, w->errlen, w->origin, val, f->path,
                             "expected a time like 2015-09-01 00:00:00 (ISO-8601, UTC unless an offset is "
                             "given), got %s",
                             xp_yaml__what(val, got, sizeof got));
    memcpy((char *)w->base + f->off, &t, sizeof t);
    return 0;
}

/* The value columns: a list of names (or one name, as a --set gives it). */
static int read_trace_values(xp_walk *w, const xp_field *f, const xp_ynode *key, const xp_ynode *val) {
    tr_colmap *c = &scen(w)->trace.o.columns;
    int one = val->kind == XP_Y_SCALAR && !val->null;
    size_t n = one ? 1 : val->kind == XP_Y_SEQ ? val->n : 0;
    char got[160];
    if (n == 0 || n > TR_MAX_VALUES)
        return xp_yaml__fail(w->err, w->errlen, w->origin, val, f->path,
                             "expected a list of 1 to %d column names like [temperature, humidity], got %s",
                             TR_MAX_VALUES, xp_yaml__what(val, got, sizeof got));
    for (size_t i = 0; i < n; i++) {
        const xp_ynode *v = one ? val : val->vals[i];
        if (v->kind != XP_Y_SCALAR || v->null || !v->str[0] || strlen(v->str) >= TR_NAME_LEN)
            return xp_yaml__fail(w->err, w->errlen, w->origin, v, f->path,
                                 "expected a column name (at most %d characters), got %s", TR_NAME_LEN - 1,
                                 xp_yaml__what(v, got, sizeof got));
        snprintf(c->values[i], TR_NAME_LEN, "%s", v->str);
    }
    c->nvalues = (uint32_t)n;
    return 0;
}

/* A path as written, relative to the scenario file's folder unless absolute. */
static int resolve(char *path, size_t len, const char *scenario) {
    const char *slash = strrchr(scenario, '/');
    if (!path[0] || path[0] == '/' || !slash) return 0;
    char joined[TR_PATH_LEN];
    int n = snprintf(joined, sizeof joined, "%.*s/%s", (int)(slash - scenario), scenario, path);
    if (n < 0 || (size_t)n >= len) return -1;
    memcpy(path, joined, (size_t)n + 1);
    return 0;
}

/* The trace section, after its keys: a replay resolves the paths and
 * prepares the trace (reads it once); otherwise the section waits unused
 * (a variant may switch the kind). */
static int read_trace(xp_walk *w, const xp_field *f, const xp_ynode *key, const xp_ynode *val) {
    xp_scenario *s = scen(w);
    if (!s->replay) return 0;
    tr_opts o = s->trace.o;
    char msg[2048];
    if (resolve(o.path, sizeof o.path, s->path) || resolve(o.labels, sizeof o.labels, s->path))
        return xp_yaml__fail(w->err, w->errlen, w->origin, val, f->path,
                             "a path is longer than %d characters", TR_PATH_LEN - 1);
    int rc = tr_trace_prepare(&s->trace, &o, msg, sizeof msg);
    if (rc == TR_ERR_OPTS) {
        char full[2100];
        snprintf(full, sizeof full, "workload.trace.%s", msg);
        return xp_schema__relocate(w, f->path, full);
    }
    const char *at = rc == TR_ERR_LABELS ? "workload.trace.labels" : "workload.trace.path";
    return rc ? xp_yaml__fail(w->err, w->errlen, w->origin, xp_yaml__path(w->root, at), at, "%s", msg) : 0;
}

static int read_filter(xp_walk *w, const xp_field *f, const xp_ynode *key, const xp_ynode *val) {
    scen(w)->edge.filter = 1;
    return 0;
}

static int read_sync(xp_walk *w, const xp_field *f, const xp_ynode *key, const xp_ynode *val) {
    scen(w)->sync.enabled = 1;
    return 0;
}

static int read_cloud(xp_walk *w, const xp_field *f, const xp_ynode *key, const xp_ynode *val) {
    xp_scenario *s = scen(w);
    if (val->kind != XP_Y_SCALAR || val->null) {
        char got[160];
        return xp_yaml__fail(
            w->err, w->errlen, w->origin, val, f->path,
            "expected a cloud profile name like aws_emr_serverless or a path to a .yaml, got %s",
            xp_yaml__what(val, got, sizeof got));
    }
    char msg[1024];
    int rc =
        xp_cloud__load(val->str, s->path, &s->cloud, s->cloud_path, sizeof s->cloud_path, msg, sizeof msg);
    if (rc == XP_CLOUD_UNKNOWN) return xp_yaml__fail(w->err, w->errlen, w->origin, val, f->path, "%s", msg);
    if (rc) {
        snprintf(w->err, w->errlen, "%s", msg);
        return -1;
    }
    snprintf(s->cloud_name, sizeof s->cloud_name, "%s", s->cloud.name);
    return 0;
}

/* Any key of section f->path the table does not list is a parameter of its
 * named policy: a number, or a duration stored in ns. */
static int read_open_params(xp_walk *w, const xp_field *f, const xp_ynode *val, eng_param *params,
                            size_t *nparams) {
    for (size_t i = 0; val->kind == XP_Y_MAP && i < val->n; i++) {
        const xp_ynode *k = val->keys[i], *v = val->vals[i];
        char path[128], got[160];
        snprintf(path, sizeof path, "%s.%s", f->path, k->str);
        if (xp_schema__find(w, path)) continue;
        if (*nparams == ENG_MAX_PARAMS)
            return xp_yaml__fail(w->err, w->errlen, w->origin, k, NULL, "%s: more than %d parameters",
                                 f->path, ENG_MAX_PARAMS);
        eng_param *p = &params[*nparams];
        if (strlen(k->str) >= sizeof p->key)
            return xp_yaml__fail(w->err, w->errlen, w->origin, k, NULL, "%s: parameter name longer than %zu",
                                 f->path, sizeof p->key - 1);
        int scalar = v->kind == XP_Y_SCALAR && !v->null;
        rt_time_t t;
        if (scalar && xp_units__duration(v->str, &t) == 0)
            p->value = (double)t;
        else if (!scalar || xp_units__number(v->str, &p->value) != 0) {
            char hint[160];
            xp_schema__hint(w, f->path, k->str, hint, sizeof hint);
            return xp_yaml__fail(w->err, w->errlen, w->origin, v, path,
                                 "expected a number or a duration like 30s (a parameter of the %s), got %s%s",
                                 f->path, xp_yaml__what(v, got, sizeof got), hint);
        }
        snprintf(p->key, sizeof p->key, "%s", k->str);
        p->line = v->line; /* 0 for a --set */
        p->col = v->col;
        (*nparams)++;
    }
    return 0;
}

static int read_params(xp_walk *w, const xp_field *f, const xp_ynode *key, const xp_ynode *val) {
    eng_alloc_opts *a = &scen(w)->alloc;
    return read_open_params(w, f, val, a->params, &a->nparams);
}

static int read_shuffle_params(xp_walk *w, const xp_field *f, const xp_ynode *key, const xp_ynode *val) {
    eng_shuffle_opts *s = &scen(w)->shuffle;
    return read_open_params(w, f, val, s->params, &s->nparams);
}

const xp_field xp_scenario__fields[] = {
    F("name", XP_T_NAME, name, 0, 0, XP_F_REQUIRED),
    F("description", XP_T_STR, description, 0, 0, 0),
    F("seed", XP_T_U64, seed, 0, INF, 0),
    F("seeds", XP_T_U32, seeds, 1, 1000, 0),
    F("duration", XP_T_DUR, duration, 0, INF, OPEN),
    F("drain", XP_T_DUR, drain, 0, INF, 0),
    F("slo", XP_T_DUR, slo, 0, INF, OPEN),
    SEC("topology"),
    F("topology.sites", XP_T_U32, topo.sites, 1, 100000, 0),
    LINK(access),
    LINK(wan),
    LINK(cloud),
    HOST(edge),
    HOST(broker),
    HOST(driver),
    HOST(executor),
    SEC("workload"),
    {.path = "workload.preset", .type = XP_T_HOOK, .hook = read_preset},
    {.path = "workload.kind",
     .type = XP_T_HOOK,
     .off = offsetof(xp_scenario, workload.kind),
     .size = sizeof(int),
     .hook = read_kind},
    F("workload.devices_per_site", XP_T_U32, workload.devices_per_site, 1, 1e7, 0),
    F("workload.metrics", XP_T_U32, workload.metrics, 1, 65535, 0),
    F("workload.record_bytes", XP_T_SIZE, workload.record_bytes, 1, 1e9, 0),
    F("workload.period", XP_T_DUR, workload.period, 0, INF, OPEN),
    F("workload.jitter", XP_T_DUR, workload.jitter, 0, INF, 0),
    F("workload.rate", XP_T_F64, workload.rate, 0, INF, 0),
    SEC("workload.burst"),
    FA("workload.burst.factor", XP_T_F64, workload.burst_factor, 1, INF, 0, "workload.burst_factor"),
    FA("workload.burst.on_mean", XP_T_DUR, workload.burst_on_mean, 0, INF, OPEN, "workload.burst_on_mean"),
    FA("workload.burst.off_mean", XP_T_DUR, workload.burst_off_mean, 0, INF, OPEN, "workload.burst_off_mean"),
    SEC("workload.diurnal"),
    FA("workload.diurnal.amplitude", XP_T_F64, workload.amplitude, 0, 1, 0, "workload.amplitude"),
    FA("workload.diurnal.day", XP_T_DUR, workload.day, 0, INF, OPEN, "workload.day"),
    FA("workload.diurnal.peak", XP_T_DUR, workload.peak_tod, 0, INF, 0, "workload.peak_tod"),
    FA("workload.diurnal.start", XP_T_DUR, workload.start_tod, 0, INF, 0, "workload.start_tod"),
    SEC("workload.values"),
    E("workload.values.model", workload.values, value_models, "workload.values"),
    FA("workload.values.base", XP_T_F64, workload.base, -INF, INF, 0, "workload.base"),
    FA("workload.values.walk_sigma", XP_T_F64, workload.walk_sigma, 0, INF, 0, "workload.walk_sigma"),
    FA("workload.values.season_amplitude", XP_T_F64, workload.season_amplitude, -INF, INF, 0,
       "workload.season_amplitude"),
    FA("workload.values.season_period", XP_T_DUR, workload.season_period, 0, INF, OPEN,
       "workload.season_period"),
    FA("workload.values.noise_sigma", XP_T_F64, workload.noise_sigma, 0, INF, 0, "workload.noise_sigma"),
    SEC("workload.anomalies"),
    FA("workload.anomalies.rate", XP_T_F64, workload.anomaly_rate, 0, 1, 0, "workload.anomaly_rate"),
    FA("workload.anomalies.magnitude", XP_T_F64, workload.anomaly_magnitude, 0, INF, 0,
       "workload.anomaly_magnitude"),
    F("workload.trace.path", XP_T_STR, trace.o.path, 0, 0, 0),
    E("workload.trace.format", trace.o.format, tr_format_names, NULL),
    F("workload.trace.speedup", XP_T_F64, trace.o.speedup, 0, INF, OPEN),
    F("workload.trace.loop", XP_T_BOOL, trace.o.loop, 0, 0, 0),
    {.path = "workload.trace.start",
     .type = XP_T_HOOK,
     .off = offsetof(xp_scenario, trace.o.start),
     .hook = read_trace_time},
    {.path = "workload.trace.end",
     .type = XP_T_HOOK,
     .off = offsetof(xp_scenario, trace.o.end),
     .hook = read_trace_time},
    F("workload.trace.strict", XP_T_BOOL, trace.o.strict, 0, 0, 0),
    F("workload.trace.phase", XP_T_DUR, trace.o.phase, 0, INF, 0),
    F("workload.trace.value_jitter", XP_T_F64, trace.o.value_jitter, 0, INF, 0),
    F("workload.trace.labels", XP_T_STR, trace.o.labels, 0, 0, 0),
    F("workload.trace.label_key", XP_T_STR, trace.o.label_key, 0, 0, 0),
    SEC("workload.trace.columns"),
    F("workload.trace.columns.time", XP_T_STR, trace.o.columns.time, 0, 0, 0),
    E("workload.trace.columns.time_format", trace.o.columns.time_format, tr_time_format_names, NULL),
    F("workload.trace.columns.device", XP_T_STR, trace.o.columns.device, 0, 0, 0),
    {.path = "workload.trace.columns.values", .type = XP_T_HOOK, .hook = read_trace_values},
    F("workload.trace.columns.label", XP_T_STR, trace.o.columns.label, 0, 0, 0),
    /* after its keys: its hook prepares the trace they describe */
    {.path = "workload.trace", .type = XP_T_MAP, .hook = read_trace},
    SEC("edge"),
    E("edge.mode", edge.mode, edge_modes, NULL),
    F("edge.flush", XP_T_DUR, edge.flush, 0, INF, 0),
    F("edge.window", XP_T_DUR, edge.window, 0, INF, OPEN),
    {.path = "edge.filter", .type = XP_T_MAP, .hook = read_filter},
    F("edge.filter.enabled", XP_T_BOOL, edge.filter, 0, 0, 0),
    F("edge.filter.min", XP_T_F64, edge.filter_min, -INF, INF, 0),
    F("edge.filter.max", XP_T_F64, edge.filter_max, -INF, INF, 0),
    F("edge.flops_per_reading", XP_T_F64, edge.flops_per_reading, 0, INF, 0),
    F("edge.aggregate_bytes", XP_T_SIZE, edge.aggregate_bytes, 1, 1e9, 0),
    SEC("edge.detect"),
    E("edge.detect.method", edge.detect.method, detect_methods, NULL),
    F("edge.detect.window", XP_T_U32, edge.detect.window, 2, 65536, 0),
    F("edge.detect.threshold", XP_T_F64, edge.detect.threshold, 0, INF, OPEN),
    SEC("bus"),
    F("bus.partitions", XP_T_U32, bus.partitions, 1, 4096, 0),
    F("bus.append_flops", XP_T_F64, bus.append_flops, 0, INF, 0),
    F("bus.fetch_flops", XP_T_F64, bus.fetch_flops, 0, INF, 0),
    F("bus.request_bytes", XP_T_SIZE, bus.request_bytes, 0, 1e9, 0),
    SEC("pipeline"),
    E("pipeline.mode", driver.mode, exec_modes, NULL),
    F("pipeline.trigger", XP_T_DUR, driver.trigger, 0, INF, XP_F_ASAP),
    F("pipeline.max_records_per_trigger", XP_T_U64, driver.max_records_per_trigger, 0, INF, 0),
    F("pipeline.reduce_tasks", XP_T_U32, driver.reduce_tasks, 1, 4096, 0),
    E("pipeline.map_cost", driver.map_dist, cost_dists, NULL),
    F("pipeline.map_flops", XP_T_F64, driver.map_flops, 0, INF, 0),
    F("pipeline.reduce_flops", XP_T_F64, driver.reduce_flops, 0, INF, 0),
    F("pipeline.task_overhead_flops", XP_T_F64, driver.task_overhead_flops, 0, INF, 0),
    F("pipeline.shuffle_bytes_per_record", XP_T_SIZE, driver.shuffle_bytes_per_record, 0, 1e9, 0),
    F("pipeline.sample_interval", XP_T_DUR, driver.sample_interval, 0, INF, OPEN),
    {.path = "cloud", .type = XP_T_HOOK, .hook = read_cloud},
    {.path = "allocator", .type = XP_T_MAP, .flags = XP_F_OPEN, .hook = read_params},
    F("allocator.name", XP_T_STR, alloc.name, 0, 0, 0),
    F("allocator.interval", XP_T_DUR, alloc.interval, 0, INF, OPEN),
    F("allocator.min_executors", XP_T_U32, alloc.min_executors, 0, 100000, 0),
    F("allocator.max_executors", XP_T_U32, alloc.max_executors, 1, 100000, 0),
    F("allocator.initial_executors", XP_T_U32, alloc.initial_executors, 0, 100000, 0),
    F("allocator.checkpoint", XP_T_STR, alloc.checkpoint, 0, 0, 0),
    {.path = "sync", .type = XP_T_MAP, .hook = read_sync},
    F("sync.enabled", XP_T_BOOL, sync.enabled, 0, 0, 0),
    E("sync.policy", sync_policy, pol_sync_names, NULL),
    F("sync.interval", XP_T_DUR, sync.interval, 0, INF, OPEN),
    F("sync.tick", XP_T_DUR, sync.tick, 0, INF, OPEN),
    F("sync.sample", XP_T_DUR, sync.sample, 0, INF, OPEN),
    F("sync.full_after", XP_T_DUR, sync.full_after, 0, INF, OPEN),
    F("sync.loss", XP_T_F64, sync.loss, 0, 1, 0),
    F("sync.duplicate", XP_T_F64, sync.duplicate, 0, 1, 0),
    F("sync.batch_bytes", XP_T_SIZE, sync.batch_bytes, 0, 1e9, 0),
    F("sync.max_backoff", XP_T_DUR, sync.max_backoff, 0, INF, OPEN),
    F("sync.header_bytes", XP_T_SIZE, sync.header_bytes, 0, 1e9, 0),
    {.path = "sync.partitions", .type = XP_T_HOOK, .hook = xp_scenario__read_partitions},
    {.path = "prefetch", .type = XP_T_MAP, .hook = xp_scenario__read_prefetch},
    F("prefetch.enabled", XP_T_BOOL, prefetch.enabled, 0, 0, 0),
    E("prefetch.policy", prefetch_policy, pol_prefetch_names, NULL),
    F("prefetch.budget", XP_T_SIZE, prefetch.budget, 1, 1e9, 0),
    F("prefetch.threshold", XP_T_F64, prefetch.threshold, 0, INF, OPEN),
    F("prefetch.hit_latency", XP_T_DUR, prefetch.hit_latency, 0, INF, 0),
    F("prefetch.header_bytes", XP_T_SIZE, prefetch.header_bytes, 0, 1e9, 0),
    F("prefetch.config_period", XP_T_U32, prefetch.config_period, 1, 65536, 0),
    SEC("prefetch.items"),
    F("prefetch.items.baseline", XP_T_SIZE, prefetch.item_bytes[ENG_PF_BASELINE], 1, 1e9, 0),
    F("prefetch.items.config", XP_T_SIZE, prefetch.item_bytes[ENG_PF_CONFIG], 1, 1e9, 0),
    F("prefetch.items.model", XP_T_SIZE, prefetch.item_bytes[ENG_PF_MODEL], 1, 1e9, 0),
    SEC("prefetch.ewma"),
    F("prefetch.ewma.alpha", XP_T_F64, prefetch.ewma_alpha, 0, 1, OPEN),
    SEC("prefetch.ar"),
    F("prefetch.ar.order", XP_T_U32, prefetch.ar_order, 1, 256, 0),
    F("prefetch.ar.history", XP_T_U32, prefetch.ar_history, 4, 4096, 0),
    SEC("prefetch.lstm"),
    F("prefetch.lstm.hidden", XP_T_U32, prefetch.lstm_hidden, 1, 256, 0),
    F("prefetch.lstm.history", XP_T_U32, prefetch.lstm_history, 2, 256, 0),
    F("prefetch.lstm.lr", XP_T_F64, prefetch.lstm_lr, 0, 1, OPEN),
    {.path = "shuffle", .type = XP_T_MAP, .flags = XP_F_OPEN, .hook = read_shuffle_params},
    F("shuffle.policy", XP_T_NAME, shuffle.policy, 0, 0, 0),
    F("shuffle.window", XP_T_U32, shuffle.window, 1, 100000, 0),
    F("shuffle.slide", XP_T_U32, shuffle.slide, 1, 100000, 0),
    F("shuffle.release_holders", XP_T_BOOL, shuffle.release_holders, 0, 0, 0),
    SEC("shuffle.tiers"),
    TIER(memory),
    F("shuffle.tiers.memory.fraction", XP_T_F64, topo.store.memory_fraction, 0, 1, OPEN),
    TIER(local_ssd),
    CAPACITY(local_ssd),
    TIER(remote_service),
    CAPACITY(remote_service),
    TIER(object_store),
    SEC("shuffle.service"),
    F("shuffle.service.hosts", XP_T_U32, topo.store.service_hosts, 1, 1024, 0),
    F("shuffle.service.cores", XP_T_U32, topo.store.service_cores, 1, 1024, 0),
    F("shuffle.service.memory_gb", XP_T_F64, topo.store.service_memory_gb, 0, INF, OPEN),
    F("shuffle.service.bandwidth", XP_T_BW, topo.store.service_bandwidth, 0, INF, OPEN),
    F("shuffle.service.latency", XP_T_DUR, topo.store.service_latency, 0, INF, 0),
    {.path = "privacy", .type = XP_T_HOOK, .hook = xp_scenario__read_privacy},
    {.path = "variants", .type = XP_T_OTHER},
};

const size_t xp_scenario__nfields = sizeof xp_scenario__fields / sizeof xp_scenario__fields[0];

void xp_scenario__defaults(xp_scenario *s) {
    s->seed = 1;
    s->seeds = 5;
    s->duration = 600 * RT_S;
    s->drain = 60 * RT_S;
    s->slo = 500 * RT_MS;
    eng_topo_defaults(&s->topo);
    wl_opts_defaults(&s->workload);
    tr_opts_defaults(&s->trace.o);
    eng_edge_defaults(&s->edge);
    eng_bus_defaults(&s->bus);
    eng_driver_defaults(&s->driver);
    eng_cloud_defaults(&s->cloud);
    eng_sync_defaults(&s->sync);
    eng_prefetch_defaults(&s->prefetch);
    eng_shuffle_defaults(&s->shuffle);
    snprintf(s->cloud_name, sizeof s->cloud_name, "%s", s->cloud.name);
    snprintf(s->alloc.name, sizeof s->alloc.name, "static");
    s->alloc.interval = 15 * RT_S;
    s->alloc.min_executors = 1;
    s->alloc.max_executors = 32;
    s->alloc.initial_executors = 4;
    snprintf(s->variant, sizeof s->variant, "default");
}
