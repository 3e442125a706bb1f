/* In-memory checkpoint blobs (see ckpt.h for the format). */
#include "policies/nn/ckpt.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char MAGIC[8] = {'S', 'P', 'K', 'N', 'N', 'C', 'K', '1'};
#define HEADER (sizeof MAGIC + 4)

static uint32_t crc32(const unsigned char *p, size_t n) {
    uint32_t c = 0xFFFFFFFFu;
    for (size_t i = 0; i < n; i++) {
        c ^= p[i];
        for (int k = 0; k < 8; k++) c = (c >> 1) ^ (0xEDB88320u & (0u - (c & 1u)));
    }
    return c ^ 0xFFFFFFFFu;
}

static void put_le(unsigned char *p, uint64_t v, size_t bytes) {
    for (size_t i = 0; i < bytes; i++) p[i] = (unsigned char)(v >> (8 * i));
}

static uint64_t get_le(const unsigned char *p, size_t bytes) {
    uint64_t v = 0;
    for (size_t i = 0; i < bytes; i++) v |= (uint64_t)p[i] << (8 * i);
    return v;
}

static size_t dtype_size(unsigned dtype) {
    return dtype == POL_NN_F32 ? sizeof(float) : dtype == POL_NN_F64 ? sizeof(double) : 0;
}

static int reserve(pol_nn_blob *b, size_t more) {
    if (b->len + more <= b->cap) return POL_NN_OK;
    size_t cap = b->cap ? b->cap : 1024;
    while (cap < b->len + more) cap *= 2;
    unsigned char *d = realloc(b->data, cap);
    if (!d) return POL_NN_ENOMEM;
    b->data = d;
    b->cap = cap;
    return POL_NN_OK;
}

int pol_nn_blob_put(void *ctx, const char *name, pol_nn_dtype dtype, void *data, size_t n) {
    pol_nn_blob *b = ctx;
    size_t nl = strlen(name), es = dtype_size(dtype);
    if (nl == 0 || nl > UINT16_MAX || es == 0) return POL_NN_EINVAL;
    if (b->len == 0) {
        if (reserve(b, HEADER)) return POL_NN_ENOMEM;
        memcpy(b->data, MAGIC, sizeof MAGIC);
        b->len = HEADER;
    }
    if (reserve(b, 2 + nl + 1 + 8 + n * es)) return POL_NN_ENOMEM;
    unsigned char *p = b->data + b->len;
    put_le(p, nl, 2);
    memcpy(p + 2, name, nl);
    p[2 + nl] = (unsigned char)dtype;
    put_le(p + 3 + nl, n, 8);
    memcpy(p + 11 + nl, data, n * es);
    b->len += 11 + nl + n * es;
    b->count++;
    return POL_NN_OK;
}

int pol_nn_blob_finish(pol_nn_blob *b) {
    if (b->len == 0) {
        if (reserve(b, HEADER)) return POL_NN_ENOMEM;
        memcpy(b->data, MAGIC, sizeof MAGIC);
        b->len = HEADER;
    }
    if (reserve(b, 4)) return POL_NN_ENOMEM;
    put_le(b->data + sizeof MAGIC, b->count, 4);
    put_le(b->data + b->len, crc32(b->data, b->len), 4);
    b->len += 4;
    return POL_NN_OK;
}

void pol_nn_blob_free(pol_nn_blob *b) {
    free(b->data);
    *b = (pol_nn_blob){0};
}

/* Walks the records; on success *end is where the checksum starts. With a
 * name, stops at that record and returns its offset in *at. */
static int walk(const pol_nn_blob_reader *r, const char *name, size_t *at) {
    size_t off = HEADER, end = r->len - 4, nl = name ? strlen(name) : 0;
    for (uint32_t i = 0; i < r->count; i++) {
        if (end - off < 11) return POL_NN_ECORRUPT;
        size_t len = (size_t)get_le(r->data + off, 2);
        if (end - off - 11 < len) return POL_NN_ECORRUPT;
        unsigned dtype = r->data[off + 2 + len];
        uint64_t n = get_le(r->data + off + 3 + len, 8);
        size_t es = dtype_size(dtype);
        if (es == 0 || n > (end - off - 11 - len) / es) return POL_NN_ECORRUPT;
        if (name && len == nl && memcmp(r->data + off + 2, name, nl) == 0) {
            *at = off;
            return POL_NN_OK;
        }
        off += 11 + len + (size_t)n * es;
    }
    if (name) return POL_NN_EMISMATCH;
    return off == end ? POL_NN_OK : POL_NN_ECORRUPT;
}

int pol_nn_blob_open(pol_nn_blob_reader *r, const void *data, size_t len, char *err, size_t errlen) {
    *r = (pol_nn_blob_reader){.data = data, .len = len, .err = err, .errlen = errlen};
    if (len < HEADER + 4 || memcmp(data, MAGIC, sizeof MAGIC) != 0) {
        snprintf(err, errlen, "not a sparkiot model checkpoint (bad magic or only %zu bytes)", len);
        return POL_NN_ECORRUPT;
    }
    uint32_t stored = (uint32_t)get_le(r->data + len - 4, 4), actual = crc32(r->data, len - 4);
    if (stored != actual) {
        snprintf(err, errlen, "checkpoint is corrupt: checksum %08x, expected %08x", actual, stored);
        return POL_NN_ECORRUPT;
    }
    r->count = (uint32_t)get_le(r->data + sizeof MAGIC, 4);
    if (walk(r, NULL, NULL)) {
        snprintf(err, errlen, "checkpoint is corrupt: its %u arrays do not fill its %zu bytes", r->count,
                 len);
        return POL_NN_ECORRUPT;
    }
    return POL_NN_OK;
}

int pol_nn_blob_has(const pol_nn_blob_reader *r, const char *name) {
    size_t at;
    return walk(r, name, &at) == POL_NN_OK;
}

int pol_nn_blob_get(void *ctx, const char *name, pol_nn_dtype dtype, void *data, size_t n) {
    pol_nn_blob_reader *r = ctx;
    size_t at;
    if (walk(r, name, &at)) {
        snprintf(r->err, r->errlen, "checkpoint has no array '%s'", name);
        return POL_NN_EMISMATCH;
    }
    size_t nl = strlen(name);
    unsigned stored_type = r->data[at + 2 + nl];
    uint64_t stored_n = get_le(r->data + at + 3 + nl, 8);
    if (stored_type != (unsigned)dtype || stored_n != n) {
        snprintf(r->err, r->errlen, "checkpoint array '%s' has %llu %s values, this model needs %zu %s", name,
                 (unsigned long long)stored_n, stored_type == POL_NN_F32 ? "float32" : "float64", n,
                 dtype == POL_NN_F32 ? "float32" : "float64");
        return POL_NN_EMISMATCH;
    }
    memcpy(data, r->data + at + 11 + nl, n * dtype_size(dtype));
    return POL_NN_OK;
}
