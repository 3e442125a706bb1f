/* Internal to experiments/: a schema table describing every key a YAML file
 * may hold (its dotted path, type, unit, range and where its value goes),
 * and the walk that reads a document tree (yaml_tree.h) into a struct with
 * it. The walk first rejects unknown keys (with a "did you mean") and
 * non-mappings where sections belong, then fills fields in table order — so
 * a table lists a key that must be applied first (a preset) before the keys
 * that override it, whatever order the file uses. */
#ifndef XP_SCHEMA_H
#define XP_SCHEMA_H

#include <stddef.h>

#include "experiments/yaml_tree.h"

typedef enum {
    XP_T_MAP = 0, /* a section: a mapping of further keys (a null value counts as empty) */
    XP_T_STR,     /* char[size] */
    XP_T_NAME,    /* char[size] of [a-z0-9_-]+ */
    XP_T_BOOL,    /* int: true | false */
    XP_T_U32,     /* uint32_t */
    XP_T_U64,     /* uint64_t */
    XP_T_F64,     /* double */
    XP_T_DUR,     /* rt_time_t: 20ms, 1.5s, 24h */
    XP_T_BW,      /* double bytes/s: 100Mbps, 2MB/s */
    XP_T_SPEED,   /* double flops/s: 2Gf */
    XP_T_SIZE,    /* uint32_t bytes: 100B, 4kB, 64 */
    XP_T_ENUM,    /* int: index of the value in `names` */
    XP_T_STRLIST, /* a sequence of strings; checked, not stored */
    XP_T_HOOK,    /* read by `hook` */
    XP_T_OTHER    /* read by the caller before or after the walk */
} xp_type;

enum {
    XP_F_REQUIRED = 1, /* an error if absent */
    XP_F_OPEN = 2,     /* map: unknown keys are not errors; the hook reads them */
    XP_F_ASAP = 4,     /* duration: the word asap means 0 */
    XP_F_LO_OPEN = 8   /* the range excludes lo */
};

typedef struct xp_walk xp_walk;
typedef struct xp_field xp_field;

/* Reads a value: `key` is its key node, `val` its value (never NULL).
 * Returns 0, or -1 with a message in w->err. */
typedef int (*xp_hook)(xp_walk *w, const xp_field *f, const xp_ynode *key, const xp_ynode *val);

struct xp_field {
    const char *path; /* dotted, e.g. topology.wan.latency */
    xp_type type;
    size_t off, size;         /* where the value goes in the walk's base struct */
    double lo, hi;            /* numeric range (durations in ns, sizes in bytes) */
    unsigned flags;           /* XP_F_* */
    const char *const *names; /* XP_T_ENUM: NULL-terminated, index = value */
    xp_hook hook;             /* XP_T_HOOK: reads the value; XP_T_MAP: runs when the section is present */
    const char *alias;        /* how *_check() messages name this field, when not by its path */
};

struct xp_walk {
    const char *origin;    /* the file, for messages */
    const xp_ynode *root;  /* borrowed */
    void *base;            /* the struct the fields' offsets point into */
    const xp_field *table; /* and its length */
    size_t n;
    char *err;
    size_t errlen;
};

/* Checks the tree's keys against the table, then reads every present field
 * into w->base. Returns 0, or -1 with "file:line:column: path: message". */
int xp_schema__walk(xp_walk *w);
/* The table entry for a dotted path, or NULL. */
const xp_field *xp_schema__find(const xp_walk *w, const char *path);
/* Writes "; did you mean 'section.x'?" for the key x of `section` closest
 * to `word` if it is a likely typo, else "". */
void xp_schema__hint(const xp_walk *w, const char *section, const char *word, char *buf, size_t len);
/* Reports a *_check() message (which names a field, e.g. "edge.window must
 * be > 0") at that field's node, or at `section`'s if the field is not in
 * the file, or without a location; a field named by its alias is renamed to
 * its path. Returns -1. */
int xp_schema__relocate(xp_walk *w, const char *section, const char *msg);

/* The candidate closest to `word` by edit distance if it is close enough to
 * be a likely typo, else NULL. `cands` is NULL-terminated. */
const char *xp_suggest__best(const char *word, const char *const *cands);
/* Writes "; did you mean 'x'?" or "" into buf. */
void xp_suggest__hint(char *buf, size_t len, const char *word, const char *const *cands);
/* Writes "a, b, c" into buf. */
void xp_suggest__join(char *buf, size_t len, const char *const *names);

#endif
