/* Temporary paths under $TMPDIR (engine/tmp.h). */
#include "engine/tmp.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>

int eng_tmp_path(char *buf, size_t len, const char *name) {
    const char *dir = getenv("TMPDIR");
    int n = snprintf(buf, len, "%s/%s", dir && *dir ? dir : "/tmp", name);
    if (n >= 0 && (size_t)n < len) return 0;
    errno = ENAMETOOLONG;
    return -1;
}
