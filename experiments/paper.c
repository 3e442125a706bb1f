/* `sparkiot paper`'s work (experiments/paper.h): the paper folder's
 * scenarios one after another through the sweep, then figures, the
 * headline table and the manifest that traces each output to its inputs. */
#include "experiments/paper.h"

#include <dirent.h>
#include <errno.h>
#include <jansson.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "analysis/figures.h"
#include "analysis/files.h"
#include "analysis/results.h"
#include "analysis/sha256.h"
#include "experiments/sweep.h"

#define PAPER_PATH 4096

int xp_paper_quick_read(const char *path, xp_set *sets, size_t max, size_t *n, char *err, size_t errlen) {
    *n = 0;
    FILE *f = fopen(path, "r");
    if (!f) return 0;
    char line[512];
    int rc = 0;
    for (unsigned ln = 1; rc == 0 && fgets(line, sizeof line, f); ln++) {
        line[strcspn(line, "\r\n")] = '\0';
        const char *s = line + strspn(line, " \t");
        if (!*s || *s == '#') continue;
        const char *eq = strchr(s, '=');
        size_t klen = eq ? (size_t)(eq - s) : 0;
        if (!eq || klen == 0 || klen >= sizeof sets->key || strlen(eq + 1) >= sizeof sets->value) {
            snprintf(err, errlen, "%s:%u: expected key.path=value", path, ln);
            rc = XP_PAPER_BAD_INPUT;
        } else if (*n == max) {
            snprintf(err, errlen, "%s:%u: more than %zu overrides", path, ln, max);
            rc = XP_PAPER_BAD_INPUT;
        } else {
            memcpy(sets[*n].key, s, klen);
            sets[*n].key[klen] = '\0';
            snprintf(sets[*n].value, sizeof sets[*n].value, "%s", eq + 1);
            (*n)++;
        }
    }
    fclose(f);
    return rc;
}

/* One scenario of the paper, as planned before anything runs. */
typedef struct paper_item {
    char path[PAPER_PATH], stem[256], name[64], baseline[64], sha256[65];
    uint64_t seed;
    uint32_t seeds;
    xp_set sets[XP_MAX_SETS];
    size_t nsets;
    char overrides[4096];
} paper_item;

static int yaml_file(const struct dirent *d) {
    size_t n = strlen(d->d_name);
    return d->d_name[0] != '.' && n > 5 && !strcmp(d->d_name + n - 5, ".yaml");
}

static int file_sha256(const char *path, char out[65], char *err, size_t errlen) {
    FILE *f = fopen(path, "rb");
    char *buf = NULL;
    long len = -1;
    if (f && fseek(f, 0, SEEK_END) == 0 && (len = ftell(f)) >= 0 && fseek(f, 0, SEEK_SET) == 0)
        buf = malloc((size_t)len + 1);
    int ok = buf && fread(buf, 1, (size_t)len, f) == (size_t)len;
    if (ok)
        an_sha256_hex(buf, (size_t)len, out);
    else
        snprintf(err, errlen, "%s: cannot read: %s", path, strerror(errno));
    free(buf);
    if (f) fclose(f);
    return ok ? 0 : XP_PAPER_BAD_INPUT;
}

/* Reads the scenario, its hash and its .quick overrides into it. */
static int plan_item(const xp_paper_opts *o, const char *file, paper_item *it, char *err, size_t errlen) {
    snprintf(it->path, sizeof it->path, "%s/%s", o->scenarios_dir, file);
    snprintf(it->stem, sizeof it->stem, "%.*s", (int)(strlen(file) - 5), file);
    if (o->quick) {
        char q[PAPER_PATH + 300];
        snprintf(q, sizeof q, "%s/%s.quick", o->scenarios_dir, it->stem);
        int rc = xp_paper_quick_read(q, it->sets, XP_MAX_SETS, &it->nsets, err, errlen);
        if (rc != 0) return rc;
    }
    size_t used = 0;
    it->overrides[0] = '\0';
    for (size_t i = 0; i < it->nsets && used < sizeof it->overrides; i++)
        used += (size_t)snprintf(it->overrides + used, sizeof it->overrides - used, "%s=%s\n",
                                 it->sets[i].key, it->sets[i].value);
    if (file_sha256(it->path, it->sha256, err, errlen) != 0) return XP_PAPER_BAD_INPUT;
    xp_scenario *s = xp_scenario_load(it->path, NULL, it->sets, it->nsets, err, errlen);
    if (!s) return XP_PAPER_BAD_INPUT;
    snprintf(it->name, sizeof it->name, "%s", s->name);
    snprintf(it->baseline, sizeof it->baseline, "%s", xp_variant_name(s, 0));
    it->seed = s->seed;
    it->seeds = o->quick && s->seeds > o->quick_seeds ? o->quick_seeds : s->seeds;
    xp_scenario_free(s);
    return 0;
}

