/* The result reader: gives `inspect`, the tables and the figures what they
 * need from a result file written by results_write.c (schema in
 * docs/results.md). Every failure names the file and the missing or
 * malformed item; HDF5's own error printing is silenced. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "analysis/results.h"
#include "analysis/results_h5.h"

typedef struct reader {
    const char *path;
    char *err;
    size_t errlen;
    hid_t f;
    an_h5_quiet q;
} reader;

static int fail(reader *r, const char *what, const char *item) {
    char h5[256];
    an_results__h5_error(h5, sizeof h5);
    snprintf(r->err, r->errlen, "%s: %s %s%s%s", r->path, what, item, h5[0] ? ": " : "", h5);
    return -1;
}

static int open_file(reader *r, const char *path, char *err, size_t errlen) {
    r->path = path;
    r->err = err;
    r->errlen = errlen;
    r->f = -1;
    an_results__quiet_begin(&r->q);
    struct stat st;
    if (stat(path, &st) != 0) {
        snprintf(err, errlen, "%s: cannot open: %s", path, strerror(errno));
    } else if (H5Fis_hdf5(path) <= 0) {
        H5Eclear2(H5E_DEFAULT);
        snprintf(err, errlen, "%s: not an HDF5 file (corrupt or not a sparkiot result)", path);
    } else if ((r->f = H5Fopen(path, H5F_ACC_RDONLY, H5P_DEFAULT)) < 0) {
        fail(r, "cannot open", "the file");
    }
    if (r->f >= 0) return 0;
    an_results__quiet_end(&r->q);
    return -1;
}

static void close_file(reader *r) {
    if (r->f >= 0) H5Fclose(r->f);
    an_results__quiet_end(&r->q);
}

static hid_t open_group(reader *r, const char *name) {
    if (H5Lexists(r->f, name, H5P_DEFAULT) <= 0) {
        H5Eclear2(H5E_DEFAULT);
        snprintf(r->err, r->errlen, "%s: missing group /%s (not a sparkiot result file?)", r->path, name);
        return -1;
    }
    hid_t g = H5Gopen2(r->f, name, H5P_DEFAULT);
    if (g < 0) fail(r, "cannot open group", name);
    return g;
}

/* Opens attribute `name` of group `g` (called `gname`), or reports it. */
static hid_t open_attr(reader *r, hid_t g, const char *gname, const char *name) {
    if (H5Aexists(g, name) <= 0) {
        H5Eclear2(H5E_DEFAULT);
        snprintf(r->err, r->errlen, "%s: missing attribute /%s/%s", r->path, gname, name);
        return -1;
    }
    hid_t a = H5Aopen(g, name, H5P_DEFAULT);
    if (a < 0) fail(r, "cannot open attribute", name);
    return a;
}

static int read_num(reader *r, hid_t g, const char *gname, const char *name, hid_t mem, void *v) {
    hid_t a = open_attr(r, g, gname, name);
    if (a < 0) return -1;
    int rc = H5Aread(a, mem, v) >= 0 ? 0 : fail(r, "cannot read attribute", name);
    H5Aclose(a);
    return rc;
}

/* A string attribute, variable- or fixed-length, truncated to len - 1 bytes. */
static int read_str(reader *r, hid_t g, const char *gname, const char *name, char *buf, size_t len) {
    hid_t a = open_attr(r, g, gname, name);
    if (a < 0) return -1;
    int rc = -1;
    hid_t ft = H5Aget_type(a);
    if (H5Tget_class(ft) != H5T_STRING) {
        snprintf(r->err, r->errlen, "%s: attribute /%s/%s is not a string", r->path, gname, name);
    } else if (H5Tis_variable_str(ft) > 0) {
        hid_t mt = H5Tcopy(H5T_C_S1);
        H5Tset_size(mt, H5T_VARIABLE);
        H5Tset_cset(mt, H5Tget_cset(ft));
        char *s = NULL;
        if (H5Aread(a, mt, &s) >= 0) {
            snprintf(buf, len, "%s", s ? s : "");
            H5free_memory(s);
            rc = 0;
        } else {
            fail(r, "cannot read attribute", name);
        }
        H5Tclose(mt);
    } else {
        size_t size = H5Tget_size(ft);
        char *s = calloc(size + 1, 1);
        hid_t mt = H5Tcopy(H5T_C_S1);
        H5Tset_size(mt, size + 1);
        H5Tset_cset(mt, H5Tget_cset(ft));
        if (s && H5Aread(a, mt, s) >= 0) {
            snprintf(buf, len, "%s", s);
            rc = 0;
        } else {
            fail(r, "cannot read attribute", name);
        }
        H5Tclose(mt);
        free(s);
    }
    H5Tclose(ft);
    H5Aclose(a);
    return rc;
}

