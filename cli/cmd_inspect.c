/* `sparkiot inspect` and `sparkiot figures`: read result files. */
#include <stdio.h>

#include "analysis/figures.h"
#include "analysis/inspect.h"
#include "cli/args.h"
#include "cli/commands.h"

static const char *inspect_help = "usage: sparkiot inspect FILE.h5 [--json]\n"
                                  "Prints the run's summary; --json prints one JSON object.\n";

static const char *figures_help =
    "usage: sparkiot figures RESULTS_DIR [--out DIR] [--baseline VARIANT]\n"
    "Reads every result file under RESULTS_DIR and writes the summary table (table.md, table.csv) and\n"
    "gnuplot figures (PNG and PDF, each with its data file and caption) into DIR (default "
    "RESULTS_DIR/figures).\n";

int cli_cmd_inspect(int argc, char **argv) {
    cli_args a;
    int rc = cli_args_parse(&a, argc, argv, 2);
    if (!rc) rc = cli_args_only(&a, "inspect", CLI_O_JSON);
    if (rc) return rc;
    if (a.help) {
        fputs(inspect_help, stdout);
        return CLI_OK;
    }
    if (a.npos != 1) {
        fputs(inspect_help, stderr);
        return CLI_USAGE;
    }
    char err[1024];
    if (an_inspect_print(a.pos[0], a.json, stdout, err, sizeof err) != 0) {
        fprintf(stderr, "sparkiot: %s\n", err);
        return CLI_USAGE;
    }
    return CLI_OK;
}

int cli_cmd_figures(int argc, char **argv) {
    cli_args a;
    int rc = cli_args_parse(&a, argc, argv, 2);
    if (!rc) rc = cli_args_only(&a, "figures", CLI_O_OUT | CLI_O_BASELINE);
    if (rc) return rc;
    if (a.help) {
        fputs(figures_help, stdout);
        return CLI_OK;
    }
    if (a.npos != 1) {
        fputs(figures_help, stderr);
        return CLI_USAGE;
    }
    char out[4096], err[2048];
    snprintf(out, sizeof out, "%s", a.out ? a.out : "");
    if (!a.out) snprintf(out, sizeof out, "%s/figures", a.pos[0]);
    if (an_figures_write(a.pos[0], out, a.baseline, err, sizeof err) != 0) {
        fprintf(stderr, "sparkiot: %s\n", err);
        return CLI_FAIL;
    }
    fprintf(stderr, "wrote figures and tables to %s\n", out);
    return CLI_OK;
}
