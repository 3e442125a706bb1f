/* SHA-256 (FIPS 180-4) of a byte string, as lowercase hex. The result writer
 * stamps each file with the hash of its scenario text so that tables refuse
 * to average runs of different versions of one scenario. */
#ifndef AN_SHA256_H
#define AN_SHA256_H

#include <stddef.h>

/* Writes the 64 hex digits and a terminating NUL into out. */
void an_sha256_hex(const void *data, size_t len, char out[65]);

#endif
