/* `sparkiot replay TRACE --scenario S.yaml`: drive a scenario from a
 * recorded trace instead of its synthetic workload. The trace is handed to
 * the scenario as --set overrides (workload.kind=trace, workload.trace.path
 * and .format), what it will replay is printed, and `run` does the rest, so
 * the result files are exactly those of `run`. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli/args.h"
#include "cli/commands.h"

static const char *replay_help =
    "usage: sparkiot replay TRACE --scenario S.yaml [--format nab|uci|csv|jsonl] [--seed N] [--out DIR]\n"
    "                          [--variant NAME] [--set key.path=value]...\n"
    "Replays the recorded trace TRACE through scenario S in place of its synthetic workload (as if S said\n"
    "workload: {kind: trace, trace: {path: TRACE}}) and writes what `run` writes:\n"
    "DIR/<scenario>/<variant>/seed-<n>.h5 (DIR defaults to results) and the summary table. The format is\n"
    "detected from the header unless --format is given; the rest of S's workload.trace section (speedup,\n"
    "loop, start, end, strict, columns, labels, phase, value_jitter) and workload.devices_per_site (the\n"
    "fan-out) apply, e.g. --set workload.trace.speedup=600. See docs/traces.md.\n";

#define MAX_ARGS 128

typedef struct replay_args {
    const char *scenario, *format;
    char *rest[MAX_ARGS]; /* the options `run` understands, and TRACE */
    int nrest;
} replay_args;

static int split_args(replay_args *r, int argc, char **argv) {
    memset(r, 0, sizeof *r);
    for (int i = 2; i < argc; i++) {
        int scen = !strcmp(argv[i], "--scenario"), fmt = !strcmp(argv[i], "--format");
        if ((scen || fmt) && i + 1 == argc) {
            fprintf(stderr, "sparkiot: %s needs a value\n", argv[i]);
            return CLI_USAGE;
        }
        if (scen || fmt) {
            *(scen ? &r->scenario : &r->format) = argv[++i];
        } else if (r->nrest == MAX_ARGS) {
            fprintf(stderr, "sparkiot: too many arguments\n");
            return CLI_USAGE;
        } else {
            r->rest[r->nrest++] = argv[i];
        }
    }
    return CLI_OK;
}

static int check_format(const char *f) {
    for (const char *const *n = tr_format_names; *n; n++)
        if (!strcmp(f, *n)) return CLI_OK;
    fprintf(stderr, "sparkiot: --format expects nab, uci, csv or jsonl, got '%s'\n", f);
    return CLI_USAGE;
}

/* Appends text to a YAML single-quoted scalar (a quote is doubled). */
static size_t quote_into(char *buf, size_t k, size_t len, const char *text) {
    for (const char *p = text; *p && k + 2 < len; p++) {
        if (*p == '\'') buf[k++] = '\'';
        buf[k++] = *p;
    }
    return k;
}

/* workload.trace.path='/absolute/TRACE' (single-quoted: any path reads as
 * text); the scenario would read a relative path from its own folder. */
static int path_set(xp_set *s, const char *trace) {
    char cwd[4096];
    size_t k = 0, len = sizeof s->value;
    if (trace[0] != '/' && !getcwd(cwd, sizeof cwd)) {
        perror("sparkiot: getcwd");
        return CLI_FAIL;
    }
    s->value[k++] = '\'';
    if (trace[0] != '/') k = quote_into(s->value, quote_into(s->value, k, len, cwd), len, "/");
    k = quote_into(s->value, k, len, trace);
    if (k + 2 >= len) {
        fprintf(stderr, "sparkiot: the trace's absolute path is longer than %zu characters\n", len - 3);
        return CLI_USAGE;
    }
    s->value[k++] = '\'';
    s->value[k] = '\0';
    snprintf(s->key, sizeof s->key, "workload.trace.path");
    return CLI_OK;
}

int cli_cmd_replay(int argc, char **argv) {
    replay_args r;
    cli_args a;
    int rc = split_args(&r, argc, argv);
    if (rc == CLI_OK) rc = cli_args_parse(&a, r.nrest, r.rest, 0);
    if (rc) return rc;
    if (a.help) {
        fputs(replay_help, stdout);
        return CLI_OK;
    }
    if (a.npos != 1 || !r.scenario) {
        fputs(replay_help, stderr);
        return CLI_USAGE;
    }
    if (r.format && (rc = check_format(r.format)) != CLI_OK) return rc;
    /* ours first, then the user's --set (the last word wins) */
    xp_set ours[3] = {{"workload.kind", "trace"}, {"", ""}, {"workload.trace.format", "auto"}};
    if ((rc = path_set(&ours[1], a.pos[0])) != CLI_OK) return rc;
    if (r.format) snprintf(ours[2].value, sizeof ours[2].value, "%s", r.format);
    static xp_set sets[XP_MAX_SETS + 3];
    memcpy(sets, ours, sizeof ours);
    memcpy(sets + 3, a.sets, a.nsets * sizeof *a.sets);

    char err[2048];
    xp_scenario *s = xp_scenario_load(r.scenario, a.variant, sets, a.nsets + 3, err, sizeof err);
    if (!s) {
        fprintf(stderr, "%s\n", err);
        return CLI_USAGE;
    }
    tr_trace_describe(&s->trace, stderr);
    fprintf(stderr, "fan-out     %u sites x %u devices\n", s->topo.sites, s->workload.devices_per_site);
    xp_scenario_free(s);

    /* `run S.yaml --set ours... <the user's options>` */
    static char kv[3][sizeof sets->key + sizeof sets->value];
    char *run_argv[MAX_ARGS + 10];
    int n = 0;
    run_argv[n++] = argv[0];
    run_argv[n++] = "run";
    run_argv[n++] = (char *)r.scenario;
    for (int i = 0; i < 3; i++) {
        memcpy(kv[i], ours[i].key, strlen(ours[i].key));
        kv[i][strlen(ours[i].key)] = '=';
        memcpy(kv[i] + strlen(ours[i].key) + 1, ours[i].value, strlen(ours[i].value) + 1);
        run_argv[n++] = "--set";
        run_argv[n++] = kv[i];
    }
    for (int i = 0; i < r.nrest; i++)
        if (r.rest[i] != a.pos[0]) run_argv[n++] = r.rest[i];
    return cli_cmd_run(n, run_argv);
}
