/* The delta anti-entropy state machine (sync_proto.h): the numbered delta
 * buffer, per-peer acknowledgement and round-trip bookkeeping, what a message
 * to a peer holds, and merging what arrives. */
#include "engine/sync_proto.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

static void *xrealloc(void *p, size_t n) {
    p = realloc(p, n ? n : 1);
    if (!p) abort();
    return p;
}

void eng_sync_msg_clear(eng_sync_msg *m) {
    eng_sync_doc_free(m->doc);
    free(m->vis);
    memset(m, 0, sizeof *m);
}

void eng_sync_proto_init(eng_sync_proto *p, crdt_replica_t replica, uint32_t nsites, const int32_t *scopes,
                         uint32_t npeers, rt_time_t full_after, rt_time_t latency) {
    memset(p, 0, sizeof *p);
    p->replica = replica;
    crdt_hlc_init(&p->clock, 0);
    p->state = eng_sync_doc_new(nsites);
    p->peers = calloc(npeers ? npeers : 1, sizeof *p->peers);
    if (!p->peers) abort();
    p->npeers = npeers;
    for (uint32_t j = 0; j < npeers; j++) p->peers[j] = (eng_sync_peer){.scope = scopes[j], .last_send = -1};
    p->full_after = full_after;
    p->latency = latency;
}

void eng_sync_proto_free(eng_sync_proto *p) {
    for (uint64_t k = p->base; k < p->seq; k++) eng_sync_doc_free(p->buf[k - p->base]);
    free(p->buf);
    free(p->meta);
    free(p->peers);
    eng_sync_doc_free(p->state);
}

static bool sees_site(int32_t scope, int32_t site) {
    return site != ENG_SYNC_SITE_NONE &&
           (scope == ENG_SYNC_ALL_SITES || site == ENG_SYNC_ALL_SITES || site == scope);
}

/* Whether peer j needs entry e: it did not come from j and j holds some of it. */
static bool relevant(const eng_sync_proto *p, const eng_sync_meta *e, uint32_t j) {
    return e->origin != (int32_t)j && (e->shared || sees_site(p->peers[j].scope, e->site));
}

static uint64_t bytes_for(const eng_sync_proto *p, const eng_sync_meta *e, uint32_t j) {
    return (sees_site(p->peers[j].scope, e->site) ? e->site_bytes : 0) + (e->shared ? e->shared_bytes : 0);
}

static void decay_rate(eng_sync_proto *p, rt_time_t now) {
    if (now > p->rate_at) p->rate *= exp(-(double)(now - p->rate_at) / (double)ENG_SYNC_RATE_TAU);
    if (now > p->rate_at) p->rate_at = now;
}

/* Appends entry `d` (owned, not bottom) from `origin`. */
static void push_entry(eng_sync_proto *p, eng_sync_doc *d, int32_t origin, rt_time_t now) {
    if (p->seq == p->capmeta) {
        p->capmeta = p->capmeta ? 2 * p->capmeta : 64;
        p->meta = xrealloc(p->meta, p->capmeta * sizeof *p->meta);
    }
    size_t used = (size_t)(p->seq - p->base);
    if (used == p->capbuf) {
        p->capbuf = p->capbuf ? 2 * p->capbuf : 64;
        p->buf = xrealloc(p->buf, p->capbuf * sizeof *p->buf);
    }
    eng_sync_meta *e = &p->meta[p->seq];
    e->applied = now;
    e->origin = origin;
    e->site = eng_sync_doc_span(d, &e->shared);
    size_t all = eng_sync_doc_size(d, ENG_SYNC_ALL_SITES), shared = eng_sync_doc_size(d, ENG_SYNC_SITE_NONE);
    e->shared_bytes = (uint32_t)shared;
    e->site_bytes = (uint32_t)(all - shared);
    p->buf[used] = d;
    p->seq++;
    decay_rate(p, now);
    p->rate += 1.0 / rt_to_s(ENG_SYNC_RATE_TAU);
}

