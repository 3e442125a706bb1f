/* The prefetching of one run (engine/prefetch.h): the read stream each edge
 * gateway's windows produce, one cache per site, and the report the root
 * actor collects. The root actor builds it before spawning the gateways;
 * each gateway calls eng_prefetch_window on its own site only, in its own
 * simulated time; the root reads every site after the driver has ended
 * (every gateway has then ended), as it reads the gateways' reports.
 *
 * The read stream (docs/prefetch.md): in the w-th window a gateway
 * forwards, for each record in order,
 * - its metric's baseline, once per window and metric;
 * - its device's configuration, when the device is due: the device of rank
 *   r in its site (0-based) refreshes every P = min(config_period,
 *   2^floor(log2(r + 1))) windows, at the windows with (w + phase) mod P =
 *   0, its phase a hash of the device id mod P — popularity falls as 1/rank
 *   and each device is strictly periodic;
 * - its metric's scoring model, if the record holds an anomalous reading.
 * A key is read at most once per window. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "engine/prefetch.h"

struct eng_prefetch_site {
    const eng_prefetch_opts *o;
    eng_pf_cache *cache;
    uint32_t first, devices;       /* the site's device ids: [first, first + devices) */
    uint64_t window;               /* windows read so far */
    int64_t *key_of[ENG_PF_KINDS]; /* metric (baseline, model) or device rank (config) -> key, -1: none */
    size_t nid[ENG_PF_KINDS];
    uint64_t *stamp; /* per key: 1 + the last window it was read in */
    uint32_t *keys, *bytes;
    size_t nkeys, capkeys, nreads, capreads;
};

struct eng_prefetch_run {
    const eng_prefetch_opts *o;
    const eng_prefetch_policy *pol;
    eng_pf_net net;
    uint32_t nsites;
    eng_prefetch_site *sites;
};

/* Knuth's multiplicative hash: spreads consecutive device ids over phases. */
static uint32_t spread(uint32_t x) { return (x * 2654435761u) >> 7; }

eng_prefetch_run *eng_prefetch_start(const eng_prefetch_opts *o, const eng_prefetch_policy *pol,
                                     const eng_topo_opts *topo, uint32_t devices_per_site, uint64_t seed) {
    eng_prefetch_run *r = calloc(1, sizeof *r);
    if (!r) abort();
    r->o = o;
    r->pol = pol;
    r->nsites = topo->sites;
    eng_pf_net_of(topo, &r->net);
    r->sites = calloc(r->nsites, sizeof *r->sites);
    if (!r->sites) abort();
    for (uint32_t s = 0; s < r->nsites; s++) {
        eng_prefetch_site *p = &r->sites[s];
        char err[256];
        p->o = o;
        p->first = s * devices_per_site;
        p->devices = devices_per_site;
        p->cache = eng_pf_cache_new(o, pol, &r->net, seed ^ ((uint64_t)(s + 1) << 32), err, sizeof err);
        if (!p->cache) abort();
    }
    return r;
}

eng_prefetch_site *eng_prefetch_site_of(eng_prefetch_run *r, uint32_t site) { return &r->sites[site]; }

/* The key of (kind, id), made on its first read. */
static uint32_t key_of(eng_prefetch_site *p, eng_pf_kind kind, size_t id) {
    if (id >= p->nid[kind]) {
        size_t n = p->nid[kind] ? p->nid[kind] : 8;
        while (n <= id) n *= 2;
        p->key_of[kind] = eng_pf__grow(p->key_of[kind], n, sizeof *p->key_of[kind]);
        for (size_t i = p->nid[kind]; i < n; i++) p->key_of[kind][i] = -1;
        p->nid[kind] = n;
    }
    if (p->key_of[kind][id] < 0) {
        if (p->nkeys == p->capkeys) {
            p->capkeys = p->capkeys ? 2 * p->capkeys : 64;
            p->stamp = eng_pf__grow(p->stamp, p->capkeys, sizeof *p->stamp);
        }
        p->stamp[p->nkeys] = 0;
        p->key_of[kind][id] = (int64_t)p->nkeys++;
    }
    return (uint32_t)p->key_of[kind][id];
}

