/* The schema walk (see schema.h): one table per file format drives the
 * unknown-key check, the type and range checks with their messages, and the
 * stores into the option structs, so no key needs code of its own unless it
 * is a hook (a preset, a cloud profile, allocator parameters). */
#include "experiments/schema.h"

#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "engine/rt.h"
#include "experiments/units.h"

#define XP_PATH_MAX 256
#define XP_MAX_CHILDREN 64

/* ---- suggestions ---- */

/* Optimal string alignment distance (edits, including swapping two
 * neighbours); words longer than 63 characters count as far from anything. */
static size_t edit_distance(const char *a, const char *b) {
    size_t n = strlen(a), m = strlen(b);
    if (n > 63 || m > 63) return SIZE_MAX;
    size_t d[64][64];
    for (size_t i = 0; i <= n; i++) d[i][0] = i;
    for (size_t j = 0; j <= m; j++) d[0][j] = j;
    for (size_t i = 1; i <= n; i++)
        for (size_t j = 1; j <= m; j++) {
            size_t cost = a[i - 1] != b[j - 1];
            size_t best = d[i - 1][j - 1] + cost;
            if (d[i - 1][j] + 1 < best) best = d[i - 1][j] + 1;
            if (d[i][j - 1] + 1 < best) best = d[i][j - 1] + 1;
            if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] && d[i - 2][j - 2] + 1 < best)
                best = d[i - 2][j - 2] + 1;
            d[i][j] = best;
        }
    return d[n][m];
}

const char *xp_suggest__best(const char *word, const char *const *cands) {
    const char *best = NULL;
    size_t best_d = SIZE_MAX;
    for (const char *const *c = cands; *c; c++) {
        size_t d = edit_distance(word, *c);
        size_t longest = strlen(word) > strlen(*c) ? strlen(word) : strlen(*c);
        size_t limit = longest / 4 > 1 ? longest / 4 : 1;
        if (d <= limit && d < best_d) best = *c, best_d = d;
    }
    return best;
}

void xp_suggest__hint(char *buf, size_t len, const char *word, const char *const *cands) {
    const char *best = xp_suggest__best(word, cands);
    if (best)
        snprintf(buf, len, "; did you mean '%s'?", best);
    else if (len)
        buf[0] = '\0';
}

void xp_suggest__join(char *buf, size_t len, const char *const *names) {
    size_t k = 0;
    if (len) buf[0] = '\0';
    for (const char *const *p = names; *p && k < len; p++) {
        int w = snprintf(buf + k, len - k, "%s%s", p == names ? "" : ", ", *p);
        if (w < 0) break;
        k += (size_t)w;
    }
}

/* ---- the table ---- */

const xp_field *xp_schema__find(const xp_walk *w, const char *path) {
    for (size_t i = 0; i < w->n; i++)
        if (!strcmp(w->table[i].path, path)) return &w->table[i];
    return NULL;
}

/* Splits a path into its parent section ("" at the top) and last name. */
static const char *split(const char *path, char *parent, size_t len) {
    const char *dot = strrchr(path, '.');
    size_t k = dot ? (size_t)(dot - path) : 0;
    snprintf(parent, len, "%.*s", (int)k, path);
    return dot ? dot + 1 : path;
}

/* The names of a section's keys, NULL-terminated. */
static void children(const xp_walk *w, const char *section, const char **out) {
    size_t k = 0;
    char parent[XP_PATH_MAX];
    for (size_t i = 0; i < w->n && k < XP_MAX_CHILDREN - 1; i++) {
        const char *name = split(w->table[i].path, parent, sizeof parent);
        if (!strcmp(parent, section)) out[k++] = name;
    }
    out[k] = NULL;
}

void xp_schema__hint(const xp_walk *w, const char *section, const char *word, char *buf, size_t len) {
    const char *names[XP_MAX_CHILDREN];
    children(w, section, names);
    const char *best = xp_suggest__best(word, names);
    if (best)
        snprintf(buf, len, "; did you mean '%s.%s'?", section, best);
    else if (len)
        buf[0] = '\0';
}

static void join_path(char *buf, size_t len, const char *section, const char *name) {
    snprintf(buf, len, "%s%s%s", section, *section ? "." : "", name);
}

/* ---- keys ---- */

