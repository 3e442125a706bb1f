/* A device group: one edge site's synthetic devices, asked slice by slice
 * for their readings by the gateway that owns it, directly or through the
 * engine's source interface (wl_source, name "synthetic"). Dispatches to the
 * arrival process of the options' kind; the value models are in values.c. */
#include <assert.h>
#include <stdlib.h>

#include "workloads/wl_int.h"

wl_group *wl_group_new(const wl_opts *o, uint32_t first_device, uint32_t n, gsl_rng *rng) {
    wl_group *g = calloc(1, sizeof *g);
    if (!g) return NULL;
    g->o = *o;
    g->first = first_device;
    g->n = n;
    g->rng = wl__rng_new(rng);
    g->dev = calloc(n ? n : 1, sizeof *g->dev);
    if (!g->rng || !g->dev) goto fail;
    if (o->kind == WL_PERIODIC && wl__periodic_init(g) != 0) goto fail;
    wl__values_init(g);
    return g;
fail:
    if (g->rng) gsl_rng_free(g->rng);
    free(g->dev);
    free(g);
    return NULL;
}

int wl_group_emit(wl_group *g, rt_time_t t0, rt_time_t t1, eng_batch *out) {
    assert(t0 >= 0 && t0 <= t1);
    assert(!g->started || t0 == g->until);
    g->until = t1;
    if (g->n == 0) return 0;
    if (!g->started) {
        if (g->o.kind == WL_PERIODIC)
            wl__periodic_start(g, t0);
        else
            wl__mod_start(g, t0);
        g->started = 1;
    }
    return g->o.kind == WL_PERIODIC ? wl__periodic_emit(g, t1, out) : wl__mod_emit(g, t0, t1, out);
}

void wl_group_free(wl_group *g) {
    if (!g) return;
    if (g->o.kind == WL_PERIODIC) wl__periodic_free(g);
    gsl_rng_free(g->rng);
    free(g->dev);
    free(g);
}

static void *source_open(const void *opts, uint32_t site, uint32_t first_device, uint32_t n, gsl_rng *rng) {
    char err[128];
    if (wl_opts_check(opts, err, sizeof err) != 0) return NULL;
    return wl_group_new(opts, first_device, n, rng);
}

static int source_emit(void *src, rt_time_t t0, rt_time_t t1, eng_batch *out) {
    return wl_group_emit(src, t0, t1, out);
}

static void source_close(void *src) { wl_group_free(src); }

static const eng_source_ops source_ops = {
    .abi = ENG_SOURCE_ABI,
    .name = "synthetic",
    .open = source_open,
    .emit = source_emit,
    .close = source_close,
};

const eng_source_ops *wl_source(void) { return &source_ops; }
