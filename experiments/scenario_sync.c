/* The `sync.partitions` key of a scenario: when the edge-cloud links are
 * cut. Written either as a list of mappings
 *   partitions: [{site: all, start: 5m, end: 7m}, {site: 2, start: 8m, end: 9m}]
 * or, so that a variant (whose overrides are single values) can choose a
 * schedule, as one string of comma-separated SITE@START-END items
 *   partitions: "all@5m-7m, 2@8m-9m"        ("none" or "": no partition).
 * Sites are checked against topology.sites afterwards (eng_sync_check). */
#include <stdio.h>
#include <string.h>

#include "experiments/scenario_fields.h"
#include "experiments/units.h"

static const char *const item_keys[] = {"site", "start", "end", NULL};

/* Reads "all" or a site number. */
static int parse_site(const char *s, int32_t *site) {
    uint64_t v;
    int neg;
    if (!strcmp(s, "all")) {
        *site = ENG_SYNC_ALL_SITES;
        return 0;
    }
    if (xp_units__integer(s, &v, &neg) != 0 || neg || v > INT32_MAX) return -1;
    *site = (int32_t)v;
    return 0;
}

static int add(xp_walk *w, const xp_ynode *at, eng_sync_opts *o, eng_sync_partition p) {
    if (o->npartitions == ENG_SYNC_MAX_PARTITIONS)
        return xp_yaml__fail(w->err, w->errlen, w->origin, at, "sync.partitions", "more than %d partitions",
                             ENG_SYNC_MAX_PARTITIONS);
    o->partitions[o->npartitions++] = p;
    return 0;
}

static int read_item(xp_walk *w, const xp_ynode *item, eng_sync_opts *o) {
    char got[160], hint[128];
    if (item->kind != XP_Y_MAP)
        return xp_yaml__fail(w->err, w->errlen, w->origin, item, "sync.partitions",
                             "expected a mapping like {site: all, start: 5m, end: 7m}, got %s",
                             xp_yaml__what(item, got, sizeof got));
    for (size_t i = 0; i < item->n; i++) {
        const char *k = item->keys[i]->str;
        size_t j = 0;
        while (item_keys[j] && strcmp(item_keys[j], k)) j++;
        if (item_keys[j]) continue;
        xp_suggest__hint(hint, sizeof hint, k, item_keys);
        return xp_yaml__fail(w->err, w->errlen, w->origin, item->keys[i], NULL,
                             "unknown key '%s' in sync.partitions%s", k, hint);
    }
    eng_sync_partition p;
    for (size_t j = 0; item_keys[j]; j++) {
        const xp_ynode *v = xp_yaml__get(item, item_keys[j]);
        char path[64];
        snprintf(path, sizeof path, "sync.partitions.%s", item_keys[j]);
        if (!v) return xp_yaml__fail(w->err, w->errlen, w->origin, item, path, "missing");
        int scalar = v->kind == XP_Y_SCALAR && !v->null;
        int bad = !scalar || (j == 0 ? parse_site(v->str, &p.site)
                                     : xp_units__duration(v->str, j == 1 ? &p.start : &p.end));
        if (bad)
            return xp_yaml__fail(w->err, w->errlen, w->origin, v, path, "expected %s, got %s",
                                 j == 0 ? "all or a site number" : "a duration like 5m",
                                 xp_yaml__what(v, got, sizeof got));
    }
    return add(w, item, o, p);
}

/* One "SITE@START-END" item of the string form, surrounding spaces allowed. */
static int parse_item(char *s, eng_sync_partition *p) {
    while (*s == ' ') s++;
    size_t n = strlen(s);
    while (n > 0 && s[n - 1] == ' ') s[--n] = '\0';
    char *at = strchr(s, '@'), *dash = at ? strchr(at, '-') : NULL;
    if (!at || !dash) return -1;
    *at = *dash = '\0';
    return parse_site(s, &p->site) || xp_units__duration(at + 1, &p->start) ||
           xp_units__duration(dash + 1, &p->end);
}

static int read_string(xp_walk *w, const xp_ynode *val, eng_sync_opts *o) {
    if (val->null || !strcmp(val->str, "none") || !val->str[0]) return 0;
    char buf[256], *save = NULL;
    snprintf(buf, sizeof buf, "%s", val->str);
    for (char *item = strtok_r(buf, ",", &save); item; item = strtok_r(NULL, ",", &save)) {
        eng_sync_partition p;
        char copy[256];
        snprintf(copy, sizeof copy, "%s", item);
        if (parse_item(item, &p) != 0)
            return xp_yaml__fail(w->err, w->errlen, w->origin, val, "sync.partitions",
                                 "expected SITE@START-END items like all@5m-7m, got '%s'", copy);
        if (add(w, val, o, p)) return -1;
    }
    return 0;
}

int xp_scenario__read_partitions(xp_walk *w, const xp_field *f, const xp_ynode *key, const xp_ynode *val) {
    eng_sync_opts *o = &((xp_scenario *)w->base)->sync;
    o->npartitions = 0;
    if (val->kind == XP_Y_SCALAR) return read_string(w, val, o);
    char got[160];
    if (val->kind != XP_Y_SEQ)
        return xp_yaml__fail(w->err, w->errlen, w->origin, val, f->path,
                             "expected a list of {site, start, end} or a string like \"all@5m-7m\", got %s",
                             xp_yaml__what(val, got, sizeof got));
    for (size_t i = 0; i < val->n; i++)
        if (read_item(w, val->vals[i], o)) return -1;
    return 0;
}
