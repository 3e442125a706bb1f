/* The oracle's knowledge of the future (forecast.h). The devices' readings
 * are a deterministic function of the seed: each edge gateway actor owns its
 * site's source and the random stream rt_rng_derive(seed, "edge-<site>"),
 * and nothing else draws from that stream. Replaying the gateway's loop
 * (engine/edge.c: the same slices, filter and aggregation) therefore gives
 * exactly the records the run's bus will receive; only their arrival times
 * are modelled, as the gateway's send time plus the uncontended transfer to
 * the broker, which the real transfers match unless the WAN link is busy. */
#include "experiments/forecast.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>

#include "engine/agg.h"
#include "engine/msg.h"

typedef struct replay {
    const eng_run_opts *o;
    double *count;   /* records per step */
    uint32_t *parts; /* records per step and partition */
    size_t n;
    rt_time_t step, ingest;
    uint32_t rec_bytes;
    eng_batch kept, folded;
    eng_agg agg;
} replay;

/* Device link delay and gateway CPU time, as engine/edge.c charges them. */
static rt_time_t access_delay(const eng_run_opts *o) {
    return o->topo->access.latency + rt_from_s(o->record_bytes / o->topo->access.bandwidth);
}

static rt_time_t cpu_time(const eng_run_opts *o, size_t n) {
    return rt_from_s(o->edge->flops_per_reading * (double)n / o->topo->edge.speed);
}

/* The gateway sends `in` (readings) at `sent`: count what reaches the bus. */
static void forward(replay *r, const eng_batch *in, rt_time_t sent) {
    const eng_run_opts *o = r->o;
    const eng_edge_opts *e = o->edge;
    r->kept.n = 0;
    for (size_t i = 0; i < in->n; i++)
        if (!e->filter || (in->r[i].value >= e->filter_min && in->r[i].value <= e->filter_max))
            eng_batch_push(&r->kept, &in->r[i]);
    if (r->kept.n == 0) return;
    const eng_batch *out = &r->kept;
    if (e->mode == ENG_EDGE_AGGREGATE) {
        r->folded.n = 0;
        if (eng_agg_fold(&r->agg, r->kept.r, r->kept.n, &r->folded) != 0) abort();
        out = &r->folded;
    }
    const eng_topo_opts *t = o->topo;
    double bytes = (double)out->n * r->rec_bytes + o->bus->request_bytes;
    double bw = t->wan.bandwidth < t->cloud.bandwidth ? t->wan.bandwidth : t->cloud.bandwidth;
    rt_time_t at = sent + t->wan.latency + t->cloud.latency + rt_from_s(bytes / bw);
    size_t j = (size_t)(at / r->step), np = o->bus->partitions;
    if (j >= r->n) j = r->n - 1;
    r->count[j] += (double)out->n;
    for (size_t i = 0; i < out->n; i++) {
        r->parts[j * np + eng_partition_of(out->r[i].device, (uint32_t)np)]++;
        if (at - out->r[i].ts > r->ingest) r->ingest = at - out->r[i].ts;
    }
}

/* One site, slice by slice as its gateway asks. */
static int replay_site(replay *r, uint32_t site, char *err, size_t errlen) {
    const eng_run_opts *o = r->o;
    char name[32];
    snprintf(name, sizeof name, "edge-%u", site);
    gsl_rng *rng = rt_rng_derive(o->seed, name);
    void *src =
        rng ? o->source->open(o->source_opts, site, site * o->devices_per_site, o->devices_per_site, rng)
            : NULL;
    if (!src) {
        gsl_rng_free(rng);
        snprintf(err, errlen, "forecast: cannot open the workload of site %u (out of memory)", site);
        return -1;
    }
    const eng_edge_opts *e = o->edge;
    rt_time_t d = access_delay(o), period = e->mode == ENG_EDGE_AGGREGATE ? e->window : e->flush;
    rt_time_t phase = period > 0 ? (rt_time_t)site * period / o->topo->sites : 0;
    eng_batch in, one;
    eng_batch_init(&in);
    eng_batch_init(&one);
    int rc = 0;
    for (rt_time_t t0 = 0; t0 < o->duration && rc == 0;) {
        rt_time_t t1 = period == 0 ? t0 + RT_S : t0 == 0 && phase > 0 ? phase : t0 + period;
        if (t1 > o->duration) t1 = o->duration;
        in.n = 0;
        rc = o->source->emit(src, t0, t1, &in);
        if (rc == 0 && period > 0) forward(r, &in, t1 + d + cpu_time(o, in.n));
        for (size_t i = 0; rc == 0 && period == 0 && i < in.n; i++) {
            one.n = 0;
            eng_batch_push(&one, &in.r[i]);
            forward(r, &one, in.r[i].ts + d + cpu_time(o, 1));
        }
        t0 = t1;
    }
    if (rc != 0) snprintf(err, errlen, "forecast: the workload of site %u failed", site);
    o->source->close(src);
    gsl_rng_free(rng);
    eng_batch_free(&in);
    eng_batch_free(&one);
    return rc ? -1 : 0;
}

