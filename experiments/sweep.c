/* Sweeps (sweep.h): plan the variant x seed runs of one shard, keep up to
 * `jobs` child processes running them, report each failure as it happens,
 * then summarise everything the output folder holds for the scenario. */
#include "experiments/sweep.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "analysis/results.h"
#include "analysis/table.h"
#include "experiments/runner.h"

int xp_sweep_plan(size_t variants, uint64_t first_seed, uint32_t seeds, unsigned shard, unsigned shards,
                  xp_sweep_item **runs, size_t *n) {
    size_t total = variants * seeds;
    *runs = malloc((total ? total : 1) * sizeof **runs);
    *n = 0;
    if (!*runs) return -1;
    for (size_t i = 0; i < total; i++)
        if (i % shards == shard - 1)
            (*runs)[(*n)++] = (xp_sweep_item){i, i % variants, first_seed + i / variants};
    return 0;
}

typedef struct sweep {
    const xp_sweep_opts *o;
    xp_scenario *base;
    xp_scenario **vars; /* one per variant, its overrides applied */
    size_t nvars;
    FILE *log;
    size_t done, failed, total;
} sweep;

static void draw(const sweep *w) {
    if (!w->o->progress || w->total == 0) return;
    fprintf(w->log, "\r%s: %zu/%zu runs done, %zu failed", w->base->name, w->done, w->total, w->failed);
    if (w->done == w->total) fputc('\n', w->log);
    fflush(w->log);
}

static void report(sweep *w, const char *label, const char *msg) {
    w->failed++;
    fprintf(w->log, "%ssparkiot: run %s failed: %s\n", w->o->progress ? "\r\033[K" : "", label, msg);
}

static int load(sweep *w, char *err, size_t errlen) {
    const xp_sweep_opts *o = w->o;
    w->base = xp_scenario_load(o->scenario, NULL, o->sets, o->nsets, err, errlen);
    if (!w->base) return -1;
    w->nvars = xp_variant_count(w->base);
    w->vars = calloc(w->nvars, sizeof *w->vars);
    if (!w->vars) {
        snprintf(err, errlen, "out of memory");
        return -1;
    }
    for (size_t v = 0; v < w->nvars; v++) {
        const char *name = w->base->nvariants ? xp_variant_name(w->base, v) : NULL;
        w->vars[v] = xp_scenario_load(o->scenario, name, o->sets, o->nsets, err, errlen);
        if (!w->vars[v]) return -1;
    }
    if (!o->baseline) return 0;
    for (size_t v = 0; v < w->nvars; v++)
        if (!strcmp(o->baseline, xp_variant_name(w->base, v))) return 0;
    size_t off = (size_t)snprintf(
        err, errlen, "--baseline: '%s' is not a variant of %s (variants:", o->baseline, w->base->name);
    for (size_t v = 0; v < w->nvars && off < errlen; v++)
        off += (size_t)snprintf(err + off, errlen - off, "%s %s", v ? "," : "", xp_variant_name(w->base, v));
    if (off < errlen) snprintf(err + off, errlen - off, ")");
    return -1;
}

static void unload(sweep *w) {
    for (size_t v = 0; w->vars && v < w->nvars; v++) xp_scenario_free(w->vars[v]);
    free(w->vars);
    xp_scenario_free(w->base);
}

/* Starts run r in slot c; a failure to start counts as a failed run. */
static int start(sweep *w, const xp_sweep_item *r, xp_child *c) {
    const xp_scenario *s = w->vars[r->variant];
    const char *variant = xp_variant_name(w->base, r->variant);
    char path[4096], err[2048];
    xp_result_path(path, sizeof path, w->o->out_dir, s->name, variant, r->seed);
    if (xp_run_start(s, variant, r->seed, w->o->overrides, path, 0, c, err, sizeof err) == 0) return 0;
    report(w, c->label, err);
    w->done++;
    draw(w);
    return -1;
}

/* Runs this shard's runs, at most jobs at once. */
static void run_all(sweep *w, const xp_sweep_item *runs, size_t n) {
    unsigned jobs = w->o->jobs;
    xp_child *kids = calloc(jobs, sizeof *kids);
    if (!kids) abort();
    size_t next = 0, running = 0;
    draw(w);
    while (next < n || running > 0) {
        for (unsigned k = 0; k < jobs && next < n; k++)
            if (kids[k].pid == 0 && start(w, &runs[next++], &kids[k]) == 0) running++;
        if (running == 0) continue;
        char err[2048];
        int rc;
        int k = xp_run_reap(kids, jobs, &rc, err, sizeof err);
        if (k < 0) continue;
        if (rc != 0) report(w, kids[k].label, err);
        running--;
        w->done++;
        draw(w);
    }
    free(kids);
}

static int write_file(const char *dir, const char *name, const an_table *t, int csv, char *err,
                      size_t errlen) {
    char path[4200];
    snprintf(path, sizeof path, "%s/%s", dir, name);
    FILE *f = fopen(path, "w");
    int rc = f ? (csv ? an_table_write_csv(t, f) : an_table_write_md(t, f)) : -1;
    if (f && fclose(f) != 0) rc = -1;
    if (rc != 0) snprintf(err, errlen, "cannot write %s: %s", path, strerror(errno));
    return rc;
}

/* The table over every result of the scenario under out_dir. */
static int table(const sweep *w, FILE *md, char *err, size_t errlen) {
    char dir[4096];
    snprintf(dir, sizeof dir, "%s/%s", w->o->out_dir, w->base->name);
    char **paths = NULL;
    size_t n = 0;
    if (an_results_find(dir, &paths, &n, err, errlen) != 0) return -1;
    an_table *t = NULL;
    const char *baseline = w->o->baseline ? w->o->baseline : xp_variant_name(w->base, 0);
    int rc = an_table_build((const char *const *)paths, n, baseline, &t, err, errlen);
    an_results_paths_free(paths, n);
    if (rc != 0) return -1;
    if (an_table_write_md(t, md) != 0) {
        snprintf(err, errlen, "cannot write the table: %s", strerror(errno));
        rc = -1;
    }
    if (rc == 0) rc = write_file(dir, "table.md", t, 0, err, errlen);
    if (rc == 0) rc = write_file(dir, "table.csv", t, 1, err, errlen);
    an_table_free(t);
    return rc;
}

int xp_sweep_run(const xp_sweep_opts *o, FILE *md, FILE *log, char *err, size_t errlen) {
    sweep w = {.o = o, .log = log};
    xp_sweep_item *runs = NULL;
    size_t n = 0;
    if (load(&w, err, errlen) != 0) {
        unload(&w);
        return XP_SWEEP_BAD_INPUT;
    }
    uint32_t seeds = o->seed_count ? o->seed_count : w.base->seeds;
    if (xp_sweep_plan(w.nvars, w.base->seed, seeds, o->shard, o->shards, &runs, &n) != 0) abort();
    w.total = n;
    run_all(&w, runs, n);
    free(runs);
    int rc = 0;
    if (n == 0)
        fprintf(log, "sparkiot: shard %u/%u has no runs (the sweep has %zu)\n", o->shard, o->shards,
                w.nvars * seeds);
    else if (table(&w, md, err, errlen) != 0)
        rc = XP_SWEEP_FAILED;
    else if (w.failed)
        snprintf(err, errlen, "%zu of %zu runs failed", w.failed, w.total), rc = XP_SWEEP_FAILED;
    unload(&w);
    return rc;
}