void eng_sync_proto_local(eng_sync_proto *p, eng_sync_doc *delta, rt_time_t now) {
    if (eng_sync_doc_is_bottom(delta, ENG_SYNC_ALL_SITES)) {
        eng_sync_doc_free(delta);
        return;
    }
    push_entry(p, delta, ENG_SYNC_LOCAL, now);
}

/* Drops the buffer's front while every peer that needs it has it. */
static void collect(eng_sync_proto *p) {
    size_t drop = 0;
    for (uint64_t k = p->base; k < p->seq; k++, drop++) {
        uint32_t j = 0;
        while (j < p->npeers && (p->peers[j].acked > k || !relevant(p, &p->meta[k], j))) j++;
        if (j < p->npeers) break;
        eng_sync_doc_free(p->buf[k - p->base]);
    }
    if (!drop) return;
    memmove(p->buf, p->buf + drop, (size_t)(p->seq - p->base - drop) * sizeof *p->buf);
    p->base += drop;
}

void eng_sync_proto_expire(eng_sync_proto *p, rt_time_t now) {
    collect(p);
    size_t drop = 0;
    for (uint64_t k = p->base; k < p->seq && p->meta[k].applied < now - p->full_after; k++, drop++) {
        for (uint32_t j = 0; j < p->npeers; j++) {
            eng_sync_peer *q = &p->peers[j];
            if (q->acked <= k && relevant(p, &p->meta[k], j) && q->lost < k + 1) q->lost = k + 1;
        }
        eng_sync_doc_free(p->buf[k - p->base]);
    }
    if (!drop) return;
    memmove(p->buf, p->buf + drop, (size_t)(p->seq - p->base - drop) * sizeof *p->buf);
    p->base += drop;
}

void eng_sync_proto_observe(eng_sync_proto *p, uint32_t j, rt_time_t now, eng_sync_obs *obs) {
    const eng_sync_peer *q = &p->peers[j];
    memset(obs, 0, sizeof *obs);
    obs->now = now;
    obs->since_send = q->last_send < 0 ? RT_FOREVER : now - q->last_send;
    for (uint64_t k = q->acked > p->base ? q->acked : p->base; k < p->seq; k++) {
        if (!relevant(p, &p->meta[k], j)) continue;
        uint64_t b = bytes_for(p, &p->meta[k], j);
        obs->pending++;
        obs->pending_bytes += b;
        if (k < q->sent) continue;
        obs->unsent++;
        obs->unsent_bytes += b;
    }
    obs->acks_outstanding = q->outstanding;
    decay_rate(p, now);
    obs->update_rate = p->rate;
    obs->link_latency = q->srtt > 0 ? q->srtt / 2 : p->latency;
    obs->need_state = q->acked < q->lost;
}

void eng_sync_proto_emit(eng_sync_proto *p, uint32_t j, eng_sync_action what, rt_time_t now,
                         eng_sync_msg *out) {
    eng_sync_peer *q = &p->peers[j];
    memset(out, 0, sizeof *out);
    out->kind = what == ENG_SYNC_SEND_STATE || q->acked < q->lost ? ENG_SYNC_MSG_STATE : ENG_SYNC_MSG_DELTA;
    out->from = out->kind == ENG_SYNC_MSG_STATE ? 0 : q->acked;
    out->to = p->seq;
    out->echo = now;
    if (crdt_hlc_now(&p->clock, now, &out->stamp) != 0) abort();
    out->doc = eng_sync_doc_new(p->state->nsites);
    if (out->kind == ENG_SYNC_MSG_STATE && eng_sync_doc_join(out->doc, p->state, q->scope) != 0) abort();
    /* Entries in [acked, base) a delta would need have expired, which makes
     * this a state: a delta only ever skips entries j does not need. */
    out->vis = xrealloc(NULL, (size_t)(p->seq - q->acked) * sizeof *out->vis);
    for (uint64_t k = q->acked; k < p->seq; k++) {
        if (!relevant(p, &p->meta[k], j)) continue;
        out->vis[out->nvis++] = (eng_sync_vis){k, p->meta[k].applied};
        if (out->kind == ENG_SYNC_MSG_DELTA &&
            eng_sync_doc_join(out->doc, p->buf[k - p->base], q->scope) != 0)
            abort();
    }
    if (q->sent < p->seq) q->sent = p->seq;
    q->last_send = now;
    q->outstanding++;
}