static int plan(const xp_paper_opts *o, paper_item **items, size_t *n, char *err, size_t errlen) {
    struct dirent **names = NULL;
    int count = scandir(o->scenarios_dir, &names, yaml_file, alphasort);
    if (count < 0) {
        snprintf(err, errlen, "%s: cannot read the folder: %s", o->scenarios_dir, strerror(errno));
        return XP_PAPER_BAD_INPUT;
    }
    int rc = 0;
    if (count == 0) {
        snprintf(err, errlen, "%s: no *.yaml scenario", o->scenarios_dir);
        rc = XP_PAPER_BAD_INPUT;
    }
    *items = calloc(count > 0 ? (size_t)count : 1, sizeof **items);
    *n = (size_t)(count > 0 ? count : 0);
    for (int i = 0; i < count; i++) {
        if (rc == 0 && !*items) {
            snprintf(err, errlen, "out of memory");
            rc = XP_PAPER_FAILED;
        }
        if (rc == 0) rc = plan_item(o, names[i]->d_name, &(*items)[i], err, errlen);
        free(names[i]);
    }
    free(names);
    return rc;
}

/* Removes the tree at path (a missing one is no error). */
static void remove_tree(const char *path) {
    struct stat st;
    if (lstat(path, &st) != 0) return;
    DIR *d = S_ISDIR(st.st_mode) ? opendir(path) : NULL;
    struct dirent *e;
    while (d && (e = readdir(d)) != NULL) {
        if (!strcmp(e->d_name, ".") || !strcmp(e->d_name, "..")) continue;
        char p[PAPER_PATH];
        snprintf(p, sizeof p, "%s/%s", path, e->d_name);
        remove_tree(p);
    }
    if (d) closedir(d);
    remove(path);
}

/* The outputs of one scenario (figures and tables) under dir, recursively. */
static int list_outputs(const char *dir, json_t *paths) {
    DIR *d = opendir(dir);
    if (!d) return -1;
    struct dirent *e;
    while ((e = readdir(d)) != NULL) {
        if (e->d_name[0] == '.') continue;
        char p[PAPER_PATH];
        snprintf(p, sizeof p, "%s/%s", dir, e->d_name);
        const char *dot = strrchr(e->d_name, '.');
        struct stat st;
        if (stat(p, &st) != 0) continue;
        if (S_ISDIR(st.st_mode))
            list_outputs(p, paths);
        else if (dot && (!strcmp(dot, ".png") || !strcmp(dot, ".pdf") || !strcmp(dot, ".md") ||
                         !strcmp(dot, ".csv")))
            json_array_append_new(paths, json_string(p));
    }
    closedir(d);
    return 0;
}

/* Manifest entries for every figure and table of one scenario. */
static int manifest_item(const paper_item *it, const char *fig_dir, const char *res_dir, json_t *entries,
                         char *err, size_t errlen) {
    char **results = NULL;
    size_t nres = 0;
    if (an_results_find(res_dir, &results, &nres, err, errlen) != 0) return XP_PAPER_FAILED;
    json_t *res = json_array(), *seeds = json_array(), *outs = json_array();
    for (size_t i = 0; i < nres; i++) json_array_append_new(res, json_string(results[i]));
    an_results_paths_free(results, nres);
    for (uint32_t k = 0; k < it->seeds; k++)
        json_array_append_new(seeds, json_integer((json_int_t)(it->seed + k)));
    list_outputs(fig_dir, outs);
    size_t i;
    json_t *out;
    json_array_foreach(outs, i, out) {
        const char *p = json_string_value(out);
        const char *dot = strrchr(p, '.');
        json_array_append_new(
            entries, json_pack("{s:s, s:s, s:s, s:s, s:s, s:O, s:s, s:s, s:s, s:O}", "file", p, "kind",
                               !strcmp(dot, ".png") || !strcmp(dot, ".pdf") ? "figure" : "table", "scenario",
                               it->path, "scenario_sha256", it->sha256, "scenario_name", it->name, "seeds",
                               seeds, "baseline", it->baseline, "overrides", it->overrides,
                               "sparkiot_version", SPARKIOT_VERSION, "results", res));
    }
    json_decref(res), json_decref(seeds), json_decref(outs);
    return 0;
}

