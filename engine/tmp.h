/* Where temporary files and folders go: under $TMPDIR when it is set and
 * not empty, else /tmp. Used by the simulator's platform file, the
 * benchmarks, training's scratch checkpoints and the tests. */
#ifndef ENG_TMP_H
#define ENG_TMP_H

#include <stddef.h>

/* Writes "<temporary folder>/<name>" into buf (name is a mkdtemp/mkstemp
 * pattern such as "sparkiot-bench-XXXXXX"); returns 0, or -1 (errno
 * ENAMETOOLONG) when it does not fit in len. */
int eng_tmp_path(char *buf, size_t len, const char *name);

#endif
