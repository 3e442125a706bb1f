/* Valid scenarios: a file that sets every key loads with every field as
 * written (converted by hand to the engine's units), a file with only a
 * name gets every *_defaults() value, the preset is applied before the
 * other workload keys whatever their order, and the summary `validate`
 * prints states the load worked out by hand. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>

#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "engine/tmp.h"
#include "experiments/scenario.h"

#define SCEN(f) XP_TEST_DATA "/scenarios/" f

static xp_scenario *load_ok(const char *path, const char *variant) {
    char err[1024] = "";
    xp_scenario *s = xp_scenario_load(path, variant, NULL, 0, err, sizeof err);
    if (!s) fail_msg("%s", err);
    return s;
}

static void test_full_file_every_field(void **unused) {
    xp_scenario *s = load_ok(SCEN("full.yaml"), NULL);
    assert_string_equal(s->name, "full_test");
    assert_string_equal(s->description, "every key, none at its default");
    assert_true(s->seed == 42);
    assert_int_equal(s->seeds, 7);
    assert_true(s->duration == 90 * RT_S);
    assert_true(s->drain == 1500 * RT_MS);
    assert_true(s->slo == 250 * RT_MS);
    const eng_topo_opts *t = &s->topo;
    assert_int_equal(t->sites, 3);
    assert_true(t->access.bandwidth == 1.25e6 && t->access.latency == 5 * RT_MS);
    assert_true(t->wan.bandwidth == 2e6 && t->wan.latency == 20 * RT_MS);
    assert_true(t->cloud.bandwidth == 1.25e8 && t->cloud.latency == 100 * RT_US);
    assert_true(t->edge.speed == 2e9 && t->edge.cores == 2 && t->edge.memory_gb == 1.5);
    assert_true(t->broker.speed == 3e9 && t->broker.cores == 6 && t->broker.memory_gb == 24);
    assert_true(t->driver.speed == 5e8 && t->driver.cores == 3 && t->driver.memory_gb == 8);
    assert_true(t->executor.speed == 1e12 && t->executor.cores == 16 && t->executor.memory_gb == 64);
    const wl_opts *w = &s->workload;
    assert_string_equal(s->preset, "");
    assert_int_equal(w->kind, WL_DIURNAL);
    assert_int_equal(w->devices_per_site, 250);
    assert_int_equal(w->metrics, 3);
    assert_int_equal(w->record_bytes, 1000);
    assert_true(w->period == 30 * RT_S && w->jitter == 2 * RT_S);
    assert_true(w->rate == 0.25);
    assert_true(w->burst_factor == 4 && w->burst_on_mean == 120 * RT_S && w->burst_off_mean == 1200 * RT_S);
    assert_true(w->amplitude == 0.6 && w->day == 86400 * RT_S);
    assert_true(w->peak_tod == 18 * 3600 * RT_S && w->start_tod == 6 * 3600 * RT_S);
    assert_int_equal(w->values, WL_VAL_SEASONAL);
    assert_true(w->base == -3.5 && w->walk_sigma == 0.3 && w->season_amplitude == 5);
    assert_true(w->season_period == 12 * 3600 * RT_S && w->noise_sigma == 0.5);
    assert_true(w->anomaly_rate == 0.01 && w->anomaly_magnitude == 4);
    const eng_edge_opts *e = &s->edge;
    assert_int_equal(e->mode, ENG_EDGE_AGGREGATE);
    assert_true(e->flush == 0 && e->window == 10 * RT_S);
    assert_int_equal(e->filter, 1);
    assert_true(e->filter_min == -50 && e->filter_max == 150);
    assert_true(e->detect.method == ENG_DETECT_ZSCORE && e->detect.window == 16 &&
                e->detect.threshold == 2.5);
    assert_true(e->flops_per_reading == 2500 && e->aggregate_bytes == 48);
    assert_true(s->bus.partitions == 12 && s->bus.append_flops == 700 && s->bus.fetch_flops == 70 &&
                s->bus.request_bytes == 200);
    const eng_driver_opts *d = &s->driver;
    assert_int_equal(d->mode, ENG_CONTINUOUS);
    assert_true(d->trigger == 0); /* asap */
    assert_true(d->max_records_per_trigger == 5000000000ULL);
    assert_int_equal(d->reduce_tasks, 8);
    assert_int_equal(d->map_dist, ENG_COST_EXPONENTIAL);
    assert_true(d->map_flops == 3e4 && d->reduce_flops == 6000 && d->task_overhead_flops == 2e6);
    assert_true(d->shuffle_bytes_per_record == 40 && d->sample_interval == 5 * RT_S);
    /* the profile next door, ../clouds/test_cloud.yaml */
    assert_string_equal(s->cloud_name, "test_cloud");
    assert_string_equal(s->cloud.name, "test_cloud");
    assert_non_null(strstr(s->cloud_path, "/scenarios/../clouds/test_cloud.yaml"));
    assert_true(s->cloud.vcpu_hour_usd == 0.1 && s->cloud.gb_hour_usd == 0.01 &&
                s->cloud.egress_gb_usd == 0.05);
    assert_true(s->cloud.billing_minimum == 30 * RT_S && s->cloud.billing_granularity == 100 * RT_MS);
    assert_int_equal(s->cloud.startup, ENG_STARTUP_LOGNORMAL);
    assert_true(s->cloud.startup_a == 8 * RT_S && s->cloud.startup_b == 20 * RT_S);
    const eng_alloc_opts *a = &s->alloc;
    assert_string_equal(a->name, "static");
    assert_true(a->interval == 30 * RT_S);
    assert_int_equal(a->min_executors, 2);
    assert_int_equal(a->max_executors, 20);
    assert_int_equal(a->initial_executors, 5);
    assert_string_equal(a->checkpoint, "ckpt/static.h5");
    assert_int_equal(a->nparams, 1);
    assert_string_equal(a->params[0].key, "executors");
    assert_true(a->params[0].value == 9);
    assert_int_equal(a->params[0].line, 58);
    assert_int_equal(a->params[0].col, 14);
    /* variants are listed, none applied */
    assert_string_equal(s->variant, "default");
    assert_int_equal(s->nvariants, 2);
    assert_int_equal(xp_variant_count(s), 2);
    assert_string_equal(xp_variant_name(s, 0), "base");
    assert_string_equal(xp_variant_name(s, 1), "peak");
    assert_int_equal(s->variants[0].nsets, 0);
    assert_int_equal(s->variants[1].nsets, 2);
    assert_string_equal(s->variants[1].sets[0].key, "allocator.executors");
    assert_string_equal(s->variants[1].sets[0].value, "16");
    assert_string_equal(s->variants[1].sets[1].key, "topology.wan.latency");
    assert_string_equal(s->variants[1].sets[1].value, "50ms");
    /* the file's text is kept for the result files */
    assert_non_null(strstr(s->text, "name: full_test\n"));
    xp_scenario_free(s);
}

