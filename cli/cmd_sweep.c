/* `sparkiot sweep`: every variant x seed of a scenario in parallel child
 * processes (experiments/sweep.h), optionally one shard of them, then the
 * summary table. Parsing only; the sweep itself is xp_sweep_run. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli/args.h"
#include "cli/commands.h"
#include "cli/dashboard.h"
#include "experiments/sweep.h"

static const char *sweep_help =
    "usage: sparkiot sweep SCENARIO.yaml [-j N] [--shard I/N] [--out DIR] [--seed-count K]\n"
    "                      [--set key.path=value]... [--baseline VARIANT] [--dashboard[=[HOST:]PORT]]\n"
    "                      [--dashboard-exit]\n"
    "Runs every variant of the scenario with seeds seed, seed+1, ... (`seeds` of them, or K), each in its\n"
    "own process, N at a time (default: the number of CPUs), writing DIR/<scenario>/<variant>/seed-<n>.h5\n"
    "(DIR defaults to results). Run i = k x variants + v is seed offset k of variant v (file order);\n"
    "--shard I/N runs only the runs with i mod N = I-1, so N machines (a Slurm array, GNU parallel) can\n"
    "share a sweep. Then prints the summary table over every result of the scenario in DIR (Markdown)\n"
    "and writes DIR/<scenario>/table.md and table.csv; cost x baseline divides by --baseline (default:\n"
    "the scenario's first variant). Exit 0, 1 if a run failed (the others still run), 2 on bad "
    "input.\n" CLI_DASH_HELP;

/* Takes "--seed-count K" out of argv (cli_args does not know it). */
static int take_seed_count(int *argc, char **argv, uint32_t *k) {
    for (int i = 2; i < *argc; i++) {
        if (strcmp(argv[i], "--seed-count") != 0) continue;
        char *end = NULL;
        unsigned long v = i + 1 < *argc ? strtoul(argv[i + 1], &end, 10) : 0;
        if (i + 1 >= *argc || !*argv[i + 1] || *end || argv[i + 1][0] == '-' || v < 1 || v > 1000) {
            fprintf(stderr, "sparkiot: --seed-count expects a whole number in 1..1000\n");
            return -1;
        }
        *k = (uint32_t)v;
        memmove(&argv[i], &argv[i + 2], (size_t)(*argc - i - 2) * sizeof *argv);
        *argc -= 2;
        i--;
    }
    return 0;
}

static int has_option(int argc, char **argv, const char *a, const char *b) {
    for (int i = 2; i < argc; i++)
        if (!strcmp(argv[i], a) || !strcmp(argv[i], b)) return 1;
    return 0;
}

static int parse_shard(const char *s, unsigned *i, unsigned *n) {
    char tail;
    if (sscanf(s, "%u/%u%c", i, n, &tail) == 2 && *n >= 1 && *i >= 1 && *i <= *n && s[0] != '-') return 0;
    fprintf(stderr, "sparkiot: --shard expects I/N with 1 <= I <= N (e.g. 2/8), got '%s'\n", s);
    return -1;
}

/* How many runs this shard of the sweep starts (0 if the scenario does not
 * load: xp_sweep_run reports that). */
static uint32_t sweep_size(const xp_sweep_opts *o, char *err, size_t errlen) {
    xp_scenario *s = xp_scenario_load(o->scenario, NULL, o->sets, o->nsets, err, errlen);
    xp_sweep_item *runs = NULL;
    size_t n = 0;
    if (s && xp_sweep_plan(xp_variant_count(s), s->seed, o->seed_count ? o->seed_count : s->seeds, o->shard,
                           o->shards, &runs, &n) != 0)
        n = 0;
    free(runs);
    xp_scenario_free(s);
    return (uint32_t)n;
}

int cli_cmd_sweep(int argc, char **argv) {
    xp_sweep_opts o = {.shard = 1, .shards = 1};
    cli_args a;
    if (take_seed_count(&argc, argv, &o.seed_count) != 0) return CLI_USAGE;
    int rc = cli_args_parse(&a, argc, argv, 2);
    if (rc) return rc;
    if (a.help) {
        fputs(sweep_help, stdout);
        return CLI_OK;
    }
    if (a.variant || a.has_seed || a.json || a.quick) {
        fprintf(stderr, "sparkiot: sweep runs every variant and seed; --variant, --seed, --json and --quick "
                        "do not apply (use --set seed=N to move the first seed)\n");
        return CLI_USAGE;
    }
    if (a.npos != 1) {
        fputs(sweep_help, stderr);
        return CLI_USAGE;
    }
    if (a.shard && parse_shard(a.shard, &o.shard, &o.shards) != 0) return CLI_USAGE;
    long cpus = sysconf(_SC_NPROCESSORS_ONLN);
    o.jobs = has_option(argc, argv, "-j", "--jobs") ? (unsigned)a.jobs : cpus > 0 ? (unsigned)cpus : 1;
    char sets[4096];
    cli_args_sets_text(&a, sets, sizeof sets);
    o.scenario = a.pos[0];
    o.sets = a.sets;
    o.nsets = a.nsets;
    o.overrides = sets;
    o.out_dir = a.out ? a.out : "results";
    o.baseline = a.baseline;
    o.progress = isatty(STDERR_FILENO);
    char err[2048];
    cli_dash dash;
    if (cli_dash_start(&dash, &a) != CLI_OK) return CLI_USAGE;
    if (dash.hub) dash_hub_expect(dash.hub, sweep_size(&o, err, sizeof err));
    rc = xp_sweep_run(&o, stdout, stderr, err, sizeof err);
    cli_dash_end(&dash);
    if (rc == 0) return CLI_OK;
    fprintf(stderr, "%s%s\n", rc == XP_SWEEP_BAD_INPUT ? "" : "sparkiot: ", err);
    return rc == XP_SWEEP_BAD_INPUT ? CLI_USAGE : CLI_FAIL;
}
