/* The reward-weight Pareto sweep (see train_pareto.h): train one policy per
 * weight with xp_train, then one evaluation run per (policy or baseline
 * variant, held-out seed) in child processes through the runner, then the
 * table and figures of analysis/figures.h over exactly those result files
 * (the scenario's old results in the output folder are removed first). */
#define _XOPEN_SOURCE 700
#include "experiments/train_pareto.h"

#include <ftw.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "analysis/figures.h"
#include "experiments/runner.h"

int xp_pareto_parse_weights(const char *list, double *w, size_t max, size_t *n, char *err, size_t errlen) {
    *n = 0;
    for (const char *p = list;; p++) {
        const char *end = strchr(p, ',');
        size_t len = end ? (size_t)(end - p) : strlen(p);
        char item[64], *stop;
        snprintf(item, sizeof item, "%.*s", (int)(len < sizeof item - 1 ? len : sizeof item - 1), p);
        double v = strtod(item, &stop);
        const char *bad = NULL;
        if (!len || len >= sizeof item || *stop || stop == item)
            bad = "is not a number";
        else if (!isfinite(v) || v < 0)
            bad = "must be a finite number >= 0";
        else if (*n == max)
            bad = "is one weight too many";
        for (size_t k = 0; !bad && k < *n; k++)
            if (w[k] == v) bad = "repeats an earlier weight";
        if (bad) {
            snprintf(err, errlen,
                     "--pareto: weight %zu ('%.*s') %s (expected reward_slo values like 1,10,100%s)", *n + 1,
                     (int)len, p, bad, *n == max ? ", at most 16" : "");
            return XP_TRAIN_EINPUT;
        }
        w[(*n)++] = v;
        if (!end) return 0;
        p = end;
    }
}

void xp_pareto_variant(char *buf, size_t len, xp_train_algo algo, double w) {
    snprintf(buf, len, "pareto-%s-slo%g", algo == XP_TRAIN_DQN ? "dqn" : "ppo", w);
}

/* One evaluation run. */
typedef struct eval_run {
    const xp_scenario *s;
    const char *variant;
    uint64_t seed;
} eval_run;

typedef struct pareto {
    const xp_pareto_opts *o;
    xp_scenario *scen[XP_MAX_VARIANTS + XP_PARETO_MAX_WEIGHTS]; /* baselines, then the policies */
    char names[XP_MAX_VARIANTS + XP_PARETO_MAX_WEIGHTS][64];
    size_t nscen;
    char dir[4096]; /* out_dir/results */
} pareto;

static int rm_entry(const char *path, const struct stat *st, int flag, struct FTW *f) { return remove(path); }

/* The scenario with the sweep's sets plus `extra`; NULL with a message. */
static xp_scenario *load(const pareto *p, const char *variant, const xp_set *extra, size_t nextra, char *err,
                         size_t errlen) {
    const xp_train_opts *t = &p->o->train;
    xp_set sets[XP_MAX_SETS];
    if (t->nsets) memcpy(sets, t->sets, t->nsets * sizeof *sets);
    if (nextra) memcpy(sets + t->nsets, extra, nextra * sizeof *sets);
    return xp_scenario_load(t->scenario, variant, sets, t->nsets + nextra, err, errlen);
}

static int learning(const char *name) { return !strcmp(name, "dqn") || !strcmp(name, "ppo"); }

/* The allocator a variant of base runs, from the overrides alone (a
 * learned variant is skipped unloaded: its checkpoint may not exist). */
static const char *allocator_of(const pareto *p, const xp_scenario *base, size_t i) {
    const char *name = base->alloc.name;
    const xp_variant *v = base->nvariants ? &base->variants[i] : NULL;
    for (size_t k = 0; v && k < v->nsets; k++)
        if (!strcmp(v->sets[k].key, "allocator.name")) name = v->sets[k].value;
    for (size_t k = 0; k < p->o->train.nsets; k++)
        if (!strcmp(p->o->train.sets[k].key, "allocator.name")) name = p->o->train.sets[k].value;
    return name;
}

/* Loads every baseline variant of the scenario; XP_TRAIN_EINPUT on error. */
static int load_baselines(pareto *p, char *err, size_t errlen) {
    xp_scenario *base = load(p, NULL, NULL, 0, err, errlen);
    if (!base) return XP_TRAIN_EINPUT;
    int rc = 0;
    for (size_t i = 0; i < xp_variant_count(base) && rc == 0; i++) {
        const char *name = xp_variant_name(base, i);
        if (learning(allocator_of(p, base, i))) continue;
        xp_scenario *s = load(p, base->nvariants ? name : NULL, NULL, 0, err, errlen);
        if (!s) {
            rc = XP_TRAIN_EINPUT;
        } else {
            snprintf(p->names[p->nscen], sizeof p->names[0], "%s", name);
            p->scen[p->nscen++] = s;
        }
    }
    snprintf(p->dir, sizeof p->dir, "%s/results/%s", p->o->out_dir, base->name);
    xp_scenario_free(base);
    return rc;
}

/* Trains the policy of weight w into out_dir/checkpoints/<variant>.h5 and
 * loads the scenario that runs it. */
