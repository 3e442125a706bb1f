/* Training files in HDF5 (see ckpt_h5.h): the checkpoint writer, a visitor
 * that stores each named array of a model as a dataset (float32) or an
 * attribute (float64); the learning-curve table; and the readers that replay
 * a checkpoint into any visitor. HDF5's own error printing is silenced and
 * its innermost message is appended to ours. */
#include "analysis/ckpt_h5.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "analysis/files.h"
#include "analysis/results_h5.h"

#define NAMES_ATTR "arrays"

struct an_ckpt_h5 {
    char path[4096], tmp[4100];
    hid_t f;
    hid_t untimed; /* group creation properties without modification times */
    an_h5_quiet q;
    char *names; /* NAMES_ATTR's text */
    size_t nlen, ncap;
    char err[5200]; /* the first failure */
};

/* Records the first failure (with HDF5's innermost message); returns -1. */
static int failed(an_ckpt_h5 *w, const char *what, const char *item) {
    if (w->err[0]) return -1;
    char h5[256];
    an_results__h5_error(h5, sizeof h5);
    snprintf(w->err, sizeof w->err, "%s: cannot %s %s%s%s", w->path, what, item, h5[0] ? ": " : "", h5);
    return -1;
}

an_ckpt_h5 *an_ckpt_h5_create(const char *path, char *err, size_t errlen) {
    an_ckpt_h5 *w = calloc(1, sizeof *w);
    if (!w || strlen(path) >= sizeof w->path) {
        snprintf(err, errlen, "%s: %s", path, w ? "path too long" : "out of memory");
        free(w);
        return NULL;
    }
    snprintf(w->path, sizeof w->path, "%s", path);
    snprintf(w->tmp, sizeof w->tmp, "%s.tmp", path);
    if (an_files__mkparents(path, err, errlen) != 0) {
        free(w);
        return NULL;
    }
    an_results__quiet_begin(&w->q);
    hid_t fapl = H5Pcreate(H5P_FILE_ACCESS);
    H5Pset_libver_bounds(fapl, H5F_LIBVER_V18, H5F_LIBVER_LATEST);
    /* Without object times, the same weights give the same file bytes. */
    hid_t fcpl = H5Pcreate(H5P_FILE_CREATE);
    H5Pset_obj_track_times(fcpl, 0);
    w->untimed = H5Pcreate(H5P_GROUP_CREATE);
    H5Pset_obj_track_times(w->untimed, 0);
    w->f = H5Fcreate(w->tmp, H5F_ACC_TRUNC, fcpl, fapl);
    H5Pclose(fcpl);
    H5Pclose(fapl);
    if (w->f < 0) {
        char h5[256];
        an_results__h5_error(h5, sizeof h5);
        snprintf(err, errlen, "%s: cannot create: %s", path, h5);
        an_results__quiet_end(&w->q);
        H5Pclose(w->untimed);
        free(w);
        return NULL;
    }
    return w;
}

/* The group that holds `name`'s last component (created with its parents
 * if missing), and that component in *leaf; -1 on failure. */
static hid_t parent_group(an_ckpt_h5 *w, const char *name, const char **leaf) {
    const char *slash = strrchr(name, '/');
    *leaf = slash ? slash + 1 : name;
    char path[256];
    size_t plen = slash ? (size_t)(slash - name) : 0;
    if (plen >= sizeof path) return failed(w, "store", name);
    memcpy(path, name, plen);
    path[plen] = 0;
    for (size_t i = 1; i <= plen; i++) {
        if (i < plen && path[i] != '/') continue;
        char save = path[i];
        path[i] = 0;
        htri_t e = H5Lexists(w->f, path, H5P_DEFAULT);
        hid_t g = e == 0 ? H5Gcreate2(w->f, path, H5P_DEFAULT, w->untimed, H5P_DEFAULT) : -1;
        path[i] = save;
        if (e < 0 || (e == 0 && g < 0)) return failed(w, "create the group of", name);
        if (e == 0) H5Gclose(g);
    }
    hid_t g = H5Gopen2(w->f, plen ? path : "/", H5P_DEFAULT);
    return g < 0 ? failed(w, "open the group of", name) : g;
}

static int valid_name(const char *name) {
    size_t n = strlen(name);
    return n > 0 && n < 256 && name[0] != '/' && name[n - 1] != '/' && !strstr(name, "//") &&
           !strchr(name, '\n');
}

