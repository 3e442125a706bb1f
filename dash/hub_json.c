/* The hub's JSON out: /api/state, /api/series and the SSE events, rendered
 * with jansson under the hub's lock (a few hundred microseconds for a full
 * page of points). Field names and units are those of docs/dashboard.md;
 * a run's summary uses the names `sparkiot inspect --json` uses. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "dash/hub_int.h"

static const char *status_name[] = {"running", "done", "failed"};
static const char *tier_name[] = {"memory", "local_ssd", "remote_service", "object_store"};

static json_t *point_json(const dash_point *p) {
    json_t *o = json_object();
    json_object_set_new(o, "seq", json_integer((json_int_t)p->seq));
    json_object_set_new(o, "run", json_integer(p->run));
    json_object_set_new(o, "t_s", json_real(p->t_s));
    json_object_set_new(o, "wall_s", json_real(p->wall_s));
    json_object_set_new(o, "in_rate", json_real(p->in_rate));
    json_object_set_new(o, "out_rate", json_real(p->out_rate));
    json_object_set_new(o, "in_total", json_integer((json_int_t)p->in_total));
    json_object_set_new(o, "out_total", json_integer((json_int_t)p->out_total));
    json_object_set_new(o, "backlog", json_integer((json_int_t)p->backlog));
    json_object_set_new(o, "lat_p50_ms", json_real(p->lat_p50_ms));
    json_object_set_new(o, "lat_p95_ms", json_real(p->lat_p95_ms));
    json_object_set_new(o, "lat_p99_ms", json_real(p->lat_p99_ms));
    json_object_set_new(o, "ready", json_integer(p->ready));
    json_object_set_new(o, "pending", json_integer(p->pending));
    json_object_set_new(o, "target", json_integer(p->target));
    json_object_set_new(o, "cost_usd", json_real(p->cost_usd));
    json_object_set_new(o, "cost_rate_usd_h", json_real(p->cost_rate_usd_h));
    if (p->has_shuffle) {
        json_t *b = json_object();
        for (int t = 0; t < 4; t++)
            json_object_set_new(b, tier_name[t], json_integer((json_int_t)p->shuffle_bytes[t]));
        json_object_set_new(o, "shuffle_bytes", b);
    }
    if (p->has_privacy) {
        json_t *v = json_object();
        json_object_set_new(v, "bytes", json_integer((json_int_t)p->privacy_bytes));
        json_object_set_new(v, "edge_cpu_s", json_real(p->privacy_edge_cpu_s));
        json_object_set_new(v, "cloud_cpu_s", json_real(p->privacy_cloud_cpu_s));
        json_object_set_new(o, "privacy", v);
    }
    if (p->sync_sites) {
        json_t *l = json_object(), *sites = json_array();
        json_object_set_new(l, "sites", json_integer(p->sync_sites));
        json_object_set_new(l, "max", json_real(p->sync_lag_max_ms));
        json_object_set_new(l, "median", json_real(p->sync_lag_median_ms));
        for (uint32_t i = 0; i < p->sync_sites && i < ENG_SAMPLE_LAG_SITES; i++)
            json_array_append_new(sites, json_real(p->sync_lag_ms[i]));
        json_object_set_new(l, "site", sites);
        json_object_set_new(o, "sync_lag_ms", l);
    }
    return o;
}

/* Sets group.name (or name when group is NULL) in o. */
static void put(json_t *o, const char *group, const char *name, json_t *v) {
    if (group) {
        json_t *g = json_object_get(o, group);
        if (!g) {
            g = json_object();
            json_object_set_new(o, group, g);
        }
        o = g;
    }
    json_object_set_new(o, name, v);
}

static json_t *summary_json(const eng_summary *s) {
    json_t *o = json_object();
    put(o, NULL, "cost_usd", json_real(s->cost_usd));
    put(o, NULL, "executor_hours", json_real(s->executor_hours));
    put(o, "latency_ms", "p50", json_real(s->latency_p50_ms));
    put(o, "latency_ms", "p95", json_real(s->latency_p95_ms));
    put(o, "latency_ms", "p99", json_real(s->latency_p99_ms));
    put(o, "latency_ms", "mean", json_real(s->latency_mean_ms));
    put(o, "latency_ms", "max", json_real(s->latency_max_ms));
    put(o, NULL, "slo_ms", json_real(s->slo_ms));
    put(o, NULL, "slo_violation_share", json_real(s->slo_violation_share));
    put(o, "records", "in", json_integer((json_int_t)s->readings_in));
    put(o, "records", "filtered", json_integer((json_int_t)s->readings_filtered));
    put(o, "records", "out", json_integer((json_int_t)s->readings_out));
    put(o, "records", "queued", json_integer((json_int_t)s->readings_queued));
    put(o, "records", "lost", json_integer((json_int_t)s->readings_lost));
    put(o, NULL, "bus_records", json_integer((json_int_t)s->bus_records));
    put(o, NULL, "wan_bytes", json_integer((json_int_t)s->wan_bytes));
    put(o, NULL, "batches", json_integer((json_int_t)s->batches));
    put(o, NULL, "sim_seconds", json_real(s->sim_seconds));
    put(o, NULL, "wall_seconds", json_real(s->wall_seconds));
    put(o, "sync_ms", "p50", json_real(s->sync_p50_ms));
    put(o, "sync_ms", "p99", json_real(s->sync_p99_ms));
    put(o, "sync_up_ms", "p99", json_real(s->sync_up_p99_ms));
    put(o, "sync_down_ms", "p99", json_real(s->sync_down_p99_ms));
    put(o, "sync", "updates", json_integer((json_int_t)s->sync_updates));
    put(o, "sync", "divergent_keys_end", json_integer((json_int_t)s->sync_divergent_keys_end));
    put(o, "shuffle_bytes", "memory", json_integer((json_int_t)s->shuffle_bytes_memory));
    put(o, "shuffle_bytes", "local_ssd", json_integer((json_int_t)s->shuffle_bytes_local_ssd));
    put(o, "shuffle_bytes", "remote_service", json_integer((json_int_t)s->shuffle_bytes_remote_service));
    put(o, "shuffle_bytes", "object_store", json_integer((json_int_t)s->shuffle_bytes_object_store));
    put(o, NULL, "recomputed_tasks", json_integer((json_int_t)s->recomputed_tasks));
    return o;
}

