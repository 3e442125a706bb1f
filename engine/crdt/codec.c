/* The CRDT wire layer: the growable encoder, the bounds-checked decoder
 * (shortest-form varints, counts bounded by the bytes left), the version and
 * tag header every encoded state starts with, and the table of types by tag.
 * Every CRDT's encode and decode go through here, and so does everything the
 * sync agent puts on or takes off the bus. */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>

#include "engine/crdt/crdt_int.h"
#include "engine/crdt/gcounter.h"
#include "engine/crdt/lww.h"
#include "engine/crdt/map.h"
#include "engine/crdt/orset.h"
#include "engine/crdt/pncounter.h"
#include "engine/crdt/xreg.h"

const char *crdt_strerror(int code) {
    switch (code) {
    case CRDT_OK:
        return "success";
    case CRDT_ENOMEM:
        return "out of memory";
    case CRDT_EINVAL:
        return "invalid argument";
    case CRDT_EOVERFLOW:
        return "counter overflow";
    case CRDT_ETRUNC:
        return "truncated input";
    case CRDT_EVERSION:
        return "unknown encoding version";
    case CRDT_ETYPE:
        return "unexpected type tag";
    case CRDT_EMALFORMED:
        return "malformed input";
    case CRDT_ETRAILING:
        return "trailing bytes after the state";
    case CRDT_ECLOCK:
        return "clock timestamp out of range";
    default:
        return "unknown error";
    }
}

void crdt_buf_init(crdt_buf *b) {
    b->p = NULL;
    b->len = b->cap = 0;
    b->oom = false;
}

void crdt_buf_free(crdt_buf *b) {
    free(b->p);
    crdt_buf_init(b);
}

static bool buf_room(crdt_buf *b, size_t extra) {
    if (b->oom) return false;
    if (b->len + extra <= b->cap) return true;
    size_t cap = b->cap ? b->cap : 64;
    while (cap < b->len + extra) cap *= 2;
    uint8_t *p = realloc(b->p, cap);
    if (!p) {
        b->oom = true;
        return false;
    }
    b->p = p;
    b->cap = cap;
    return true;
}

void crdt_buf_u8(crdt_buf *b, uint8_t v) {
    if (buf_room(b, 1)) b->p[b->len++] = v;
}

void crdt_buf_uvar(crdt_buf *b, uint64_t v) {
    if (!buf_room(b, 10)) return;
    while (v >= 0x80) {
        b->p[b->len++] = (uint8_t)(v | 0x80);
        v >>= 7;
    }
    b->p[b->len++] = (uint8_t)v;
}

void crdt_buf_svar(crdt_buf *b, int64_t v) {
    crdt_buf_uvar(b, ((uint64_t)v << 1) ^ ((uint64_t)0 - ((uint64_t)v >> 63)));
}

void crdt_buf_f64(crdt_buf *b, double v) {
    uint64_t u;
    memcpy(&u, &v, 8);
    if (!buf_room(b, 8)) return;
    for (int i = 0; i < 8; i++) b->p[b->len++] = (uint8_t)(u >> (8 * i));
}

void crdt_buf_bytes(crdt_buf *b, const void *p, size_t n) {
    crdt_buf_uvar(b, n);
    if (n && buf_room(b, n)) {
        memcpy(b->p + b->len, p, n);
        b->len += n;
    }
}

void crdt_rd_init(crdt_rd *rd, const void *p, size_t len) {
    rd->p = p;
    rd->len = len;
    rd->pos = 0;
    rd->err = 0;
    rd->msg[0] = '\0';
}

int crdt_rd_fail(crdt_rd *rd, int code, const char *fmt, ...) {
    if (rd->err) return rd->err;
    rd->err = code;
    int k = snprintf(rd->msg, sizeof rd->msg, "byte %zu: ", rd->pos);
    if (k > 0 && (size_t)k < sizeof rd->msg) {
        va_list ap;
        va_start(ap, fmt);
        vsnprintf(rd->msg + k, sizeof rd->msg - (size_t)k, fmt, ap);
        va_end(ap);
    }
    return code;
}

static size_t rd_left(const crdt_rd *rd) { return rd->len - rd->pos; }

int crdt_rd_u8(crdt_rd *rd, uint8_t *v, const char *what) {
    if (rd->err) return rd->err;
    if (rd_left(rd) < 1) return crdt_rd_fail(rd, CRDT_ETRUNC, "input ends before %s", what);
    *v = rd->p[rd->pos++];
    return 0;
}

int crdt_rd_uvar(crdt_rd *rd, uint64_t *v, const char *what) {
    if (rd->err) return rd->err;
    uint64_t x = 0;
    for (unsigned i = 0;; i++) {
        if (rd_left(rd) <= i) return crdt_rd_fail(rd, CRDT_ETRUNC, "input ends inside %s", what);
        uint8_t byte = rd->p[rd->pos + i];
        if (i == 9 && byte > 1) return crdt_rd_fail(rd, CRDT_EMALFORMED, "%s exceeds 64 bits", what);
        x |= (uint64_t)(byte & 0x7f) << (7 * i);
        if (byte & 0x80) continue;
        if (i > 0 && byte == 0) return crdt_rd_fail(rd, CRDT_EMALFORMED, "%s is not in shortest form", what);
        rd->pos += i + 1;
        *v = x;
        return 0;
    }
}

