/* The scenario schema: one row per key of a scenario file, with its type,
 * unit, range and destination in xp_scenario, plus the hooks for the keys
 * that need more than a store — the workload preset (applied before the
 * other workload keys because its row comes first), the edge filter
 * ("present = enabled"), the cloud profile (another file) and allocator
 * parameters (any other key of the allocator section). */
#include "experiments/scenario_fields.h"

#include <math.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>

#include "experiments/cloud_load.h"
#include "experiments/units.h"

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
#define OPEN XP_F_LO_OPEN

static const char *const kinds[] = {"periodic", "poisson", "mmpp", "diurnal", NULL};
static const char *const value_models[] = {"random_walk", "seasonal", NULL};
static const char *const edge_modes[] = {"raw", "aggregate", NULL};
static const char *const exec_modes[] = {"microbatch", "continuous", NULL};
static const char *const cost_dists[] = {"fixed", "exponential", NULL};

_Static_assert(sizeof(wl_kind) == sizeof(int) && sizeof(wl_value_model) == sizeof(int) &&
                   sizeof(eng_edge_mode) == sizeof(int) && sizeof(eng_exec_mode) == sizeof(int) &&
                   sizeof(eng_cost_dist) == sizeof(int),
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

static int read_filter(xp_walk *w, const xp_field *f, const xp_ynode *key, const xp_ynode *val) {
    scen(w)->edge.filter = 1;
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

/* Any key of the allocator section the table does not list is a parameter
 * of the named allocator: a number, or a duration stored in ns. */
static int read_params(xp_walk *w, const xp_field *f, const xp_ynode *key, const xp_ynode *val) {
    eng_alloc_opts *a = &scen(w)->alloc;
    for (size_t i = 0; val->kind == XP_Y_MAP && i < val->n; i++) {
        const xp_ynode *k = val->keys[i], *v = val->vals[i];
        char path[128], got[160];
        snprintf(path, sizeof path, "allocator.%s", k->str);
        if (xp_schema__find(w, path)) continue;
        if (a->nparams == ENG_MAX_PARAMS)
            return xp_yaml__fail(w->err, w->errlen, w->origin, k, NULL, "allocator: more than %d parameters",
                                 ENG_MAX_PARAMS);
        eng_param *p = &a->params[a->nparams];
        if (strlen(k->str) >= sizeof p->key)
            return xp_yaml__fail(w->err, w->errlen, w->origin, k, NULL,
                                 "allocator: parameter name longer than %zu", sizeof p->key - 1);
        int scalar = v->kind == XP_Y_SCALAR && !v->null;
        rt_time_t t;
        if (scalar && xp_units__duration(v->str, &t) == 0)
            p->value = (double)t;
        else if (!scalar || xp_units__number(v->str, &p->value) != 0)
            return xp_yaml__fail(w->err, w->errlen, w->origin, v, path,
                                 "expected a number or a duration like 30s, got %s",
                                 xp_yaml__what(v, got, sizeof got));
        snprintf(p->key, sizeof p->key, "%s", k->str);
        p->line = v->line; /* 0 for a --set */
        p->col = v->col;
        a->nparams++;
    }
    return 0;
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
    E("workload.kind", workload.kind, kinds, NULL),
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
    eng_edge_defaults(&s->edge);
    eng_bus_defaults(&s->bus);
    eng_driver_defaults(&s->driver);
    eng_cloud_defaults(&s->cloud);
    snprintf(s->cloud_name, sizeof s->cloud_name, "%s", s->cloud.name);
    snprintf(s->alloc.name, sizeof s->alloc.name, "static");
    s->alloc.interval = 15 * RT_S;
    s->alloc.min_executors = 1;
    s->alloc.max_executors = 32;
    s->alloc.initial_executors = 4;
    snprintf(s->variant, sizeof s->variant, "default");
}
