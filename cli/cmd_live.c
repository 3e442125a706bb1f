/* `sparkiot live`: run one scenario variant on the wall clock against real
 * MQTT and Kafka brokers (private ones unless --mqtt / --kafka name them),
 * every role in this process or one of them, and for the engine roles
 * write the same result file as `run`, marked backend "live". */
#include <ctype.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "analysis/results.h"
#include "cli/args.h"
#include "cli/commands.h"
#include "cli/dashboard.h"
#include "experiments/runner.h"
#include "live/live.h"

#define MAX_KAFKA_CONFIG 32

static const char *live_help =
    "usage: sparkiot live SCENARIO.yaml [--mqtt HOST:PORT] [--kafka BOOTSTRAP] [--kafka-config "
    "key=value]...\n"
    "                     [--role all|devices|edge|engine] [--sites FIRST-LAST] [--origin EPOCH_NS]\n"
    "                     [--qos 0|1] [--topic NAME] [--group NAME] [--record FILE.csv]\n"
    "                     [--seed N] [--out DIR] [--variant NAME] [--set key.path=value]...\n"
    "                     [--dashboard[=[HOST:]PORT]] [--dashboard-exit]\n"
    "Runs the scenario (its default variant, or --variant) on the wall clock: devices publish readings to\n"
    "MQTT, edge gateways produce records to Kafka, the driver and executors run as threads. The scenario's\n"
    "duration and drain are wall-clock time: keep them short. Without --mqtt a private mosquitto is started\n"
    "on a free 127.0.0.1 port; without --kafka librdkafka's in-process mock cluster is used. --kafka-config\n"
    "passes client settings through (security.protocol=SASL_SSL, sasl.mechanisms=PLAIN, ...). The topic and\n"
    "consumer group default to sparkiot.<scenario>.\n"
    "--role all plays every role in this process; devices, edge (the edge gateways of --sites, default all)\n"
    "and engine (one of the consumer group's engines) are separate processes sharing --mqtt and --kafka. "
    "Run\n"
    "time 0 is --origin (ns since the Unix epoch), or the devices role picks it 1 s ahead and publishes it\n"
    "retained on sparkiot/origin, where the edge and engine roles wait for it (60 s at most).\n"
    "The engine roles write DIR/<scenario>/<variant>/seed-<n>.h5 (DIR defaults to results/live): an engine\n"
    "covers the partitions it owns at the end, so one --out per engine process. --record (roles all and\n"
    "edge) writes what the edges ingest as a CSV trace (device,seq,ts,metric,value,label; docs/live.md)\n"
    "that `sparkiot replay` reads back.\n" CLI_DASH_HELP
    "Exit codes: 0 success, 1 failure while running, 2 bad usage or a broker that cannot be reached.\n";

typedef struct live_cli {
    live_opts lo;
    const char *kafka_config[MAX_KAFKA_CONFIG];
    char *rest[64]; /* argv without the live options, for cli_args_parse */
    int nrest;
} live_cli;

static int take_value(int argc, char **argv, int *i, const char **out) {
    if (*i + 1 >= argc) {
        fprintf(stderr, "sparkiot: %s needs a value\n", argv[*i]);
        return -1;
    }
    *out = argv[++*i];
    return 0;
}

/* FIRST-LAST or one site. */
static int parse_sites(const char *v, live_opts *lo) {
    char *end;
    unsigned long first = strtoul(v, &end, 10), last = first;
    if (end != v && *end == '-') last = strtoul(end + 1, &end, 10);
    if (!isdigit((unsigned char)v[0]) || *end || last < first || last >= UINT32_MAX) {
        fprintf(stderr, "sparkiot: --sites expects FIRST-LAST or one site number, got '%s'\n", v);
        return -1;
    }
    lo->first_site = (uint32_t)first;
    lo->sites = (uint32_t)(last - first + 1);
    return 0;
}

static int parse_origin(const char *v, live_opts *lo) {
    char *end;
    long long origin = strtoll(v, &end, 10);
    if (!isdigit((unsigned char)v[0]) || *end || origin <= 0) {
        fprintf(stderr, "sparkiot: --origin expects ns since the Unix epoch, got '%s'\n", v);
        return -1;
    }
    lo->origin = origin;
    return 0;
}

