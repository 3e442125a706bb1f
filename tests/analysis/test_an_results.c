/* Result files: a hand-built run written and read back (summary, series,
 * histogram exact), atomic writing, SHA-256 against the FIPS 180-4 examples,
 * and errors that name the file and the missing item without HDF5 noise. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>

#include <cmocka.h>
#include <hdf5.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "analysis/results.h"
#include "analysis/sha256.h"
#include "fixture.h"

static int setup(void **state) {
    char *dir = malloc(256);
    fx_tmpdir(dir, 256);
    *state = dir;
    return 0;
}

static int teardown(void **state) {
    fx_rmtree(*state);
    free(*state);
    return 0;
}

/* FIPS 180-4 / NIST example digests. */
static void test_sha256_vectors(void **state) {
    char hex[65];
    an_sha256_hex("abc", 3, hex);
    assert_string_equal(hex, "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
    an_sha256_hex("", 0, hex);
    assert_string_equal(hex, "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
    const char *two = "abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq";
    an_sha256_hex(two, strlen(two), hex);
    assert_string_equal(hex, "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1");
    char *a = malloc(1000000);
    memset(a, 'a', 1000000);
    an_sha256_hex(a, 1000000, hex);
    assert_string_equal(hex, "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0");
    free(a);
}

static void test_round_trip(void **state) {
    char path[512], tmp[520], err[512];
    snprintf(path, sizeof path, "%s/new/folders/run.h5", (char *)*state);
    snprintf(tmp, sizeof tmp, "%s.tmp", path);
    eng_metrics *m = fx_metrics(12.5, 10, 100);
    an_meta meta = fx_meta("city", "hpa", 42, "abc");
    meta.overrides = "duration=1h\nseed=4";
    assert_int_equal(an_results_write(path, &meta, m, err, sizeof err), 0);
    assert_int_equal(access(path, R_OK), 0);
    assert_int_not_equal(access(tmp, F_OK), 0); /* no temporary file remains */

    an_run_summary s;
    assert_int_equal(an_results_read_summary(path, &s, err, sizeof err), 0);
    assert_memory_equal(&s.s, &m->summary, sizeof s.s); /* every summary field exact */
    assert_string_equal(s.scenario, "city");
    assert_string_equal(s.variant, "hpa");
    assert_string_equal(s.backend, "simgrid");
    assert_string_equal(s.allocator, "hpa");
    assert_string_equal(s.cloud, "aws");
    assert_string_equal(s.version, SPARKIOT_VERSION);
    assert_string_equal(s.scenario_path, "experiments/scenarios/test.yaml");
    assert_string_equal(s.scenario_sha256,
                        "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
    assert_int_equal(s.seed, 42);

    eng_sample *rows;
    size_t n;
    assert_int_equal(an_results_read_series(path, &rows, &n, err, sizeof err), 0);
    assert_int_equal(n, m->nsamples);
    for (size_t i = 0; i < n; i++) {
        const eng_sample *a = &rows[i], *b = &m->samples[i];
        assert_true(a->t == b->t && a->in == b->in && a->out == b->out && a->backlog == b->backlog);
        assert_true(a->ready == b->ready && a->pending == b->pending && a->target == b->target);
        assert_true(a->cost_usd == b->cost_usd && a->lat_p50_ms == b->lat_p50_ms);
        assert_true(a->lat_p95_ms == b->lat_p95_ms && a->lat_p99_ms == b->lat_p99_ms);
        assert_true(a->slo_violations == b->slo_violations);
    }
    free(rows);

    eng_hist *h = malloc(sizeof *h);
    assert_int_equal(an_results_read_hist(path, h, err, sizeof err), 0);
    assert_memory_equal(h->count, m->latency.count, sizeof h->count);
    assert_true(h->n == 100 && h->min == m->latency.min && h->max == m->latency.max);
    assert_true(h->sum_ns == m->latency.sum_ns && h->under == 0);
    free(h);
    eng_metrics_free(m);
}

/* A run with no latencies, samples or batches still makes a valid file. */
static void test_empty_run(void **state) {
    char path[512], err[512];
    snprintf(path, sizeof path, "%s/empty.h5", (char *)*state);
    eng_metrics *m = eng_metrics_new();
    an_meta meta = {.scenario_name = "s", .variant = "v", .seed = 1}; /* NULL strings are written as "" */
    assert_int_equal(an_results_write(path, &meta, m, err, sizeof err), 0);
    an_run_summary s;
    assert_int_equal(an_results_read_summary(path, &s, err, sizeof err), 0);
    assert_string_equal(s.cloud, "");
    eng_sample *rows;
    size_t n = 7;
    assert_int_equal(an_results_read_series(path, &rows, &n, err, sizeof err), 0);
    assert_true(n == 0 && rows == NULL);
    eng_hist *h = malloc(sizeof *h);
    assert_int_equal(an_results_read_hist(path, h, err, sizeof err), 0);
    assert_int_equal(h->n, 0);
    free(h);
    eng_metrics_free(m);
}

/* Runs fn(path) with stderr sent to a file; returns how many bytes it printed. */
static long stderr_bytes_of(int (*fn)(const char *, char *), const char *path, char *err, int *rc) {
    char log[300];
    snprintf(log, sizeof log, "%s.stderr", path);
    fflush(stderr);
    int saved = dup(2);
    FILE *f = fopen(log, "w");
    dup2(fileno(f), 2);
    *rc = fn(path, err);
    fflush(stderr);
    dup2(saved, 2);
    close(saved);
    fseek(f, 0, SEEK_END);
    long size = ftell(f);
    fclose(f);
    remove(log);
    return size;
}

static int read_summary_of(const char *path, char *err) {
    an_run_summary s;
    return an_results_read_summary(path, &s, err, 512);
}

static void test_corrupt_file(void **state) {
    char path[512], err[512];
    snprintf(path, sizeof path, "%s/corrupt.h5", (char *)*state);
    FILE *f = fopen(path, "wb");
    srand(7);
    for (int i = 0; i < 4096; i++) fputc(rand() & 0xff, f);
    fclose(f);
    int rc;
    long noise = stderr_bytes_of(read_summary_of, path, err, &rc);
    assert_int_equal(rc, -1);
    assert_non_null(strstr(err, path));
    assert_non_null(strstr(err, "not an HDF5 file"));
    assert_int_equal(noise, 0); /* HDF5's error stack is not printed */

    snprintf(path, sizeof path, "%s/absent.h5", (char *)*state);
    assert_int_equal(read_summary_of(path, err), -1);
    assert_non_null(strstr(err, path));
    assert_non_null(strstr(err, "No such file"));
}

/* An HDF5 file that is not a result file, and one missing an attribute. */
static void test_missing_items(void **state) {
    char path[512], err[512];
    snprintf(path, sizeof path, "%s/other.h5", (char *)*state);
    hid_t f = H5Fcreate(path, H5F_ACC_TRUNC, H5P_DEFAULT, H5P_DEFAULT);
    H5Gclose(H5Gcreate2(f, "data", H5P_DEFAULT, H5P_DEFAULT, H5P_DEFAULT));
    H5Fclose(f);
    int rc;
    long noise = stderr_bytes_of(read_summary_of, path, err, &rc);
    assert_int_equal(rc, -1);
    assert_int_equal(noise, 0);
    assert_non_null(strstr(err, path));
    assert_non_null(strstr(err, "missing group /meta"));

    snprintf(path, sizeof path, "%s/partial.h5", (char *)*state);
    eng_metrics *m = fx_metrics(1, 10, 100);
    an_meta meta = fx_meta("s", "v", 1, "x");
    assert_int_equal(an_results_write(path, &meta, m, err, sizeof err), 0);
    eng_metrics_free(m);
    f = H5Fopen(path, H5F_ACC_RDWR, H5P_DEFAULT);
    assert_true(H5Adelete_by_name(f, "summary", "slo_violation_share", H5P_DEFAULT) >= 0);
    H5Fclose(f);
    noise = stderr_bytes_of(read_summary_of, path, err, &rc);
    assert_int_equal(rc, -1);
    assert_int_equal(noise, 0);
    assert_non_null(strstr(err, path));
    assert_non_null(strstr(err, "missing attribute /summary/slo_violation_share"));
}

/* A parent that is a regular file: the error names it, nothing is left. */
static void test_write_failure(void **state) {
    char blocker[512], path[600], err[512];
    snprintf(blocker, sizeof blocker, "%s/blocker", (char *)*state);
    fclose(fopen(blocker, "w"));
    snprintf(path, sizeof path, "%s/run.h5", blocker);
    eng_metrics *m = fx_metrics(1, 10, 100);
    an_meta meta = fx_meta("s", "v", 1, "x");
    assert_int_equal(an_results_write(path, &meta, m, err, sizeof err), -1);
    assert_non_null(strstr(err, blocker));
    eng_metrics_free(m);
}

/* The schema as documented in docs/results.md, read by h5py (when present). */
static void test_h5py_reads_schema(void **state) {
    if (system("/usr/bin/python3 -c 'import h5py' 2>/dev/null") != 0) skip();
    char path[512], err[512], cmd[2048];
    snprintf(path, sizeof path, "%s/py.h5", (char *)*state);
    eng_metrics *m = fx_metrics(3.25, 10, 100);
    an_meta meta = fx_meta("city", "dqn", 9, "name: city\n");
    assert_int_equal(an_results_write(path, &meta, m, err, sizeof err), 0);
    eng_metrics_free(m);
    snprintf(cmd, sizeof cmd,
             "/usr/bin/python3 -c \"import h5py, sys\n"
             "f = h5py.File('%s', 'r')\n"
             "assert f['meta'].attrs['variant'] == 'dqn' and int(f['meta'].attrs['seed']) == 9\n"
             "assert f['meta'].attrs['scenario_text'] == 'name: city\\n'\n"
             "assert f['summary'].attrs['cost_usd'] == 3.25 and f['summary'].attrs['readings_in'] == 110\n"
             "s = f['series']\n"
             "assert len(s) == 10 and s['in'][3] == 40 and s['t_ns'][0] == 10**9 and s['target'][9] == 10\n"
             "assert len(f['batches']) == 3 and f['batches']['end_ns'][1] == 1500000000\n"
             "h = f['latency_histogram']\n"
             "assert h['count'][:].sum() == 100 and h.attrs['n'] == 100\n"
             "assert abs(h['lo_ms'][0] - 0.001) < 1e-15\n\"",
             path);
    assert_int_equal(system(cmd), 0);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_sha256_vectors),
        cmocka_unit_test_setup_teardown(test_round_trip, setup, teardown),
        cmocka_unit_test_setup_teardown(test_empty_run, setup, teardown),
        cmocka_unit_test_setup_teardown(test_corrupt_file, setup, teardown),
        cmocka_unit_test_setup_teardown(test_missing_items, setup, teardown),
        cmocka_unit_test_setup_teardown(test_write_failure, setup, teardown),
        cmocka_unit_test_setup_teardown(test_h5py_reads_schema, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
