/* Loading a scenario (see scenario.h): read the file into a tree, list its
 * variants, graft the chosen variant's overrides and then the command-line
 * --set overrides onto the tree, walk it with the scenario schema into the
 * option structs (which start from their *_defaults()), and finally run
 * every *_check() and the named allocator's own parameter checks, reporting
 * each problem at the text it concerns. */
#include "experiments/scenario.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "experiments/scenario_fields.h"
#include "policies/prefetch.h"
#include "policies/shuffle.h"
#include "policies/sync.h"

static const char *const variant_keys[] = {"name", "description", "set", NULL};

static int is_variants_path(const char *path) {
    return !strncmp(path, "variants", 8) && (path[8] == '\0' || path[8] == '.');
}

/* Checks one `set:` mapping of a variant and copies it into v. */
static int read_variant_sets(xp_variant *v, const xp_ynode *set, const char *file, char *err, size_t errlen) {
    if (set->kind == XP_Y_SCALAR && set->null) return 0;
    char got[160];
    if (set->kind != XP_Y_MAP)
        return xp_yaml__fail(err, errlen, file, set, "set", "expected a mapping of key.path: value, got %s",
                             xp_yaml__what(set, got, sizeof got));
    for (size_t j = 0; j < set->n; j++) {
        const xp_ynode *k = set->keys[j], *val = set->vals[j];
        if (v->nsets == XP_MAX_SETS)
            return xp_yaml__fail(err, errlen, file, k, "set", "more than %d overrides", XP_MAX_SETS);
        xp_set *o = &v->sets[v->nsets++];
        if (is_variants_path(k->str))
            return xp_yaml__fail(err, errlen, file, k, "set", "a variant cannot change the variants");
        if (strlen(k->str) >= sizeof o->key)
            return xp_yaml__fail(err, errlen, file, k, "set", "key path longer than %zu characters",
                                 sizeof o->key - 1);
        if (val->kind != XP_Y_SCALAR)
            return xp_yaml__fail(err, errlen, file, val, k->str,
                                 "expected a single value, got %s (set each key by its own path)",
                                 xp_yaml__what(val, got, sizeof got));
        if (strlen(val->str) >= sizeof o->value)
            return xp_yaml__fail(err, errlen, file, val, k->str, "value longer than %zu characters",
                                 sizeof o->value - 1);
        snprintf(o->key, sizeof o->key, "%s", k->str);
        snprintf(o->value, sizeof o->value, "%s", val->str);
    }
    return 0;
}

/* Fills s->variants from the file's `variants:` list. */
static int read_variants(xp_scenario *s, const xp_ynode *root, char *err, size_t errlen) {
    const xp_ynode *vs = xp_yaml__get(root, "variants");
    char got[160], hint[128];
    if (!vs || (vs->kind == XP_Y_SCALAR && vs->null)) return 0;
    if (vs->kind != XP_Y_SEQ)
        return xp_yaml__fail(err, errlen, s->path, vs, "variants",
                             "expected a list like '- {name: peak, set: {allocator.executors: 16}}', got %s",
                             xp_yaml__what(vs, got, sizeof got));
    for (size_t i = 0; i < vs->n; i++) {
        const xp_ynode *item = vs->vals[i];
        if (i == XP_MAX_VARIANTS)
            return xp_yaml__fail(err, errlen, s->path, item, "variants", "more than %d variants",
                                 XP_MAX_VARIANTS);
        if (item->kind != XP_Y_MAP)
            return xp_yaml__fail(err, errlen, s->path, item, "variants",
                                 "expected a mapping with name and set, got %s",
                                 xp_yaml__what(item, got, sizeof got));
        for (size_t j = 0; j < item->n; j++) {
            const char *key = item->keys[j]->str;
            const char *const *known = variant_keys;
            while (*known && strcmp(*known, key) != 0) known++;
            if (*known) continue;
            xp_suggest__hint(hint, sizeof hint, key, variant_keys);
            return xp_yaml__fail(err, errlen, s->path, item->keys[j], NULL,
                                 "unknown key '%s' in a variant%s (known: name, description, set)", key,
                                 hint);
        }
        const xp_ynode *name = xp_yaml__get(item, "name"), *set = xp_yaml__get(item, "set");
        const xp_ynode *desc = xp_yaml__get(item, "description");
        xp_variant *v = &s->variants[s->nvariants++];
        if (!name) return xp_yaml__fail(err, errlen, s->path, item, "variants", "a variant needs a name");
        if (name->kind != XP_Y_SCALAR || name->null || !name->str[0] || strlen(name->str) >= sizeof v->name ||
            strspn(name->str, "abcdefghijklmnopqrstuvwxyz0123456789_-") != strlen(name->str))
            return xp_yaml__fail(
                err, errlen, s->path, name, "variants.name",
                "expected a name of lowercase letters, digits, '_' and '-' (at most %zu), got %s",
                sizeof v->name - 1, xp_yaml__what(name, got, sizeof got));
        for (size_t j = 0; j + 1 < s->nvariants; j++)
            if (!strcmp(s->variants[j].name, name->str))
                return xp_yaml__fail(err, errlen, s->path, name, "variants.name",
                                     "duplicate variant name '%s'", name->str);
        if (desc && desc->kind != XP_Y_SCALAR)
            return xp_yaml__fail(err, errlen, s->path, desc, "variants.description",
                                 "expected a string, got %s", xp_yaml__what(desc, got, sizeof got));
        snprintf(v->name, sizeof v->name, "%s", name->str);
        if (set && read_variant_sets(v, set, s->path, err, errlen)) return -1;
    }
    return 0;
}