static int write_array(an_ckpt_h5 *w, hid_t g, const char *leaf, pol_nn_dtype dtype, const void *data,
                       size_t n) {
    hsize_t dims = n;
    hid_t sp = dtype == POL_NN_F64 && n == 1 ? H5Screate(H5S_SCALAR) : H5Screate_simple(1, &dims, NULL);
    int rc = -1;
    if (dtype == POL_NN_F64) {
        hid_t a = H5Acreate2(g, leaf, H5T_IEEE_F64LE, sp, H5P_DEFAULT, H5P_DEFAULT);
        rc = a >= 0 && H5Awrite(a, H5T_NATIVE_DOUBLE, data) >= 0 ? 0 : -1;
        if (a >= 0) H5Aclose(a);
    } else {
        hid_t dcpl = H5Pcreate(H5P_DATASET_CREATE);
        H5Pset_obj_track_times(dcpl, 0);
        if (n > 0) {
            H5Pset_chunk(dcpl, 1, &dims);
            H5Pset_fletcher32(dcpl);
        }
        hid_t d = H5Dcreate2(g, leaf, H5T_IEEE_F32LE, sp, H5P_DEFAULT, dcpl, H5P_DEFAULT);
        rc = d >= 0 && (n == 0 || H5Dwrite(d, H5T_NATIVE_FLOAT, H5S_ALL, H5S_ALL, H5P_DEFAULT, data) >= 0)
                 ? 0
                 : -1;
        if (d >= 0) H5Dclose(d);
        H5Pclose(dcpl);
    }
    H5Sclose(sp);
    return rc;
}

int an_ckpt_h5_put(void *ctx, const char *name, pol_nn_dtype dtype, void *data, size_t n) {
    an_ckpt_h5 *w = ctx;
    if (w->err[0]) return -1;
    if (!valid_name(name) || (dtype != POL_NN_F32 && dtype != POL_NN_F64)) {
        snprintf(w->err, sizeof w->err, "%s: cannot store array '%s': bad name or type", w->path, name);
        return -1;
    }
    const char *leaf;
    hid_t g = parent_group(w, name, &leaf);
    if (g < 0) return -1;
    int rc = write_array(w, g, leaf, dtype, data, n);
    H5Gclose(g);
    if (rc != 0) return failed(w, "store array", name);
    size_t len = strlen(name) + 1;
    if (w->nlen + len + 1 > w->ncap) {
        size_t cap = 2 * (w->ncap + len + 1);
        char *p = realloc(w->names, cap);
        if (!p) return failed(w, "store (out of memory)", name);
        w->names = p;
        w->ncap = cap;
    }
    memcpy(w->names + w->nlen, name, len - 1);
    w->names[w->nlen + len - 1] = '\n';
    w->nlen += len;
    w->names[w->nlen] = 0;
    return 0;
}

static int attr_str(hid_t loc, const char *key, const char *value) {
    hid_t t = H5Tcopy(H5T_C_S1), sp = H5Screate(H5S_SCALAR);
    H5Tset_size(t, H5T_VARIABLE);
    H5Tset_cset(t, H5T_CSET_UTF8);
    hid_t a = H5Acreate2(loc, key, t, sp, H5P_DEFAULT, H5P_DEFAULT);
    const char *v = value ? value : "";
    int rc = a >= 0 && H5Awrite(a, t, &v) >= 0 ? 0 : -1;
    if (a >= 0) H5Aclose(a);
    H5Sclose(sp);
    H5Tclose(t);
    return rc;
}

int an_ckpt_h5_attr_str(an_ckpt_h5 *w, const char *key, const char *value) {
    if (w->err[0]) return -1;
    return attr_str(w->f, key, value) == 0 ? 0 : failed(w, "write attribute", key);
}

int an_ckpt_h5_attr_num(an_ckpt_h5 *w, const char *key, double value) {
    if (w->err[0]) return -1;
    return write_array(w, w->f, key, POL_NN_F64, &value, 1) == 0 ? 0 : failed(w, "write attribute", key);
}

#define COL(t, field, type) H5Tinsert(t, #field, HOFFSET(an_curve_row, field), type)
static hid_t curve_type(void) {
    hid_t t = H5Tcreate(H5T_COMPOUND, sizeof(an_curve_row));
    COL(t, episode, H5T_NATIVE_UINT32);
    COL(t, seed, H5T_NATIVE_UINT64);
    H5Tinsert(t, "return", HOFFSET(an_curve_row, ret), H5T_NATIVE_DOUBLE);
    COL(t, cost_usd, H5T_NATIVE_DOUBLE);
    COL(t, slo_share, H5T_NATIVE_DOUBLE);
    COL(t, latency_p95_ms, H5T_NATIVE_DOUBLE);
    COL(t, steps, H5T_NATIVE_UINT64);
    COL(t, wall_s, H5T_NATIVE_DOUBLE);
    return t;
}
#undef COL

