/* The part of a sync agent the edge and the cloud share (sync_agent.h):
 * consulting the policy and sending what the protocol emits through the
 * fault model (a partition or a loss draw drops a message at the sender, a
 * duplicate draw sends it twice; a partition also drops it at the receiver),
 * merging what arrives and acknowledging it, recording when updates become
 * visible, and the end-of-run handshake that lets every agent take each
 * message it was sent before it ends. */
#include "engine/sync_agent.h"

#include <assert.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void *xcalloc(size_t n, size_t size) {
    void *p = calloc(n ? n : 1, size);
    if (!p) abort();
    return p;
}

void eng_sync__agent_init(eng_sync_agent *g, rt_t *rt, const eng_sync_run *run, eng_sync_report *rep,
                          crdt_replica_t replica, const char *self, const char *const *peers,
                          const uint32_t *sites, const int32_t *scopes, uint32_t npeers) {
    const eng_sync_opts *o = run->o;
    memset(g, 0, sizeof *g);
    g->rt = rt;
    g->run = run;
    g->rep = rep;
    eng_sync_proto_init(&g->proto, replica, run->nsites, scopes, npeers, o->full_after, run->latency);
    g->self = rt_chan_open(rt, self);
    rt_chan_listen(rt, g->self);
    g->to = xcalloc(npeers, sizeof *g->to);
    g->site = xcalloc(npeers, sizeof *g->site);
    g->sent = xcalloc(npeers, sizeof *g->sent);
    g->got = xcalloc(npeers, sizeof *g->got);
    g->expect = xcalloc(npeers, sizeof *g->expect);
    for (uint32_t j = 0; j < npeers; j++) {
        g->to[j] = rt_chan_open(rt, peers[j]);
        g->site[j] = sites[j];
        g->expect[j] = UINT64_MAX;
    }
    char name[96];
    snprintf(name, sizeof name, "%s-tick", self);
    eng_ticker_start(rt, name, g->self, ENG_TICK_POLL, o->tick, o->tick, run->end - 1);
    snprintf(name, sizeof name, "%s-end", self);
    eng_ticker_start(rt, name, g->self, ENG_TICK_END, run->end, 0, run->end);
}

void eng_sync__agent_free(eng_sync_agent *g) {
    eng_sync_proto_free(&g->proto);
    free(g->to);
    free(g->site);
    free(g->sent);
    free(g->got);
    free(g->expect);
}

static void packet_free(void *p) {
    eng_sync_packet *k = p;
    free(k->bytes);
    free(k->vis);
    free(k);
}

static eng_sync_packet *packet_clone(const eng_sync_packet *k) {
    eng_sync_packet *c = xcalloc(1, sizeof *c);
    c->bytes = xcalloc(k->len, 1);
    c->vis = xcalloc(k->nvis, sizeof *c->vis);
    if (k->len) memcpy(c->bytes, k->bytes, k->len);
    if (k->nvis) memcpy(c->vis, k->vis, k->nvis * sizeof *k->vis);
    c->len = k->len;
    c->nvis = k->nvis;
    return c;
}

static eng_msg *sync_msg(uint32_t site, eng_sync_what what, void *body, void (*body_free)(void *)) {
    eng_msg *m = eng_msg_new(ENG_MSG_SYNC);
    m->a = site;
    m->b = what;
    m->body = body;
    m->body_free = body_free;
    return m;
}

/* Encodes m for peer j and sends it through the fault model; m's payload is
 * consumed. Returns the bytes offered. */
static size_t send_packet(eng_sync_agent *g, uint32_t j, eng_sync_msg *m) {
    const eng_sync_opts *o = g->run->o;
    eng_sync_packet *k = xcalloc(1, sizeof *k);
    if (eng_sync_wire_encode(m, g->site[j], &k->bytes, &k->len) != 0) abort();
    k->vis = m->vis;
    k->nvis = m->nvis;
    m->vis = NULL;
    eng_sync_msg_clear(m);
    size_t bytes = k->len + o->header_bytes;
    g->rep->bytes += bytes;
    gsl_rng *rng = rt_rng(g->rt);
    int cut = eng_sync_partitioned(o, g->site[j], rt_now(g->rt));
    if (cut || (o->loss > 0 && gsl_rng_uniform(rng) < o->loss)) {
        g->rep->cut += cut;
        g->rep->lost += !cut;
        packet_free(k);
        return bytes;
    }
    if (o->duplicate > 0 && gsl_rng_uniform(rng) < o->duplicate) {
        rt_send(g->rt, g->to[j], sync_msg(g->site[j], ENG_SYNC_PACKET, packet_clone(k), packet_free), bytes);
        g->sent[j]++;
        g->rep->dups++;
        g->rep->bytes += bytes;
    }
    rt_send(g->rt, g->to[j], sync_msg(g->site[j], ENG_SYNC_PACKET, k, packet_free), bytes);
    g->sent[j]++;
    return bytes;
}

