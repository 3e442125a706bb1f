/* The YAML document tree of experiments/ (see yaml_tree.h): libyaml's event
 * stream folded into nodes that remember their 1-based line:column, plus
 * the few operations the loader needs — lookup by dotted path, grafting an
 * override, and messages that point at a node. */
#include "experiments/yaml_tree.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <yaml.h>

static xp_ynode *node_new(xp_ykind kind, int line, int col, const char *set) {
    xp_ynode *n = calloc(1, sizeof *n);
    if (!n) return NULL;
    n->kind = kind;
    n->line = set ? 0 : line;
    n->col = set ? 0 : col;
    if (set && !(n->set = strdup(set))) {
        free(n);
        return NULL;
    }
    return n;
}

void xp_yaml__free(xp_ynode *n) {
    if (!n) return;
    for (size_t i = 0; i < n->n; i++) {
        if (n->keys) xp_yaml__free(n->keys[i]);
        xp_yaml__free(n->vals[i]);
    }
    free(n->keys);
    free(n->vals);
    free(n->str);
    free(n->set);
    free(n);
}

/* Appends an entry (key is NULL for a sequence item). */
static int node_push(xp_ynode *n, xp_ynode *key, xp_ynode *val) {
    if (n->n == n->cap) {
        size_t cap = n->cap ? 2 * n->cap : 8;
        xp_ynode **v = realloc(n->vals, cap * sizeof *v);
        if (!v) return -1;
        n->vals = v;
        if (n->kind == XP_Y_MAP) {
            xp_ynode **k = realloc(n->keys, cap * sizeof *k);
            if (!k) return -1;
            n->keys = k;
        }
        n->cap = cap;
    }
    if (n->kind == XP_Y_MAP) n->keys[n->n] = key;
    n->vals[n->n++] = val;
    return 0;
}

static int scalar_set(xp_ynode *n, const char *text, size_t len, int plain) {
    if (!(n->str = malloc(len + 1))) return -1;
    memcpy(n->str, text, len);
    n->str[len] = '\0';
    n->null = plain && (len == 0 || !strcmp(n->str, "~") || !strcmp(n->str, "null") ||
                        !strcmp(n->str, "Null") || !strcmp(n->str, "NULL"));
    return 0;
}

xp_ynode *xp_yaml__copy(const xp_ynode *n) {
    xp_ynode *c = node_new(n->kind, n->line, n->col, n->set);
    if (!c) return NULL;
    c->null = n->null;
    if (n->str && !(c->str = strdup(n->str))) goto fail;
    for (size_t i = 0; i < n->n; i++) {
        xp_ynode *k = n->keys ? xp_yaml__copy(n->keys[i]) : NULL;
        xp_ynode *v = xp_yaml__copy(n->vals[i]);
        if ((n->keys && !k) || !v || node_push(c, k, v)) {
            xp_yaml__free(k);
            xp_yaml__free(v);
            goto fail;
        }
    }
    return c;
fail:
    xp_yaml__free(c);
    return NULL;
}

int xp_yaml__fail(char *err, size_t errlen, const char *origin, const xp_ynode *at, const char *path,
                  const char *fmt, ...) {
    int k;
    if (at && at->set)
        k = snprintf(err, errlen, "--set %s: ", at->set);
    else if (at && at->line > 0)
        k = snprintf(err, errlen, "%s:%d:%d: ", origin, at->line, at->col);
    else
        k = snprintf(err, errlen, "%s: ", origin);
    if (path && !(at && at->set && !strcmp(path, at->set)) && k >= 0 && (size_t)k < errlen)
        k += snprintf(err + k, errlen - k, "%s: ", path);
    if (k >= 0 && (size_t)k < errlen) {
        va_list ap;
        va_start(ap, fmt);
        vsnprintf(err + k, errlen - k, fmt, ap);
        va_end(ap);
    }
    return -1;
}

const char *xp_yaml__what(const xp_ynode *n, char *buf, size_t len) {
    if (!n || (n->kind == XP_Y_SCALAR && n->null)) return "nothing";
    if (n->kind == XP_Y_MAP) return "a mapping";
    if (n->kind == XP_Y_SEQ) return "a sequence";
    snprintf(buf, len, "'%s'", n->str);
    return buf;
}

/* ---- parsing ---- */

