/* Test fixtures for analysis/: hand-built run metrics with known numbers,
 * result files written from them into a private temporary folder. */
#ifndef TEST_AN_FIXTURE_H
#define TEST_AN_FIXTURE_H

#include <stddef.h>
#include <stdint.h>

#include "analysis/results.h"

/* A run of 100 readings: 50 at lat_a_ms and 50 at lat_b_ms, SLO 80 ms,
 * costing cost_usd, with 10 one-second samples (in = 10 * (i + 1),
 * ready = i, pending = 1, target = i + 1, 5 readings over the SLO each)
 * and 3 batches. The caller frees it with eng_metrics_free. */
eng_metrics *fx_metrics(double cost_usd, double lat_a_ms, double lat_b_ms);

/* A metadata block for scenario/variant/seed with the given scenario text. */
an_meta fx_meta(const char *scenario, const char *variant, uint64_t seed, const char *text);

/* Writes <dir>/<scenario>/<variant>/seed-<seed>.h5 for fx_metrics(cost, 10, 100)
 * and returns its path (static buffer, valid until the next call). */
const char *fx_write_run(const char *dir, const char *scenario, const char *variant, uint64_t seed,
                         double cost_usd, const char *text);

/* Writes m as <dir>/<scenario>/<variant>/seed-<seed>.h5 and returns its
 * path (static buffer, valid until the next call); m stays the caller's. */
const char *fx_write_metrics(const char *dir, const char *scenario, const char *variant, uint64_t seed,
                             const eng_metrics *m, const char *text);

/* A new empty folder under $TMPDIR, else /tmp (the name goes into buf),
 * removed with fx_rmtree. */
void fx_tmpdir(char *buf, size_t len);
void fx_rmtree(const char *dir);

/* Reads a whole file into a new NUL-terminated string (NULL if unreadable). */
char *fx_slurp(const char *path, size_t *len);

/* Fails the test unless <dir>/<name> exists and contains `needle`. */
void fx_assert_contains(const char *dir, const char *name, const char *needle);
/* Fails the test unless <dir>/<base>.png and .pdf are rendered: each starts
 * with its format's magic and is more than a header. */
void fx_assert_rendered(const char *dir, const char *base);

#endif
