/* Range checks for the *_check() functions of option structs: each writes a
 * message naming the field by its YAML path and returns -1. */
#ifndef ENG_CHECK_H
#define ENG_CHECK_H

#include <stdio.h>

#define ENG_CHECK(cond, err, errlen, ...)                                                                    \
    do {                                                                                                     \
        if (!(cond)) {                                                                                       \
            snprintf((err), (errlen), __VA_ARGS__);                                                          \
            return -1;                                                                                       \
        }                                                                                                    \
    } while (0)

#endif
