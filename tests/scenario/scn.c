/* Scenario-test helpers. */
#define _XOPEN_SOURCE 700 /* nftw */
#include "scn.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>

#include <cmocka.h>
#include <ftw.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "engine/tmp.h"
#include "experiments/runner.h"

void scn_path(char *buf, size_t len, const char *rel) {
    const char *src = getenv("SPARKIOT_SOURCE_DIR");
    snprintf(buf, len, "%s/%s", src ? src : ".", rel);
}

/* The folders scn_tmpdir made, removed when the test program exits. */
#define MAX_TMPDIRS 64
static char *tmpdirs[MAX_TMPDIRS];
static size_t ntmpdirs;

static int remove_entry(const char *path, const struct stat *st, int kind, struct FTW *ftw) {
    (void)st, (void)kind, (void)ftw;
    return remove(path);
}

static void remove_tmpdirs(void) {
    for (size_t i = 0; i < ntmpdirs; i++) {
        nftw(tmpdirs[i], remove_entry, 16, FTW_DEPTH | FTW_PHYS);
        free(tmpdirs[i]);
    }
}

void scn_tmpdir(char *buf, size_t len) {
    assert_int_equal(eng_tmp_path(buf, len, "sparkiot-test-XXXXXX"), 0);
    assert_non_null(mkdtemp(buf));
    assert_true(ntmpdirs < MAX_TMPDIRS);
    if (ntmpdirs == 0) atexit(remove_tmpdirs);
    tmpdirs[ntmpdirs++] = strdup(buf);
}

void scn_run(const char *rel, const char *const *sets, size_t nsets, unsigned long long seed,
             const char *out_path, an_run_summary *sum) {
    xp_set xs[XP_MAX_SETS];
    assert_true(nsets <= XP_MAX_SETS);
    for (size_t i = 0; i < nsets; i++) {
        const char *eq = strchr(sets[i], '=');
        assert_non_null(eq);
        snprintf(xs[i].key, sizeof xs[i].key, "%.*s", (int)(eq - sets[i]), sets[i]);
        snprintf(xs[i].value, sizeof xs[i].value, "%s", eq + 1);
    }
    char path[4096], err[2048];
    scn_path(path, sizeof path, rel);
    xp_scenario *s = xp_scenario_load(path, NULL, xs, nsets, err, sizeof err);
    if (!s) fail_msg("%s", err);
    int rc = xp_run_one(s, "default", seed, "", out_path, 0, err, sizeof err);
    xp_scenario_free(s);
    if (rc != 0) fail_msg("%s", err);
    if (an_results_read_summary(out_path, sum, err, sizeof err) != 0) fail_msg("%s", err);
}

int scn_same_summary(const eng_summary *a, const eng_summary *b) {
    eng_summary x = *a, y = *b;
    x.wall_seconds = y.wall_seconds = 0;
    return memcmp(&x, &y, sizeof x) == 0;
}