/* Takes the live-only options out of argv; the rest goes to cli_args_parse. */
static int parse_live(live_cli *c, int argc, char **argv) {
    live_opts_defaults(&c->lo);
    c->lo.kafka_config = c->kafka_config;
    c->nrest = 0;
    for (int i = 0; i < argc; i++) {
        const char *o = argv[i], *v;
        if (!strcmp(o, "--mqtt") || !strcmp(o, "--kafka") || !strcmp(o, "--topic") || !strcmp(o, "--group") ||
            !strcmp(o, "--role") || !strcmp(o, "--qos") || !strcmp(o, "--kafka-config") ||
            !strcmp(o, "--sites") || !strcmp(o, "--origin") || !strcmp(o, "--record")) {
            if (take_value(argc, argv, &i, &v)) return -1;
            if (!strcmp(o, "--record")) c->lo.record = v;
            if (!strcmp(o, "--sites") && parse_sites(v, &c->lo) != 0) return -1;
            if (!strcmp(o, "--origin") && parse_origin(v, &c->lo) != 0) return -1;
            if (!strcmp(o, "--mqtt")) c->lo.mqtt = v;
            if (!strcmp(o, "--kafka")) c->lo.kafka = v;
            if (!strcmp(o, "--topic")) c->lo.topic = v;
            if (!strcmp(o, "--group")) c->lo.group = v;
            if (!strcmp(o, "--role") && live_role_parse(v, &c->lo.role) != 0) {
                fprintf(stderr, "sparkiot: --role expects all, devices, edge or engine, got '%s'\n", v);
                return -1;
            }
            if (!strcmp(o, "--qos")) {
                if (strcmp(v, "0") && strcmp(v, "1")) {
                    fprintf(stderr, "sparkiot: --qos expects 0 or 1, got '%s'\n", v);
                    return -1;
                }
                c->lo.qos = v[0] - '0';
            }
            if (!strcmp(o, "--kafka-config")) {
                if (c->lo.nkafka_config == MAX_KAFKA_CONFIG || !strchr(v, '=') || v[0] == '=') {
                    fprintf(stderr, "sparkiot: --kafka-config expects key=value (at most %d), got '%s'\n",
                            MAX_KAFKA_CONFIG, v);
                    return -1;
                }
                c->kafka_config[c->lo.nkafka_config++] = v;
            }
        } else if (c->nrest < (int)(sizeof c->rest / sizeof *c->rest)) {
            c->rest[c->nrest++] = argv[i];
        } else {
            fprintf(stderr, "sparkiot: too many arguments\n");
            return -1;
        }
    }
    return 0;
}

static void progress(void *ctx, rt_time_t now, rt_time_t end) {
    fprintf(stderr, "\rlive: %.0f/%.0f s", rt_to_s(now), rt_to_s(end));
    fflush(stderr);
}

static void print_mqtt(const live_report *r) {
    if (r->role == LIVE_ROLE_ALL || r->role == LIVE_ROLE_DEVICES)
        fprintf(stderr,
                "mqtt %s: %llu readings published, %llu acknowledged by the edges (%llu sent again)\n",
                r->mqtt, (unsigned long long)r->devices.published, (unsigned long long)r->devices.acked,
                (unsigned long long)r->devices.resent);
    if (r->role == LIVE_ROLE_ALL || r->role == LIVE_ROLE_EDGE)
        fprintf(
            stderr,
            "mqtt %s: %llu received at the edges (%llu duplicates dropped, %llu late, %llu after the end)\n",
            r->mqtt, (unsigned long long)r->source.received, (unsigned long long)r->source.duplicates,
            (unsigned long long)r->source.late, (unsigned long long)r->source.after_end);
}

static void print_kafka(const live_report *r) {
    const live_bus_stats *b = &r->bus;
    if (r->role == LIVE_ROLE_ALL || r->role == LIVE_ROLE_EDGE)
        fprintf(stderr, "kafka %s: %llu records produced, %llu delivered, %llu end markers\n", r->kafka,
                (unsigned long long)b->produced, (unsigned long long)b->delivered,
                (unsigned long long)b->end_markers);
    if (r->role == LIVE_ROLE_ALL || r->role == LIVE_ROLE_ENGINE)
        fprintf(
            stderr,
            "kafka %s: %llu consumed (%llu duplicates dropped, %llu from another run, %llu missing) in %u "
            "partitions owned at the end%s\n",
            r->kafka, (unsigned long long)b->consumed, (unsigned long long)b->duplicates,
            (unsigned long long)b->stale, (unsigned long long)b->missing, r->partitions,
            r->incomplete ? ", some without every site's end marker" : "");
}

static void print_report(const live_report *r, const eng_summary *s, const char *record) {
    print_mqtt(r);
    if (record && (r->role == LIVE_ROLE_ALL || r->role == LIVE_ROLE_EDGE))
        fprintf(stderr, "recorded %llu readings to %s (%llu too late to write in time order)\n",
                (unsigned long long)r->recorded.written, record, (unsigned long long)r->recorded.late);
    print_kafka(r);
    if (r->role != LIVE_ROLE_ALL && r->role != LIVE_ROLE_ENGINE) return;
    fprintf(stderr,
            "readings: %llu in = %llu out + %llu queued + %llu filtered + %llu lost; latency p50 %.1f ms, "
            "p99 %.1f ms\n",
            (unsigned long long)s->readings_in, (unsigned long long)s->readings_out,
            (unsigned long long)s->readings_queued, (unsigned long long)s->readings_filtered,
            (unsigned long long)s->readings_lost, s->latency_p50_ms, s->latency_p99_ms);
}