static void assert_link_equal(const eng_link_opts *a, const eng_link_opts *b) {
    assert_true(a->bandwidth == b->bandwidth && a->latency == b->latency);
}

static void assert_host_equal(const eng_host_opts *a, const eng_host_opts *b) {
    assert_true(a->speed == b->speed && a->cores == b->cores && a->memory_gb == b->memory_gb);
}

static void test_defaults_when_omitted(void **unused) {
    xp_scenario *s = load_ok(SCEN("minimal.yaml"), NULL);
    /* zeroed first so that padding compares equal; the defaults set fields */
    eng_topo_opts t;
    wl_opts w;
    eng_edge_opts e;
    eng_bus_opts b;
    eng_driver_opts d;
    eng_cloud c;
    memset(&w, 0, sizeof w);
    memset(&e, 0, sizeof e);
    memset(&b, 0, sizeof b);
    memset(&d, 0, sizeof d);
    memset(&c, 0, sizeof c);
    eng_topo_defaults(&t);
    wl_opts_defaults(&w);
    eng_edge_defaults(&e);
    eng_bus_defaults(&b);
    eng_driver_defaults(&d);
    eng_cloud_defaults(&c);
    assert_int_equal(s->topo.sites, t.sites);
    assert_link_equal(&s->topo.access, &t.access);
    assert_link_equal(&s->topo.wan, &t.wan);
    assert_link_equal(&s->topo.cloud, &t.cloud);
    assert_host_equal(&s->topo.edge, &t.edge);
    assert_host_equal(&s->topo.broker, &t.broker);
    assert_host_equal(&s->topo.driver, &t.driver);
    assert_host_equal(&s->topo.executor, &t.executor);
    assert_memory_equal(&s->workload, &w, sizeof w);
    assert_memory_equal(&s->edge, &e, sizeof e);
    assert_memory_equal(&s->bus, &b, sizeof b);
    assert_memory_equal(&s->driver, &d, sizeof d);
    assert_memory_equal(&s->cloud, &c, sizeof c);
    assert_string_equal(s->cloud_name, "aws_emr_serverless");
    assert_string_equal(s->cloud_path, "");
    assert_true(s->seed == 1 && s->seeds == 5);
    assert_true(s->duration == 600 * RT_S && s->drain == 60 * RT_S && s->slo == 500 * RT_MS);
    assert_string_equal(s->alloc.name, "static");
    assert_true(s->alloc.interval == 15 * RT_S);
    assert_true(s->alloc.min_executors == 1 && s->alloc.max_executors == 32 &&
                s->alloc.initial_executors == 4);
    assert_int_equal(s->alloc.nparams, 0);
    assert_string_equal(s->alloc.checkpoint, "");
    assert_string_equal(s->description, "");
    assert_int_equal(s->nvariants, 0);
    assert_int_equal(xp_variant_count(s), 1);
    assert_string_equal(xp_variant_name(s, 0), "default");
    xp_scenario_free(s);
}

