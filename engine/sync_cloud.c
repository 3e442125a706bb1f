/* The cloud sync agent: one per run, on the broker host. Its replica holds
 * every site's values; it merges what the edge agents send, relays alarms
 * raised at one site to the others (never back to where they came from),
 * recomputes the per-metric baselines when new values have arrived (on its
 * next tick, reading again only the sites that sent them) and syncs them
 * down. It also measures divergence: at every sampling tick it digests its
 * replica as each site sees it and compares that with the digest the site's
 * agent took at the same instant. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "engine/sync_agent.h"
#include "engine/sync_baseline.h"

typedef struct cloud {
    eng_sync_agent g;
    eng_sync_monitor *mon;
    eng_sync_totals *totals;
    uint8_t *dirty; /* per site: values arrived since its totals were read */
    int any_dirty;
} cloud;

static void sample(cloud *c, uint64_t k, rt_time_t t) {
    for (uint32_t s = 0; s < c->g.run->nsites; s++)
        eng_sync_monitor_put(c->mon, k, t, s, 0, eng_sync_digest_of(c->g.proto.state, (int32_t)s));
}

static void on_tick(cloud *c, const eng_msg *m) {
    eng_sync_agent *g = &c->g;
    if (m->a == ENG_TICK_END) {
        sample(c, ENG_SYNC_FINAL_SAMPLE, m->t);
        eng_sync__finish(g, NULL);
        return;
    }
    eng_sync_proto *p = &g->proto;
    eng_sync_proto_expire(p, m->t);
    if (c->any_dirty) {
        for (uint32_t s = 0; s < g->run->nsites; s++)
            if (c->dirty[s]) eng_sync_totals_update(c->totals, p->state, s);
        memset(c->dirty, 0, g->run->nsites);
        c->any_dirty = 0;
        eng_sync_doc *delta;
        if (eng_sync_doc_baselines(p->state, c->totals, p->replica, &p->clock, m->t, &delta) != 0) abort();
        if (delta) eng_sync_proto_local(p, delta, m->t);
    }
    int64_t k = eng_sync__sample_due(g, m->t);
    if (k >= 0) sample(c, (uint64_t)k, m->t);
    eng_sync__consult_all(g, 1);
}

static void on_sync(cloud *c, eng_msg *m) {
    eng_sync_agent *g = &c->g;
    uint32_t j = m->a;
    if (m->b == ENG_SYNC_DIGEST || (m->b == ENG_SYNC_FIN && m->body)) {
        uint64_t k = m->b == ENG_SYNC_FIN ? ENG_SYNC_FINAL_SAMPLE : m->x;
        eng_sync_monitor_put(c->mon, k, m->t, j, 1, m->body);
        m->body = NULL;
    }
    int rc = eng_sync__on_msg(g, j, m);
    if (rc & ENG_SYNC_GREW) c->dirty[j] = c->any_dirty = 1;
    eng_sync__consult(g, j, 0);
    for (uint32_t i = 0; i < g->proto.npeers && (rc & ENG_SYNC_NEWS); i++)
        if (i != j) eng_sync__consult(g, i, 0);
}

static void cloud_main(rt_t *rt, void *arg) {
    const eng_sync_run *run = arg;
    uint32_t n = run->nsites;
    char(*names)[32] = malloc((n ? n : 1) * sizeof *names);
    const char **peers = malloc((n ? n : 1) * sizeof *peers);
    uint32_t *sites = malloc((n ? n : 1) * sizeof *sites);
    int32_t *scopes = malloc((n ? n : 1) * sizeof *scopes);
    if (!names || !peers || !sites || !scopes) abort();
    for (uint32_t s = 0; s < n; s++) {
        eng_sync_edge_chan(names[s], sizeof names[s], s);
        peers[s] = names[s];
        sites[s] = s;
        scopes[s] = (int32_t)s;
    }
    eng_sync_report *rep = &run->reports[n];
    cloud c = {
        .mon = eng_sync_monitor_new(n), .totals = eng_sync_totals_new(n), .dirty = calloc(n ? n : 1, 1)};
    if (!c.dirty) abort();
    eng_sync__agent_init(&c.g, rt, run, rep, 1, ENG_SYNC_CLOUD_CHAN, peers, sites, scopes, n);
    run->probe[n] = &c.g.proto;
    while (!(c.g.ending && eng_sync__drained(&c.g))) {
        eng_msg *m;
        rt_recv(rt, c.g.self, (void **)&m);
        if (m->type == ENG_MSG_TICK)
            on_tick(&c, m);
        else if (m->type == ENG_MSG_SYNC)
            on_sync(&c, m);
        else
            abort();
        eng_msg_free(m);
    }
    size_t nrows;
    const eng_sync_sample *rows = eng_sync_monitor_rows(c.mon, &nrows, &rep->divergent_end);
    rep->rows = malloc((nrows ? nrows : 1) * sizeof *rep->rows);
    if (!rep->rows) abort();
    if (nrows) memcpy(rep->rows, rows, nrows * sizeof *rows);
    rep->nrows = nrows;
    run->probe[n] = NULL;
    eng_sync__done(&c.g);
    eng_sync_monitor_free(c.mon);
    eng_sync_totals_free(c.totals);
    free(c.dirty);
    eng_sync__agent_free(&c.g);
    free(names);
    free(peers);
    free(sites);
    free(scopes);
}

void eng_sync__spawn_cloud(rt_t *rt, const eng_sync_run *run) {
    if (rt_spawn(rt, ENG_SYNC_CLOUD_CHAN, ENG_HOST_BROKER, cloud_main, (void *)run) != 0) abort();
}
