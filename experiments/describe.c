/* `sparkiot validate`'s summary of a loaded scenario: what would run, how
 * much load it offers, and what the cloud would charge for it — the numbers
 * a researcher checks before spending a sweep on a file. */
#include <inttypes.h>
#include <math.h>
#include <stdio.h>

#include "experiments/scenario.h"
#include "experiments/scenario_fields.h"
#include "experiments/units.h"

static const char *const kinds[] = {"periodic", "poisson", "mmpp", "diurnal"};
static const char *const dists[] = {"fixed", "uniform", "lognormal"};

static void print_host(FILE *out, const char *name, const eng_host_opts *h, const char *sep) {
    char speed[32];
    xp_units__fmt_speed(speed, sizeof speed, h->speed);
    fprintf(out, "%s %s x %u cores, %g GB%s", name, speed, h->cores, h->memory_gb, sep);
}

static void print_link(FILE *out, const char *name, const eng_link_opts *l, const char *sep) {
    char bw[32], lat[32];
    xp_units__fmt_bandwidth(bw, sizeof bw, l->bandwidth);
    xp_units__fmt_duration(lat, sizeof lat, l->latency);
    fprintf(out, "%s %s %s%s", name, bw, lat, sep);
}

static void print_runs(const xp_scenario *s, FILE *out) {
    size_t nv = xp_variant_count(s);
    char seeds[64];
    if (s->seeds > 1)
        snprintf(seeds, sizeof seeds, "{%" PRIu64 "..%" PRIu64 "}", s->seed, s->seed + s->seeds - 1);
    else
        snprintf(seeds, sizeof seeds, "%" PRIu64, s->seed);
    fprintf(out, "runs        %zu variant%s x %u seed%s = %zu runs\n", nv, nv > 1 ? "s" : "", s->seeds,
            s->seeds > 1 ? "s" : "", nv * s->seeds);
    for (size_t i = 0; i < nv; i++) {
        fprintf(out, "  %-14s results/%s/%s/seed-%s.h5", xp_variant_name(s, i), s->name,
                xp_variant_name(s, i), seeds);
        for (size_t j = 0; s->nvariants && j < s->variants[i].nsets; j++)
            fprintf(out, "%s%s=%s", j ? ", " : "  ", s->variants[i].sets[j].key,
                    s->variants[i].sets[j].value);
        fputc('\n', out);
    }
}

static void print_load(const xp_scenario *s, FILE *out) {
    const wl_opts *w = &s->workload;
    if (s->replay) {
        fprintf(out, "workload    trace replay; %u sites x %u devices\n", s->topo.sites, w->devices_per_site);
        tr_trace_describe(&s->trace, out);
        return;
    }
    uint64_t devices = (uint64_t)w->devices_per_site * s->topo.sites;
    double per_device = wl_mean_rate(w), rate = per_device * (double)devices;
    char bw[32];
    xp_units__fmt_bandwidth(bw, sizeof bw, rate * w->record_bytes);
    fprintf(out,
            "workload    %s arrivals%s%s%s; %u sites x %u devices = %" PRIu64
            " devices, %u metric%s, %u B readings\n",
            kinds[w->kind], s->preset[0] ? " (preset " : "", s->preset, s->preset[0] ? ")" : "",
            s->topo.sites, w->devices_per_site, devices, w->metrics, w->metrics > 1 ? "s" : "",
            w->record_bytes);
    fprintf(out, "            expected %.6g readings/s (%.6g/s per device), %s raw\n", rate, per_device, bw);
}

/* The edge filter's unset bounds are +-1e300. */
static void fmt_bound(char *buf, size_t len, double v) {
    if (fabs(v) >= 1e300)
        snprintf(buf, len, "%sinf", v < 0 ? "-" : "");
    else
        snprintf(buf, len, "%g", v);
}

static void print_pipeline(const xp_scenario *s, FILE *out) {
    const eng_edge_opts *e = &s->edge;
    const eng_driver_opts *d = &s->driver;
    char t[32], u[32];
    if (e->mode == ENG_EDGE_RAW) {
        xp_units__fmt_duration(t, sizeof t, e->flush);
        fprintf(out, "edge        raw, flush every %s", e->flush ? t : "reading");
    } else {
        xp_units__fmt_duration(t, sizeof t, e->window);
        fprintf(out, "edge        aggregate, %s windows, %u B aggregates", t, e->aggregate_bytes);
    }
    if (e->filter) {
        char lo[32], hi[32];
        fmt_bound(lo, sizeof lo, e->filter_min);
        fmt_bound(hi, sizeof hi, e->filter_max);
        fprintf(out, ", keep values in [%s, %s]", lo, hi);
    }
    if (e->detect.method == ENG_DETECT_ZSCORE)
        fprintf(out, ", detect |z| > %g over %u readings", e->detect.threshold, e->detect.window);
    fprintf(out, "; %g flops/reading\nbus         %u partitions\n", e->flops_per_reading, s->bus.partitions);
    xp_units__fmt_duration(t, sizeof t, d->trigger);
    xp_units__fmt_duration(u, sizeof u, d->sample_interval);
    fprintf(out,
            "pipeline    %s, trigger %s, %u reduce tasks; map %g flops/record (%s), reduce %g; sampled every "
            "%s\n",
            d->mode == ENG_MICROBATCH ? "microbatch" : "continuous", d->trigger ? t : "asap", d->reduce_tasks,
            d->map_flops, d->map_dist == ENG_COST_FIXED ? "fixed" : "exponential", d->reduce_flops, u);
}