static int read_meta(reader *r, an_run_summary *out) {
    hid_t g = open_group(r, "meta");
    if (g < 0) return -1;
    unsigned schema = 0;
    int rc = read_num(r, g, "meta", "schema_version", H5T_NATIVE_UINT, &schema);
    if (rc == 0 && schema > AN_RESULTS_SCHEMA_VERSION) {
        snprintf(r->err, r->errlen, "%s: schema version %u is newer than this sparkiot reads (%d)", r->path,
                 schema, AN_RESULTS_SCHEMA_VERSION);
        rc = -1;
    }
#define STR(attr, field) (rc = rc ? rc : read_str(r, g, "meta", attr, out->field, sizeof out->field))
    STR("scenario_name", scenario);
    STR("scenario_path", scenario_path);
    STR("scenario_sha256", scenario_sha256);
    STR("variant", variant);
    STR("version", version);
    STR("backend", backend);
    STR("allocator", allocator);
    STR("cloud", cloud);
#undef STR
    if (rc == 0) rc = read_num(r, g, "meta", "seed", H5T_NATIVE_UINT64, &out->seed);
    H5Gclose(g);
    return rc;
}

static int read_summary(reader *r, eng_summary *s) {
    hid_t g = open_group(r, "summary");
    if (g < 0) return -1;
    int rc = 0;
    for (size_t i = 0; i < an_results__nsummary_fields && rc == 0; i++) {
        const an_field *fd = &an_results__summary_fields[i];
        hid_t t = fd->kind == AN_FIELD_U64 ? H5T_NATIVE_UINT64 : H5T_NATIVE_DOUBLE;
        if (fd->optional && H5Aexists(g, fd->name) <= 0) {
            H5Eclear2(H5E_DEFAULT);
            continue;
        }
        rc = read_num(r, g, "summary", fd->name, t, (char *)s + fd->offset);
    }
    H5Gclose(g);
    return rc;
}

int an_results_read_summary(const char *path, an_run_summary *out, char *err, size_t errlen) {
    reader r;
    if (open_file(&r, path, err, errlen) != 0) return -1;
    memset(out, 0, sizeof *out);
    int rc = read_meta(&r, out);
    if (rc == 0) rc = read_summary(&r, &out->s);
    if (rc == 0) rc = an_results__read_prefetch(r.f, path, out, err, errlen);
    close_file(&r);
    return rc;
}

/* Reads the one-dimensional dataset `name` of `loc` as `mem` rows into a new
 * array (*data, *n; *data is NULL when empty), at most `max` rows. */
static int read_rows(reader *r, hid_t loc, const char *name, hid_t mem, size_t max, void **data, size_t *n) {
    *data = NULL;
    *n = 0;
    if (H5Lexists(loc, name, H5P_DEFAULT) <= 0) {
        H5Eclear2(H5E_DEFAULT);
        snprintf(r->err, r->errlen, "%s: missing dataset %s", r->path, name);
        return -1;
    }
    hid_t d = H5Dopen2(loc, name, H5P_DEFAULT);
    if (d < 0) return fail(r, "cannot open dataset", name);
    hid_t sp = H5Dget_space(d);
    hssize_t rows = H5Sget_simple_extent_npoints(sp);
    H5Sclose(sp);
    int rc = 0;
    if (rows < 0 || (size_t)rows > max) {
        snprintf(r->err, r->errlen, "%s: dataset %s has a malformed size", r->path, name);
        rc = -1;
    } else if (rows > 0) {
        /* zeroed: reading a compound leaves the struct's padding as it finds it */
        *data = calloc((size_t)rows, H5Tget_size(mem));
        if (!*data || H5Dread(d, mem, H5S_ALL, H5S_ALL, H5P_DEFAULT, *data) < 0) {
            rc = fail(r, "cannot read dataset", name);
            free(*data);
            *data = NULL;
        } else {
            *n = (size_t)rows;
        }
    }
    H5Dclose(d);
    return rc;
}

