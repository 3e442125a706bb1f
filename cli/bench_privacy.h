/* `sparkiot bench privacy`: the cost of the Paillier primitives
 * (engine/privacy/paillier.h) at deployment key sizes. */
#ifndef CLI_BENCH_PRIVACY_H
#define CLI_BENCH_PRIVACY_H

#include "cli/args.h"

/* Usage text of `bench privacy`, for `bench --help`. */
extern const char *cli_bench_privacy_help;

/* Runs the benchmark with the parsed options (--quick, --seed) and prints
 * one line per key size. Returns a process exit code. */
int cli_bench_privacy(const cli_args *a);

#endif
