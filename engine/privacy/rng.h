/* The randomness of engine/privacy/: a ChaCha20 stream (RFC 8439 block
 * function; words 12-13 are a 64-bit block counter, 14-15 a 64-bit stream
 * id, as in Bernstein's original) used as a deterministic random bit
 * generator. Keyed from /dev/urandom it is what real keys, encryption
 * randomness and noise should use; keyed from a 64-bit seed it makes tests,
 * simulations and benchmarks reproducible (and is then not secret). The
 * pairwise masks of mask.h are ChaCha20 streams keyed by a shared seed.
 *
 * A generator is a plain struct the caller owns; nothing is allocated. One
 * (key, stream) pair yields 2^70 bytes before the counter wraps. */
#ifndef ENG_PRIV_RNG_H
#define ENG_PRIV_RNG_H

#include <gmp.h>
#include <stddef.h>
#include <stdint.h>

typedef struct eng_priv_rng {
    uint32_t key[8];
    uint64_t stream;
    uint64_t block; /* counter of the next block to generate */
    uint8_t buf[64];
    unsigned pos; /* bytes of buf already handed out */
} eng_priv_rng;

/* The ChaCha20 block function: 20 rounds over the constants, key[8] and
 * in[4] (RFC 8439 words 12-15: counter then nonce), serialised little-endian
 * into out. */
void eng_priv_chacha20_block(const uint32_t key[8], const uint32_t in[4], uint8_t out[64]);

/* Keys the generator with 32 bytes (read as 8 little-endian words) and a
 * stream id; different stream ids under one key give independent streams. */
void eng_priv_rng_init(eng_priv_rng *r, const uint8_t key[32], uint64_t stream);
/* Reproducible: the key is seed as 8 little-endian bytes followed by zeros. */
void eng_priv_rng_seed(eng_priv_rng *r, uint64_t seed);
/* Keys from 32 bytes of /dev/urandom. 0, or ENG_PRIV_EIO (r is then wiped). */
int eng_priv_rng_os(eng_priv_rng *r);
/* Overwrites the key and buffered output with zeros. */
void eng_priv_rng_wipe(eng_priv_rng *r);

void eng_priv_rng_bytes(eng_priv_rng *r, void *out, size_t n);
uint64_t eng_priv_rng_u64(eng_priv_rng *r);
/* Uniform on [0, n), n > 0, without modulo bias (rejection). */
uint64_t eng_priv_rng_below(eng_priv_rng *r, uint64_t n);
/* Uniform on (0, 1): a 53-bit grid offset by half a step, never 0 or 1. */
double eng_priv_rng_open01(eng_priv_rng *r);
/* Uniform on [0, 2^bits), 0 < bits <= ENG_PRIV_RNG_MPZ_MAX_BITS. */
#define ENG_PRIV_RNG_MPZ_MAX_BITS 16384
void eng_priv_rng_mpz_bits(eng_priv_rng *r, mpz_t out, mp_bitcnt_t bits);
/* Uniform on [0, bound) by rejection; 0 < bound < 2^ENG_PRIV_RNG_MPZ_MAX_BITS. */
void eng_priv_rng_mpz_below(eng_priv_rng *r, mpz_t out, const mpz_t bound);

#endif