int crdt_rd_svar(crdt_rd *rd, int64_t *v, const char *what) {
    uint64_t u;
    int rc = crdt_rd_uvar(rd, &u, what);
    if (rc == 0) *v = (int64_t)(u >> 1) ^ -(int64_t)(u & 1);
    return rc;
}

int crdt_rd_f64(crdt_rd *rd, double *v, const char *what) {
    if (rd->err) return rd->err;
    if (rd_left(rd) < 8) return crdt_rd_fail(rd, CRDT_ETRUNC, "input ends inside %s", what);
    uint64_t u = 0;
    for (int i = 0; i < 8; i++) u |= (uint64_t)rd->p[rd->pos + i] << (8 * i);
    memcpy(v, &u, 8);
    rd->pos += 8;
    return 0;
}

int crdt__rd_f64_canon(crdt_rd *rd, double *v, const char *what) {
    int rc = crdt_rd_f64(rd, v, what);
    if (rc == 0 && !crdt__f64_is_canon(*v)) {
        rd->pos -= 8;
        return crdt_rd_fail(rd, CRDT_EMALFORMED, "%s is NaN or negative zero", what);
    }
    return rc;
}

int crdt_rd_bytes(crdt_rd *rd, const uint8_t **p, size_t *n, size_t max, const char *what) {
    uint64_t len;
    int rc = crdt_rd_uvar(rd, &len, what);
    if (rc) return rc;
    if (len > max)
        return crdt_rd_fail(rd, CRDT_EMALFORMED, "%s is %llu bytes, longer than %zu", what,
                            (unsigned long long)len, max);
    if (len > rd_left(rd))
        return crdt_rd_fail(rd, CRDT_ETRUNC, "%s needs %llu bytes, %zu left", what, (unsigned long long)len,
                            rd_left(rd));
    *p = rd->p + rd->pos;
    *n = (size_t)len;
    rd->pos += (size_t)len;
    return 0;
}

int crdt_rd_count(crdt_rd *rd, size_t *n, size_t min_item_bytes, const char *what) {
    uint64_t c = 0;
    int rc = crdt_rd_uvar(rd, &c, what);
    if (rc) return rc;
    if (c > rd_left(rd) / min_item_bytes)
        return crdt_rd_fail(rd, CRDT_ETRUNC, "%s of %llu cannot fit in the %zu bytes left", what,
                            (unsigned long long)c, rd_left(rd));
    *n = (size_t)c;
    return 0;
}

const crdt_type *crdt_type_by_tag(unsigned tag) {
    static const crdt_type *const types[] = {
        NULL,           &crdt_gcounter_type, &crdt_pncounter_type, &crdt_maxreg_type, &crdt_minreg_type,
        &crdt_lww_type, &crdt_orset_type,    &crdt_map_type,
    };
    return tag < sizeof types / sizeof types[0] ? types[tag] : NULL;
}

int crdt_encode(const crdt_type *t, const void *s, uint8_t **out, size_t *len) {
    crdt_buf b;
    crdt_buf_init(&b);
    crdt_buf_u8(&b, CRDT_WIRE_VERSION);
    crdt_buf_u8(&b, (uint8_t)t->tag);
    t->encode_body(s, &b);
    if (b.oom) {
        crdt_buf_free(&b);
        return CRDT_ENOMEM;
    }
    *out = b.p;
    *len = b.len;
    return 0;
}

static int decode_with(crdt_rd *rd, const crdt_type *expect, const crdt_type **t, void **out) {
    uint8_t version = 0, tag = 0;
    if (crdt_rd_u8(rd, &version, "the version byte")) return rd->err;
    if (version != CRDT_WIRE_VERSION) {
        rd->pos--;
        return crdt_rd_fail(rd, CRDT_EVERSION, "version %u, this build reads %u", version, CRDT_WIRE_VERSION);
    }
    if (crdt_rd_u8(rd, &tag, "the type tag")) return rd->err;
    *t = crdt_type_by_tag(tag);
    if (!*t || (expect && *t != expect)) {
        rd->pos--;
        return crdt_rd_fail(rd, CRDT_ETYPE, "type tag %u, expected %s", tag,
                            expect ? expect->name : "a CRDT");
    }
    void *s = NULL;
    int rc = (*t)->decode_body(rd, &s);
    if (rc) return rd->err ? rd->err : crdt_rd_fail(rd, rc, "%s: %s", (*t)->name, crdt_strerror(rc));
    if (rd->pos != rd->len) {
        (*t)->destroy(s);
        return crdt_rd_fail(rd, CRDT_ETRAILING, "%zu bytes after the end of the %s", rd->len - rd->pos,
                            (*t)->name);
    }
    *out = s;
    return 0;
}

static int decode_report(crdt_rd *rd, int rc, char *err, size_t errlen) {
    if (rc && err && errlen) snprintf(err, errlen, "%s", rd->msg);
    return rc;
}

int crdt_decode(const crdt_type *t, const void *p, size_t len, void **out, char *err, size_t errlen) {
    crdt_rd rd;
    const crdt_type *got;
    crdt_rd_init(&rd, p, len);
    return decode_report(&rd, decode_with(&rd, t, &got, out), err, errlen);
}

int crdt_decode_any(const void *p, size_t len, const crdt_type **t, void **out, char *err, size_t errlen) {
    crdt_rd rd;
    const crdt_type *got = NULL;
    crdt_rd_init(&rd, p, len);
    int rc = decode_with(&rd, NULL, &got, out);
    if (rc == 0) *t = got;
    return decode_report(&rd, rc, err, errlen);
}