int an_ckpt_h5_curve(an_ckpt_h5 *w, const an_curve_row *rows, size_t n) {
    if (w->err[0]) return -1;
    hsize_t dims = n, maxdims = H5S_UNLIMITED;
    hid_t mem = curve_type(), ft = H5Tcopy(mem), sp = H5Screate_simple(1, &dims, &maxdims);
    H5Tpack(ft);
    hid_t dcpl = an_results__dataset_props(n);
    H5Pset_obj_track_times(dcpl, 0);
    hid_t d = H5Dcreate2(w->f, "curve", ft, sp, H5P_DEFAULT, dcpl, H5P_DEFAULT);
    int rc = d >= 0 && (n == 0 || H5Dwrite(d, mem, H5S_ALL, H5S_ALL, H5P_DEFAULT, rows) >= 0) ? 0 : -1;
    if (d >= 0) H5Dclose(d);
    H5Pclose(dcpl);
    H5Sclose(sp);
    H5Tclose(ft);
    H5Tclose(mem);
    return rc == 0 ? 0 : failed(w, "write", "/curve");
}

int an_ckpt_h5_close(an_ckpt_h5 *w, int commit, char *err, size_t errlen) {
    if (commit && w->names && !w->err[0] && attr_str(w->f, NAMES_ATTR, w->names) != 0)
        failed(w, "write attribute", NAMES_ATTR);
    if (H5Fclose(w->f) < 0) failed(w, "close", "the file");
    H5Pclose(w->untimed);
    if (commit && !w->err[0] && rename(w->tmp, w->path) != 0)
        snprintf(w->err, sizeof w->err, "%s: cannot rename the temporary file into place: %s", w->path,
                 strerror(errno));
    int rc = commit && !w->err[0] ? 0 : -1;
    if (rc != 0) remove(w->tmp);
    if (w->err[0]) snprintf(err, errlen, "%s", w->err);
    an_results__quiet_end(&w->q);
    free(w->names);
    free(w);
    return commit && rc != 0 ? -1 : 0;
}

/* Reading. */

typedef struct reader {
    const char *path;
    hid_t f;
    an_h5_quiet q;
    char *err;
    size_t errlen;
} reader;

static int rfail(reader *r, const char *what) {
    char h5[256];
    an_results__h5_error(h5, sizeof h5);
    snprintf(r->err, r->errlen, "%s: %s%s%s", r->path, what, h5[0] ? ": " : "", h5);
    return -1;
}

static int ropen(reader *r, const char *path, char *err, size_t errlen) {
    *r = (reader){.path = path, .f = -1, .err = err, .errlen = errlen};
    an_results__quiet_begin(&r->q);
    struct stat st;
    if (stat(path, &st) != 0)
        snprintf(err, errlen, "%s: cannot open: %s", path, strerror(errno));
    else if (H5Fis_hdf5(path) <= 0)
        snprintf(err, errlen, "%s: not an HDF5 file (corrupt, or not a sparkiot checkpoint)", path);
    else if ((r->f = H5Fopen(path, H5F_ACC_RDONLY, H5P_DEFAULT)) < 0)
        rfail(r, "cannot open (damaged?)");
    if (r->f >= 0) return 0;
    H5Eclear2(H5E_DEFAULT);
    an_results__quiet_end(&r->q);
    return -1;
}

static void rclose(reader *r) {
    H5Fclose(r->f);
    an_results__quiet_end(&r->q);
}

/* The string attribute key of the root into a new string *out (free()). */
static int read_str(reader *r, const char *key, char **out) {
    if (H5Aexists(r->f, key) <= 0) {
        snprintf(r->err, r->errlen, "%s: no attribute '%s' (not a sparkiot checkpoint?)", r->path, key);
        return -1;
    }
    hid_t a = H5Aopen(r->f, key, H5P_DEFAULT), t = H5Tcopy(H5T_C_S1);
    H5Tset_size(t, H5T_VARIABLE);
    H5Tset_cset(t, H5T_CSET_UTF8);
    char *s = NULL;
    int rc = a >= 0 && H5Aread(a, t, &s) >= 0 ? 0 : -1;
    if (a >= 0) H5Aclose(a);
    H5Tclose(t);
    if (rc != 0 || !s) return rfail(r, "cannot read its attribute");
    *out = strdup(s);
    H5free_memory(s);
    if (!*out) return rfail(r, "out of memory");
    return 0;
}

/* 1 if every component of path names a link, 0 if not. */
static int path_exists(hid_t f, const char *path) {
    char p[256];
    snprintf(p, sizeof p, "%s", path);
    for (char *s = p;; s++) {
        if (*s && *s != '/') continue;
        char save = *s;
        *s = 0;
        htri_t e = H5Lexists(f, p, H5P_DEFAULT);
        *s = save;
        if (e <= 0) return 0;
        if (!save) return 1;
    }
}