static int unknown_key(xp_walk *w, const xp_ynode *key, const char *section) {
    const char *names[XP_MAX_CHILDREN];
    char hint[640];
    children(w, section, names);
    xp_suggest__hint(hint, sizeof hint, key->str, names);
    if (!hint[0]) {
        char list[512];
        xp_suggest__join(list, sizeof list, names);
        snprintf(hint, sizeof hint, " (known: %s)", list);
    }
    if (*section)
        return xp_yaml__fail(w->err, w->errlen, w->origin, key, NULL, "unknown key '%s' in %s%s", key->str,
                             section, hint);
    return xp_yaml__fail(w->err, w->errlen, w->origin, key, NULL, "unknown key '%s' at the top level%s",
                         key->str, hint);
}

static int not_a_section(xp_walk *w, const xp_ynode *val, const char *path) {
    const char *names[XP_MAX_CHILDREN];
    char list[512], got[160];
    children(w, path, names);
    xp_suggest__join(list, sizeof list, names);
    return xp_yaml__fail(w->err, w->errlen, w->origin, val, path,
                         "expected a section (a mapping with keys %s), got %s", list,
                         xp_yaml__what(val, got, sizeof got));
}

static int check_keys(xp_walk *w, const xp_ynode *map, const char *section) {
    const xp_field *sec = *section ? xp_schema__find(w, section) : NULL;
    for (size_t i = 0; i < map->n; i++) {
        const xp_ynode *key = map->keys[i], *val = map->vals[i];
        char path[XP_PATH_MAX];
        join_path(path, sizeof path, section, key->str);
        const xp_field *f = xp_schema__find(w, path);
        if (strchr(key->str, '.'))
            return xp_yaml__fail(
                w->err, w->errlen, w->origin, key, NULL,
                "dotted key '%s': nest sections instead (dotted paths are only for a variant's "
                "set and --set)",
                key->str);
        if (!f && !(sec && (sec->flags & XP_F_OPEN))) return unknown_key(w, key, section);
        if (!f || f->type != XP_T_MAP) continue;
        if (val->kind == XP_Y_MAP) {
            if (check_keys(w, val, path)) return -1;
        } else if (val->kind != XP_Y_SCALAR || !val->null) {
            return not_a_section(w, val, path);
        }
    }
    return 0;
}

/* ---- values ---- */

static void fmt_value(char *buf, size_t len, xp_type t, double v) {
    if (t == XP_T_DUR)
        xp_units__fmt_duration(buf, len, (rt_time_t)v);
    else if (t == XP_T_BW)
        xp_units__fmt_bandwidth(buf, len, v);
    else if (t == XP_T_SPEED)
        xp_units__fmt_speed(buf, len, v);
    else
        snprintf(buf, len, "%.10g%s", v, t == XP_T_SIZE ? "B" : "");
}

/* " in [1, 1000]", " >= 0s", " > 0", or "" for an unbounded field. */
static void fmt_range(char *buf, size_t len, const xp_field *f) {
    char lo[48], hi[48];
    fmt_value(lo, sizeof lo, f->type, f->lo);
    fmt_value(hi, sizeof hi, f->type, f->hi);
    int open = f->flags & XP_F_LO_OPEN;
    if (isfinite(f->lo) && isfinite(f->hi))
        snprintf(buf, len, " in %s%s, %s]", open ? "(" : "[", lo, hi);
    else if (isfinite(f->lo))
        snprintf(buf, len, " %s %s", open ? ">" : ">=", lo);
    else if (isfinite(f->hi))
        snprintf(buf, len, " <= %s", hi);
    else
        buf[0] = '\0';
}

static const char *const units_of[] = {
    [XP_T_DUR] = " (units: ns, us, ms, s, m or min, h, d)",
    [XP_T_BW] = " (units: bps, kbps, Mbps, Gbps, B/s, kB/s, MB/s, GB/s)",
    [XP_T_SPEED] = " (units: f, kf, Mf, Gf, Tf, or none)",
    [XP_T_SIZE] = " (units: B, kB, MB, GB, or none)",
    [XP_T_OTHER] = NULL,
};

/* What a field expects, for messages; with `range`, its bounds instead of
 * an example. */