typedef struct parse_state {
    const char *origin, *set; /* set: the --set key, or NULL */
    const char *text;
    size_t len;
    char *err;
    size_t errlen;
    xp_ynode *root;
    xp_ynode *stack[64];
    int depth;
} parse_state;

static int fail_at(parse_state *ps, yaml_mark_t m, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
static int fail_at(parse_state *ps, yaml_mark_t m, const char *fmt, ...) {
    char msg[512];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    xp_ynode at = {.line = (int)m.line + 1, .col = (int)m.column + 1, .set = (char *)ps->set};
    return xp_yaml__fail(ps->err, ps->errlen, ps->origin, &at, NULL, "%s", msg);
}

static int syntax_error(parse_state *ps, const yaml_parser_t *p) {
    if (p->error == YAML_MEMORY_ERROR)
        return xp_yaml__fail(ps->err, ps->errlen, ps->origin, NULL, NULL, "out of memory");
    const char *problem = p->problem ? p->problem : "cannot parse";
    size_t at = p->problem_mark.index;
    const char *tab = at < ps->len && ps->text[at] == '\t' ? "; indent with spaces, not tabs" : "";
    if (p->context)
        return fail_at(ps, p->problem_mark, "syntax error: %s (%s at line %zu, column %zu)%s", problem,
                       p->context, p->context_mark.line + 1, p->context_mark.column + 1, tab);
    return fail_at(ps, p->problem_mark, "syntax error: %s%s", problem, tab);
}

/* Adds a finished node to the open collection (or makes it the root). */
static int attach(parse_state *ps, xp_ynode *n, yaml_mark_t m) {
    if (ps->depth == 0) {
        ps->root = n;
        return 0;
    }
    xp_ynode *top = ps->stack[ps->depth - 1];
    if (top->kind == XP_Y_SEQ) {
        if (node_push(top, NULL, n)) goto oom;
        return 0;
    }
    if (top->n > 0 && top->vals[top->n - 1] == NULL) {
        top->vals[top->n - 1] = n;
        return 0;
    }
    /* n is a key */
    if (n->kind != XP_Y_SCALAR || n->null) {
        xp_yaml__free(n);
        return fail_at(ps, m, "keys must be plain names");
    }
    const xp_ynode *prev = xp_yaml__key(top, n->str);
    if (prev) {
        fail_at(ps, m, "duplicate key '%.200s' (first at line %d, column %d)", n->str, prev->line, prev->col);
        xp_yaml__free(n);
        return -1;
    }
    if (node_push(top, n, NULL)) goto oom;
    return 0;
oom:
    xp_yaml__free(n);
    return xp_yaml__fail(ps->err, ps->errlen, ps->origin, NULL, NULL, "out of memory");
}

/* Anchors, aliases and tags change what a document means in ways the schema
 * does not model; refuse them rather than ignore them. */
static int refuse_extras(parse_state *ps, const yaml_event_t *e, const yaml_char_t *anchor,
                         const yaml_char_t *tag) {
    if (anchor)
        return fail_at(ps, e->start_mark, "anchor '&%s' not supported (write the values out)",
                       (const char *)anchor);
    if (tag) return fail_at(ps, e->start_mark, "tag '%s' not supported", (const char *)tag);
    return 0;
}

static int on_event(parse_state *ps, const yaml_event_t *e, int *docs) {
    yaml_mark_t m = e->start_mark;
    int line = (int)m.line + 1, col = (int)m.column + 1;
    xp_ynode *n;
    switch (e->type) {
    case YAML_DOCUMENT_START_EVENT:
        if (++*docs > 1) return fail_at(ps, m, "more than one YAML document (remove the second '---')");
        return 0;
    case YAML_ALIAS_EVENT:
        return fail_at(ps, m, "alias '*%s' not supported (write the values out)",
                       (const char *)e->data.alias.anchor);
    case YAML_SCALAR_EVENT:
        if (refuse_extras(ps, e, e->data.scalar.anchor, e->data.scalar.tag)) return -1;
        if (!(n = node_new(XP_Y_SCALAR, line, col, ps->set)) ||
            scalar_set(n, (const char *)e->data.scalar.value, e->data.scalar.length,
                       e->data.scalar.style == YAML_PLAIN_SCALAR_STYLE)) {
            xp_yaml__free(n);
            return xp_yaml__fail(ps->err, ps->errlen, ps->origin, NULL, NULL, "out of memory");
        }
        return attach(ps, n, m);
    case YAML_MAPPING_START_EVENT:
    case YAML_SEQUENCE_START_EVENT: {
        int map = e->type == YAML_MAPPING_START_EVENT;
        if (refuse_extras(ps, e, map ? e->data.mapping_start.anchor : e->data.sequence_start.anchor,
                          map ? e->data.mapping_start.tag : e->data.sequence_start.tag))
            return -1;
        if (ps->depth == (int)(sizeof ps->stack / sizeof ps->stack[0]))
            return fail_at(ps, m, "nested too deeply");
        if (!(n = node_new(map ? XP_Y_MAP : XP_Y_SEQ, line, col, ps->set)))
            return xp_yaml__fail(ps->err, ps->errlen, ps->origin, NULL, NULL, "out of memory");
        if (attach(ps, n, m)) return -1;
        ps->stack[ps->depth++] = n;
        return 0;
    }
    case YAML_MAPPING_END_EVENT:
    case YAML_SEQUENCE_END_EVENT:
        ps->depth--;
        return 0;
    default:
        return 0;
    }
}

xp_ynode *xp_yaml__parse(const char *text, size_t len, const char *origin, int set_origin, char *err,
                         size_t errlen) {
    if (errlen) err[0] = '\0';
    parse_state ps = {.origin = origin,
                      .set = set_origin ? origin : NULL,
                      .text = text,
                      .len = len,
                      .err = err,
                      .errlen = errlen};
    yaml_parser_t p;
    if (!yaml_parser_initialize(&p)) {
        xp_yaml__fail(err, errlen, origin, NULL, NULL, "out of memory");
        return NULL;
    }
    yaml_parser_set_input_string(&p, (const unsigned char *)text, len);
    int docs = 0, done = 0, rc = 0;
    while (!done && rc == 0) {
        yaml_event_t e;
        if (!yaml_parser_parse(&p, &e)) {
            rc = syntax_error(&ps, &p);
            break;
        }
        done = e.type == YAML_STREAM_END_EVENT;
        rc = on_event(&ps, &e, &docs);
        yaml_event_delete(&e);
    }
    yaml_parser_delete(&p);
    if (rc == 0 && !ps.root && !(ps.root = node_new(XP_Y_SCALAR, 1, 1, ps.set))) rc = -1;
    if (rc == 0 && ps.root->kind == XP_Y_SCALAR && !ps.root->str) {
        ps.root->null = 1;
        if (!(ps.root->str = strdup(""))) rc = -1;
    }
    if (rc) {
        if (!err[0]) xp_yaml__fail(err, errlen, origin, NULL, NULL, "out of memory");
        xp_yaml__free(ps.root);
        return NULL;
    }
    return ps.root;
}

#define XP_FILE_MAX (16 << 20)

static char *read_file(const char *path, size_t *len, char *err, size_t errlen) {
    FILE *f = fopen(path, "rb");
    if (!f) {
        xp_yaml__fail(err, errlen, path, NULL, NULL, "cannot open: %s", strerror(errno));
        return NULL;
    }
    char *buf = malloc(XP_FILE_MAX + 1);
    size_t n = buf ? fread(buf, 1, XP_FILE_MAX + 1, f) : 0;
    int rerr = ferror(f) ? errno : 0;
    fclose(f);
    if (!buf || rerr || n > XP_FILE_MAX) {
        if (!buf)
            xp_yaml__fail(err, errlen, path, NULL, NULL, "out of memory");
        else if (rerr)
            xp_yaml__fail(err, errlen, path, NULL, NULL, "cannot read: %s", strerror(rerr));
        else
            xp_yaml__fail(err, errlen, path, NULL, NULL, "larger than %d MiB", XP_FILE_MAX >> 20);
        free(buf);
        return NULL;
    }
    buf[n] = '\0';
    *len = n;
    char *fit = realloc(buf, n + 1); /* give back the unused tail */
    if (fit) buf = fit;
    return buf;
}

xp_ynode *xp_yaml__load(const char *path, char **text, char *err, size_t errlen) {
    size_t len;
    char *buf = read_file(path, &len, err, errlen);
    if (!buf) return NULL;
    xp_ynode *root = xp_yaml__parse(buf, len, path, 0, err, errlen);
    if (root && root->kind == XP_Y_SCALAR && root->null) {
        xp_yaml__fail(err, errlen, path, NULL, NULL, "the file is empty");
        goto fail;
    }
    if (root && root->kind != XP_Y_MAP) {
        char got[160];
        xp_yaml__fail(err, errlen, path, root, NULL, "expected a mapping of keys at the top level, got %s",
                      xp_yaml__what(root, got, sizeof got));
        goto fail;
    }
    if (!root) goto fail;
    if (text)
        *text = buf;
    else
        free(buf);
    return root;
fail:
    xp_yaml__free(root);
    free(buf);
    return NULL;
}

/* ---- lookup and grafting ---- */

static long find(const xp_ynode *map, const char *key, size_t keylen) {
    if (!map || map->kind != XP_Y_MAP) return -1;
    for (size_t i = 0; i < map->n; i++)
        if (strlen(map->keys[i]->str) == keylen && !memcmp(map->keys[i]->str, key, keylen)) return (long)i;
    return -1;
}

xp_ynode *xp_yaml__get(const xp_ynode *map, const char *key) {
    long i = find(map, key, strlen(key));
    return i < 0 ? NULL : map->vals[i];
}

const xp_ynode *xp_yaml__key(const xp_ynode *map, const char *key) {
    long i = find(map, key, strlen(key));
    return i < 0 ? NULL : map->keys[i];
}

/* Follows `path` as far as it goes; *rest is where it stopped and *key the
 * key node of the last step (NULL if none was taken). */
static const xp_ynode *descend(const xp_ynode *n, const char *path, const char **rest, const xp_ynode **key) {
    const char *p = path;
    *key = NULL;
    while (*p) {
        const char *dot = strchr(p, '.');
        size_t k = dot ? (size_t)(dot - p) : strlen(p);
        long i = find(n, p, k);
        if (i < 0 || !n->vals[i]) break;
        *key = n->keys[i];
        n = n->vals[i];
        p += k + (dot ? 1 : 0);
        if (!dot) break;
    }
    *rest = p;
    return n;
}

xp_ynode *xp_yaml__path(const xp_ynode *root, const char *path) {
    const char *rest;
    const xp_ynode *key, *n = descend(root, path, &rest, &key);
    return *rest || !key ? NULL : (xp_ynode *)n;
}

const xp_ynode *xp_yaml__at(const xp_ynode *root, const char *path) {
    const char *rest;
    const xp_ynode *key, *n = descend(root, path, &rest, &key);
    if (!key) return NULL;
    return n->kind == XP_Y_MAP ? key : n;
}

int xp_yaml__graft(xp_ynode *root, const char *path, xp_ynode *value, const xp_ynode *where, char *err,
                   size_t errlen) {
    xp_ynode *cur = root;
    const char *p = path;
    for (;;) {
        const char *dot = strchr(p, '.');
        size_t k = dot ? (size_t)(dot - p) : strlen(p);
        if (k == 0) {
            snprintf(err, errlen, "empty name in key path '%s'", path);
            goto fail;
        }
        long i = find(cur, p, k);
        if (i >= 0 && !dot) {
            xp_yaml__free(cur->vals[i]);
            cur->vals[i] = value;
            return 0;
        }
        if (i >= 0) {
            xp_ynode *next = cur->vals[i];
            if (next->kind == XP_Y_SCALAR && next->null) {
                free(next->str);
                next->str = NULL;
                next->null = 0;
                next->kind = XP_Y_MAP;
            } else if (next->kind != XP_Y_MAP) {
                snprintf(err, errlen, "'%.*s' is a value, not a section", (int)(dot - path), path);
                goto fail;
            }
            cur = next;
            p = dot + 1;
            continue;
        }
        xp_ynode *key = node_new(XP_Y_SCALAR, where->line, where->col, where->set);
        xp_ynode *val = dot ? node_new(XP_Y_MAP, where->line, where->col, where->set) : value;
        if (!key || !val || !(key->str = strndup(p, k)) || node_push(cur, key, val)) {
            xp_yaml__free(key);
            if (val != value) xp_yaml__free(val);
            snprintf(err, errlen, "out of memory");
            goto fail;
        }
        if (!dot) return 0;
        cur = val;
        p = dot + 1;
    }
fail:
    xp_yaml__free(value);
    return -1;
}
