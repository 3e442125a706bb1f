/* sparkiot: argument dispatch to the commands. */
#include <stdio.h>
#include <string.h>

#include "cli/args.h"
#include "cli/commands.h"
#include "experiments/train_ckpt.h"

typedef struct cmd {
    const char *name;
    int (*fn)(int argc, char **argv);
    const char *summary;
} cmd;

static const cmd commands[] = {
    {"run", cli_cmd_run, "simulate a scenario (every variant, one seed) and write results"},
    {"sweep", cli_cmd_sweep, "every variant x seed of a scenario in parallel (--shard I/N), then the table"},
    {"replay", cli_cmd_replay, "drive a scenario from a recorded trace (NAB, UCI, CSV, JSON lines)"},
    {"validate", cli_cmd_validate, "check a scenario and print what it would run"},
    {"train", cli_cmd_train, "train a learning allocator (dqn, ppo) on a scenario; writes its checkpoint"},
    {"live", cli_cmd_live, "run a scenario on the wall clock against real MQTT and Kafka brokers"},
    {"inspect", cli_cmd_inspect, "print a result file's summary (--json: one JSON object)"},
    {"figures", cli_cmd_figures, "tables and gnuplot figures from a results folder"},
    {"bench", cli_cmd_bench, "benchmarks: `bench sim` (simulator speed), `bench privacy` (Paillier)"},
    {"paper", cli_cmd_paper, "regenerate the evaluation: every paper scenario, figures, tables, manifest"},
};

static void usage(FILE *f) {
    fprintf(f, "usage: sparkiot <command> [options]\n\ncommands:\n");
    for (size_t i = 0; i < sizeof commands / sizeof *commands; i++)
        fprintf(f, "  %-10s %s\n", commands[i].name, commands[i].summary);
    fprintf(f, "\nEvery command has --help. Exit codes: 0 success, 1 failure while running, 2 bad usage or "
               "input.\n");
}

int main(int argc, char **argv) {
    xp_ckpt_install();
    if (argc < 2) {
        usage(stderr);
        return CLI_USAGE;
    }
    if (!strcmp(argv[1], "--help") || !strcmp(argv[1], "-h") || !strcmp(argv[1], "help")) {
        usage(stdout);
        return CLI_OK;
    }
    if (!strcmp(argv[1], "--version")) {
        printf("sparkiot %s\n", SPARKIOT_VERSION);
        return CLI_OK;
    }
    for (size_t i = 0; i < sizeof commands / sizeof *commands; i++)
        if (!strcmp(argv[1], commands[i].name)) return commands[i].fn(argc, argv);
    fprintf(stderr, "sparkiot: unknown command '%s'\n\n", argv[1]);
    usage(stderr);
    return CLI_USAGE;
}