static void expected(char *buf, size_t len, const xp_field *f, int range) {
    char r[128], list[512];
    fmt_range(r, sizeof r, f);
    switch (f->type) {
    case XP_T_U32:
    case XP_T_U64:
        snprintf(buf, len, "an integer%s", r);
        break;
    case XP_T_F64:
        snprintf(buf, len, "a number%s", r);
        break;
    case XP_T_DUR:
        if (range)
            snprintf(buf, len, "a duration%s", r);
        else
            snprintf(buf, len, "a duration like 20ms%s", f->flags & XP_F_ASAP ? " or the word asap" : "");
        break;
    case XP_T_BW:
        snprintf(buf, len, range ? "a bandwidth%s" : "a bandwidth like 100Mbps", r);
        break;
    case XP_T_SPEED:
        snprintf(buf, len, range ? "a speed%s" : "a speed like 2Gf", r);
        break;
    case XP_T_SIZE:
        snprintf(buf, len, range ? "a size%s" : "a whole size like 100B", r);
        break;
    case XP_T_BOOL:
        snprintf(buf, len, "true or false");
        break;
    case XP_T_ENUM:
        xp_suggest__join(list, sizeof list, f->names);
        snprintf(buf, len, "one of %.200s", list);
        break;
    case XP_T_NAME:
        snprintf(buf, len, "a name of lowercase letters, digits, '_' and '-'");
        break;
    case XP_T_STRLIST:
        snprintf(buf, len, "a list of strings like [\"a\", \"b\"]");
        break;
    default:
        snprintf(buf, len, "a string");
        break;
    }
}

static int bad(xp_walk *w, const xp_field *f, const xp_ynode *val, int range) {
    char want[300], got[160], hint[128] = "";
    expected(want, sizeof want, f, range);
    if (f->type == XP_T_ENUM && val->kind == XP_Y_SCALAR)
        xp_suggest__hint(hint, sizeof hint, val->str, f->names);
    else if (!range && f->type < sizeof units_of / sizeof units_of[0] && units_of[f->type] &&
             val->kind == XP_Y_SCALAR && !val->null)
        snprintf(hint, sizeof hint, "%s", units_of[f->type]);
    return xp_yaml__fail(w->err, w->errlen, w->origin, val, f->path, "expected %s, got %s%s", want,
                         xp_yaml__what(val, got, sizeof got), hint);
}

static int in_range(const xp_field *f, double v) {
    return ((f->flags & XP_F_LO_OPEN) ? v > f->lo : v >= f->lo) && v <= f->hi;
}

static int read_strlist(xp_walk *w, const xp_field *f, const xp_ynode *val) {
    if (val->kind != XP_Y_SEQ || ((f->flags & XP_F_REQUIRED) && val->n == 0)) return bad(w, f, val, 0);
    for (size_t i = 0; i < val->n; i++)
        if (val->vals[i]->kind != XP_Y_SCALAR || val->vals[i]->null) return bad(w, f, val->vals[i], 0);
    return 0;
}

static int read_string(xp_walk *w, const xp_field *f, const xp_ynode *val, char *dst) {
    const char *s = val->str;
    if (f->type == XP_T_NAME && (!*s || strspn(s, "abcdefghijklmnopqrstuvwxyz0123456789_-") != strlen(s)))
        return bad(w, f, val, 0);
    if (strlen(s) >= f->size)
        return xp_yaml__fail(w->err, w->errlen, w->origin, val, f->path, "longer than %zu characters",
                             f->size - 1);
    memcpy(dst, s, strlen(s) + 1);
    return 0;
}

/* Parses a number-like scalar of f's type into *v (ns, bytes/s, ...). */
static int parse_number(const xp_field *f, const char *s, double *v, int *negative) {
    uint64_t mag;
    rt_time_t t;
    *negative = 0;
    switch (f->type) {
    case XP_T_U32:
    case XP_T_U64:
        if (xp_units__integer(s, &mag, negative)) return -1;
        *v = *negative ? -(double)mag : (double)mag;
        return 0;
    case XP_T_DUR:
        if ((f->flags & XP_F_ASAP) && !strcmp(s, "asap"))
            t = 0;
        else if (xp_units__duration(s, &t))
            return -1;
        *v = (double)t;
        return 0;
    case XP_T_BW:
        return xp_units__bandwidth(s, v);
    case XP_T_SPEED:
        return xp_units__speed(s, v);
    case XP_T_SIZE:
        return xp_units__size(s, v) || *v != floor(*v) ? -1 : 0;
    default:
        return xp_units__number(s, v);
    }
}