static json_t *run_json(const dash_run *r, uint32_t index) {
    const dash_run_info *i = &r->info;
    json_t *o = json_object();
    json_object_set_new(o, "index", json_integer(index));
    json_object_set_new(o, "scenario", json_string(i->scenario));
    json_object_set_new(o, "variant", json_string(i->variant));
    json_object_set_new(o, "seed", json_integer((json_int_t)i->seed));
    json_object_set_new(o, "backend", json_string(i->backend));
    json_object_set_new(o, "slo_ms", json_real(i->slo_ms));
    json_object_set_new(o, "end_s", json_real(i->end_s));
    json_object_set_new(o, "status", json_string(status_name[r->status]));
    double sim = r->has_summary ? r->summary.sim_seconds : r->has_point ? r->latest.t_s : 0;
    double wall = r->has_summary ? r->summary.wall_seconds : r->has_point ? r->latest.wall_s : 0;
    double progress = r->status != DASH_RUN_RUNNING ? 1.0 : i->end_s > 0 ? sim / i->end_s : 0.0;
    json_object_set_new(o, "sim_s", json_real(sim));
    json_object_set_new(o, "wall_s", json_real(wall));
    json_object_set_new(o, "progress", json_real(progress > 1 ? 1 : progress));
    json_object_set_new(o, "latest", r->has_point ? point_json(&r->latest) : json_null());
    json_object_set_new(o, "summary", r->has_summary ? summary_json(&r->summary) : json_null());
    return o;
}

/* The state object; h->mu held. */
static json_t *state_json(dash_hub *h) {
    json_t *o = json_object(), *runs = json_array();
    uint32_t done = 0, failed = 0, current = 0;
    for (uint32_t i = 0; i < h->nruns; i++) {
        json_array_append_new(runs, run_json(&h->runs[i], i));
        done += h->runs[i].status == DASH_RUN_DONE;
        failed += h->runs[i].status == DASH_RUN_FAILED;
        if (h->runs[i].status == DASH_RUN_RUNNING || h->runs[current].status != DASH_RUN_RUNNING) current = i;
    }
    json_object_set_new(o, "version", json_integer((json_int_t)h->version));
    json_object_set_new(o, "seq", json_integer((json_int_t)(h->next_seq - 1)));
    json_object_set_new(o, "uptime_s", json_real(dash__now() - h->started));
    json_object_set_new(o, "finished", json_boolean(h->finished));
    json_object_set_new(o, "runs_expected", json_integer(h->expected));
    json_object_set_new(o, "runs_started", json_integer(h->nruns));
    json_object_set_new(o, "runs_done", json_integer(done));
    json_object_set_new(o, "runs_failed", json_integer(failed));
    json_object_set_new(o, "current", h->nruns ? json_integer(current) : json_null());
    json_object_set_new(o, "runs", runs);
    return o;
}

/* Points with seq > since (at most max) and the first seq still held;
 * h->mu held. */
static json_t *points_json(dash_hub *h, uint64_t since, size_t max, uint64_t *last) {
    json_t *a = json_array();
    uint64_t first = h->next_seq > DASH_RING ? h->next_seq - DASH_RING : 1;
    uint64_t s = since + 1 > first ? since + 1 : first;
    for (size_t n = 0; s < h->next_seq && n < max; s++, n++)
        json_array_append_new(a, point_json(&h->ring[(s - 1) % DASH_RING]));
    if (last) *last = s - 1 > since ? s - 1 : since;
    return a;
}

static char *dump(json_t *o) {
    char *text = o ? json_dumps(o, JSON_COMPACT | JSON_REAL_PRECISION(17)) : NULL;
    json_decref(o);
    return text;
}

char *dash_hub_state_json(dash_hub *h) {
    pthread_mutex_lock(&h->mu);
    json_t *o = state_json(h);
    pthread_mutex_unlock(&h->mu);
    return dump(o);
}

char *dash_hub_series_json(dash_hub *h, uint64_t since, size_t max) {
    pthread_mutex_lock(&h->mu);
    json_t *o = json_object();
    uint64_t last = 0;
    uint64_t first = h->next_seq > DASH_RING ? h->next_seq - DASH_RING : 1;
    json_object_set_new(o, "points", points_json(h, since, max, &last));
    json_object_set_new(o, "first", json_integer((json_int_t)first));
    json_object_set_new(o, "last", json_integer((json_int_t)last));
    json_object_set_new(o, "seq", json_integer((json_int_t)(h->next_seq - 1)));
    pthread_mutex_unlock(&h->mu);
    return dump(o);
}

char *dash_hub_event_json(dash_hub *h, uint64_t *last, size_t max) {
    pthread_mutex_lock(&h->mu);
    json_t *o = json_object();
    json_object_set_new(o, "state", state_json(h));
    json_object_set_new(o, "points", points_json(h, *last, max, last));
    pthread_mutex_unlock(&h->mu);
    return dump(o);
}
