/* Folders of results: creating the output folders of the writer and of the
 * figures, and walking a results folder (`<scenario>/<variant>/seed-<n>.h5`)
 * for the files that tables and figures summarise. */
#include "analysis/files.h"

#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "analysis/results.h"

int an_files__mkdirs(const char *dir, char *err, size_t errlen) {
    size_t len = strlen(dir);
    char *p = malloc(len + 1);
    if (!p) {
        snprintf(err, errlen, "%s: out of memory", dir);
        return -1;
    }
    memcpy(p, dir, len + 1);
    int rc = 0;
    for (size_t i = 1; i <= len && rc == 0; i++) {
        if (p[i] != '/' && p[i] != '\0') continue;
        char c = p[i];
        p[i] = '\0';
        struct stat st;
        if (mkdir(p, 0777) != 0 && (errno != EEXIST || stat(p, &st) != 0 || !S_ISDIR(st.st_mode))) {
            snprintf(err, errlen, "cannot create folder %s: %s", p,
                     errno == EEXIST ? "not a folder" : strerror(errno));
            rc = -1;
        }
        p[i] = c;
    }
    free(p);
    return rc;
}

int an_files__mkparents(const char *path, char *err, size_t errlen) {
    const char *slash = strrchr(path, '/');
    if (!slash || slash == path) return 0;
    size_t len = (size_t)(slash - path);
    char *dir = malloc(len + 1);
    if (!dir) {
        snprintf(err, errlen, "%s: out of memory", path);
        return -1;
    }
    memcpy(dir, path, len);
    dir[len] = '\0';
    int rc = an_files__mkdirs(dir, err, errlen);
    free(dir);
    return rc;
}

typedef struct path_list {
    char **v;
    size_t n, cap;
} path_list;

static int push(path_list *l, char *s) {
    if (l->n == l->cap) {
        size_t cap = l->cap ? 2 * l->cap : 16;
        char **v = realloc(l->v, cap * sizeof *v);
        if (!v) return -1;
        l->v = v;
        l->cap = cap;
    }
    l->v[l->n++] = s;
    return 0;
}

static int ends_with(const char *s, const char *suffix) {
    size_t a = strlen(s), b = strlen(suffix);
    return a >= b && strcmp(s + a - b, suffix) == 0;
}

static int walk(const char *dir, path_list *l, char *err, size_t errlen) {
    DIR *d = opendir(dir);
    if (!d) {
        snprintf(err, errlen, "cannot read folder %s: %s", dir, strerror(errno));
        return -1;
    }
    int rc = 0;
    struct dirent *e;
    while (rc == 0 && (e = readdir(d)) != NULL) {
        if (e->d_name[0] == '.') continue;
        size_t len = strlen(dir) + strlen(e->d_name) + 2;
        char *p = malloc(len);
        if (!p) {
            snprintf(err, errlen, "%s: out of memory", dir);
            rc = -1;
            break;
        }
        snprintf(p, len, "%s/%s", dir, e->d_name);
        struct stat st;
        if (stat(p, &st) == 0 && S_ISDIR(st.st_mode)) {
            rc = walk(p, l, err, errlen);
            free(p);
        } else if (ends_with(p, ".h5")) {
            if (push(l, p) != 0) {
                free(p);
                snprintf(err, errlen, "%s: out of memory", dir);
                rc = -1;
            }
        } else {
            free(p);
        }
    }
    closedir(d);
    return rc;
}

static int cmp_str(const void *a, const void *b) { return strcmp(*(char *const *)a, *(char *const *)b); }

int an_results_find(const char *dir, char ***paths, size_t *n, char *err, size_t errlen) {
    path_list l = {0};
    size_t len = strlen(dir);
    while (len > 1 && dir[len - 1] == '/') len--;
    char *root = malloc(len + 1);
    if (!root) {
        snprintf(err, errlen, "%s: out of memory", dir);
        return -1;
    }
    memcpy(root, dir, len);
    root[len] = '\0';
    int rc = walk(root, &l, err, errlen);
    free(root);
    if (rc != 0) {
        an_results_paths_free(l.v, l.n);
        return -1;
    }
    if (l.n) qsort(l.v, l.n, sizeof *l.v, cmp_str);
    *paths = l.v;
    *n = l.n;
    return 0;
}

void an_results_paths_free(char **paths, size_t n) {
    for (size_t i = 0; i < n; i++) free(paths[i]);
    free(paths);
}