static int train_one(pareto *p, double w, FILE *log, char *err, size_t errlen) {
    const xp_pareto_opts *o = p->o;
    char *name = p->names[p->nscen], ckpt[4200];
    xp_pareto_variant(name, sizeof p->names[0], o->train.algo, w);
    snprintf(ckpt, sizeof ckpt, "%s/checkpoints/%s.h5", o->out_dir, name);
    xp_set sets[XP_MAX_SETS];
    if (o->train.nsets) memcpy(sets, o->train.sets, o->train.nsets * sizeof *sets);
    sets[o->train.nsets] = (xp_set){.key = "allocator.reward_slo"};
    snprintf(sets[o->train.nsets].value, sizeof sets[0].value, "%.17g", w);
    xp_train_opts t = o->train;
    t.sets = sets;
    t.nsets = o->train.nsets + 1;
    t.out = ckpt;
    fprintf(log, "pareto: training %s (%u episodes)\n", name, t.episodes);
    int rc = xp_train(&t, err, errlen);
    if (rc != 0) return rc;
    xp_set run[3] = {sets[o->train.nsets], {.key = "allocator.name"}, {.key = "allocator.checkpoint"}};
    snprintf(run[1].value, sizeof run[1].value, "%s", o->train.algo == XP_TRAIN_DQN ? "dqn" : "ppo");
    if (strlen(ckpt) >= sizeof run[2].value) {
        snprintf(err, errlen, "pareto: checkpoint path %s is too long for a --set value", ckpt);
        return XP_TRAIN_EINPUT;
    }
    memcpy(run[2].value, ckpt, strlen(ckpt) + 1);
    if (!(p->scen[p->nscen] = load(p, o->train.variant, run, 3, err, errlen))) return -1;
    p->nscen++;
    return 0;
}

/* Runs every (scenario, seed), at most jobs at once; -1 if any failed. */
static int evaluate(pareto *p, FILE *log, char *err, size_t errlen) {
    const xp_pareto_opts *o = p->o;
    unsigned jobs = o->train.jobs ? o->train.jobs : 1;
    size_t n = 0, next = 0, running = 0, failed = 0;
    eval_run *runs = NULL;
    xp_child *kids = calloc(jobs, sizeof *kids);
    for (size_t i = 0; kids && i < p->nscen; i++) {
        uint32_t seeds = o->eval_seeds ? o->eval_seeds : p->scen[i]->seeds;
        eval_run *r = realloc(runs, (n + seeds) * sizeof *runs);
        if (!r) break;
        runs = r;
        for (uint32_t k = 0; k < seeds; k++)
            runs[n++] = (eval_run){p->scen[i], p->names[i], p->scen[i]->seed + k};
    }
    if (!kids || !runs) {
        free(kids);
        free(runs);
        snprintf(err, errlen, "pareto: out of memory");
        return -1;
    }
    fprintf(log, "pareto: %zu evaluation runs on held-out seeds\n", n);
    while (next < n || running) {
        for (unsigned k = 0; k < jobs && next < n; k++) {
            if (kids[k].pid) continue;
            const eval_run *r = &runs[next++];
            char path[4200];
            snprintf(path, sizeof path, "%s/%s/seed-%llu.h5", p->dir, r->variant,
                     (unsigned long long)r->seed);
            if (xp_run_start(r->s, r->variant, r->seed, o->overrides, path, 0, &kids[k], err, errlen) != 0) {
                fprintf(log, "pareto: %s\n", err);
                failed++;
                continue;
            }
            running++;
        }
        if (!running) continue;
        int rc;
        int k = xp_run_reap(kids, jobs, &rc, err, errlen);
        if (k < 0) continue;
        if (rc != 0) {
            fprintf(log, "pareto: %s: %s\n", kids[k].label, err);
            failed++;
        }
        running--;
    }
    free(kids);
    free(runs);
    if (failed) snprintf(err, errlen, "pareto: %zu of %zu evaluation runs failed", failed, n);
    return failed ? -1 : 0;
}

int xp_pareto_run(const xp_pareto_opts *o, FILE *log, char *err, size_t errlen) {
    pareto *p = calloc(1, sizeof *p);
    if (!p) {
        snprintf(err, errlen, "pareto: out of memory");
        return -1;
    }
    p->o = o;
    int rc = 0;
    if (o->train.nsets + 3 > XP_MAX_SETS) { /* + reward_slo, allocator.name and .checkpoint */
        snprintf(err, errlen, "at most %d --set options with --pareto", XP_MAX_SETS - 3);
        rc = XP_TRAIN_EINPUT;
    }
    if (rc == 0) rc = load_baselines(p, err, errlen);
    if (rc == 0 && p->nscen == 0) {
        snprintf(err, errlen, "pareto: %s has no baseline variant (every variant learns)", o->train.scenario);
        rc = XP_TRAIN_EINPUT;
    }
    size_t nbase = p->nscen;
    for (size_t i = 0; rc == 0 && i < o->nweights; i++) rc = train_one(p, o->weights[i], log, err, errlen);
    if (rc == 0) {
        nftw(p->dir, rm_entry, 16, FTW_DEPTH | FTW_PHYS);
        rc = evaluate(p, log, err, errlen);
    }
    if (rc == 0) {
        char figs[4200];
        snprintf(figs, sizeof figs, "%s/figures", o->out_dir);
        rc = an_figures_write(p->dir, figs, p->names[0], err, errlen);
        if (rc == 0)
            fprintf(log, "pareto: wrote %s (pareto.dat: %zu policies, %zu baselines)\n", figs, o->nweights,
                    nbase);
    }
    for (size_t i = 0; i < p->nscen; i++) xp_scenario_free(p->scen[i]);
    free(p);
    return rc;
}
