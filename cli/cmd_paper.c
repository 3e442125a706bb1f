/* `sparkiot paper`: regenerates the testbed's evaluation from the paper
 * scenarios (experiments/paper.h). Parsing only. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli/args.h"
#include "cli/commands.h"
#include "experiments/paper.h"

static const char *paper_help =
    "usage: sparkiot paper [--quick] [--out DIR] [-j N] [--scenarios DIR]\n"
    "Sweeps every scenario of experiments/scenarios/paper/ (or --scenarios DIR) in file-name order, writes\n"
    "each one's figures and table into DIR/<file stem>/ (DIR defaults to paper; results in DIR/results/),\n"
    "the first scenario's table as DIR/headline.md (also printed), and DIR/manifest.json tracing every\n"
    "figure and table to its scenario file, SHA-256, seeds, sparkiot version and result files. --quick\n"
    "runs 2 seeds and applies each scenario's <stem>.quick overrides (shorter runs). -j N: simulations at\n"
    "once (default: the number of CPUs). Exit 0, 1 if a run or figure failed, 2 on bad input.\n";

static int usage_error(const char *msg, const char *opt) {
    fprintf(stderr, "sparkiot: %s%s\n", msg, opt);
    return CLI_USAGE;
}

int cli_cmd_paper(int argc, char **argv) {
    long cpus = sysconf(_SC_NPROCESSORS_ONLN);
    xp_paper_opts o = {.out_dir = "paper", .jobs = cpus > 0 ? (unsigned)cpus : 1, .quick_seeds = 2};
    for (int i = 2; i < argc; i++) {
        const char *a = argv[i], *v = i + 1 < argc ? argv[i + 1] : NULL;
        if (!strcmp(a, "--help") || !strcmp(a, "-h")) {
            fputs(paper_help, stdout);
            return CLI_OK;
        } else if (!strcmp(a, "--quick")) {
            o.quick = 1;
        } else if (!strcmp(a, "--out") || !strcmp(a, "--scenarios")) {
            if (!v || !*v) return usage_error("expected a folder after ", a);
            *(!strcmp(a, "--out") ? &o.out_dir : &o.scenarios_dir) = v;
            i++;
        } else if (!strcmp(a, "-j") || !strcmp(a, "--jobs")) {
            char *end = NULL;
            long j = v ? strtol(v, &end, 10) : 0;
            if (!v || !*v || *end || j < 1 || j > 256) return usage_error("expected 1..256 after ", a);
            o.jobs = (unsigned)j;
            i++;
        } else {
            fputs(paper_help, stderr);
            return usage_error("unknown option ", a);
        }
    }
    char err[2048];
    int rc = xp_paper_run(&o, stdout, stderr, err, sizeof err);
    if (rc == 0) return CLI_OK;
    fprintf(stderr, "sparkiot: %s\n", err);
    return rc == XP_PAPER_BAD_INPUT ? CLI_USAGE : CLI_FAIL;
}
