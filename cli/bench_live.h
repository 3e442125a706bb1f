/* `sparkiot bench live`: the live pipeline's throughput against the raw
 * ceiling of its two brokers measured in the same run, and its latency at
 * half that ceiling (definitions in the usage text and docs/live.md). */
#ifndef CLI_BENCH_LIVE_H
#define CLI_BENCH_LIVE_H

#include "cli/args.h"

/* Usage text of `bench live`, for `bench --help`. */
extern const char *cli_bench_live_help;

/* Runs the benchmark on tests/live/data/bench_live.yaml (--quick: a
 * smaller load; --set applies to the scenario) and prints its figures.
 * Returns a process exit code. */
int cli_bench_live(const cli_args *a);

#endif
