/* The result writer: the last step of a run. It turns the run's eng_metrics
 * and metadata into one HDF5 file (schema in docs/results.md): /meta,
 * /series, /batches, /latency_histogram, /sync_histogram, /sync_series,
 * /prefetch (results_prefetch.c) and /summary. The file is written
 * under path.tmp and renamed, so readers never see a partial file. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "analysis/files.h"
#include "analysis/results.h"
#include "analysis/results_h5.h"
#include "analysis/sha256.h"

int an_results__attr_str(hid_t loc, const char *name, const char *v) {
    hid_t t = H5Tcopy(H5T_C_S1), sp = H5Screate(H5S_SCALAR);
    H5Tset_size(t, H5T_VARIABLE);
    H5Tset_cset(t, H5T_CSET_UTF8);
    hid_t a = H5Acreate2(loc, name, t, sp, H5P_DEFAULT, H5P_DEFAULT);
    const char *s = v ? v : "";
    int rc = a >= 0 && H5Awrite(a, t, &s) >= 0 ? 0 : -1;
    if (a >= 0) H5Aclose(a);
    H5Sclose(sp);
    H5Tclose(t);
    return rc;
}

/* A numeric attribute stored with the native type `t` of *v. */
int an_results__attr_num(hid_t loc, const char *name, hid_t t, const void *v) {
    hid_t sp = H5Screate(H5S_SCALAR);
    hid_t a = H5Acreate2(loc, name, t, sp, H5P_DEFAULT, H5P_DEFAULT);
    int rc = a >= 0 && H5Awrite(a, t, v) >= 0 ? 0 : -1;
    if (a >= 0) H5Aclose(a);
    H5Sclose(sp);
    return rc;
}

/* A chunked, compressed one-dimensional dataset of `rows` rows of `mem`. */
static int dataset(hid_t loc, const char *name, hid_t mem, size_t rows, const void *data) {
    hsize_t dims = rows, maxdims = H5S_UNLIMITED;
    hid_t sp = H5Screate_simple(1, &dims, &maxdims);
    hid_t ft = H5Tcopy(mem);
    if (H5Tget_class(ft) == H5T_COMPOUND) H5Tpack(ft);
    hid_t dcpl = an_results__dataset_props(rows);
    hid_t d = H5Dcreate2(loc, name, ft, sp, H5P_DEFAULT, dcpl, H5P_DEFAULT);
    int rc = d >= 0 && (rows == 0 || H5Dwrite(d, mem, H5S_ALL, H5S_ALL, H5P_DEFAULT, data) >= 0) ? 0 : -1;
    if (d >= 0) H5Dclose(d);
    H5Pclose(dcpl);
    H5Tclose(ft);
    H5Sclose(sp);
    return rc;
}

static int write_meta(hid_t f, const an_meta *m) {
    hid_t g = H5Gcreate2(f, "meta", H5P_DEFAULT, H5P_DEFAULT, H5P_DEFAULT);
    if (g < 0) return -1;
    const char *text = m->scenario_text ? m->scenario_text : "";
    char sha[65];
    an_sha256_hex(text, strlen(text), sha);
    unsigned schema = AN_RESULTS_SCHEMA_VERSION;
    int rc = 0;
    rc |= an_results__attr_num(g, "schema_version", H5T_NATIVE_UINT, &schema);
    rc |= an_results__attr_str(g, "scenario_name", m->scenario_name);
    rc |= an_results__attr_str(g, "scenario_path", m->scenario_path);
    rc |= an_results__attr_str(g, "scenario_text", text);
    rc |= an_results__attr_str(g, "scenario_sha256", sha);
    rc |= an_results__attr_str(g, "variant", m->variant);
    rc |= an_results__attr_str(g, "overrides", m->overrides);
    rc |= an_results__attr_num(g, "seed", H5T_NATIVE_UINT64, &m->seed);
    rc |= an_results__attr_str(g, "version", SPARKIOT_VERSION);
    rc |= an_results__attr_str(g, "backend", m->backend);
    rc |= an_results__attr_str(g, "allocator", m->allocator);
    rc |= an_results__attr_str(g, "cloud", m->cloud);
    H5Gclose(g);
    return rc;
}

