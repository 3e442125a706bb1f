/* Result files: one HDF5 file per run, the end of the data flow. The writer
 * turns a run's eng_metrics plus its metadata into the documented schema
 * (docs/results.md); the reader gives back the summary for `inspect`,
 * sweeps' tables and figures. */
#ifndef AN_RESULTS_H
#define AN_RESULTS_H

#include <stddef.h>
#include <stdint.h>

#include "engine/metrics.h"

typedef struct an_meta {
    const char *scenario_name;
    const char *scenario_path;
    const char *scenario_text; /* the YAML as loaded */
    const char *variant;
    const char *overrides; /* the --set overrides, one per line ("" if none) */
    uint64_t seed;
    const char *backend; /* "simgrid" or "live" */
    const char *allocator;
    const char *cloud;
} an_meta;

/* Writes `path` atomically: into path.tmp, renamed on success, removed on
 * failure, so no partial file is ever left. Creates missing parent folders.
 * Returns 0, or -1 with a message in err. */
int an_results_write(const char *path, const an_meta *meta, const eng_metrics *m, char *err, size_t errlen);

/* What `inspect` and the tables need from a file. */
typedef struct an_run_summary {
    char scenario[64], variant[64], backend[16], allocator[32], cloud[64], version[32];
    char scenario_sha256[65]; /* of the scenario text, to detect mixed versions */
    uint64_t seed;
    eng_summary s;
    char scenario_path[256];
    char prefetch_policy[32]; /* /prefetch's policy ("": the run had no prefetch section) */
} an_run_summary;

/* Reads the summary of `path`; -1 with a message naming the file on a
 * missing, unreadable or malformed file. */
int an_results_read_summary(const char *path, an_run_summary *out, char *err, size_t errlen);

/* Rebuilds the run's latency histogram from /latency_histogram into *out;
 * -1 with a message naming the file and the missing item. */
int an_results_read_hist(const char *path, eng_hist *out, char *err, size_t errlen);

/* The same for a sync visibility histogram: edge -> cloud (/sync_histogram/up,
 * down == 0) or cloud -> edge (/sync_histogram/down). */
int an_results_read_sync_hist(const char *path, int down, eng_hist *out, char *err, size_t errlen);

/* Reads /series into a new array *rows of *n rows (the caller frees *rows;
 * NULL when there are none); -1 with a message naming the file. */
int an_results_read_series(const char *path, eng_sample **rows, size_t *n, char *err, size_t errlen);

/* Every result file (*.h5) under `dir`, recursively, sorted by path, into a
 * new array *paths of *n strings; free it with an_results_paths_free. -1
 * with a message naming the folder that cannot be read. */
int an_results_find(const char *dir, char ***paths, size_t *n, char *err, size_t errlen);
void an_results_paths_free(char **paths, size_t n);

#endif
