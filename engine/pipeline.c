/* The root actor of a run: builds the read-only run context, starts the
 * broker, one edge gateway per site and, when the scenario syncs state, the
 * sync agents, and runs the driver itself. Every reading is accounted for
 * when it returns: the metrics' summary says how many went in, were
 * filtered, came out, and were still queued (and what the sync measured). */
#include <stdio.h>
#include <stdlib.h>

#include "engine/actors.h"

void eng_pipeline_main(rt_t *rt, void *arg) {
    eng_run *run = arg;
    const eng_run_opts *o = &run->o;
    eng_ctx ctx = {
        .o = o,
        .rec_bytes = o->edge->mode == ENG_EDGE_AGGREGATE ? o->edge->aggregate_bytes : o->record_bytes,
        .end = o->duration + o->drain,
        .max_executors = o->alloc->max_executors,
        .metrics = run->metrics,
        .progress = run->progress,
        .progress_ctx = run->progress_ctx,
    };
    ctx.edges = calloc(o->topo->sites, sizeof *ctx.edges);
    if (!ctx.edges) abort();
    if (rt_spawn(rt, "broker", ENG_HOST_BROKER, eng_broker_main, &ctx) != 0) abort();
    if (o->privacy) ctx.priv = eng_priv_start(rt, o->privacy, o->topo, o->seed);
    ctx.sync = o->sync ? eng_sync_start(rt, o->sync, o->sync_policy, o->topo, ctx.end) : NULL;
    if (o->prefetch)
        ctx.prefetch =
            eng_prefetch_start(o->prefetch, o->prefetch_policy, o->topo, o->devices_per_site, o->seed);
    for (uint32_t s = 0; s < o->topo->sites; s++) {
        eng_edge_arg *a = malloc(sizeof *a);
        if (!a) abort();
        *a = (eng_edge_arg){&ctx, s};
        char name[64], host[64];
        snprintf(name, sizeof name, "edge-%u", s);
        eng_topo_edge_host(host, sizeof host, s);
        if (rt_spawn(rt, name, host, eng_edge_main, a) != 0) abort();
    }
    eng_driver_main(rt, &ctx);
    if (ctx.sync) eng_sync_finish(rt, ctx.sync, run->metrics);
    if (ctx.priv) eng_priv_finish(rt, ctx.priv, run->metrics, o->cloud->vcpu_hour_usd);
    if (ctx.prefetch) eng_prefetch_finish(ctx.prefetch, run->metrics);
    free(ctx.edges);
}
