/* Edge sync lag sampled while a run goes on (sync_lag.h): the lag of each
 * site read from its agents' protocol states. */
#include "engine/sync_lag.h"

#include <stdlib.h>

#include "engine/sync_agent.h"

void eng_sync__lag_init(eng_sync_run *r) {
    r->probe = calloc(r->nsites + 1, sizeof *r->probe);
    r->lag_ms = calloc(r->nsites ? r->nsites : 1, sizeof *r->lag_ms);
    r->lag_sorted = calloc(r->nsites ? r->nsites : 1, sizeof *r->lag_sorted);
    if (!r->probe || !r->lag_ms || !r->lag_sorted) abort();
}

void eng_sync__lag_free(eng_sync_run *r) {
    free(r->probe);
    free(r->lag_ms);
    free(r->lag_sorted);
}

/* Site s's lag at now (ms): the edge's first entry the cloud does not have
 * (every edge entry is the edge's own update: an edge agent's one peer is
 * the cloud, whose deltas it merges without buffering them). */
static double site_lag(const eng_sync_run *r, uint32_t s, rt_time_t now) {
    const eng_sync_proto *edge = r->probe[s], *cloud = r->probe[r->nsites];
    if (!edge || !cloud) return r->lag_ms[s];
    uint64_t have = cloud->peers[s].recv;
    return have < edge->seq ? (double)(now - edge->meta[have].applied) / 1e6 : 0.0;
}

static int by_value(const void *a, const void *b) {
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

void eng_sync_lag_sample(eng_sync_run *r, rt_time_t now, eng_sample *s) {
    s->sync_sites = 0;
    if (!r || r->nsites == 0) return;
    uint32_t n = r->nsites;
    for (uint32_t i = 0; i < n; i++) r->lag_sorted[i] = r->lag_ms[i] = site_lag(r, i, now);
    qsort(r->lag_sorted, n, sizeof *r->lag_sorted, by_value);
    s->sync_sites = n;
    s->sync_lag_max_ms = r->lag_sorted[n - 1];
    s->sync_lag_median_ms =
        n % 2 ? r->lag_sorted[n / 2] : (r->lag_sorted[n / 2 - 1] + r->lag_sorted[n / 2]) / 2;
    for (uint32_t i = 0; i < n && i < ENG_SAMPLE_LAG_SITES; i++) s->sync_lag_ms[i] = r->lag_ms[i];
}