/* Grafts the named variant's overrides onto the tree. */
static int apply_variant(xp_scenario *s, xp_ynode *root, const char *variant, char *err, size_t errlen) {
    const xp_ynode *vs = xp_yaml__get(root, "variants");
    for (size_t i = 0; variant && i < s->nvariants; i++) {
        if (strcmp(s->variants[i].name, variant) != 0) continue;
        snprintf(s->variant, sizeof s->variant, "%s", variant);
        const xp_ynode *set = xp_yaml__get(vs->vals[i], "set");
        for (size_t j = 0; set && set->kind == XP_Y_MAP && j < set->n; j++) {
            char msg[256];
            xp_ynode *copy = xp_yaml__copy(set->vals[j]);
            if (!copy) return xp_yaml__fail(err, errlen, s->path, NULL, NULL, "out of memory");
            if (xp_yaml__graft(root, set->keys[j]->str, copy, set->keys[j], msg, sizeof msg))
                return xp_yaml__fail(err, errlen, s->path, set->keys[j], set->keys[j]->str, "%s", msg);
        }
        return 0;
    }
    if (!variant || !strcmp(variant, "default")) return 0;
    if (s->nvariants == 0)
        return xp_yaml__fail(err, errlen, s->path, NULL, NULL, "no variant '%s': the file has no variants",
                             variant);
    const char *names[XP_MAX_VARIANTS + 1];
    for (size_t i = 0; i < s->nvariants; i++) names[i] = s->variants[i].name;
    names[s->nvariants] = NULL;
    char hint[128], list[XP_MAX_VARIANTS * 66];
    xp_suggest__hint(hint, sizeof hint, variant, names);
    xp_suggest__join(list, sizeof list, names);
    return xp_yaml__fail(err, errlen, s->path, xp_yaml__key(root, "variants"), NULL,
                         "no variant '%s'%s (known: %s)", variant, hint, list);
}

/* Grafts the command-line overrides onto the tree, in order. */
static int apply_sets(xp_ynode *root, const xp_set *sets, size_t nsets, char *err, size_t errlen) {
    for (size_t i = 0; i < nsets; i++) {
        const char *key = sets[i].key;
        xp_ynode where = {.set = (char *)key};
        if (is_variants_path(key))
            return xp_yaml__fail(err, errlen, "", &where, NULL,
                                 "variants cannot be set (run a variant by its name instead)");
        xp_ynode *val = xp_yaml__parse(sets[i].value, strlen(sets[i].value), key, 1, err, errlen);
        if (!val) return -1;
        if (val->kind != XP_Y_SCALAR) {
            const char *got = val->kind == XP_Y_MAP ? "a mapping" : "a sequence";
            xp_yaml__free(val);
            return xp_yaml__fail(err, errlen, "", &where, NULL, "expected a single value, got %s", got);
        }
        char msg[256];
        if (xp_yaml__graft(root, key, val, &where, msg, sizeof msg))
            return xp_yaml__fail(err, errlen, "", &where, NULL, "%s", msg);
    }
    return 0;
}

/* The node a policy's message is about: the first of the section's keys
 * the message names as a word, else the section. */
