/* The edge sync agent: one per site, on the site's gateway host, beside the
 * edge actor. It applies each window the gateway forwards (counts, sums,
 * extremes, latest means and alarms of its devices) to its replica, syncs
 * with the cloud agent as its policy decides, and merges what the cloud
 * sends (baselines, alarms raised at other sites). Every sampling tick it
 * sends the cloud agent a digest of its replica so divergence can be
 * measured. It stops at the end of the run and leaves its report. */
#include <stdio.h>
#include <stdlib.h>

#include "engine/sync_agent.h"

typedef struct edge_arg {
    const eng_sync_run *run;
    uint32_t site;
} edge_arg;

void eng_sync_edge_chan(char *buf, size_t len, uint32_t site) { snprintf(buf, len, "sync-edge-%u", site); }

static void on_window(eng_sync_agent *g, uint32_t site, const eng_batch *b) {
    eng_sync_doc *delta;
    eng_sync_proto *p = &g->proto;
    if (eng_sync_doc_window(p->state, p->replica, &p->clock, rt_now(g->rt), site, b->r, b->n, &delta) != 0)
        abort();
    eng_sync_proto_local(&g->proto, delta, rt_now(g->rt));
    eng_sync__consult(g, 0, 0);
}

static void on_tick(eng_sync_agent *g, uint32_t site, const eng_msg *m) {
    if (m->a == ENG_TICK_END) {
        eng_sync__finish(g, eng_sync_digest_of(g->proto.state, (int32_t)site));
        return;
    }
    eng_sync_proto_expire(&g->proto, m->t);
    int64_t k = eng_sync__sample_due(g, m->t);
    if (k >= 0)
        eng_sync__notify(g, 0, ENG_SYNC_DIGEST, (uint64_t)k, m->t,
                         eng_sync_digest_of(g->proto.state, (int32_t)site), eng_sync__digest_free);
    eng_sync__consult(g, 0, 1);
}

static void edge_main(rt_t *rt, void *arg) {
    edge_arg *a = arg;
    const eng_sync_run *run = a->run;
    uint32_t site = a->site;
    char self[64];
    eng_sync_edge_chan(self, sizeof self, site);
    const char *peers[] = {ENG_SYNC_CLOUD_CHAN};
    int32_t scope = ENG_SYNC_ALL_SITES;
    eng_sync_agent g;
    eng_sync__agent_init(&g, rt, run, &run->reports[site], 2 + (crdt_replica_t)site, self, peers, &site,
                         &scope, 1);
    run->probe[site] = &g.proto;
    int gateway_done = 0;
    while (!(g.ending && gateway_done && eng_sync__drained(&g))) {
        eng_msg *m;
        rt_recv(rt, g.self, (void **)&m);
        switch (m->type) {
        case ENG_MSG_SYNC_WINDOW:
            if (!g.ending) on_window(&g, site, &m->recs);
            break;
        case ENG_MSG_EDGE_DONE:
            gateway_done = 1;
            break;
        case ENG_MSG_TICK:
            on_tick(&g, site, m);
            break;
        case ENG_MSG_SYNC:
            eng_sync__on_msg(&g, 0, m);
            eng_sync__consult(&g, 0, 0);
            break;
        default:
            abort();
        }
        eng_msg_free(m);
    }
    run->probe[site] = NULL;
    eng_sync__done(&g);
    eng_sync__agent_free(&g);
    free(a);
}

void eng_sync__spawn_edge(rt_t *rt, const eng_sync_run *run, uint32_t site) {
    edge_arg *a = malloc(sizeof *a);
    if (!a) abort();
    *a = (edge_arg){run, site};
    char name[64], host[64];
    eng_sync_edge_chan(name, sizeof name, site);
    eng_topo_edge_host(host, sizeof host, site);
    if (rt_spawn(rt, name, host, edge_main, a) != 0) abort();
}