static void read_key(eng_prefetch_site *p, eng_pf_kind kind, size_t id) {
    uint32_t k = key_of(p, kind, id);
    if (p->stamp[k] == p->window + 1) return;
    p->stamp[k] = p->window + 1;
    if (p->nreads == p->capreads) {
        p->capreads = p->capreads ? 2 * p->capreads : 64;
        p->keys = eng_pf__grow(p->keys, p->capreads, sizeof *p->keys);
        p->bytes = eng_pf__grow(p->bytes, p->capreads, sizeof *p->bytes);
    }
    p->keys[p->nreads] = k;
    p->bytes[p->nreads++] = p->o->item_bytes[kind];
}

/* Whether the device of rank `rank` refreshes its configuration in window w. */
static int config_due(const eng_prefetch_site *p, uint32_t device, uint32_t rank, uint64_t w) {
    uint64_t period = 1;
    while (period * 2 <= (uint64_t)rank + 1 && period * 2 <= p->o->config_period) period *= 2;
    return (w + spread(device) % period) % period == 0;
}

void eng_prefetch_window(eng_prefetch_site *p, rt_time_t now, const eng_rec *r, size_t n) {
    p->nreads = 0;
    for (size_t i = 0; i < n; i++) {
        uint32_t d = r[i].device;
        uint32_t rank = d >= p->first && d - p->first < p->devices ? d - p->first : d % p->devices;
        read_key(p, ENG_PF_BASELINE, r[i].metric);
        if (config_due(p, d, rank, p->window)) read_key(p, ENG_PF_CONFIG, rank);
        if (r[i].flags & ENG_REC_ANOMALY) read_key(p, ENG_PF_MODEL, r[i].metric);
    }
    if (eng_pf_cache_window(p->cache, now, p->keys, p->bytes, p->nreads) != 0) abort();
    p->window++;
}

static void site_free(eng_prefetch_site *p) {
    eng_pf_cache_free(p->cache);
    for (int k = 0; k < ENG_PF_KINDS; k++) free(p->key_of[k]);
    free(p->stamp);
    free(p->keys);
    free(p->bytes);
}

static double share(uint64_t part, uint64_t whole) { return whole ? (double)part / (double)whole : 0.0; }

void eng_prefetch_finish(eng_prefetch_run *r, eng_metrics *m) {
    eng_summary *s = &m->summary;
    uint64_t oracle = 0, oracle_demand = 0;
    eng_hist_reset(&m->prefetch_read);
    for (uint32_t i = 0; i < r->nsites; i++) {
        eng_prefetch_site *p = &r->sites[i];
        eng_pf_stats st;
        eng_pf_stream stream;
        eng_pf_cache_stats(p->cache, &st);
        eng_pf_cache_stream(p->cache, &stream);
        oracle += eng_pf_oracle_prefetch(&stream, r->o->budget);
        oracle_demand += eng_pf_oracle_demand(&stream, r->o->budget);
        s->prefetch_reads += st.reads;
        s->prefetch_hits += st.hits;
        s->prefetch_misses += st.misses;
        s->prefetch_late += st.late;
        s->prefetch_demand_bytes += st.demand_bytes;
        s->prefetch_prefetched_bytes += st.prefetch_bytes;
        s->prefetch_wasted_bytes += st.wasted_bytes;
        if (st.peak_bytes > s->prefetch_peak_bytes) s->prefetch_peak_bytes = st.peak_bytes;
        eng_hist_merge(&m->prefetch_read, &st.latency);
        site_free(p);
    }
    s->prefetch_budget_bytes = r->o->budget;
    s->prefetch_bytes = s->prefetch_demand_bytes + s->prefetch_prefetched_bytes;
    s->prefetch_hit_rate = share(s->prefetch_hits, s->prefetch_reads);
    s->prefetch_oracle_hit_rate = share(oracle, s->prefetch_reads);
    s->prefetch_oracle_demand_hit_rate = share(oracle_demand, s->prefetch_reads);
    s->prefetch_read_p50_ms = eng_hist_quantile(&m->prefetch_read, 0.50) / 1e6;
    s->prefetch_read_p99_ms = eng_hist_quantile(&m->prefetch_read, 0.99) / 1e6;
    snprintf(m->prefetch_policy, sizeof m->prefetch_policy, "%s", r->pol->name);
    free(r->sites);
    free(r);
}
