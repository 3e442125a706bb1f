/* The edge gateway: the first actor of the data flow. It owns its site's
 * device population (a source), receives their readings over each device's
 * own access link (modelled analytically: latency + size / bandwidth, since
 * device links are not shared), optionally scores an anomaly detector on
 * them (engine/detect.h), filters them, forwards them raw or folds
 * them into tumbling-window aggregates, and produces them to the bus over its
 * WAN uplink (simulated, shared by all its traffic).
 *
 * Timing: with period P (raw: the flush interval; aggregate: the window), site
 * s's slices end at phase + kP, phase = s P / sites (gateways are not
 * synchronised); the readings with device time in a slice have all arrived
 * d (the access delay) after it ends, and leave then. With raw flush 0
 * every reading leaves on arrival. When the scenario syncs state, each
 * forwarded window's records also go to the site's sync agent on the same
 * host (engine/sync.h), a local hand-over that takes no simulated time;
 * with prefetching, the window's devices then read cloud state through the
 * site's edge cache (engine/prefetch.h, analytic time). */
#include <stdlib.h>
#include <string.h>

#include "engine/actors.h"
#include "engine/agg.h"

typedef struct edge {
    const eng_ctx *ctx;
    const eng_run_opts *o;
    eng_edge_report *rep;
    rt_chan_t *broker;
    rt_chan_t *sync;             /* the site's sync agent, or NULL */
    eng_priv_run *priv;          /* the privacy path, or NULL */
    eng_prefetch_site *prefetch; /* the site's cache of cloud state, or NULL */
    eng_agg agg;
    eng_batch kept;
    eng_detect *detect; /* NULL: no detector */
    uint32_t first;     /* the site's first device id */
    uint16_t *part;     /* the bus partition of device first + i */
} edge;

static int keep(const eng_edge_opts *e, const eng_rec *r) {
    return !e->filter || (r->value >= e->filter_min && r->value <= e->filter_max);
}

/* Gives the site's sync agent a copy of what was just forwarded. */
static void sync_hand_over(rt_t *rt, edge *g, const eng_batch *fwd) {
    eng_msg *w = eng_msg_new(ENG_MSG_SYNC_WINDOW);
    if (eng_batch_reserve(&w->recs, fwd->n) != 0) abort();
    memcpy(w->recs.r, fwd->r, fwd->n * sizeof *fwd->r);
    w->recs.n = fwd->n;
    rt_send(rt, g->sync, w, 0);
}

/* The readings of `in` the filter keeps: `in` itself when there is no
 * filter, else g->kept. */
static const eng_batch *edge_keep(edge *g, const eng_batch *in) {
    const eng_edge_opts *e = g->o->edge;
    if (!e->filter) return in;
    g->kept.n = 0;
    for (size_t i = 0; i < in->n; i++) {
        if (keep(e, &in->r[i]))
            eng_batch_push(&g->kept, &in->r[i]);
        else
            g->rep->filtered++;
    }
    return &g->kept;
}

/* Filters `in`, aggregates if configured, and produces the result; returns
 * the readings kept. The caller has charged the CPU time. */
static const eng_batch *edge_forward(rt_t *rt, edge *g, const eng_batch *in) {
    const eng_edge_opts *e = g->o->edge;
    eng_detect_readings(g->detect, in->r, in->n);
    const eng_batch *kept = edge_keep(g, in);
    if (kept->n == 0) return kept;
    uint32_t np = g->o->bus->partitions;
    eng_msg *m = eng_msg_new(ENG_MSG_PRODUCE);
    eng_msg_alloc_parts(m, np);
    const eng_batch *src = kept;
    eng_batch folded;
    eng_batch_init(&folded);
    if (e->mode == ENG_EDGE_AGGREGATE) {
        if (eng_agg_fold(&g->agg, kept->r, kept->n, &folded) != 0) abort();
        src = &folded;
    }
    for (size_t i = 0; i < src->n; i++)
        eng_batch_push(&m->parts[g->part[src->r[i].device - g->first]], &src->r[i]);
    uint64_t bytes = (uint64_t)src->n * g->ctx->rec_bytes + g->o->bus->request_bytes;
    g->rep->records += src->n;
    g->rep->readings_out += kept->n;
    g->rep->wan_bytes += bytes;
    m->x = src->n;
    rt_send(rt, g->broker, m, bytes);
    if (g->sync) sync_hand_over(rt, g, src);
    if (g->prefetch) eng_prefetch_window(g->prefetch, rt_now(rt), src->r, src->n);
    eng_batch_free(&folded);
    return kept;
}

static rt_time_t access_delay(const eng_run_opts *o) {
    return o->topo->access.latency + rt_from_s(o->record_bytes / o->topo->access.bandwidth);
}