static const xp_ynode *policy_node(const xp_ynode *root, const char *section, const char *msg) {
    const xp_ynode *sec = xp_yaml__get(root, section), *best = sec;
    const char *first = NULL;
    for (size_t i = 0; sec && sec->kind == XP_Y_MAP && i < sec->n; i++) {
        const char *k = sec->keys[i]->str;
        size_t n = strlen(k);
        for (const char *p = strstr(msg, k); p; p = strstr(p + 1, k)) {
            int word = (p == msg || !(p[-1] == '_' || (p[-1] >= 'a' && p[-1] <= 'z'))) &&
                       !(p[n] == '_' || (p[n] >= 'a' && p[n] <= 'z'));
            if (word && (!first || p < first)) first = p, best = sec->vals[i];
            if (word) break;
        }
    }
    return best;
}

static int check_allocator(xp_scenario *s, const xp_ynode *root, char *err, size_t errlen) {
    eng_alloc_opts *a = &s->alloc;
    const eng_alloc_ops *ops = pol_alloc_find(a->name);
    char msg[512];
    if (!ops) {
        const char *names[64];
        size_t n = 0;
        for (const eng_alloc_ops *const *p = pol_alloc_all(); *p && n < 63; p++) names[n++] = (*p)->name;
        names[n] = NULL;
        char hint[128], list[512];
        xp_suggest__hint(hint, sizeof hint, a->name, names);
        xp_suggest__join(list, sizeof list, names);
        return xp_yaml__fail(err, errlen, s->path, xp_yaml__path(root, "allocator.name"), "allocator.name",
                             "unknown allocator '%s'%s (known: %s)", a->name, hint, list);
    }
    /* Probe with the locations cleared: the message gets ours instead. */
    eng_alloc_opts probe = *a;
    for (size_t i = 0; i < probe.nparams; i++) probe.params[i].line = probe.params[i].col = 0;
    for (size_t i = 0; i < a->nparams; i++) {
        eng_alloc_opts one = probe;
        one.params[0] = probe.params[i];
        one.nparams = 1;
        if (pol_params_check(&one, ops->param_names, msg, sizeof msg)) {
            const xp_ynode *sec = xp_yaml__get(root, "allocator");
            return xp_yaml__fail(err, errlen, s->path, xp_yaml__key(sec, a->params[i].key), NULL, "%s", msg);
        }
    }
    void *state = ops->init(&probe, msg, sizeof msg);
    if (!state)
        return xp_yaml__fail(err, errlen, s->path, policy_node(root, "allocator", msg), NULL, "%s", msg);
    ops->free(state);
    return 0;
}

/* The placement policy exists and takes its parameters; a policy that
 * writes to the object store needs the cloud profile's request prices. */
static int check_shuffle(xp_scenario *s, const xp_ynode *root, char *err, size_t errlen) {
    eng_shuffle_opts *sh = &s->shuffle;
    const eng_shuffle_policy *pol = pol_shuffle_find(sh->policy);
    const xp_ynode *at = xp_yaml__path(root, "shuffle.policy");
    if (!pol) {
        char hint[128], list[512];
        xp_suggest__hint(hint, sizeof hint, sh->policy, pol_shuffle_names);
        xp_suggest__join(list, sizeof list, pol_shuffle_names);
        return xp_yaml__fail(err, errlen, s->path, at, "shuffle.policy",
                             "unknown shuffle policy '%s'%s (known: %s)", sh->policy, hint, list);
    }
    /* Probe with the locations cleared: the message gets ours instead. */
    eng_shuffle_opts probe = *sh;
    for (size_t i = 0; i < probe.nparams; i++) probe.params[i].line = probe.params[i].col = 0;
    char msg[512];
    void *state = pol->init(&probe, msg, sizeof msg);
    if (!state)
        return xp_yaml__fail(err, errlen, s->path, policy_node(root, "shuffle", msg), NULL, "%s", msg);
    pol->free(state);
    if ((pol->tiers >> ENG_TIER_OBJECT & 1u) &&
        (s->cloud.object_put_1000_usd < 0 || s->cloud.object_get_1000_usd < 0))
        return xp_yaml__fail(
            err, errlen, s->path, at, "shuffle.policy",
            "policy %s writes to the object store, but cloud profile %s gives no object request "
            "prices (prices.object_put_1000_usd, prices.object_get_1000_usd)",
            pol->name, s->cloud.name);
    return 0;
}

/* Every *_check(), then the allocator and the placement policy, each
 * reported where it belongs. */
