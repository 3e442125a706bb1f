/* Internal to experiments/: a small YAML document tree built with libyaml.
 * Scenario and cloud-profile files are parsed into it first; variant and
 * command-line overrides are grafted onto it; the schema walk (schema.h)
 * then reads it into option structs. Every node keeps where it came from —
 * a 1-based line:column in the file, or the --set that made it — so each
 * message can point at the offending text. */
#ifndef XP_YAML_TREE_H
#define XP_YAML_TREE_H

#include <stddef.h>

typedef enum { XP_Y_SCALAR = 0, XP_Y_MAP, XP_Y_SEQ } xp_ykind;

typedef struct xp_ynode xp_ynode;
struct xp_ynode {
    xp_ykind kind;
    int line, col;   /* 1-based; 0 for nodes made by a --set */
    char *set;       /* the --set key path that made this node (owned), or NULL */
    char *str;       /* scalar: its text (owned, NUL-terminated) */
    int null;        /* scalar: plain empty, ~ or null */
    xp_ynode **keys; /* map: key scalars, parallel to vals */
    xp_ynode **vals; /* map: values; seq: items */
    size_t n, cap;
};

/* Parses one YAML document. `origin` names the input in messages: a file
 * path, or for a --set value its key path (then set_origin is nonzero and
 * every node is marked as made by that --set). Rejects duplicate keys,
 * anchors, aliases, explicit tags, non-scalar keys and more than one
 * document. An input with no document gives a null scalar. Returns the root
 * (free with xp_yaml__free) or NULL with "origin:line:column: message". */
xp_ynode *xp_yaml__parse(const char *text, size_t len, const char *origin, int set_origin, char *err,
                         size_t errlen);
void xp_yaml__free(xp_ynode *n);
/* Reads and parses the file at `path`, whose top level must be a mapping.
 * If text is not NULL it receives the file's text (NUL-terminated; the
 * caller frees it). Returns the root or NULL with "path: cannot open: ...",
 * "path: the file is empty", a syntax error, and so on. */
xp_ynode *xp_yaml__load(const char *path, char **text, char *err, size_t errlen);
/* A deep copy (NULL on out of memory). */
xp_ynode *xp_yaml__copy(const xp_ynode *n);

/* The value under `key` of a mapping (NULL if absent or n is not a map);
 * xp_yaml__key gives the key node itself. */
xp_ynode *xp_yaml__get(const xp_ynode *map, const char *key);
const xp_ynode *xp_yaml__key(const xp_ynode *map, const char *key);
/* The node at a dotted path ("topology.wan.latency"), or NULL. */
xp_ynode *xp_yaml__path(const xp_ynode *root, const char *path);
/* What a message about `path` should point at: the node of its longest
 * prefix that exists — its value, or for a section its key (a block
 * mapping starts at its first key, not where the section is named).
 * NULL if not even the first name exists. */
const xp_ynode *xp_yaml__at(const xp_ynode *root, const char *path);

/* Puts `value` (ownership passes in, also on failure) at dotted `path`
 * under the mapping `root`, replacing what was there and creating
 * intermediate mappings (null values count as empty mappings). New key and
 * mapping nodes take their location from `where`. Returns 0, or -1 with a
 * message (without location) if a segment is empty or an intermediate node
 * is not a mapping. */
int xp_yaml__graft(xp_ynode *root, const char *path, xp_ynode *value, const xp_ynode *where, char *err,
                   size_t errlen);

/* Writes "origin:line:column: " (or "--set key: " for a --set node, or
 * "origin: " if at is NULL), then "path: " unless path is NULL or is the
 * --set's own key path, then the formatted message. Returns -1. */
int xp_yaml__fail(char *err, size_t errlen, const char *origin, const xp_ynode *at, const char *path,
                  const char *fmt, ...) __attribute__((format(printf, 6, 7)));

/* "a mapping", "a sequence", "nothing" or the quoted scalar, for messages. */
const char *xp_yaml__what(const xp_ynode *n, char *buf, size_t len);

#endif
