/* Command-line options shared by the commands that run scenarios: --seed,
 * --out, repeatable --set key.path=value, --variant, --dashboard, and
 * positional arguments. Parsing only; the commands act on the result. */
#ifndef CLI_ARGS_H
#define CLI_ARGS_H

#include <stddef.h>
#include <stdint.h>

#include "experiments/scenario.h"

#define CLI_MAX_POS 8

enum { CLI_OK = 0, CLI_FAIL = 1, CLI_USAGE = 2 };

/* The options cli_args_parse reads, as bits of cli_args.given. */
enum {
    CLI_O_JSON = 1u << 0,
    CLI_O_QUICK = 1u << 1,
    CLI_O_SEED = 1u << 2,
    CLI_O_JOBS = 1u << 3,
    CLI_O_OUT = 1u << 4,
    CLI_O_VARIANT = 1u << 5,
    CLI_O_SHARD = 1u << 6,
    CLI_O_BASELINE = 1u << 7,
    CLI_O_DASHBOARD = 1u << 8, /* and --dashboard-exit */
    CLI_O_SET = 1u << 9,
};

typedef struct cli_args {
    const char *pos[CLI_MAX_POS];
    size_t npos;
    int has_seed;
    uint64_t seed;
    const char *out;
    const char *variant;
    xp_set sets[XP_MAX_SETS];
    size_t nsets;
    int json, help, quick;
    int jobs;
    const char *shard;
    const char *baseline;
    int dashboard;              /* --dashboard given (with or without a value) */
    const char *dashboard_addr; /* its [HOST:]PORT, NULL for the default */
    int dashboard_exit;         /* --dashboard-exit */
    unsigned given;             /* CLI_O_* of the options given */
} cli_args;

/* Parses argv[first..argc). Unknown options and malformed values print a
 * message naming the option and return CLI_USAGE. */
int cli_args_parse(cli_args *a, int argc, char **argv, int first);
/* CLI_OK if every option given is in `allowed` (CLI_O_* bits); else prints
 * "sparkiot CMD: OPTION is not an option of this command" and returns
 * CLI_USAGE. --help is always allowed. */
int cli_args_only(const cli_args *a, const char *cmd, unsigned allowed);
/* The --set overrides as text, one per line (for result metadata). */
void cli_args_sets_text(const cli_args *a, char *buf, size_t len);

#endif
