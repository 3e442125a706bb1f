/* `sparkiot run` and `sparkiot validate`: load a scenario (with --set
 * overrides), then simulate each of its variants for one seed, or print what
 * would run. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "analysis/table.h"
#include "cli/args.h"
#include "cli/commands.h"
#include "cli/dashboard.h"
#include "experiments/runner.h"

static const char *run_help =
    "usage: sparkiot run SCENARIO.yaml [--seed N] [--out DIR] [--variant NAME] [--baseline VARIANT]\n"
    "                    [--set key.path=value]... [--dashboard[=[HOST:]PORT]] [--dashboard-exit]\n"
    "Simulates every variant of the scenario (or only --variant) with one seed (default: the scenario's\n"
    "`seed`) and writes DIR/<scenario>/<variant>/seed-<n>.h5 (DIR defaults to results), then prints the\n"
    "summary table (costs relative to --baseline when given). --set overrides any scenario field, e.g.\n"
    "--set workload.devices_per_site=5000 --set duration=30m. Durations are written like 90s, 10m, "
    "1h.\n" CLI_DASH_HELP;

static const char *validate_help =
    "usage: sparkiot validate SCENARIO.yaml [--variant NAME] [--set key.path=value]...\n"
    "Checks the scenario and prints what it would run. Exit 0 if valid, 2 with file:line:column messages if "
    "not.\n";

/* Loads the scenario for variant index i; NULL after printing the error. */
static xp_scenario *load_variant(const cli_args *a, const char *variant) {
    char err[2048];
    xp_scenario *s = xp_scenario_load(a->pos[0], variant, a->sets, a->nsets, err, sizeof err);
    if (!s) fprintf(stderr, "%s\n", err);
    return s;
}

static int parse_one_scenario(cli_args *a, int argc, char **argv, const char *help, unsigned allowed) {
    int rc = cli_args_parse(a, argc, argv, 2);
    if (!rc) rc = cli_args_only(a, argv[1], allowed);
    if (rc) return rc;
    if (a->help) {
        fputs(help, stdout);
        return -1;
    }
    if (a->npos != 1) {
        fputs(help, stderr);
        return CLI_USAGE;
    }
    return CLI_OK;
}

static int print_table(char **paths, size_t n, const char *baseline) {
    an_table *t = NULL;
    char err[1024];
    if (an_table_build((const char *const *)paths, n, baseline, &t, err, sizeof err) != 0) {
        fprintf(stderr, "sparkiot: %s\n", err);
        return CLI_FAIL;
    }
    an_table_write_md(t, stdout);
    an_table_free(t);
    return CLI_OK;
}

int cli_cmd_run(int argc, char **argv) {
    cli_args a;
    int rc = parse_one_scenario(&a, argc, argv, run_help,
                                CLI_O_SEED | CLI_O_OUT | CLI_O_VARIANT | CLI_O_SET | CLI_O_BASELINE |
                                    CLI_O_DASHBOARD);
    if (rc) return rc < 0 ? CLI_OK : rc;
    xp_scenario *base = load_variant(&a, a.variant);
    if (!base) return CLI_USAGE;
    size_t nv = a.variant ? 1 : xp_variant_count(base);
    cli_dash dash;
    if (cli_dash_start(&dash, &a) != CLI_OK) {
        xp_scenario_free(base);
        return CLI_USAGE;
    }
    if (dash.hub) dash_hub_expect(dash.hub, (uint32_t)nv);
    const char *out = a.out ? a.out : "results";
    char sets[4096];
    cli_args_sets_text(&a, sets, sizeof sets);
    char *paths[XP_MAX_VARIANTS];
    size_t npaths = 0;
    rc = CLI_OK;
    for (size_t i = 0; i < nv && rc == CLI_OK; i++) {
        char variant[64];
        snprintf(variant, sizeof variant, "%s", a.variant ? a.variant : xp_variant_name(base, i));
        xp_scenario *s = a.variant || xp_variant_count(base) == 1 ? base : load_variant(&a, variant);
        if (!s) {
            rc = CLI_USAGE;
            break;
        }
        uint64_t seed = a.has_seed ? a.seed : s->seed;
        char path[4096], err[2048];
        xp_result_path(path, sizeof path, out, s->name, variant, seed);
        if (xp_run_one(s, variant, seed, sets, path, isatty(STDERR_FILENO), err, sizeof err) != 0) {
            fprintf(stderr, "sparkiot: %s\n", err);
            rc = CLI_FAIL;
        } else {
            paths[npaths++] = strdup(path);
            fprintf(stderr, "wrote %s\n", path);
        }
        if (s != base) xp_scenario_free(s);
    }
    xp_scenario_free(base);
    if (rc == CLI_OK) rc = print_table(paths, npaths, a.baseline);
    for (size_t i = 0; i < npaths; i++) free(paths[i]);
    cli_dash_end(&dash);
    return rc;
}

int cli_cmd_validate(int argc, char **argv) {
    cli_args a;
    int rc = parse_one_scenario(&a, argc, argv, validate_help, CLI_O_VARIANT | CLI_O_SET);
    if (rc) return rc < 0 ? CLI_OK : rc;
    xp_scenario *s = load_variant(&a, a.variant);
    if (!s) return CLI_USAGE;
    for (size_t i = 0; i < xp_variant_count(s); i++) {
        xp_scenario *v = xp_variant_count(s) == 1 ? s : load_variant(&a, xp_variant_name(s, i));
        if (!v) {
            xp_scenario_free(s);
            return CLI_USAGE;
        }
        if (v != s) xp_scenario_free(v);
    }
    xp_scenario_describe(s, stdout);
    xp_scenario_free(s);
    return CLI_OK;
}