static double wall_now(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

static int write_result(const cli_args *a, const xp_scenario *s, const char *variant, uint64_t seed,
                        const eng_metrics *m) {
    char sets[4096], path[4096], err[2048];
    cli_args_sets_text(a, sets, sizeof sets);
    xp_result_path(path, sizeof path, a->out ? a->out : "results/live", s->name, variant, seed);
    an_meta meta = {.scenario_name = s->name,
                    .scenario_path = s->path,
                    .scenario_text = s->text,
                    .variant = variant,
                    .overrides = sets,
                    .seed = seed,
                    .backend = "live",
                    .allocator = s->alloc.name,
                    .cloud = s->cloud.name};
    if (an_results_write(path, &meta, m, err, sizeof err) != 0) {
        fprintf(stderr, "sparkiot: %s\n", err);
        return CLI_FAIL;
    }
    fprintf(stderr, "wrote %s\n", path);
    return CLI_OK;
}

int cli_cmd_live(int argc, char **argv) {
    live_cli c;
    cli_args a;
    if (parse_live(&c, argc, argv) != 0) return CLI_USAGE;
    int rc = cli_args_parse(&a, c.nrest, c.rest, 2);
    if (!rc)
        rc = cli_args_only(&a, "live", CLI_O_SEED | CLI_O_OUT | CLI_O_VARIANT | CLI_O_SET | CLI_O_DASHBOARD);
    if (rc) return rc;
    if (a.help) {
        fputs(live_help, stdout);
        return CLI_OK;
    }
    if (a.npos != 1) {
        fputs(live_help, stderr);
        return CLI_USAGE;
    }
    char err[2048];
    xp_scenario *s = xp_scenario_load(a.pos[0], a.variant, a.sets, a.nsets, err, sizeof err);
    if (!s) {
        fprintf(stderr, "%s\n", err);
        return CLI_USAGE;
    }
    const char *variant = a.variant ? a.variant : xp_variant_name(s, 0);
    uint64_t seed = a.has_seed ? a.seed : s->seed;
    eng_run_opts o;
    xp_scenario_run_opts(s, &o);
    o.seed = seed;
    if (isatty(STDERR_FILENO)) c.lo.progress = progress;
    eng_metrics *m = eng_metrics_new();
    cli_dash dash;
    cli_dash_progress watch = {.m = m, .inner = c.lo.progress};
    if (cli_dash_start(&dash, &a) != CLI_OK) {
        eng_metrics_free(m);
        xp_scenario_free(s);
        return CLI_USAGE;
    }
    if (dash.hub) {
        dash_run_info info;
        dash_run_info_fill(&info, s->name, variant, "live", seed, &o);
        dash_hub_expect(dash.hub, 1);
        int run = dash_hub_add_run(dash.hub, &info);
        watch.feed = run >= 0 ? dash_feed_hub(dash.hub, (uint32_t)run) : NULL;
        c.lo.progress = cli_dash_progress_fn;
        c.lo.progress_ctx = &watch;
    }
    live_report rep;
    double t0 = wall_now();
    fprintf(stderr, "live: %s/%s seed %llu for %.0f s + %.0f s drain of wall-clock time\n", s->name, variant,
            (unsigned long long)seed, rt_to_s(o.duration), rt_to_s(o.drain));
    rc = m ? live_run(&o, s->name, &c.lo, m, &rep, err, sizeof err) : -1;
    if (rc != 0) {
        fprintf(stderr, "sparkiot: live: %s\n", m ? err : "out of memory");
        rc = rc == LIVE_EUSAGE ? CLI_USAGE : CLI_FAIL;
    } else {
        m->summary.wall_seconds = wall_now() - t0;
        if (isatty(STDERR_FILENO)) fputc('\n', stderr);
        fprintf(stderr, "run origin %lld (ns since the Unix epoch)\n", (long long)rep.origin);
        print_report(&rep, &m->summary, c.lo.record);
        if (rep.role == LIVE_ROLE_ALL || rep.role == LIVE_ROLE_ENGINE)
            rc = write_result(&a, s, variant, seed, m);
        if (rc == CLI_OK) dash_feed_end(watch.feed, &m->summary);
    }
    dash_feed_free(watch.feed);
    cli_dash_end(&dash);
    eng_metrics_free(m);
    xp_scenario_free(s);
    return rc;
}
