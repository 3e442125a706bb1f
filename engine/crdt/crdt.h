/* Conventions shared by every CRDT in engine/crdt/: replica ids, error codes,
 * the hybrid-logical-clock timestamp, the generic operation and type table,
 * and the bounds-checked encoder and decoder every wire format is written
 * with. These CRDTs are the state an edge gateway replicates to the cloud:
 * a sync agent applies local updates (each returns a delta), ships encoded
 * deltas over the bus, and merges what it receives. Everything here is a pure
 * data structure: no runtime, no clock reading, no I/O.
 *
 * Wire format of every encoded state (docs/crdt.md has each body):
 *   byte 0: CRDT_WIRE_VERSION, byte 1: the type tag (crdt_tag), then the body.
 * Integers are unsigned LEB128 varints in their shortest form; signed ones are
 * zigzag-mapped first; doubles are 8 bytes IEEE 754 little-endian; byte
 * strings are a varint length then the bytes. Decoders accept exactly the
 * canonical encoding of a valid state, so decode-then-encode gives back the
 * input bytes, and anything else is rejected with a negative crdt_err. */
#ifndef CRDT_CRDT_H
#define CRDT_CRDT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

typedef uint64_t crdt_replica_t; /* replica id: unique per replica, assigned by the deployment */

#define CRDT_WIRE_VERSION 1
#define CRDT_KEY_MAX 256 /* longest OR-Set element or map key, in bytes */

enum crdt_err {
    CRDT_OK = 0,
    CRDT_ENOMEM = -1,     /* out of memory; the target state is unchanged */
    CRDT_EINVAL = -2,     /* bad argument: NaN, key too long, operation not of this type */
    CRDT_EOVERFLOW = -3,  /* a counter or dot sequence would pass 2^64 - 1 */
    CRDT_ETRUNC = -4,     /* input ends inside a field */
    CRDT_EVERSION = -5,   /* unknown version byte */
    CRDT_ETYPE = -6,      /* type tag unknown or not the expected type */
    CRDT_EMALFORMED = -7, /* a field outside its domain, unsorted, duplicated, or not canonical */
    CRDT_ETRAILING = -8,  /* bytes left after the end of the state */
    CRDT_ECLOCK = -9,     /* HLC: remote timestamp beyond the maximum offset, or clock exhausted */
};

/* A static description of a code ("truncated input", ...). */
const char *crdt_strerror(int code);

/* Hybrid logical clock timestamp (Kulkarni et al. 2014): l is the largest
 * physical time (ns) the clock has heard of, c counts events within one l.
 * Ordered by (l, c); engine/crdt/hlc.h has the clock itself. */
typedef struct crdt_hlc {
    int64_t l;
    uint32_t c;
} crdt_hlc;

static inline int crdt_hlc_cmp(crdt_hlc a, crdt_hlc b) {
    if (a.l != b.l) return a.l < b.l ? -1 : 1;
    return (a.c > b.c) - (a.c < b.c);
}

typedef enum crdt_tag {
    CRDT_GCOUNTER = 1,
    CRDT_PNCOUNTER = 2,
    CRDT_MAXREG = 3,
    CRDT_MINREG = 4,
    CRDT_LWW = 5,
    CRDT_ORSET = 6,
    CRDT_MAP = 7,
} crdt_tag;

typedef enum crdt_op_kind {
    CRDT_OP_INC = 1, /* G-Counter: add u */
    CRDT_OP_ADD,     /* PN-Counter: add i (may be negative) */
    CRDT_OP_WRITE,   /* max/min register: offer d; LWW register: write d at timestamp ts */
    CRDT_OP_INSERT,  /* OR-Set: add element (bytes, len) */
    CRDT_OP_ERASE,   /* OR-Set: remove element (bytes, len) */
    CRDT_OP_UPDATE,  /* map: apply *inner to the value under key (bytes, len) */
    CRDT_OP_DELETE,  /* map: remove key (bytes, len) */
} crdt_op_kind;

/* One update, in a form every type's generic `apply` understands. Only the
 * fields of its kind are read; pointers are borrowed for the call. */
typedef struct crdt_op {
    crdt_op_kind kind;
    uint64_t u;
    int64_t i;
    double d;
    crdt_hlc ts;
    const void *bytes;
    size_t len;
    const struct crdt_op *inner;
} crdt_op;