/* An upper bound of the startup delay; lognormal has none: its 99.9 %
 * quantile, exp(mu + 3.0902 sigma) with sigma from the median and p95. */
static rt_time_t startup_max(const eng_cloud *c) {
    if (c->startup == ENG_STARTUP_FIXED) return c->startup_a;
    if (c->startup == ENG_STARTUP_UNIFORM) return c->startup_b;
    double mu = log(rt_to_s(c->startup_a));
    double sigma = (log(rt_to_s(c->startup_b)) - mu) / 1.6448536269514722;
    return rt_from_s(exp(mu + 3.090232306167813 * sigma));
}

int xp_forecast_fill(const eng_run_opts *o, eng_alloc_forecast *f, char *err, size_t errlen) {
    const eng_driver_opts *dr = o->driver;
    rt_time_t trigger = dr->mode == ENG_MICROBATCH ? dr->trigger : 0;
    replay r = {.o = o, .step = trigger > 0 ? trigger : RT_S};
    r.rec_bytes = o->edge->mode == ENG_EDGE_AGGREGATE ? o->edge->aggregate_bytes : o->record_bytes;
    r.n = (size_t)((o->duration + o->drain + r.step - 1) / r.step);
    if (r.n == 0) r.n = 1;
    r.count = calloc(r.n, sizeof *r.count);
    r.parts = calloc(r.n * o->bus->partitions, sizeof *r.parts);
    if (!r.count || !r.parts) {
        free(r.count), free(r.parts);
        snprintf(err, errlen, "forecast: out of memory");
        return -1;
    }
    eng_batch_init(&r.kept);
    eng_batch_init(&r.folded);
    eng_agg_init(&r.agg);
    int rc = 0;
    for (uint32_t s = 0; s < o->topo->sites && rc == 0; s++) rc = replay_site(&r, s, err, errlen);
    eng_batch_free(&r.kept);
    eng_batch_free(&r.folded);
    eng_agg_free(&r.agg);
    if (rc != 0) {
        free(r.count), free(r.parts);
        return -1;
    }
    for (size_t j = 0; j < r.n; j++) r.count[j] /= rt_to_s(r.step);
    *f = (eng_alloc_forecast){
        .rate = r.count,
        .partition_records = r.parts,
        .n = r.n,
        .step = r.step,
        .trigger = trigger,
        .ingest = r.ingest,
        .slo = o->slo,
        .end = o->duration + o->drain,
        .map_flops = dr->map_flops,
        .reduce_flops = dr->reduce_flops,
        .task_overhead_flops = dr->task_overhead_flops,
        .map_tasks = o->bus->partitions,
        .reduce_tasks = dr->reduce_tasks,
        .slots = o->topo->executor.cores,
        .slot_flops = o->topo->executor.speed,
        .startup_max = startup_max(o->cloud),
        .billing_minimum = o->cloud->billing_minimum,
        .billing_granularity = o->cloud->billing_granularity,
    };
    return 0;
}

void xp_forecast_free(eng_alloc_forecast *f) {
    free((double *)f->rate);
    free((uint32_t *)f->partition_records);
    f->rate = NULL;
    f->partition_records = NULL;
    f->n = 0;
}