int an_results_read_series(const char *path, eng_sample **rows, size_t *n, char *err, size_t errlen) {
    reader r;
    if (open_file(&r, path, err, errlen) != 0) return -1;
    hid_t t = an_results__series_type();
    void *data;
    int rc = read_rows(&r, r.f, "/series", t, SIZE_MAX / sizeof(eng_sample), &data, n);
    *rows = data;
    H5Tclose(t);
    close_file(&r);
    return rc;
}

/* The histogram in group `gn` (a path from the root, without the leading /). */
static int read_hist(reader *r, const char *gn, eng_hist *h) {
    hid_t g = open_group(r, gn);
    if (g < 0) return -1;
    double first = 0, ratio = 0;
    int rc = read_num(r, g, gn, "first_edge_ns", H5T_NATIVE_DOUBLE, &first);
    if (rc == 0) rc = read_num(r, g, gn, "ratio", H5T_NATIVE_DOUBLE, &ratio);
    if (rc == 0 && (first != ENG_HIST_MIN_NS || ratio != ENG_HIST_RATIO)) {
        snprintf(r->err, r->errlen,
                 "%s: histogram buckets (first edge %g ns, ratio %g) differ from this build's", r->path,
                 first, ratio);
        rc = -1;
    }
    if (rc == 0) rc = read_num(r, g, gn, "n", H5T_NATIVE_UINT64, &h->n);
    if (rc == 0) rc = read_num(r, g, gn, "under", H5T_NATIVE_UINT64, &h->under);
    if (rc == 0) rc = read_num(r, g, gn, "sum_ns", H5T_NATIVE_DOUBLE, &h->sum_ns);
    if (rc == 0) rc = read_num(r, g, gn, "min_ns", H5T_NATIVE_INT64, &h->min);
    if (rc == 0) rc = read_num(r, g, gn, "max_ns", H5T_NATIVE_INT64, &h->max);
    void *count = NULL;
    size_t len = 0;
    char counts[128];
    snprintf(counts, sizeof counts, "/%s/count", gn);
    if (rc == 0) rc = read_rows(r, r->f, counts, H5T_NATIVE_UINT64, ENG_HIST_BUCKETS, &count, &len);
    uint64_t total = 0;
    for (size_t i = 0; rc == 0 && i < len; i++) total += h->count[i] = ((const uint64_t *)count)[i];
    if (rc == 0 && total != h->n) {
        snprintf(r->err, r->errlen, "%s: /%s counts add up to %llu, not n = %llu", r->path, gn,
                 (unsigned long long)total, (unsigned long long)h->n);
        rc = -1;
    }
    free(count);
    H5Gclose(g);
    return rc;
}

int an_results_read_hist(const char *path, eng_hist *out, char *err, size_t errlen) {
    reader r;
    if (open_file(&r, path, err, errlen) != 0) return -1;
    eng_hist_reset(out);
    int rc = read_hist(&r, "latency_histogram", out);
    close_file(&r);
    return rc;
}

int an_results_read_sync_hist(const char *path, int down, eng_hist *out, char *err, size_t errlen) {
    reader r;
    if (open_file(&r, path, err, errlen) != 0) return -1;
    eng_hist_reset(out);
    int rc = read_hist(&r, down ? "sync_histogram/down" : "sync_histogram/up", out);
    close_file(&r);
    return rc;
}