/* The AWS profile file says what the built-in default says. */
static void test_aws_profile_matches_builtin(void **unused) {
    char err[1024];
    xp_set set = {"cloud", "aws_emr_serverless"};
    xp_scenario *s = xp_scenario_load(SCEN("minimal.yaml"), NULL, &set, 1, err, sizeof err);
    if (!s) fail_msg("%s", err);
    eng_cloud c;
    memset(&c, 0, sizeof c);
    eng_cloud_defaults(&c);
    assert_memory_equal(&s->cloud, &c, sizeof c);
    assert_non_null(strstr(s->cloud_path, "experiments/clouds/aws_emr_serverless.yaml"));
    xp_scenario_free(s);
}

/* workload.preset comes last in the file but is applied first. */
static void test_preset_applied_before_other_keys(void **unused) {
    char dir[512], path[600];
    assert_int_equal(eng_tmp_path(dir, sizeof dir, "xp-preset-XXXXXX"), 0);
    assert_non_null(mkdtemp(dir));
    snprintf(path, sizeof path, "%s/p.yaml", dir);
    FILE *f = fopen(path, "w");
    fputs("name: p\nworkload:\n  record_bytes: 77\n  preset: healthcare\n", f);
    fclose(f);
    xp_scenario *s = load_ok(path, NULL);
    wl_opts want;
    memset(&want, 0, sizeof want);
    wl_opts_defaults(&want);
    assert_int_equal(wl_preset_apply(&want, "healthcare"), 0);
    want.record_bytes = 77;
    assert_string_equal(s->preset, "healthcare");
    assert_memory_equal(&s->workload, &want, sizeof want);
    xp_scenario_free(s);
    remove(path);
    rmdir(dir);
}

static void test_run_opts_borrow_from_scenario(void **unused) {
    xp_scenario *s = load_ok(SCEN("full.yaml"), NULL);
    eng_run_opts o;
    xp_scenario_run_opts(s, &o);
    assert_ptr_equal(o.topo, &s->topo);
    assert_ptr_equal(o.source, wl_source());
    assert_ptr_equal(o.source_opts, &s->workload);
    assert_int_equal(o.devices_per_site, 250);
    assert_int_equal(o.record_bytes, 1000);
    assert_ptr_equal(o.edge, &s->edge);
    assert_ptr_equal(o.bus, &s->bus);
    assert_ptr_equal(o.driver, &s->driver);
    assert_ptr_equal(o.cloud, &s->cloud);
    assert_ptr_equal(o.alloc_ops, pol_alloc_find("static"));
    assert_ptr_equal(o.alloc, &s->alloc);
    assert_true(o.seed == 42 && o.duration == 90 * RT_S && o.drain == 1500 * RT_MS && o.slo == 250 * RT_MS);
    xp_scenario_free(s);
}

/* full.yaml: 3 sites x 250 devices at diurnal rate 0.25/s with bursts
 * (factor 4, on 2 min, off 20 min) -> 750 * 0.25 * (20 + 2 * 4) / 22
 * = 238.636... readings/s; 1 kB each. */
static void test_describe(void **unused) {
    xp_scenario *s = load_ok(SCEN("full.yaml"), "peak");
    char *buf = NULL;
    size_t len = 0;
    FILE *out = open_memstream(&buf, &len);
    assert_int_equal(xp_scenario_describe(s, out), 0);
    fclose(out);
    const char *want[] = {
        "scenario    full_test: every key, none at its default\n",
        "variant     peak\n",
        "runs        2 variants x 7 seeds = 14 runs\n",
        "  base           results/full_test/base/seed-{42..48}.h5\n",
        "  peak           results/full_test/peak/seed-{42..48}.h5  allocator.executors=16, "
        "topology.wan.latency=50ms\n",
        "devices send for 90s, then 1500ms of drain; SLO 250ms\n",
        "3 sites x 250 devices = 750 devices",
        "expected 238.636 readings/s (0.318182/s per device)",
        "wan 16Mbps 50ms",
        "static every 30s, executors in [2, 20] starting at 5; executors=16; checkpoint ckpt/static.h5\n",
        "test_cloud (",
        "$0.1/vCPU-h, $0.01/GB-h",
        "startup lognormal 8s, p95 20s; one executor (16 vCPU, 64 GB) costs $2.2400/h\n",
        "pipeline    continuous, trigger asap, 8 reduce tasks",
        "edge        aggregate, 10s windows, 48 B aggregates, keep values in [-50, 150], detect |z| > 2.5 "
        "over 16 readings; 2500 flops/reading\n",
    };
    for (size_t i = 0; i < sizeof want / sizeof want[0]; i++)
        if (!strstr(buf, want[i])) fail_msg("missing '%s' in:\n%s", want[i], buf);
    free(buf);
    xp_scenario_free(s);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_full_file_every_field),
        cmocka_unit_test(test_defaults_when_omitted),
        cmocka_unit_test(test_aws_profile_matches_builtin),
        cmocka_unit_test(test_preset_applied_before_other_keys),
        cmocka_unit_test(test_run_opts_borrow_from_scenario),
        cmocka_unit_test(test_describe),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
