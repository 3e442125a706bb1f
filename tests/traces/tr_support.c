/* Trace-test helpers (tr_support.h). */
#include "tr_support.h"
#include "engine/tmp.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>

#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

void tr_test_shared(char *buf, size_t len, const char *rel) {
    const char *src = getenv("SPARKIOT_SOURCE_DIR");
    if (!src) fail_msg("SPARKIOT_SOURCE_DIR is not set (ctest sets it to the source tree)");
    snprintf(buf, len, "%s/../shared/traces/%s", src, rel);
    if (access(buf, R_OK) != 0)
        fail_msg("the shared traces are missing: cannot read %s (the folder shared/traces sits next to the "
                 "repository; see docs/traces.md for where the datasets come from)",
                 buf);
}

void tr_test_data(char *buf, size_t len, const char *rel) { snprintf(buf, len, "%s/%s", TR_TEST_DATA, rel); }

void tr_test_tmpfile(char *buf, size_t len, const void *bytes, size_t n) {
    assert_int_equal(eng_tmp_path(buf, len, "sparkiot-trace-XXXXXX"), 0);
    int fd = mkstemp(buf);
    assert_true(fd >= 0);
    assert_int_equal(write(fd, bytes, n), (ssize_t)n);
    close(fd);
}
