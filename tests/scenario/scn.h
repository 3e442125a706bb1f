/* Scenario-test helpers: run a scenario of tests/scenario/data (or of the
 * project) in its own process through the runner, and read the summary. */
#ifndef TEST_SCN_H
#define TEST_SCN_H

#include <stddef.h>

#include "analysis/results.h"
#include "experiments/scenario.h"

/* Path of `rel` under the source tree (SPARKIOT_SOURCE_DIR). */
void scn_path(char *buf, size_t len, const char *rel);
/* A fresh temporary folder for results, under $TMPDIR (else /tmp), removed
 * with its content when the test program exits. */
void scn_tmpdir(char *buf, size_t len);
/* Loads scenario `rel` with the "key=value" overrides, runs it with `seed`
 * into `out_path`, and reads its summary. Fails the test on any error. */
void scn_run(const char *rel, const char *const *sets, size_t nsets, unsigned long long seed,
             const char *out_path, an_run_summary *sum);
/* 1 if two runs' summaries are identical in every field but the wall time. */
int scn_same_summary(const eng_summary *a, const eng_summary *b);

#endif