static int check_all(xp_scenario *s, xp_walk *w) {
    char msg[512];
    if (eng_topo_check(&s->topo, msg, sizeof msg)) return xp_schema__relocate(w, "topology", msg);
    if (wl_opts_check(&s->workload, msg, sizeof msg)) return xp_schema__relocate(w, "workload", msg);
    if (eng_edge_check(&s->edge, msg, sizeof msg)) return xp_schema__relocate(w, "edge", msg);
    if (eng_bus_check(&s->bus, msg, sizeof msg)) return xp_schema__relocate(w, "bus", msg);
    if (eng_driver_check(&s->driver, msg, sizeof msg)) return xp_schema__relocate(w, "pipeline", msg);
    if (eng_sync_check(&s->sync, s->topo.sites, msg, sizeof msg)) return xp_schema__relocate(w, "sync", msg);
    if (xp_scenario__check_prefetch(s, w)) return -1;
    if (eng_shuffle_check(&s->shuffle, msg, sizeof msg)) return xp_schema__relocate(w, "shuffle", msg);
    if (s->seed > UINT64_MAX - (s->seeds - 1))
        return xp_schema__relocate(w, "seed", "seed + seeds - 1 must be < 2^64");
    const eng_alloc_opts *a = &s->alloc;
    if (a->min_executors > a->max_executors)
        return xp_schema__relocate(w, "allocator", "allocator.min_executors must be <= max_executors");
    if (a->initial_executors < a->min_executors || a->initial_executors > a->max_executors)
        return xp_schema__relocate(w, "allocator",
                                   "allocator.initial_executors must be in [min_executors, max_executors]");
    if (check_allocator(s, w->root, w->err, w->errlen)) return -1;
    return check_shuffle(s, w->root, w->err, w->errlen);
}

xp_scenario *xp_scenario_load(const char *path, const char *variant, const xp_set *sets, size_t nsets,
                              char *err, size_t errlen) {
    xp_ynode *root = NULL;
    xp_scenario *s = calloc(1, sizeof *s);
    if (errlen) err[0] = '\0';
    if (!s) {
        snprintf(err, errlen, "%s: out of memory", path);
        return NULL;
    }
    if (strlen(path) >= sizeof s->path) {
        snprintf(err, errlen, "%.64s...: path longer than %zu characters", path, sizeof s->path - 1);
        goto fail;
    }
    snprintf(s->path, sizeof s->path, "%s", path);
    if (!(root = xp_yaml__load(path, &s->text, err, errlen))) goto fail;
    xp_scenario__defaults(s);
    if (read_variants(s, root, err, errlen) || apply_variant(s, root, variant, err, errlen) ||
        apply_sets(root, sets, nsets, err, errlen))
        goto fail;
    xp_walk w = {.origin = s->path,
                 .root = root,
                 .base = s,
                 .table = xp_scenario__fields,
                 .n = xp_scenario__nfields,
                 .err = err,
                 .errlen = errlen};
    if (xp_schema__walk(&w) || check_all(s, &w)) goto fail;
    xp_yaml__free(root);
    return s;
fail:
    xp_yaml__free(root);
    xp_scenario_free(s);
    return NULL;
}

void xp_scenario_free(xp_scenario *s) {
    if (!s) return;
    free(s->text);
    free(s);
}

size_t xp_variant_count(const xp_scenario *s) { return s->nvariants ? s->nvariants : 1; }

const char *xp_variant_name(const xp_scenario *s, size_t i) {
    return s->nvariants ? s->variants[i].name : "default";
}

void xp_scenario_run_opts(const xp_scenario *s, eng_run_opts *o) {
    memset(o, 0, sizeof *o);
    o->topo = &s->topo;
    o->source = s->replay ? tr_source() : wl_source();
    o->source_opts = s->replay ? (const void *)&s->trace : (const void *)&s->workload;
    o->devices_per_site = s->workload.devices_per_site;
    o->record_bytes = s->workload.record_bytes;
    o->edge = &s->edge;
    o->bus = &s->bus;
    o->driver = &s->driver;
    o->cloud = &s->cloud;
    o->alloc_ops = pol_alloc_find(s->alloc.name);
    o->alloc = &s->alloc;
    o->seed = s->seed;
    o->duration = s->duration;
    o->drain = s->drain;
    o->slo = s->slo;
    o->sync = s->sync.enabled ? &s->sync : NULL;
    o->sync_policy = pol_sync_all()[s->sync_policy];
    o->prefetch = s->prefetch.enabled ? &s->prefetch : NULL;
    o->prefetch_policy = pol_prefetch_all()[s->prefetch_policy];
    o->shuffle = &s->shuffle;
    o->shuffle_policy = pol_shuffle_find(s->shuffle.policy);
    o->privacy = s->privacy_enabled ? &s->privacy : NULL;
}