static int copy_file(const char *from, const char *to, FILE *also, char *err, size_t errlen) {
    FILE *in = fopen(from, "r"), *out = in ? fopen(to, "w") : NULL;
    char buf[8192];
    size_t got;
    int ok = out != NULL;
    while (ok && (got = fread(buf, 1, sizeof buf, in)) > 0)
        ok = fwrite(buf, 1, got, out) == got && (!also || fwrite(buf, 1, got, also) == got);
    if (out && fclose(out) != 0) ok = 0;
    if (in) fclose(in);
    if (!ok) snprintf(err, errlen, "cannot copy %s to %s", from, to);
    return ok ? 0 : XP_PAPER_FAILED;
}

/* Sweeps one scenario, then writes its figures and manifest entries. */
static int run_item(const xp_paper_opts *o, const paper_item *it, FILE *devnull, FILE *log, json_t *entries,
                    char *err, size_t errlen) {
    char results[PAPER_PATH], res_dir[PAPER_PATH + 80], fig_dir[PAPER_PATH + 300];
    snprintf(results, sizeof results, "%s/results", o->out_dir);
    snprintf(res_dir, sizeof res_dir, "%s/%s", results, it->name);
    snprintf(fig_dir, sizeof fig_dir, "%s/%s", o->out_dir, it->stem);
    remove_tree(res_dir);
    remove_tree(fig_dir);
    fprintf(log, "paper: %s (%s, %u seeds, baseline %s)\n", it->path, it->name, it->seeds, it->baseline);
    xp_sweep_opts so = {.scenario = it->path,
                        .sets = it->sets,
                        .nsets = it->nsets,
                        .overrides = it->overrides,
                        .out_dir = results,
                        .seed_count = it->seeds,
                        .jobs = o->jobs,
                        .shard = 1,
                        .shards = 1,
                        .baseline = it->baseline,
                        .progress = 0};
    int rc = xp_sweep_run(&so, devnull, log, err, errlen);
    if (rc != 0) return rc == XP_SWEEP_BAD_INPUT ? XP_PAPER_BAD_INPUT : XP_PAPER_FAILED;
    if (an_figures_write(res_dir, fig_dir, it->baseline, err, errlen) != 0) return XP_PAPER_FAILED;
    return manifest_item(it, fig_dir, res_dir, entries, err, errlen);
}

/* The headline table's manifest entry: the entry of the table it copies. */
static void add_headline(json_t *entries, const char *from, const char *to) {
    size_t i;
    json_t *e, *copy = NULL;
    json_array_foreach(entries, i, e) {
        if (!copy && !strcmp(json_string_value(json_object_get(e, "file")), from)) copy = json_deep_copy(e);
    }
    if (!copy) return;
    json_object_set_new(copy, "file", json_string(to));
    json_object_set_new(copy, "kind", json_string("headline table"));
    json_array_append_new(entries, copy);
}

int xp_paper_run(const xp_paper_opts *opts, FILE *md, FILE *log, char *err, size_t errlen) {
    xp_paper_opts dflt = *opts;
    if (!dflt.scenarios_dir) dflt.scenarios_dir = SPARKIOT_SOURCE_DIR "/experiments/scenarios/paper";
    const xp_paper_opts *o = &dflt;
    paper_item *items = NULL;
    size_t n = 0;
    int rc = plan(o, &items, &n, err, errlen);
    if (rc == 0) rc = an_files__mkdirs(o->out_dir, err, errlen) == 0 ? 0 : XP_PAPER_FAILED;
    FILE *devnull = rc == 0 ? fopen("/dev/null", "w") : NULL;
    if (rc == 0 && !devnull) {
        snprintf(err, errlen, "/dev/null: %s", strerror(errno));
        rc = XP_PAPER_FAILED;
    }
    json_t *entries = json_array();
    for (size_t i = 0; rc == 0 && i < n; i++) rc = run_item(o, &items[i], devnull, log, entries, err, errlen);
    char from[PAPER_PATH + 300], to[PAPER_PATH];
    if (rc == 0) {
        snprintf(from, sizeof from, "%s/%s/table.md", o->out_dir, items[0].stem);
        snprintf(to, sizeof to, "%s/headline.md", o->out_dir);
        rc = copy_file(from, to, md, err, errlen);
    }
    if (rc == 0) add_headline(entries, from, to);
    if (rc == 0) {
        snprintf(to, sizeof to, "%s/manifest.json", o->out_dir);
        json_t *m = json_pack("{s:s, s:b, s:o}", "sparkiot_version", SPARKIOT_VERSION, "quick", o->quick,
                              "outputs", entries);
        entries = NULL;
        if (json_dump_file(m, to, JSON_INDENT(2) | JSON_SORT_KEYS) != 0) {
            snprintf(err, errlen, "%s: cannot write", to);
            rc = XP_PAPER_FAILED;
        }
        json_decref(m);
    }
    json_decref(entries);
    if (devnull) fclose(devnull);
    free(items);
    return rc;
}
