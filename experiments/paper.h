/* The testbed's own evaluation, regenerated: every scenario of a paper
 * folder (the .yaml files of experiments/scenarios/paper/, in name order) is swept
 * (experiments/sweep.h), its figures and table written with its first
 * variant as the baseline (analysis/figures.h), the first scenario's table
 * copied as the headline table, and a manifest (manifest.json) ties every
 * figure and table to its scenario file, that file's SHA-256, the seeds,
 * the sparkiot version and the result files. `sparkiot paper` is a thin
 * wrapper; docs/paper.md documents the scenarios and the --quick overrides. */
#ifndef XP_PAPER_H
#define XP_PAPER_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "experiments/scenario.h"

typedef struct xp_paper_opts {
    const char *scenarios_dir; /* the folder of paper scenarios; NULL: the source tree's */
    const char *out_dir;       /* results in out_dir/results/, figures in out_dir/<file stem>/ */
    unsigned jobs;             /* simulations at once, >= 1 */
    int quick;                 /* apply each scenario's <stem>.quick overrides, at most quick_seeds seeds */
    uint32_t quick_seeds;      /* seeds per variant with quick (>= 1) */
} xp_paper_opts;

enum { XP_PAPER_BAD_INPUT = -1, XP_PAPER_FAILED = -2 };

/* Reads the key=value overrides of a .quick file (one a line, blank lines
 * and lines starting with # skipped) into sets (at most max), *n of them.
 * A missing file is no override (0, *n = 0). 0, or XP_PAPER_BAD_INPUT with
 * "file:line: message" for a line without '=' or too many lines. */
int xp_paper_quick_read(const char *path, xp_set *sets, size_t max, size_t *n, char *err, size_t errlen);

/* Runs the whole paper: for each scenario, its old results under
 * out_dir/results/<scenario name>/ are removed, the sweep runs, then the
 * figures and table go to out_dir/<file stem>/. Prints the headline table
 * (Markdown) on md and writes it to out_dir/headline.md, and writes
 * out_dir/manifest.json. Failed runs and progress go to log. Returns 0,
 * XP_PAPER_BAD_INPUT (no scenario, a scenario or .quick file rejected,
 * nothing run) or XP_PAPER_FAILED (a run, a figure or a file failed), with
 * err saying which. */
int xp_paper_run(const xp_paper_opts *o, FILE *md, FILE *log, char *err, size_t errlen);

#endif
