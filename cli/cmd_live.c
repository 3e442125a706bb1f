/* `sparkiot live`: run one scenario variant on the wall clock against real
 * MQTT and Kafka brokers (private ones unless --mqtt / --kafka name them)
 * and write the same result file as `run`, marked backend "live". */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "analysis/results.h"
#include "cli/args.h"
#include "cli/commands.h"
#include "experiments/runner.h"
#include "live/live.h"

#define MAX_KAFKA_CONFIG 32

static const char *live_help =
    "usage: sparkiot live SCENARIO.yaml [--mqtt HOST:PORT] [--kafka BOOTSTRAP] [--kafka-config "
    "key=value]...\n"
    "                     [--role all] [--qos 0|1] [--topic NAME] [--group NAME]\n"
    "                     [--seed N] [--out DIR] [--variant NAME] [--set key.path=value]...\n"
    "Runs the scenario (its default variant, or --variant) on the wall clock: devices publish readings to\n"
    "MQTT, edge gateways produce records to Kafka, the driver and executors run as threads. The scenario's\n"
    "duration and drain are wall-clock time: keep them short. Without --mqtt a private mosquitto is started\n"
    "on a free 127.0.0.1 port; without --kafka librdkafka's in-process mock cluster is used. --kafka-config\n"
    "passes client settings through (security.protocol=SASL_SSL, sasl.mechanisms=PLAIN, ...). The topic and\n"
    "consumer group default to sparkiot.<scenario>. Writes DIR/<scenario>/<variant>/seed-<n>.h5 (DIR\n"
    "defaults to results/live). Only --role all (every role in this process) is implemented.\n"
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

/* Takes the live-only options out of argv; the rest goes to cli_args_parse. */
static int parse_live(live_cli *c, int argc, char **argv) {
    live_opts_defaults(&c->lo);
    c->lo.kafka_config = c->kafka_config;
    c->nrest = 0;
    for (int i = 0; i < argc; i++) {
        const char *o = argv[i], *v;
        if (!strcmp(o, "--mqtt") || !strcmp(o, "--kafka") || !strcmp(o, "--topic") || !strcmp(o, "--group") ||
            !strcmp(o, "--role") || !strcmp(o, "--qos") || !strcmp(o, "--kafka-config")) {
            if (take_value(argc, argv, &i, &v)) return -1;
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

static void print_report(const live_report *r, const eng_summary *s) {
    fprintf(stderr,
            "mqtt %s: %llu readings published, %llu acknowledged by the edges (%llu sent again), %llu "
            "received at the edges (%llu duplicates dropped, %llu late, %llu after the end)\n",
            r->mqtt, (unsigned long long)r->devices.published, (unsigned long long)r->devices.acked,
            (unsigned long long)r->devices.resent, (unsigned long long)r->source.received,
            (unsigned long long)r->source.duplicates, (unsigned long long)r->source.late,
            (unsigned long long)r->source.after_end);
    fprintf(stderr,
            "kafka %s: %llu records produced, %llu delivered, %llu consumed (%llu duplicates dropped, "
            "%llu missing)\n",
            r->kafka, (unsigned long long)r->bus.produced, (unsigned long long)r->bus.delivered,
            (unsigned long long)r->bus.consumed, (unsigned long long)r->bus.duplicates,
            (unsigned long long)r->bus.missing);
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

int cli_cmd_live(int argc, char **argv) {
    live_cli c;
    cli_args a;
    if (parse_live(&c, argc, argv) != 0) return CLI_USAGE;
    int rc = cli_args_parse(&a, c.nrest, c.rest, 2);
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
        if (c.lo.progress) fputc('\n', stderr);
        print_report(&rep, &m->summary);
        char sets[4096], path[4096];
        cli_args_sets_text(&a, sets, sizeof sets);
        xp_result_path(path, sizeof path, a.out ? a.out : "results/live", s->name, variant, seed);
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
            rc = CLI_FAIL;
        } else {
            fprintf(stderr, "wrote %s\n", path);
        }
    }
    eng_metrics_free(m);
    xp_scenario_free(s);
    return rc;
}
