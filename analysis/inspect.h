/* `sparkiot inspect FILE.h5`: a result file's summary for people (aligned
 * "name value" lines) or for programs (one JSON object). */
#ifndef AN_INSPECT_H
#define AN_INSPECT_H

#include <stddef.h>
#include <stdio.h>

/* Prints the summary of result file `path` to `out`: text, or with `json`
 * one JSON object (keys in docs/results.md). Returns 0, or -1 with a
 * message naming the file in err (nothing is printed then). */
int an_inspect_print(const char *path, int json, FILE *out, char *err, size_t errlen);

#endif
