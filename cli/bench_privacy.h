/* `sparkiot bench privacy`: the cost of the Paillier primitives
 * (engine/privacy/paillier.h) at deployment key sizes. */
#ifndef CLI_BENCH_PRIVACY_H
#define CLI_BENCH_PRIVACY_H

#include <stddef.h>
#include <stdint.h>

#include "cli/args.h"
#include "engine/privacy/rng.h"

/* Usage text of `bench privacy`, for `bench --help`. */
extern const char *cli_bench_privacy_help;

/* Runs the benchmark with the parsed options (--quick, --seed) and prints
 * one line per key size. Returns a process exit code. */
int cli_bench_privacy(const cli_args *a);

/* What the benchmark measured at one key size: operations per CPU-second. */
typedef struct cli_priv_rates {
    uint32_t bits;
    double keygen_s, enc, enc_pre, dec, add, encode;
    size_t ct_bytes; /* a serialised ciphertext (eng_priv_pai_ct_size) */
} cli_priv_rates;
#define CLI_PRIV_SIZES 2 /* 2048 and 3072 bits */

/* This process's CPU time in seconds. */
double cli_bench_privacy_cpu_now(void);
/* Times the other privacy operations (each over at least min_s CPU
 * seconds) and writes the calibration file `path` (bench_privacy_cal.c):
 * every per-operation CPU cost in seconds, the date, the machine and the
 * command. Returns a process exit code. */
int cli_bench_privacy_calibrate(const char *path, const cli_priv_rates rates[CLI_PRIV_SIZES], double min_s,
                                eng_priv_rng *rng);

#endif