void eng_sync__consult(eng_sync_agent *g, uint32_t j, int timer) {
    if (g->ending) return;
    rt_time_t now = rt_now(g->rt);
    eng_sync_obs obs;
    eng_sync_proto_observe(&g->proto, j, now, &obs);
    obs.timer = timer;
    eng_sync_action a = g->run->pol->decide(g->run->o, &obs);
    if (a == ENG_SYNC_WAIT || (a == ENG_SYNC_SEND_DELTA && !obs.pending && !obs.need_state)) return;
    eng_sync_msg m;
    eng_sync_proto_emit(&g->proto, j, a, now, &m);
    int state = m.kind == ENG_SYNC_MSG_STATE;
    size_t bytes = send_packet(g, j, &m);
    g->rep->rounds++;
    g->rep->states += state;
    g->rep->round_bytes += bytes;
}

void eng_sync__consult_all(eng_sync_agent *g, int timer) {
    for (uint32_t j = 0; j < g->proto.npeers; j++) eng_sync__consult(g, j, timer);
}

/* Records an update of peer j that became visible here. */
static void on_visible(void *ctx, uint32_t j, rt_time_t applied, rt_time_t now) {
    eng_sync_agent *g = ctx;
    const eng_sync_opts *o = g->run->o;
    eng_hist_add(&g->rep->vis, now - applied, 1);
    for (uint32_t k = 0; k < o->npartitions; k++) {
        const eng_sync_partition *p = &o->partitions[k];
        if ((p->site == ENG_SYNC_ALL_SITES || (uint32_t)p->site == g->site[j]) && applied < p->end &&
            now > g->rep->heal_seen[k])
            g->rep->heal_seen[k] = now;
    }
}

static int on_packet(eng_sync_agent *g, uint32_t j, eng_sync_packet *k) {
    rt_time_t now = rt_now(g->rt);
    if (eng_sync_partitioned(g->run->o, g->site[j], now)) {
        g->rep->cut++;
        return 0;
    }
    eng_sync_msg m, ack;
    uint32_t site;
    char err[200];
    if (eng_sync_wire_decode(k->bytes, k->len, g->run->nsites, &site, &m, err, sizeof err) != 0) {
        fprintf(stderr, "sparkiot: sync message from site %u: %s\n", g->site[j], err);
        abort();
    }
    m.vis = k->vis;
    m.nvis = k->nvis;
    k->vis = NULL;
    int kind = m.kind;
    int rc = eng_sync_proto_receive(&g->proto, j, &m, now, on_visible, g, &ack);
    if (kind != ENG_SYNC_MSG_ACK) {
        send_packet(g, j, &ack);
        g->rep->acks++;
    }
    return rc;
}

int eng_sync__on_msg(eng_sync_agent *g, uint32_t j, eng_msg *m) {
    if (m->b == ENG_SYNC_FIN) {
        g->expect[j] = m->x;
        return 0;
    }
    g->got[j]++;
    if (m->b != ENG_SYNC_PACKET || g->ending) return 0;
    return on_packet(g, j, m->body);
}

int64_t eng_sync__sample_due(eng_sync_agent *g, rt_time_t t) {
    uint64_t k = (uint64_t)(t / g->run->o->sample);
    if (k < g->next_sample) return -1;
    g->next_sample = k + 1;
    return (int64_t)k;
}

void eng_sync__notify(eng_sync_agent *g, uint32_t j, eng_sync_what what, uint64_t x, rt_time_t t, void *body,
                      void (*body_free)(void *)) {
    eng_msg *m = sync_msg(g->site[j], what, body, body_free);
    m->x = x;
    m->t = t;
    if (what != ENG_SYNC_FIN) g->sent[j]++;
    rt_send(g->rt, g->to[j], m, 0);
}

void eng_sync__digest_free(void *p) { eng_sync_digest_free(p); }

void eng_sync__finish(eng_sync_agent *g, eng_sync_digest *digest) {
    assert(!digest || g->proto.npeers == 1);
    g->ending = 1;
    for (uint32_t j = 0; j < g->proto.npeers; j++)
        eng_sync__notify(g, j, ENG_SYNC_FIN, g->sent[j], g->run->end, digest,
                         digest ? eng_sync__digest_free : NULL);
}

int eng_sync__drained(const eng_sync_agent *g) {
    for (uint32_t j = 0; j < g->proto.npeers; j++)
        if (g->expect[j] == UINT64_MAX || g->got[j] < g->expect[j]) return 0;
    return 1;
}

void eng_sync__done(eng_sync_agent *g) {
    rt_send(g->rt, g->run->done, sync_msg(0, ENG_SYNC_DONE, NULL, NULL), 0);
}