static void print_alloc(const xp_scenario *s, FILE *out) {
    const eng_alloc_opts *a = &s->alloc;
    char t[32];
    xp_units__fmt_duration(t, sizeof t, a->interval);
    fprintf(out, "allocator   %s every %s, executors in [%u, %u] starting at %u", a->name, t,
            a->min_executors, a->max_executors, a->initial_executors);
    for (size_t i = 0; i < a->nparams; i++)
        fprintf(out, "%s%s=%g", i ? ", " : "; ", a->params[i].key, a->params[i].value);
    if (a->checkpoint[0]) fprintf(out, "; checkpoint %s", a->checkpoint);
    fputc('\n', out);
}

static void print_shuffle(const xp_scenario *s, FILE *out) {
    const eng_shuffle_opts *h = &s->shuffle;
    fprintf(out, "shuffle     %s placement", h->policy);
    for (size_t i = 0; i < h->nparams; i++)
        fprintf(out, "%s%s=%g", i ? ", " : " (", h->params[i].key, h->params[i].value);
    if (h->nparams) fputc(')', out);
    if (h->window > 1) fprintf(out, "; window results read %u batches every %u", h->window, h->slide);
    fprintf(out, "; executors holding blocks %s\n", h->release_holders ? "may be released" : "are kept");
}

static void print_cloud(const xp_scenario *s, FILE *out) {
    const eng_cloud *c = &s->cloud;
    const eng_host_opts *x = &s->topo.executor;
    char min[32], gran[32], a[32], b[32];
    xp_units__fmt_duration(min, sizeof min, c->billing_minimum);
    xp_units__fmt_duration(gran, sizeof gran, c->billing_granularity);
    xp_units__fmt_duration(a, sizeof a, c->startup_a);
    xp_units__fmt_duration(b, sizeof b, c->startup_b);
    fprintf(out, "cloud       %s (%s): $%g/vCPU-h, $%g/GB-h, egress $%g/GB; billed at least %s, per %s\n",
            c->name, s->cloud_path[0] ? s->cloud_path : "built-in", c->vcpu_hour_usd, c->gb_hour_usd,
            c->egress_gb_usd, min, gran);
    fprintf(out, "            startup %s %s%s%s; one executor (%u vCPU, %g GB) costs $%.4f/h\n",
            dists[c->startup], a,
            c->startup == ENG_STARTUP_FIXED     ? ""
            : c->startup == ENG_STARTUP_UNIFORM ? ".."
                                                : ", p95 ",
            c->startup == ENG_STARTUP_FIXED ? "" : b, x->cores, x->memory_gb,
            eng_cost_rate_usd_h(c, x->cores, x->memory_gb));
}

int xp_scenario_describe(const xp_scenario *s, FILE *out) {
    char dur[32], drain[32], slo[32];
    xp_units__fmt_duration(dur, sizeof dur, s->duration);
    xp_units__fmt_duration(drain, sizeof drain, s->drain);
    xp_units__fmt_duration(slo, sizeof slo, s->slo);
    fprintf(out, "scenario    %s%s%s\nfile        %s\nvariant     %s\n", s->name,
            s->description[0] ? ": " : "", s->description, s->path, s->variant);
    print_runs(s, out);
    fprintf(out, "time        devices send for %s, then %s of drain; SLO %s\n", dur, drain, slo);
    fprintf(out, "topology    %u sites; ", s->topo.sites);
    print_link(out, "access", &s->topo.access, ", ");
    print_link(out, "wan", &s->topo.wan, ", ");
    print_link(out, "cloud", &s->topo.cloud, "\n");
    fprintf(out, "hosts       ");
    print_host(out, "edge", &s->topo.edge, "; ");
    print_host(out, "broker", &s->topo.broker, "; ");
    print_host(out, "driver", &s->topo.driver, "\n            ");
    print_host(out, "executor", &s->topo.executor, "\n");
    print_load(s, out);
    print_pipeline(s, out);
    print_shuffle(s, out);
    xp_scenario__describe_prefetch(s, out);
    print_alloc(s, out);
    print_cloud(s, out);
    return ferror(out) ? -1 : 0;
}