/* Growable encoder. Errors are sticky: after an allocation failure `oom` is
 * set and further writes do nothing. */
typedef struct crdt_buf {
    uint8_t *p;
    size_t len, cap;
    bool oom;
} crdt_buf;

void crdt_buf_init(crdt_buf *b);
void crdt_buf_free(crdt_buf *b);
void crdt_buf_u8(crdt_buf *b, uint8_t v);
void crdt_buf_uvar(crdt_buf *b, uint64_t v);
void crdt_buf_svar(crdt_buf *b, int64_t v);
void crdt_buf_f64(crdt_buf *b, double v);
void crdt_buf_bytes(crdt_buf *b, const void *p, size_t n); /* varint length, then the bytes */

/* Bounds-checked decoder over borrowed bytes. The first failure is recorded
 * (code, byte offset, message) and every later read fails with the same
 * code, so a decoder may check only where it must stop. `what` names the
 * field in the message. */
typedef struct crdt_rd {
    const uint8_t *p;
    size_t len, pos;
    int err;
    char msg[160];
} crdt_rd;

void crdt_rd_init(crdt_rd *rd, const void *p, size_t len);
int crdt_rd_u8(crdt_rd *rd, uint8_t *v, const char *what);
int crdt_rd_uvar(crdt_rd *rd, uint64_t *v, const char *what); /* rejects overlong and > 64-bit forms */
int crdt_rd_svar(crdt_rd *rd, int64_t *v, const char *what);
int crdt_rd_f64(crdt_rd *rd, double *v, const char *what);
/* A byte string of at most `max` bytes; *p points into the input. */
int crdt_rd_bytes(crdt_rd *rd, const uint8_t **p, size_t *n, size_t max, const char *what);
/* An item count, rejected unless count * min_item_bytes <= bytes left: this
 * is what bounds every allocation of a decoder by the input length. */
int crdt_rd_count(crdt_rd *rd, size_t *n, size_t min_item_bytes, const char *what);
/* Records a failure at the current offset and returns `code`. */
int crdt_rd_fail(crdt_rd *rd, int code, const char *fmt, ...) __attribute__((format(printf, 3, 4)));

/* A CRDT type as a table of functions over void pointers: what the map
 * stores as values, the sync layer ships without knowing the type, and the
 * tests drive generically. Each type's header declares its table
 * (crdt_gcounter_type, ...). New slots go at the end; `abi` is CRDT_TYPE_ABI. */
#define CRDT_TYPE_ABI 1
typedef struct crdt_type {
    int abi;
    crdt_tag tag;
    const char *name;
    void *(*create)(void); /* bottom state, or NULL on out of memory; NULL slot for the map */
    void (*destroy)(void *s);
    void *(*clone)(const void *s);
    int (*merge)(void *into, const void *from); /* into := into ⊔ from */
    bool (*leq)(const void *a, const void *b);  /* a ≤ b in the lattice, i.e. a ⊔ b = b */
    bool (*eq)(const void *a, const void *b);
    bool (*is_bottom)(const void *s);
    /* Applies `op` as replica r; if delta is not NULL stores a new state the
     * caller owns such that the new s equals old s ⊔ *delta. On error s is
     * unchanged and *delta is not set. */
    int (*apply)(void *s, crdt_replica_t r, const crdt_op *op, void **delta);
    void (*encode_body)(const void *s, crdt_buf *b);
    int (*decode_body)(crdt_rd *rd, void **out); /* on success *out is a new state */
} crdt_type;

/* The type with wire tag `tag`, or NULL. */
const crdt_type *crdt_type_by_tag(unsigned tag);

/* Encodes s (version byte, tag, body) into *out, a malloc'd buffer of *len
 * bytes the caller frees. Returns 0 or CRDT_ENOMEM. */
int crdt_encode(const crdt_type *t, const void *s, uint8_t **out, size_t *len);

/* Decodes exactly `len` bytes holding a state of type t into *out (a new
 * state the caller frees with t->destroy). Returns 0, or a negative crdt_err
 * with a message naming the byte offset in err (if err is not NULL); *out is
 * then untouched. Never reads outside [p, p+len). */
int crdt_decode(const crdt_type *t, const void *p, size_t len, void **out, char *err, size_t errlen);

/* Like crdt_decode, taking the type from the tag byte; *t is set on success. */
int crdt_decode_any(const void *p, size_t len, const crdt_type **t, void **out, char *err, size_t errlen);

#endif
