/* Starting the sync agents of a run and collecting what they measured
 * (engine/sync.h): the root actor spawns them at time 0 and, once the driver
 * has finished, waits for each agent's DONE before reading its report into
 * the run's metrics — visibility histograms per direction, bytes, rounds,
 * the time to converge after each partition heals, and divergence. */
#include <stdlib.h>
#include <string.h>

#include "engine/sync_agent.h"

#define SYNC_DONE_CHAN "sync-done"

eng_sync_run *eng_sync_start(rt_t *rt, const eng_sync_opts *o, const eng_sync_policy *pol,
                             const eng_topo_opts *topo, rt_time_t end) {
    eng_sync_run *r = calloc(1, sizeof *r);
    if (!r) abort();
    r->o = o;
    r->pol = pol;
    r->nsites = topo->sites;
    r->end = end;
    r->latency = topo->wan.latency + topo->cloud.latency;
    r->reports = calloc(r->nsites + 1, sizeof *r->reports);
    if (!r->reports) abort();
    for (uint32_t i = 0; i <= r->nsites; i++)
        for (uint32_t k = 0; k < ENG_SYNC_MAX_PARTITIONS; k++) r->reports[i].heal_seen[k] = -1;
    eng_sync__lag_init(r);
    r->done = rt_chan_open(rt, SYNC_DONE_CHAN);
    rt_chan_listen(rt, r->done);
    /* Every agent's channel is opened here, one at a time, before any agent
     * runs: the SimGrid backend can make two channels of one name when two
     * actors open it for the first time at the same instant. */
    rt_chan_open(rt, ENG_SYNC_CLOUD_CHAN);
    for (uint32_t s = 0; s < r->nsites; s++) {
        char name[64];
        eng_sync_edge_chan(name, sizeof name, s);
        rt_chan_open(rt, name);
    }
    eng_sync__spawn_cloud(rt, r);
    for (uint32_t s = 0; s < r->nsites; s++) eng_sync__spawn_edge(rt, r, s);
    return r;
}

static int by_time(const void *a, const void *b) {
    const eng_sync_sample *x = a, *y = b;
    return (x->t > y->t) - (x->t < y->t);
}

/* The longest time, over the partitions, from a partition's end until the
 * last update applied before it became visible over a link it cut. */
static double converge_s(const eng_sync_run *r) {
    rt_time_t worst = 0;
    for (uint32_t k = 0; k < r->o->npartitions; k++) {
        rt_time_t seen = -1;
        for (uint32_t i = 0; i <= r->nsites; i++)
            if (r->reports[i].heal_seen[k] > seen) seen = r->reports[i].heal_seen[k];
        if (seen - r->o->partitions[k].end > worst) worst = seen - r->o->partitions[k].end;
    }
    return rt_to_s(worst);
}

static void summarise(const eng_sync_run *r, eng_metrics *m) {
    eng_summary *s = &m->summary;
    eng_hist *both = malloc(sizeof *both);
    if (!both) abort();
    *both = m->sync_up;
    eng_hist_merge(both, &m->sync_down);
    s->sync_p50_ms = eng_hist_quantile(both, 0.50) / 1e6;
    s->sync_p99_ms = eng_hist_quantile(both, 0.99) / 1e6;
    s->sync_updates = both->n;
    free(both);
    s->sync_up_p50_ms = eng_hist_quantile(&m->sync_up, 0.50) / 1e6;
    s->sync_up_p99_ms = eng_hist_quantile(&m->sync_up, 0.99) / 1e6;
    s->sync_down_p50_ms = eng_hist_quantile(&m->sync_down, 0.50) / 1e6;
    s->sync_down_p99_ms = eng_hist_quantile(&m->sync_down, 0.99) / 1e6;
    s->link_one_way_ms = (double)r->latency / 1e6;
    uint64_t round_bytes = 0;
    for (uint32_t i = 0; i <= r->nsites; i++) {
        const eng_sync_report *p = &r->reports[i];
        s->sync_bytes += p->bytes;
        s->sync_rounds += p->rounds;
        s->sync_full_states += p->states;
        round_bytes += p->round_bytes;
    }
    s->sync_bytes_per_round = s->sync_rounds ? (double)round_bytes / (double)s->sync_rounds : 0.0;
    s->sync_converge_s = converge_s(r);
    const eng_sync_report *c = &r->reports[r->nsites];
    double sum = 0;
    for (size_t i = 0; i < m->nsync_samples; i++) sum += (double)m->sync_samples[i].divergent_keys;
    s->sync_divergence_mean = m->nsync_samples ? sum / (double)m->nsync_samples : 0.0;
    s->sync_divergent_keys_end = c->divergent_end;
}

void eng_sync_finish(rt_t *rt, eng_sync_run *r, eng_metrics *m) {
    for (uint32_t left = r->nsites + 1; left > 0; left--) {
        eng_msg *done;
        rt_recv(rt, r->done, (void **)&done);
        eng_msg_free(done);
    }
    eng_sync_report *c = &r->reports[r->nsites];
    m->sync_up = c->vis;
    for (uint32_t s = 0; s < r->nsites; s++) eng_hist_merge(&m->sync_down, &r->reports[s].vis);
    qsort(c->rows, c->nrows, sizeof *c->rows, by_time);
    for (size_t i = 0; i < c->nrows; i++) eng_metrics_add_sync_sample(m, &c->rows[i]);
    summarise(r, m);
    eng_sync__lag_free(r);
    free(c->rows);
    free(r->reports);
    free(r);
}
