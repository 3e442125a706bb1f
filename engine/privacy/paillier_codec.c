/* The byte formats of Paillier keys and ciphertexts (paillier.h, and
 * docs/privacy.md): what a key server hands to devices and what devices put
 * on the bus. Every read is bounds-checked against the input length, and
 * every length against the largest key, before anything is allocated. */
#include <assert.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "engine/privacy/paillier_int.h"
#include "engine/privacy/priv_int.h"

enum { KIND_PK = 1, KIND_SK = 2, KIND_CT = 3 };

#define MAX_NUM_BYTES (ENG_PRIV_PAI_MAX_BITS / 8)

typedef struct rd {
    const uint8_t *p;
    size_t len, pos;
    int err;
    char *msg;
    size_t msglen;
} rd;

static int rd_fail(rd *r, int code, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
static int rd_fail(rd *r, int code, const char *fmt, ...) {
    if (r->err) return r->err;
    r->err = code;
    if (!r->msg || !r->msglen) return code;
    int k = snprintf(r->msg, r->msglen, "byte %zu: ", r->pos);
    if (k > 0 && (size_t)k < r->msglen) {
        va_list ap;
        va_start(ap, fmt);
        vsnprintf(r->msg + k, r->msglen - (size_t)k, fmt, ap);
        va_end(ap);
    }
    return code;
}

/* An unsigned big-endian integer of nbytes (<= 8). */
static int rd_be(rd *r, uint64_t *v, size_t nbytes, const char *what) {
    *v = 0;
    if (r->err) return r->err;
    if (r->len - r->pos < nbytes) return rd_fail(r, ENG_PRIV_ETRUNC, "input ends inside the %s", what);
    for (size_t i = 0; i < nbytes; i++) *v = *v << 8 | r->p[r->pos++];
    return 0;
}

/* The header: version byte, then the expected kind byte. */
static int rd_header(rd *r, int kind) {
    uint64_t v, k;
    if (rd_be(r, &v, 1, "version byte")) return r->err;
    if (v != ENG_PRIV_PAI_VERSION) {
        r->pos--;
        return rd_fail(r, ENG_PRIV_EVERSION, "version %u, expected %d", (unsigned)v, ENG_PRIV_PAI_VERSION);
    }
    if (rd_be(r, &k, 1, "kind byte")) return r->err;
    if (k != (uint64_t)kind) {
        r->pos--;
        return rd_fail(r, ENG_PRIV_ETYPE, "object kind %u, expected %d", (unsigned)k, kind);
    }
    return 0;
}

/* len32 then the magnitude. want: exact length required (fixed width), or 0
 * for a canonical minimal length in [1, MAX_NUM_BYTES]. */
static int rd_mpz(rd *r, mpz_t x, size_t want, const char *what) {
    uint64_t n;
    if (rd_be(r, &n, 4, what)) return r->err;
    r->pos -= 4;
    if (want ? n != want : n == 0 || n > MAX_NUM_BYTES)
        return rd_fail(r, ENG_PRIV_EMALFORMED, "%s length %llu, expected %s %zu", what, (unsigned long long)n,
                       want ? "exactly" : "1 to", want ? want : (size_t)MAX_NUM_BYTES);
    r->pos += 4;
    if (r->len - r->pos < n) return rd_fail(r, ENG_PRIV_ETRUNC, "input ends inside the %s", what);
    if (!want && r->p[r->pos] == 0)
        return rd_fail(r, ENG_PRIV_EMALFORMED, "%s has a leading zero byte", what);
    mpz_import(x, (size_t)n, 1, 1, 1, 0, r->p + r->pos);
    r->pos += (size_t)n;
    return 0;
}

static int rd_end(rd *r) {
    if (!r->err && r->pos != r->len)
        rd_fail(r, ENG_PRIV_ETRAILING, "%zu bytes after the end of the object", r->len - r->pos);
    return r->err;
}

static void rd_init(rd *r, const void *p, size_t len, char *err, size_t errlen) {
    *r = (rd){p, len, 0, 0, err, errlen};
    if (err && errlen) err[0] = '\0';
}

static size_t mpz_bytes(mpz_srcptr x) { return (mpz_sizeinbase(x, 2) + 7) / 8; }

/* len32 and the magnitude of x >= 0; width 0: minimal, else zero-padded to width. */
static size_t put_mpz(uint8_t *out, mpz_srcptr x, size_t width) {
    size_t count = mpz_sgn(x) ? mpz_bytes(x) : 0;
    size_t n = width ? width : count;
    assert(mpz_sgn(x) >= 0 && count <= n);
    for (int i = 0; i < 4; i++) out[i] = (uint8_t)(n >> (24 - 8 * i));
    memset(out + 4, 0, n - count);
    if (count) mpz_export(out + 4 + n - count, NULL, 1, 1, 1, 0, x);
    return 4 + n;
}

int eng_priv_pai_pk_encode(const eng_priv_pai_pk *pk, uint8_t **out, size_t *len) {
    size_t n = 2 + 4 + mpz_bytes(pk->n);
    uint8_t *b = malloc(n);
    if (!b) return ENG_PRIV_ENOMEM;
    b[0] = ENG_PRIV_PAI_VERSION;
    b[1] = KIND_PK;
    put_mpz(b + 2, pk->n, 0);
    *out = b;
    *len = n;
    return ENG_PRIV_OK;
}

int eng_priv_pai_pk_decode(const void *p, size_t len, eng_priv_pai_pk **out, char *err, size_t errlen) {
    rd r;
    rd_init(&r, p, len, err, errlen);
    mpz_t n;
    mpz_init(n);
    eng_priv_pai_pk *pk = NULL;
    if (!rd_header(&r, KIND_PK) && !rd_mpz(&r, n, 0, "modulus") && !rd_end(&r) &&
        eng_priv_pai_pk_new(n, &pk) != ENG_PRIV_OK)
        rd_fail(&r, ENG_PRIV_EKEY, "the modulus is even, below 15 or over %d bits", ENG_PRIV_PAI_MAX_BITS);
    mpz_clear(n);
    if (!r.err) *out = pk;
    return r.err;
}

int eng_priv_pai_sk_encode(const eng_priv_pai_sk *sk, uint8_t **out, size_t *len) {
    size_t n = 2 + 4 + mpz_bytes(sk->p) + 4 + mpz_bytes(sk->q);
    uint8_t *b = malloc(n);
    if (!b) return ENG_PRIV_ENOMEM;
    b[0] = ENG_PRIV_PAI_VERSION;
    b[1] = KIND_SK;
    size_t at = 2 + put_mpz(b + 2, sk->p, 0);
    put_mpz(b + at, sk->q, 0);
    *out = b;
    *len = n;
    return ENG_PRIV_OK;
}

int eng_priv_pai_sk_decode(const void *p, size_t len, eng_priv_pai_sk **out, char *err, size_t errlen) {
    rd r;
    rd_init(&r, p, len, err, errlen);
    mpz_t a, b;
    mpz_inits(a, b, NULL);
    eng_priv_pai_sk *sk = NULL;
    if (!rd_header(&r, KIND_SK) && !rd_mpz(&r, a, 0, "prime p") && !rd_mpz(&r, b, 0, "prime q") &&
        !rd_end(&r)) {
        int rc = eng_priv_pai_sk_from_pq(a, b, &sk);
        if (rc == ENG_PRIV_EKEY)
            rd_fail(&r, rc,
                    "p and q are not two distinct primes of equal length with gcd(pq, (p-1)(q-1)) = 1");
        else if (rc)
            rd_fail(&r, rc, "%s", eng_priv_strerror(rc));
    }
    eng_priv__mpz_clear_wipe(a);
    eng_priv__mpz_clear_wipe(b);
    if (!r.err) *out = sk;
    return r.err;
}

size_t eng_priv_pai_ct_size(const eng_priv_pai_pk *pk) { return 2 + 8 + 4 + mpz_bytes(pk->n2); }

void eng_priv_pai_ct_encode(const eng_priv_pai_pk *pk, mpz_srcptr c, uint8_t *out) {
    out[0] = ENG_PRIV_PAI_VERSION;
    out[1] = KIND_CT;
    for (int i = 0; i < 8; i++) out[2 + i] = (uint8_t)(pk->id >> (56 - 8 * i));
    put_mpz(out + 10, c, mpz_bytes(pk->n2));
}

int eng_priv_pai_ct_decode(const eng_priv_pai_pk *pk, const void *p, size_t len, mpz_t c, char *err,
                           size_t errlen) {
    rd r;
    rd_init(&r, p, len, err, errlen);
    uint64_t id;
    mpz_t x;
    mpz_init(x);
    if (!rd_header(&r, KIND_CT) && !rd_be(&r, &id, 8, "key id")) {
        if (id != pk->id) {
            r.pos -= 8;
            rd_fail(&r, ENG_PRIV_EKEY, "key id %016llx, this key is %016llx", (unsigned long long)id,
                    (unsigned long long)pk->id);
        } else if (!rd_mpz(&r, x, mpz_bytes(pk->n2), "ciphertext") && !rd_end(&r) &&
                   eng_priv_pai_ct_check(pk, x) != ENG_PRIV_OK) {
            r.pos = 14;
            rd_fail(&r, ENG_PRIV_EMALFORMED, "ciphertext is 0, not below n², or shares a factor with n");
        }
    }
    if (!r.err) mpz_set(c, x);
    mpz_clear(x);
    return r.err;
}
