/* Defaults and checks of the `shuffle:` options (engine/shuffle.h). The
 * defaults are Spark's: shuffle blocks in executor memory (spilling to the
 * local disk), each micro-batch reading only its own blocks, and executors
 * holding blocks kept until the blocks are dropped. */
#include <stdio.h>
#include <string.h>

#include "engine/check.h"
#include "engine/shuffle.h"

void eng_shuffle_defaults(eng_shuffle_opts *o) {
    memset(o, 0, sizeof *o);
    snprintf(o->policy, sizeof o->policy, "memory_only");
    o->window = 1;
    o->slide = 1;
}

int eng_shuffle_check(const eng_shuffle_opts *o, char *err, size_t errlen) {
    ENG_CHECK(o->window >= 1 && o->window <= 100000, err, errlen, "shuffle.window must be in [1, 100000]");
    ENG_CHECK(o->slide >= 1 && o->slide <= 100000, err, errlen, "shuffle.slide must be in [1, 100000]");
    return 0;
}
