/* `sparkiot bench live` (see cli/bench_live.h). In one process on this
 * host, each step with its own private brokers (the launchers of live/: a
 * mosquitto on 127.0.0.1, librdkafka's mock cluster):
 *
 * 1. the raw ceiling (live/bench_raw.h): the scenario's readings, as the
 *    same wire payloads, through MQTT QoS 1 alone, Kafka alone, and both
 *    legs chained as the pipeline chains them (publish, subscribe, produce,
 *    consume), no engine; the ceiling is the chained rate;
 * 2. the pipeline offered the ceiling: `sparkiot live` on the scenario
 *    with as many devices a site as offer it; its throughput is the
 *    readings committed over the run time of the last commit, and only
 *    counts if every reading is committed. It cannot beat the brokers
 *    alone; what it cannot sustain piles up at the devices and lowers it.
 *    (Offered far more, the devices would still be publishing long after
 *    the run's duration, and the edges forward all of that in their last
 *    slice: the rate would be the legs' in series, not the pipeline's.)
 * 3. the pipeline at half load: devices offering half the ceiling at the
 *    same fixed period; its latency percentiles.
 *
 * The host's load average is printed before and after: other processes
 * share the CPU. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli/bench_live.h"
#include "cli/commands.h"
#include "experiments/runner.h"
#include "live/bench_raw.h"
#include "live/live.h"

const char *cli_bench_live_help =
    "usage: sparkiot bench live [--quick] [--set key.path=value]...\n"
    "Measures in one run, each step with its own private mosquitto and Kafka mock cluster on this host, "
    "with\n"
    "tests/live/data/bench_live.yaml (2 sites, devices every 10 ms, raw readings, 8 partitions, 10 ms "
    "trigger):\n"
    "  raw ceiling: 200,000 readings (2 x 500 devices for 2 s; --quick: 20,000), the pipeline's payloads, "
    "through\n"
    "    MQTT QoS 1 publish->subscribe alone, Kafka produce->consume alone, and both legs chained (each\n"
    "    subscriber produces what it receives to Kafka, one consumer reads it all), no engine; a leg's rate "
    "is\n"
    "    its readings over the time from the first publication to the last reception; the pipeline goes\n"
    "    through both brokers, so the ceiling is the chained rate;\n"
    "  pipeline: `sparkiot live` with as many devices a site as offer the ceiling (rounded up) for 4 s\n"
    "    (--quick: 0.5 s); its rate is the readings committed over the run time of the last commit, and\n"
    "    every reading published must be committed;\n"
    "  half load: devices offering half the ceiling at the same fixed period, for 5 s (--quick: 1 s); the\n"
    "    latency percentiles of its committed readings (device time to commit).\n"
    "Prints the host's load average, a line per step, then:\n"
    "raw_ceiling_msgs_per_s=<x> pipeline_msgs_per_s=<x> ratio=<x> p50_ms=<x> p99_ms=<x>\n";

static void print_load(const char *key) {
    double l1 = -1, l5 = -1, l15 = -1;
    FILE *f = fopen("/proc/loadavg", "r");
    if (f) {
        if (fscanf(f, "%lf %lf %lf", &l1, &l5, &l15) != 3) l1 = l5 = l15 = -1;
        fclose(f);
    }
    printf("machine cpus_online=%ld %s=%.2f,%.2f,%.2f\n", sysconf(_SC_NPROCESSORS_ONLN), key, l1, l5, l15);
    fflush(stdout);
}

/* The benchmark's sizes: the raw legs move the scenario's readings (over
 * raw_duration, or its own duration); the pipeline runs at the ceiling and
 * at half of it for the given durations and drains. */
typedef struct bench_cfg {
    const char *raw_duration;
    const char *duration, *drain;
    const char *half_duration, *half_drain;
} bench_cfg;

static const bench_cfg full_cfg = {NULL, "4s", "10s", "5s", "3s"};
static const bench_cfg quick_cfg = {"200ms", "500ms", "4s", "1s", "2s"};

/* Appends `key`=`value` to sets. */
static void add_set(xp_set *sets, size_t *n, const char *key, const char *value) {
    snprintf(sets[*n].key, sizeof sets[*n].key, "%s", key);
    snprintf(sets[*n].value, sizeof sets[*n].value, "%s", value);
    (*n)++;
}

/* One raw leg's line; returns its rate. */
static double print_leg(const char *leg, const live_bench_raw_result *r) {
    double v = r->seconds > 0 ? (double)r->received / r->seconds : 0;
    printf("raw leg=%s readings=%llu received=%llu seconds=%.6f msgs_per_s=%.0f\n", leg,
           (unsigned long long)r->sent, (unsigned long long)r->received, r->seconds, v);
    fflush(stdout);
    return v;
}

