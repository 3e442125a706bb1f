/* Filling the dashboard's records (dash/rec.h) from what a run knows: its
 * options before it starts, its latest sample while it runs. */
#include "dash/rec.h"

#include <stdio.h>
#include <string.h>

size_t dash_rec_payload(uint32_t kind) {
    return kind == DASH_REC_POINT ? sizeof(dash_point) : kind == DASH_REC_SUMMARY ? sizeof(eng_summary) : 0;
}

void dash_run_info_fill(dash_run_info *i, const char *scenario, const char *variant, const char *backend,
                        uint64_t seed, const eng_run_opts *o) {
    *i = (dash_run_info){
        .seed = seed, .slo_ms = rt_to_s(o->slo) * 1e3, .end_s = rt_to_s(o->duration + o->drain)};
    snprintf(i->scenario, sizeof i->scenario, "%s", scenario);
    snprintf(i->variant, sizeof i->variant, "%s", variant);
    snprintf(i->backend, sizeof i->backend, "%s", backend);
}

void dash_point_from_metrics(const eng_metrics *m, double wall_s, uint64_t *in_total, uint64_t *out_total,
                             dash_point *p) {
    const eng_sample *s = &m->samples[m->nsamples - 1];
    const eng_sample *prev = m->nsamples > 1 ? &m->samples[m->nsamples - 2] : NULL;
    double dt = rt_to_s(s->t - (prev ? prev->t : 0));
    double dcost = s->cost_usd - (prev ? prev->cost_usd : 0);
    *in_total += s->in;
    *out_total += s->out;
    *p = (dash_point){
        .ready = s->ready,
        .pending = s->pending,
        .target = s->target,
        .t_s = rt_to_s(s->t),
        .wall_s = wall_s,
        .in_rate = dt > 0 ? (double)s->in / dt : 0,
        .out_rate = dt > 0 ? (double)s->out / dt : 0,
        .in_total = *in_total,
        .out_total = *out_total,
        .backlog = s->backlog,
        .lat_p50_ms = s->lat_p50_ms,
        .lat_p95_ms = s->lat_p95_ms,
        .lat_p99_ms = s->lat_p99_ms,
        .cost_usd = s->cost_usd,
        .cost_rate_usd_h = dt > 0 ? dcost / dt * 3600.0 : 0,
        .has_shuffle = s->has_shuffle,
        .has_privacy = s->has_privacy,
        .sync_sites = s->sync_sites,
        .privacy_bytes = s->privacy_bytes,
        .privacy_edge_cpu_s = s->privacy_edge_cpu_s,
        .privacy_cloud_cpu_s = s->privacy_cloud_cpu_s,
        .sync_lag_max_ms = s->sync_lag_max_ms,
        .sync_lag_median_ms = s->sync_lag_median_ms,
    };
    memcpy(p->shuffle_bytes, s->shuffle_bytes, sizeof p->shuffle_bytes);
    memcpy(p->sync_lag_ms, s->sync_lag_ms, sizeof p->sync_lag_ms);
}
