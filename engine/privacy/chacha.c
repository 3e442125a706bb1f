/* ChaCha20 (RFC 8439 section 2.3) and the generator built on it (rng.h):
 * every key, encryption nonce, mask stream and noise sample of
 * engine/privacy/ is drawn here. */
#include <assert.h>
#include <stdio.h>
#include <string.h>

#include "engine/privacy/priv.h"
#include "engine/privacy/priv_int.h"
#include "engine/privacy/rng.h"

static uint32_t rotl(uint32_t v, int c) { return (v << c) | (v >> (32 - c)); }

#define QR(a, b, c, d)                                                                                       \
    do {                                                                                                     \
        a += b, d = rotl(d ^ a, 16);                                                                         \
        c += d, b = rotl(b ^ c, 12);                                                                         \
        a += b, d = rotl(d ^ a, 8);                                                                          \
        c += d, b = rotl(b ^ c, 7);                                                                          \
    } while (0)

void eng_priv_chacha20_block(const uint32_t key[8], const uint32_t in[4], uint8_t out[64]) {
    uint32_t s[16] = {0x61707865, 0x3320646e, 0x79622d32, 0x6b206574};
    memcpy(s + 4, key, 32);
    memcpy(s + 12, in, 16);
    uint32_t x[16];
    memcpy(x, s, sizeof x);
    for (int i = 0; i < 10; i++) {
        QR(x[0], x[4], x[8], x[12]);
        QR(x[1], x[5], x[9], x[13]);
        QR(x[2], x[6], x[10], x[14]);
        QR(x[3], x[7], x[11], x[15]);
        QR(x[0], x[5], x[10], x[15]);
        QR(x[1], x[6], x[11], x[12]);
        QR(x[2], x[7], x[8], x[13]);
        QR(x[3], x[4], x[9], x[14]);
    }
    for (int i = 0; i < 16; i++) {
        uint32_t v = x[i] + s[i];
        out[4 * i] = (uint8_t)v;
        out[4 * i + 1] = (uint8_t)(v >> 8);
        out[4 * i + 2] = (uint8_t)(v >> 16);
        out[4 * i + 3] = (uint8_t)(v >> 24);
    }
}

void eng_priv_rng_init(eng_priv_rng *r, const uint8_t key[32], uint64_t stream) {
    for (int i = 0; i < 8; i++)
        r->key[i] = (uint32_t)key[4 * i] | (uint32_t)key[4 * i + 1] << 8 | (uint32_t)key[4 * i + 2] << 16 |
                    (uint32_t)key[4 * i + 3] << 24;
    r->stream = stream;
    r->block = 0;
    r->pos = sizeof r->buf;
}

void eng_priv_rng_seed(eng_priv_rng *r, uint64_t seed) {
    uint8_t key[32] = {0};
    for (int i = 0; i < 8; i++) key[i] = (uint8_t)(seed >> (8 * i));
    eng_priv_rng_init(r, key, 0);
}

void eng_priv_rng_wipe(eng_priv_rng *r) {
    eng_priv__wipe(r, sizeof *r);
    r->pos = sizeof r->buf;
}

int eng_priv_rng_os(eng_priv_rng *r) {
    uint8_t key[32];
    FILE *f = fopen("/dev/urandom", "rb");
    size_t got = f ? fread(key, 1, sizeof key, f) : 0;
    if (f) fclose(f);
    if (got != sizeof key) {
        eng_priv_rng_wipe(r);
        return ENG_PRIV_EIO;
    }
    eng_priv_rng_init(r, key, 0);
    eng_priv__wipe(key, sizeof key);
    return ENG_PRIV_OK;
}

static void refill(eng_priv_rng *r) {
    uint32_t in[4] = {(uint32_t)r->block, (uint32_t)(r->block >> 32), (uint32_t)r->stream,
                      (uint32_t)(r->stream >> 32)};
    eng_priv_chacha20_block(r->key, in, r->buf);
    r->block++;
    r->pos = 0;
}

void eng_priv_rng_bytes(eng_priv_rng *r, void *out, size_t n) {
    uint8_t *o = out;
    while (n) {
        if (r->pos == sizeof r->buf) refill(r);
        size_t k = sizeof r->buf - r->pos;
        if (k > n) k = n;
        memcpy(o, r->buf + r->pos, k);
        r->pos += (unsigned)k;
        o += k;
        n -= k;
    }
}

uint64_t eng_priv_rng_u64(eng_priv_rng *r) {
    uint8_t b[8];
    eng_priv_rng_bytes(r, b, sizeof b);
    uint64_t v = 0;
    for (int i = 7; i >= 0; i--) v = v << 8 | b[i];
    return v;
}

uint64_t eng_priv_rng_below(eng_priv_rng *r, uint64_t n) {
    uint64_t reject = (0 - n) % n; /* 2^64 mod n: the short last run of values */
    uint64_t v;
    do v = eng_priv_rng_u64(r);
    while (v < reject);
    return v % n;
}

double eng_priv_rng_open01(eng_priv_rng *r) {
    return ((double)(eng_priv_rng_u64(r) >> 11) + 0.5) * 0x1.0p-53;
}

void eng_priv_rng_mpz_bits(eng_priv_rng *r, mpz_t out, mp_bitcnt_t bits) {
    uint8_t buf[ENG_PRIV_RNG_MPZ_MAX_BITS / 8] = {0};
    assert(bits > 0 && bits <= ENG_PRIV_RNG_MPZ_MAX_BITS);
    size_t nbytes = (bits + 7) / 8;
    eng_priv_rng_bytes(r, buf, nbytes);
    if (bits % 8) buf[0] &= (uint8_t)((1u << (bits % 8)) - 1);
    mpz_import(out, nbytes, 1, 1, 1, 0, buf);
    eng_priv__wipe(buf, nbytes);
}

void eng_priv_rng_mpz_below(eng_priv_rng *r, mpz_t out, const mpz_t bound) {
    mp_bitcnt_t bits = mpz_sizeinbase(bound, 2);
    do eng_priv_rng_mpz_bits(r, out, bits);
    while (mpz_cmp(out, bound) >= 0);
}