/* The raw legs for `sites` x `per_site` readings over `dps` devices a
 * site; *ceiling = the chained rate. */
static int measure_ceiling(uint32_t sites, uint32_t dps, uint64_t per_site, uint32_t partitions,
                           double *ceiling) {
    char err[1024];
    live_mosquitto mosq = {0};
    if (live_mosquitto_start(&mosq, 0, err, sizeof err) != 0) {
        fprintf(stderr, "sparkiot: %s\n", err);
        return CLI_FAIL;
    }
    live_mqtt_addr a = {.host = "127.0.0.1", .port = mosq.port, .qos = 1};
    live_clock clock;
    live_clock_start(&clock);
    live_ledger *ledger = live_ledger_new(partitions, sites, &clock, RT_FOREVER);
    live_kafka_opts ko = {.topic = "sparkiot.bench_raw",
                          .group = "sparkiot.bench_raw",
                          .partitions = partitions,
                          .produce = 1,
                          .consume = 1,
                          .ledger = ledger,
                          .timeout_ms = 10000};
    live_kafka *k = ledger ? live_kafka_open(&ko, err, sizeof err) : NULL;
    if (!ledger) snprintf(err, sizeof err, "out of memory");
    int rc = k ? CLI_OK : CLI_FAIL;
    /* MQTT alone; Kafka alone (one producer thread for every reading); chained */
    const live_bench_raw_opts legs[3] = {
        {.mqtt = &a, .sites = sites, .devices_per_site = dps, .per_site = per_site, .timeout_ms = 120000},
        {.kafka = k,
         .sites = 1,
         .devices_per_site = dps * sites,
         .per_site = per_site * sites,
         .timeout_ms = 120000},
        {.mqtt = &a,
         .kafka = k,
         .sites = sites,
         .devices_per_site = dps,
         .per_site = per_site,
         .timeout_ms = 120000}};
    static const char *const names[3] = {"mqtt_qos1", "kafka", "chained"};
    for (int i = 0; i < 3 && rc == CLI_OK; i++) {
        live_bench_raw_result r;
        if (live_bench_raw(&legs[i], &r, err, sizeof err) != 0) {
            rc = CLI_FAIL;
        } else {
            double v = print_leg(names[i], &r);
            if (r.received != r.sent) {
                snprintf(err, sizeof err, "raw leg %s: %llu of %llu readings arrived within %d s", names[i],
                         (unsigned long long)r.received, (unsigned long long)r.sent,
                         legs[i].timeout_ms / 1000);
                rc = CLI_FAIL;
            }
            *ceiling = v;
        }
    }
    if (rc != CLI_OK) fprintf(stderr, "sparkiot: %s\n", err);
    live_kafka_close(k, 5000);
    live_ledger_free(ledger);
    live_mosquitto_stop(&mosq, 0);
    return rc;
}

typedef struct pipeline {
    uint64_t published, in, out, queued, lost, resent;
    double last_commit_s; /* run time of the last commit */
    double p50_ms, p99_ms;
} pipeline;

/* One `sparkiot live` run (role all, private brokers, default options) of
 * the scenario at `path` with `sets`. */
static int run_pipeline(const char *path, const xp_set *sets, size_t nsets, pipeline *p) {
    char err[2048];
    xp_scenario *s = xp_scenario_load(path, NULL, sets, nsets, err, sizeof err);
    if (!s) {
        fprintf(stderr, "%s\n", err);
        return CLI_USAGE;
    }
    eng_run_opts o;
    xp_scenario_run_opts(s, &o);
    live_opts lo;
    live_opts_defaults(&lo);
    live_report rep;
    eng_metrics *m = eng_metrics_new();
    int rc = m && live_run(&o, s->name, &lo, m, &rep, err, sizeof err) == 0 ? CLI_OK : CLI_FAIL;
    if (rc == CLI_OK) {
        rt_time_t last = 0;
        for (size_t i = 0; i < m->nbatches; i++)
            if (m->batches[i].end > last) last = m->batches[i].end;
        *p = (pipeline){.published = rep.devices.published,
                        .in = m->summary.readings_in,
                        .out = m->summary.readings_out,
                        .queued = m->summary.readings_queued,
                        .lost = m->summary.readings_lost,
                        .resent = rep.devices.resent,
                        .last_commit_s = rt_to_s(last),
                        .p50_ms = m->summary.latency_p50_ms,
                        .p99_ms = m->summary.latency_p99_ms};
    } else {
        fprintf(stderr, "sparkiot: live: %s\n", m ? err : "out of memory");
    }
    eng_metrics_free(m);
    xp_scenario_free(s);
    return rc;
}

