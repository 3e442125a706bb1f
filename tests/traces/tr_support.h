/* Helpers of the trace tests: where the shared real traces and this
 * folder's fixtures are, and a temporary file maker. */
#ifndef TEST_TR_SUPPORT_H
#define TEST_TR_SUPPORT_H

#include <stddef.h>

/* $SPARKIOT_SOURCE_DIR/../shared/traces/<rel>; fails the test with a clear
 * message if the file is not there. */
void tr_test_shared(char *buf, size_t len, const char *rel);
/* tests/traces/data/<rel>. */
void tr_test_data(char *buf, size_t len, const char *rel);
/* Writes n bytes to a new temporary file; its path goes in buf (remove it
 * when done). */
void tr_test_tmpfile(char *buf, size_t len, const void *bytes, size_t n);

#endif