/* Keeps of a received entry from peer j only what another peer holds: the
 * shared parts and the site maps of the other peers' scopes. */
static void strip_for_others(const eng_sync_proto *p, eng_sync_doc *d, uint32_t j) {
    uint8_t *keep = calloc(d->nsites ? d->nsites : 1, 1);
    if (!keep) abort();
    for (uint32_t k = 0; k < p->npeers; k++) {
        int32_t sc = p->peers[k].scope;
        if (k == j) continue;
        if (sc == ENG_SYNC_ALL_SITES) memset(keep, 1, d->nsites);
        if (sc >= 0 && (uint32_t)sc < d->nsites) keep[sc] = 1;
    }
    eng_sync_doc_drop_sites(d, keep);
    free(keep);
}

static void on_ack(eng_sync_proto *p, uint32_t j, const eng_sync_msg *m, rt_time_t now) {
    eng_sync_peer *q = &p->peers[j];
    uint64_t to = m->to < p->seq ? m->to : p->seq;
    if (to > q->acked) { /* progress: the link works; what is still in flight is one send */
        q->acked = to;
        q->outstanding = q->acked < q->sent;
    }
    if (m->echo >= 0 && m->echo <= now) {
        rt_time_t rtt = now - m->echo;
        q->srtt = q->srtt > 0 ? q->srtt + (rtt - q->srtt) / 8 : rtt;
        if (q->srtt <= 0) q->srtt = 1;
    }
    collect(p);
}

int eng_sync_proto_receive(eng_sync_proto *p, uint32_t j, eng_sync_msg *m, rt_time_t now,
                           eng_sync_visible_fn visible, void *ctx, eng_sync_msg *ack) {
    eng_sync_peer *q = &p->peers[j];
    crdt_hlc h;
    if (crdt_hlc_recv(&p->clock, now, m->stamp, &h) != 0) abort();
    if (m->kind == ENG_SYNC_MSG_ACK) {
        on_ack(p, j, m, now);
        eng_sync_msg_clear(m);
        return 0;
    }
    eng_sync_doc *grown = NULL;
    if (eng_sync_doc_merge(p->state, m->doc, &grown) != 0) abort();
    int rc = grown ? ENG_SYNC_GREW : 0;
    if (grown && p->npeers > 1) strip_for_others(p, grown, j);
    if (grown) {
        if (p->npeers > 1 && !eng_sync_doc_is_bottom(grown, ENG_SYNC_ALL_SITES)) {
            rc |= ENG_SYNC_NEWS;
            push_entry(p, grown, (int32_t)j, now);
        } else {
            eng_sync_doc_free(grown);
        }
    }
    if (m->kind == ENG_SYNC_MSG_STATE || m->from <= q->recv) {
        for (size_t i = 0; i < m->nvis; i++)
            if (m->vis[i].seq >= q->recv && visible) visible(ctx, j, m->vis[i].applied, now);
        if (m->to > q->recv) q->recv = m->to;
    }
    memset(ack, 0, sizeof *ack);
    ack->kind = ENG_SYNC_MSG_ACK;
    ack->to = q->recv;
    ack->echo = m->echo;
    if (crdt_hlc_now(&p->clock, now, &ack->stamp) != 0) abort();
    eng_sync_msg_clear(m);
    return rc;
}