/* Prints a pipeline step's line; CLI_FAIL unless every reading published
 * was committed. */
static int print_step(const char *step, double offered, const pipeline *p) {
    printf("%s offered_per_s=%.0f published=%llu readings_in=%llu readings_out=%llu queued=%llu lost=%llu "
           "resent=%llu last_commit_s=%.6f p50_ms=%.1f p99_ms=%.1f\n",
           step, offered, (unsigned long long)p->published, (unsigned long long)p->in,
           (unsigned long long)p->out, (unsigned long long)p->queued, (unsigned long long)p->lost,
           (unsigned long long)p->resent, p->last_commit_s, p->p50_ms, p->p99_ms);
    fflush(stdout);
    if (p->out == p->published && p->in == p->published && p->last_commit_s > 0) return CLI_OK;
    fprintf(stderr, "sparkiot: bench live: %s: %llu readings published, %llu committed within the drain\n",
            step, (unsigned long long)p->published, (unsigned long long)p->out);
    return CLI_FAIL;
}

/* Runs the pipeline step `step` with `dps` devices a site over `duration`
 * and `drain`, after the user's `sets`, and prints its line. */
static int pipeline_step(const char *step, const char *path, const cli_args *a, uint32_t dps,
                         const char *duration, const char *drain, uint32_t sites, rt_time_t period,
                         pipeline *p) {
    xp_set sets[XP_MAX_SETS + 3];
    size_t n = 0;
    char v[32];
    snprintf(v, sizeof v, "%u", dps);
    add_set(sets, &n, "duration", duration);
    add_set(sets, &n, "drain", drain);
    memcpy(sets + n, a->sets, a->nsets * sizeof *sets);
    n += a->nsets;
    add_set(sets, &n, "workload.devices_per_site", v);
    int rc = run_pipeline(path, sets, n, p);
    return rc == CLI_OK ? print_step(step, sites * dps / rt_to_s(period), p) : rc;
}

int cli_bench_live(const cli_args *a) {
    const bench_cfg *cfg = a->quick ? &quick_cfg : &full_cfg;
    const char *src = getenv("SPARKIOT_SOURCE_DIR");
    char path[4096], err[2048];
    snprintf(path, sizeof path, "%s/tests/live/data/bench_live.yaml", src ? src : ".");
    xp_set sets[XP_MAX_SETS + 1];
    size_t n = 0;
    if (cfg->raw_duration) add_set(sets, &n, "duration", cfg->raw_duration);
    memcpy(sets + n, a->sets, a->nsets * sizeof *sets);
    n += a->nsets;
    xp_scenario *s = xp_scenario_load(path, NULL, sets, n, err, sizeof err);
    if (!s) {
        fprintf(stderr, "%s\n", err);
        return CLI_USAGE;
    }
    uint32_t sites = s->topo.sites, dps = s->workload.devices_per_site, partitions = s->bus.partitions;
    rt_time_t period = s->workload.period;
    uint64_t per_device = (uint64_t)((s->duration + period - 1) / period);
    xp_scenario_free(s);
    print_load("loadavg");
    double ceiling = 0;
    int rc = measure_ceiling(sites, dps, per_device * dps, partitions, &ceiling);
    if (rc != CLI_OK) return rc;
    /* devices a site offering the ceiling (rounded up) and half of it (rounded) at the same period */
    double per_site = ceiling * rt_to_s(period) / sites;
    uint32_t fdps = (uint32_t)ceil(per_site), hdps = (uint32_t)lround(0.5 * per_site);
    pipeline full, half;
    if ((rc = pipeline_step("pipeline", path, a, fdps, cfg->duration, cfg->drain, sites, period, &full)) !=
            CLI_OK ||
        (rc = pipeline_step("half_load", path, a, hdps ? hdps : 1, cfg->half_duration, cfg->half_drain, sites,
                            period, &half)) != CLI_OK)
        return rc;
    double prate = full.out / full.last_commit_s;
    print_load("loadavg_after");
    printf("raw_ceiling_msgs_per_s=%.0f pipeline_msgs_per_s=%.0f ratio=%.3f p50_ms=%.1f p99_ms=%.1f\n",
           ceiling, prate, prate / ceiling, half.p50_ms, half.p99_ms);
    return CLI_OK;
}