/* Reads array `name` into a new buffer *buf of *n values of *dtype. */
static int read_array(reader *r, const char *name, pol_nn_dtype *dtype, void **buf, size_t *n) {
    char parent[256];
    const char *slash = strrchr(name, '/'), *leaf = slash ? slash + 1 : name;
    snprintf(parent, sizeof parent, "%.*s", slash ? (int)(slash - name) : 1, slash ? name : "/");
    char what[320];
    snprintf(what, sizeof what, "cannot read array '%s'", name);
    int is_attr =
        (!slash || path_exists(r->f, parent)) && H5Aexists_by_name(r->f, parent, leaf, H5P_DEFAULT) > 0;
    if (!is_attr && !path_exists(r->f, name)) {
        H5Eclear2(H5E_DEFAULT);
        snprintf(r->err, r->errlen, "%s: missing array '%s'", r->path, name);
        return -1;
    }
    hid_t o = is_attr ? H5Aopen_by_name(r->f, parent, leaf, H5P_DEFAULT, H5P_DEFAULT)
                      : H5Dopen2(r->f, name, H5P_DEFAULT);
    if (o < 0) return rfail(r, what);
    hid_t sp = is_attr ? H5Aget_space(o) : H5Dget_space(o);
    hssize_t pts = sp >= 0 ? H5Sget_simple_extent_npoints(sp) : -1;
    if (sp >= 0) H5Sclose(sp);
    *dtype = is_attr ? POL_NN_F64 : POL_NN_F32;
    size_t size = is_attr ? sizeof(double) : sizeof(float);
    *n = pts > 0 ? (size_t)pts : 0;
    *buf = malloc(*n ? *n * size : 1);
    herr_t got = -1;
    if (*buf && pts >= 0)
        got = is_attr ? H5Aread(o, H5T_NATIVE_DOUBLE, *buf)
                      : (*n ? H5Dread(o, H5T_NATIVE_FLOAT, H5S_ALL, H5S_ALL, H5P_DEFAULT, *buf) : 0);
    if (is_attr)
        H5Aclose(o);
    else
        H5Dclose(o);
    if (got < 0) {
        free(*buf);
        *buf = NULL;
        return rfail(r, what);
    }
    return 0;
}

int an_ckpt_h5_read(const char *path, pol_nn_visit_fn fn, void *ctx, char *err, size_t errlen) {
    reader r;
    if (ropen(&r, path, err, errlen) != 0) return -1;
    char *names = NULL;
    int rc = read_str(&r, NAMES_ATTR, &names);
    for (char *s = names, *nl; rc == 0 && s && (nl = strchr(s, '\n')); s = nl + 1) {
        *nl = 0;
        pol_nn_dtype dtype;
        void *buf = NULL;
        size_t n;
        rc = read_array(&r, s, &dtype, &buf, &n);
        if (rc == 0 && (rc = fn(ctx, s, dtype, buf, n)) != 0)
            snprintf(err, errlen, "%s: array '%s' was refused (error %d)", path, s, rc);
        free(buf);
    }
    free(names);
    rclose(&r);
    return rc;
}

int an_ckpt_h5_read_str(const char *path, const char *key, char *buf, size_t len, char *err, size_t errlen) {
    reader r;
    if (ropen(&r, path, err, errlen) != 0) return -1;
    char *s = NULL;
    int rc = read_str(&r, key, &s);
    if (rc == 0) snprintf(buf, len, "%s", s);
    free(s);
    rclose(&r);
    return rc;
}

int an_ckpt_h5_read_curve(const char *path, an_curve_row **rows, size_t *n, char *err, size_t errlen) {
    reader r;
    *rows = NULL;
    *n = 0;
    if (ropen(&r, path, err, errlen) != 0) return -1;
    int rc = -1;
    hid_t d = path_exists(r.f, "curve") ? H5Dopen2(r.f, "curve", H5P_DEFAULT) : -1;
    hid_t sp = d >= 0 ? H5Dget_space(d) : -1;
    hssize_t pts = sp >= 0 ? H5Sget_simple_extent_npoints(sp) : -1;
    if (pts >= 0 && (*rows = malloc(pts ? (size_t)pts * sizeof **rows : 1))) {
        hid_t t = curve_type();
        rc = pts == 0 || H5Dread(d, t, H5S_ALL, H5S_ALL, H5P_DEFAULT, *rows) >= 0 ? 0 : -1;
        H5Tclose(t);
    }
    if (sp >= 0) H5Sclose(sp);
    if (d >= 0) H5Dclose(d);
    if (rc == 0) {
        *n = (size_t)pts;
    } else {
        free(*rows);
        *rows = NULL;
        rfail(&r, "cannot read its learning curve /curve");
    }
    rclose(&r);
    return rc;
}