static int read_leaf(xp_walk *w, const xp_field *f, const xp_ynode *val) {
    char *dst = (char *)w->base + f->off;
    if (f->type == XP_T_STRLIST) return read_strlist(w, f, val);
    if (val->kind != XP_Y_SCALAR || val->null) return bad(w, f, val, 0);
    const char *s = val->str;
    switch (f->type) {
    case XP_T_STR:
    case XP_T_NAME:
        return read_string(w, f, val, dst);
    case XP_T_BOOL: {
        int b;
        if (xp_units__bool(s, &b)) return bad(w, f, val, 0);
        memcpy(dst, &b, sizeof b);
        return 0;
    }
    case XP_T_ENUM:
        for (int i = 0; f->names[i]; i++)
            if (!strcmp(s, f->names[i])) {
                memcpy(dst, &i, sizeof i);
                return 0;
            }
        return bad(w, f, val, 0);
    default:
        break;
    }
    double v;
    int negative;
    if (parse_number(f, s, &v, &negative)) return bad(w, f, val, 0);
    if (!in_range(f, v) || ((f->type == XP_T_U32 || f->type == XP_T_SIZE) && v > UINT32_MAX))
        return bad(w, f, val, 1);
    switch (f->type) {
    case XP_T_U32:
    case XP_T_SIZE: {
        uint32_t x = (uint32_t)v;
        memcpy(dst, &x, sizeof x);
        break;
    }
    case XP_T_U64: {
        uint64_t x;
        xp_units__integer(s, &x, &negative);
        memcpy(dst, &x, sizeof x);
        break;
    }
    case XP_T_DUR: {
        rt_time_t x = (rt_time_t)v;
        memcpy(dst, &x, sizeof x);
        break;
    }
    default:
        memcpy(dst, &v, sizeof v);
        break;
    }
    return 0;
}

/* ---- the walk ---- */

int xp_schema__walk(xp_walk *w) {
    if (check_keys(w, w->root, "")) return -1;
    for (size_t i = 0; i < w->n; i++) {
        const xp_field *f = &w->table[i];
        char section[XP_PATH_MAX];
        const char *name = split(f->path, section, sizeof section);
        const xp_ynode *parent = *section ? xp_yaml__path(w->root, section) : w->root;
        const xp_ynode *key = xp_yaml__key(parent, name), *val = xp_yaml__get(parent, name);
        if (!val) {
            if ((f->flags & XP_F_REQUIRED) && parent)
                return xp_yaml__fail(w->err, w->errlen, w->origin, xp_yaml__at(w->root, section),
                                     *section ? section : NULL, "missing required key '%s'", name);
            continue;
        }
        int rc = 0;
        if (f->type == XP_T_MAP || f->type == XP_T_HOOK)
            rc = f->hook ? f->hook(w, f, key, val) : 0;
        else if (f->type != XP_T_OTHER)
            rc = read_leaf(w, f, val);
        if (rc) return -1;
    }
    return 0;
}

int xp_schema__relocate(xp_walk *w, const char *section, const char *msg) {
    size_t k = strspn(msg, "abcdefghijklmnopqrstuvwxyz0123456789_.");
    while (k > 0 && msg[k - 1] == '.') k--;
    char token[XP_PATH_MAX];
    snprintf(token, sizeof token, "%.*s", (int)k, msg);
    const xp_field *f = NULL;
    for (size_t i = 0; i < w->n && k > 0; i++)
        if (!strcmp(w->table[i].path, token) || (w->table[i].alias && !strcmp(w->table[i].alias, token)))
            f = &w->table[i];
    const char *path = f ? f->path : token;
    const xp_ynode *at = xp_yaml__at(w->root, path);
    if (!at) at = xp_yaml__at(w->root, section);
    if (f && strcmp(f->path, token) != 0)
        return xp_yaml__fail(w->err, w->errlen, w->origin, at, NULL, "%s%s", f->path, msg + k);
    return xp_yaml__fail(w->err, w->errlen, w->origin, at, NULL, "%s", msg);
}