/* Group `name` of loc holding histogram h. */
int an_results__write_hist(hid_t loc, const char *name, const eng_hist *h) {
    size_t len = ENG_HIST_BUCKETS;
    while (len > 0 && h->count[len - 1] == 0) len--;
    double *lo = malloc((len ? len : 1) * sizeof *lo);
    if (!lo) return -1;
    for (size_t i = 0; i < len; i++) lo[i] = eng_hist_bucket_lo(i) / 1e6;
    double min_edge = ENG_HIST_MIN_NS, ratio = ENG_HIST_RATIO;
    int rc = -1;
    hid_t g = H5Gcreate2(loc, name, H5P_DEFAULT, H5P_DEFAULT, H5P_DEFAULT);
    if (g >= 0) {
        rc = 0;
        rc |= dataset(g, "lo_ms", H5T_NATIVE_DOUBLE, len, lo);
        rc |= dataset(g, "count", H5T_NATIVE_UINT64, len, h->count);
        rc |= an_results__attr_num(g, "n", H5T_NATIVE_UINT64, &h->n);
        rc |= an_results__attr_num(g, "under", H5T_NATIVE_UINT64, &h->under);
        rc |= an_results__attr_num(g, "sum_ns", H5T_NATIVE_DOUBLE, &h->sum_ns);
        rc |= an_results__attr_num(g, "min_ns", H5T_NATIVE_INT64, &h->min);
        rc |= an_results__attr_num(g, "max_ns", H5T_NATIVE_INT64, &h->max);
        rc |= an_results__attr_num(g, "first_edge_ns", H5T_NATIVE_DOUBLE, &min_edge);
        rc |= an_results__attr_num(g, "ratio", H5T_NATIVE_DOUBLE, &ratio);
        H5Gclose(g);
    }
    free(lo);
    return rc;
}

/* /sync_histogram/up and /down (edge -> cloud, cloud -> edge) and /sync_series. */
static int write_sync(hid_t f, const eng_metrics *m) {
    hid_t g = H5Gcreate2(f, "sync_histogram", H5P_DEFAULT, H5P_DEFAULT, H5P_DEFAULT);
    if (g < 0) return -1;
    int rc = an_results__write_hist(g, "up", &m->sync_up);
    if (rc == 0) rc = an_results__write_hist(g, "down", &m->sync_down);
    H5Gclose(g);
    hid_t t = an_results__sync_series_type();
    if (rc == 0) rc = dataset(f, "sync_series", t, m->nsync_samples, m->sync_samples);
    H5Tclose(t);
    return rc;
}

static int write_summary(hid_t f, const eng_summary *s) {
    hid_t g = H5Gcreate2(f, "summary", H5P_DEFAULT, H5P_DEFAULT, H5P_DEFAULT);
    if (g < 0) return -1;
    int rc = 0;
    for (size_t i = 0; i < an_results__nsummary_fields; i++) {
        const an_field *fd = &an_results__summary_fields[i];
        hid_t t = fd->kind == AN_FIELD_U64 ? H5T_NATIVE_UINT64 : H5T_NATIVE_DOUBLE;
        rc |= an_results__attr_num(g, fd->name, t, (const char *)s + fd->offset);
    }
    H5Gclose(g);
    return rc;
}

static int write_tables(hid_t f, const eng_metrics *m) {
    hid_t st = an_results__series_type(), bt = an_results__batch_type();
    int rc = dataset(f, "series", st, m->nsamples, m->samples);
    if (rc == 0) rc = dataset(f, "batches", bt, m->nbatches, m->batches);
    H5Tclose(st);
    H5Tclose(bt);
    return rc;
}

int an_results_write(const char *path, const an_meta *meta, const eng_metrics *m, char *err, size_t errlen) {
    size_t len = strlen(path) + 5;
    char *tmp = malloc(len);
    if (!tmp) {
        snprintf(err, errlen, "%s: out of memory", path);
        return -1;
    }
    snprintf(tmp, len, "%s.tmp", path);
    if (an_files__mkparents(path, err, errlen) != 0) {
        free(tmp);
        return -1;
    }
    an_h5_quiet q;
    an_results__quiet_begin(&q);
    char why[256] = "";
    const char *step = "create";
    hid_t f = H5Fcreate(tmp, H5F_ACC_TRUNC, H5P_DEFAULT, H5P_DEFAULT);
    if (f < 0) goto fail;
    step = "write /meta";
    if (write_meta(f, meta) != 0) goto fail;
    step = "write /series and /batches";
    if (write_tables(f, m) != 0) goto fail;
    step = "write /latency_histogram";
    if (an_results__write_hist(f, "latency_histogram", &m->latency) != 0) goto fail;
    step = "write /sync_histogram and /sync_series";
    if (write_sync(f, m) != 0) goto fail;
    step = "write /prefetch";
    if (an_results__write_prefetch(f, m) != 0) goto fail;
    step = "write /summary";
    if (write_summary(f, &m->summary) != 0) goto fail;
    step = "close";
    herr_t closed = H5Fclose(f);
    f = -1;
    if (closed < 0) goto fail;
    step = "rename the temporary file into place";
    if (rename(tmp, path) != 0) {
        snprintf(why, sizeof why, "%s", strerror(errno));
        goto fail;
    }
    free(tmp);
    an_results__quiet_end(&q);
    return 0;
fail:
    if (!why[0]) an_results__h5_error(why, sizeof why);
    snprintf(err, errlen, "%s: cannot %s%s%s", path, step, why[0] ? ": " : "", why);
    if (f >= 0) H5Fclose(f);
    remove(tmp);
    free(tmp);
    an_results__quiet_end(&q);
    return -1;
}