/* The gateway's CPU time for n readings. Its actor is alone on its host, so
 * the time is exactly flops / core speed and is folded into the wait for the
 * data instead of being a separate simulated execution. */
static rt_time_t cpu_time(const eng_run_opts *o, size_t n) {
    return rt_from_s(o->edge->flops_per_reading * (double)n / o->topo->edge.speed);
}

/* Periodic mode: one produce per period. */
static void edge_periodic(rt_t *rt, edge *g, void *src, rt_time_t period, uint32_t site) {
    const eng_run_opts *o = g->o;
    rt_time_t d = access_delay(o);
    rt_time_t phase = (rt_time_t)site * period / o->topo->sites;
    eng_batch in;
    eng_batch_init(&in);
    for (rt_time_t t0 = 0; t0 < o->duration;) {
        rt_time_t t1 = t0 == 0 && phase > 0 ? phase : t0 + period;
        if (t1 > o->duration) t1 = o->duration;
        in.n = 0;
        if (o->source->emit(src, t0, t1, &in) != 0) abort();
        g->rep->readings_in += in.n;
        rt_sleep_until(rt, t1 + d + cpu_time(o, in.n));
        const eng_batch *kept = edge_forward(rt, g, &in);
        if (g->priv) eng_priv_edge_window(rt, g->priv, site, (uint64_t)(t1 / period), t1, kept);
        t0 = t1;
    }
    eng_batch_free(&in);
}

/* Immediate mode: every reading leaves when it arrives. */
static void edge_immediate(rt_t *rt, edge *g, void *src) {
    const eng_run_opts *o = g->o;
    rt_time_t d = access_delay(o);
    eng_batch in, one;
    eng_batch_init(&in);
    eng_batch_init(&one);
    for (rt_time_t t0 = 0; t0 < o->duration; t0 += RT_S) {
        rt_time_t t1 = t0 + RT_S < o->duration ? t0 + RT_S : o->duration;
        in.n = 0;
        if (o->source->emit(src, t0, t1, &in) != 0) abort();
        g->rep->readings_in += in.n;
        eng_batch_sort(&in);
        for (size_t i = 0; i < in.n; i++) {
            rt_sleep_until(rt, in.r[i].ts + d + cpu_time(o, 1));
            one.n = 0;
            eng_batch_push(&one, &in.r[i]);
            edge_forward(rt, g, &one);
        }
    }
    eng_batch_free(&in);
    eng_batch_free(&one);
}

void eng_edge_main(rt_t *rt, void *arg) {
    eng_edge_arg *a = arg;
    const eng_run_opts *o = a->ctx->o;
    edge g = {.ctx = a->ctx, .o = o, .rep = &a->ctx->edges[a->site], .priv = a->ctx->priv};
    g.broker = rt_chan_open(rt, ENG_CHAN_BROKER);
    if (o->sync) {
        char name[64];
        eng_sync_edge_chan(name, sizeof name, a->site);
        g.sync = rt_chan_open(rt, name);
    }
    if (a->ctx->prefetch) g.prefetch = eng_prefetch_site_of(a->ctx->prefetch, a->site);
    eng_agg_init(&g.agg);
    eng_batch_init(&g.kept);
    g.detect = eng_detect_new(&o->edge->detect);
    uint32_t first = a->site * o->devices_per_site;
    g.first = first;
    if (!(g.part = malloc((o->devices_per_site ? o->devices_per_site : 1) * sizeof *g.part))) abort();
    for (uint32_t i = 0; i < o->devices_per_site; i++)
        g.part[i] = (uint16_t)eng_partition_of(first + i, o->bus->partitions);
    void *src = o->source->open(o->source_opts, a->site, first, o->devices_per_site, rt_rng(rt));
    if (!src) abort();
    if (o->edge->mode == ENG_EDGE_AGGREGATE)
        edge_periodic(rt, &g, src, o->edge->window, a->site);
    else if (o->edge->flush > 0)
        edge_periodic(rt, &g, src, o->edge->flush, a->site);
    else
        edge_immediate(rt, &g, src);
    eng_detect_finish(g.detect, &g.rep->detect);
    eng_msg *done = eng_msg_new(ENG_MSG_EDGE_DONE);
    done->x = g.rep->records;
    rt_send(rt, g.broker, done, o->bus->request_bytes);
    if (g.sync) rt_send(rt, g.sync, eng_msg_new(ENG_MSG_EDGE_DONE), 0);
    if (g.priv) eng_priv_edge_done(rt, g.priv, a->site);
    o->source->close(src);
    eng_detect_free(g.detect);
    eng_agg_free(&g.agg);
    eng_batch_free(&g.kept);
    free(g.part);
    free(a);
}
