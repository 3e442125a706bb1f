/* Paillier's additively homomorphic encryption (Paillier 1999) with g = n+1:
 * Enc(m; r) = (1 + m·n) · r^n mod n², so Enc(a)·Enc(b) decrypts to a + b and
 * Enc(a)^k to k·a (mod n). Devices or edge gateways encrypt readings or model
 * weights under the aggregator's public key; the cloud multiplies ciphertexts
 * without seeing the values, and only the key holder decrypts the sum.
 *
 * Keys: n = p·q with p, q primes of equal bit length (each with its top two
 * bits set, so n has exactly the asked size) and gcd(n, (p-1)(q-1)) = 1.
 * Decryption works modulo p² and q² separately and recombines by the Chinese
 * remainder theorem (Paillier 1999, section 7), about 4x cheaper than the
 * textbook L(c^λ mod n²)·μ mod n.
 *
 * Plaintexts are residues mod n. Signed integers map to them as v -> v mod n
 * (a negative v becomes n - |v|), and reals through a fixed-point scale
 * (x -> round(x·scale)); see the encode functions for overflow detection.
 *
 * In memory a ciphertext is an mpz_t the caller owns. Keys are opaque. GMP
 * operations are not constant-time: timing side channels are out of scope.
 * The byte formats (docs/privacy.md) are, after a version byte (1) and a
 * kind byte (1 public key, 2 secret key, 3 ciphertext):
 *   public key: len32 n
 *   secret key: len32 p, len32 q
 *   ciphertext: key id (8 bytes), len32 c, with len = bytes of n² exactly
 * where len32 is a 4-byte big-endian length followed by that many bytes of
 * big-endian magnitude, with no leading zero byte (except the fixed-width
 * ciphertext), and the key id is n mod 2^64 (tags which key a ciphertext
 * belongs to; it is not a security measure). */
#ifndef ENG_PRIV_PAILLIER_H
#define ENG_PRIV_PAILLIER_H

#include <gmp.h>
#include <stddef.h>
#include <stdint.h>

#include "engine/privacy/priv.h"
#include "engine/privacy/rng.h"

#define ENG_PRIV_PAI_BITS 2048          /* default modulus size */
#define ENG_PRIV_PAI_KEYGEN_MIN_BITS 64 /* smallest size keygen makes (tests only: real keys >= 2048) */
#define ENG_PRIV_PAI_MAX_BITS 8192      /* largest modulus accepted anywhere */
#define ENG_PRIV_PAI_SCALE 0x1p32       /* default fixed-point scale: steps of 2^-32 */
#define ENG_PRIV_PAI_VERSION 1

typedef struct eng_priv_pai_pk eng_priv_pai_pk;
typedef struct eng_priv_pai_sk eng_priv_pai_sk;
typedef struct eng_priv_pai_pool eng_priv_pai_pool;

/* --- keys (paillier.c) --- */

/* A new key pair of `bits` bits (even, in [ENG_PRIV_PAI_KEYGEN_MIN_BITS,
 * ENG_PRIV_PAI_MAX_BITS]) from rng: each prime is GMP's mpz_nextprime after a
 * uniform odd start with the top two bits set. Real keys want an rng keyed by
 * eng_priv_rng_os. 0 or ENG_PRIV_EINVAL; *out is freed with _sk_free. */
int eng_priv_pai_keygen(uint32_t bits, eng_priv_rng *rng, eng_priv_pai_sk **out);
/* The key pair of given primes (known-answer tests, stored keys). Checks that
 * both are probable primes (GMP, 24 rounds), distinct, of equal bit length,
 * with gcd(pq, (p-1)(q-1)) = 1 and pq of at most ENG_PRIV_PAI_MAX_BITS bits:
 * ENG_PRIV_EKEY otherwise. */
int eng_priv_pai_sk_from_pq(mpz_srcptr p, mpz_srcptr q, eng_priv_pai_sk **out);
/* Zeroes the secret numbers and frees; NULL is fine. */
void eng_priv_pai_sk_free(eng_priv_pai_sk *sk);
/* The public half; borrowed, valid until sk is freed. */
const eng_priv_pai_pk *eng_priv_pai_sk_pk(const eng_priv_pai_sk *sk);

/* A public key from its modulus: odd, >= 15, at most ENG_PRIV_PAI_MAX_BITS
 * bits, else ENG_PRIV_EKEY. Free with _pk_free (NULL is fine). */
int eng_priv_pai_pk_new(mpz_srcptr n, eng_priv_pai_pk **out);
void eng_priv_pai_pk_free(eng_priv_pai_pk *pk);
mpz_srcptr eng_priv_pai_pk_n(const eng_priv_pai_pk *pk);
uint32_t eng_priv_pai_pk_bits(const eng_priv_pai_pk *pk);
uint64_t eng_priv_pai_pk_id(const eng_priv_pai_pk *pk); /* n mod 2^64 */
int eng_priv_pai_pk_eq(const eng_priv_pai_pk *a, const eng_priv_pai_pk *b);

/* --- encryption, decryption, homomorphic operations (paillier_ops.c) ---
 * Outputs may alias inputs. */

/* c := Enc(m; r) with r uniform in Z*_n from rng. m must be in [0, n):
 * ENG_PRIV_EINVAL otherwise. */
int eng_priv_pai_encrypt(const eng_priv_pai_pk *pk, mpz_srcptr m, eng_priv_rng *rng, mpz_t c);
/* c := Enc(m; r) for a given r in [1, n) coprime to n (known answers). */
int eng_priv_pai_encrypt_r(const eng_priv_pai_pk *pk, mpz_srcptr m, mpz_srcptr r, mpz_t c);
/* m := Dec(c) in [0, n). c must be a valid ciphertext (eng_priv_pai_ct_check),
 * else ENG_PRIV_EINVAL. */
int eng_priv_pai_decrypt(const eng_priv_pai_sk *sk, mpz_srcptr c, mpz_t m);
/* 0 if 0 < c < n² and gcd(c, n) = 1, else ENG_PRIV_EINVAL. */
int eng_priv_pai_ct_check(const eng_priv_pai_pk *pk, mpz_srcptr c);
/* c := a·b mod n², an encryption of Dec(a) + Dec(b) mod n. */
void eng_priv_pai_add(const eng_priv_pai_pk *pk, mpz_t c, mpz_srcptr a, mpz_srcptr b);
/* c := a^(k mod n) mod n², an encryption of k·Dec(a) mod n (k may be negative). */
void eng_priv_pai_mul(const eng_priv_pai_pk *pk, mpz_t c, mpz_srcptr a, mpz_srcptr k);

/* --- precomputed randomness (paillier_pool.c) ---
 * Encryption's cost is r^n mod n²; it does not depend on m, so it can be
 * computed ahead (while idle, or on another core) and an encryption becomes
 * one multiplication. Each stored value is handed out once and then erased:
 * two ciphertexts sharing r would reveal the difference of their plaintexts
 * (their ratio is (1+n)^(m1-m2)). The pool is as secret as the plaintexts. */

/* A pool of `count` values r^n mod n², r uniform in Z*_n from rng; NULL on
 * out of memory. pk is borrowed and must outlive the pool. */
eng_priv_pai_pool *eng_priv_pai_pool_new(const eng_priv_pai_pk *pk, size_t count, eng_priv_rng *rng);
/* Zeroes the unused values and frees; NULL is fine. */
void eng_priv_pai_pool_free(eng_priv_pai_pool *pool);
size_t eng_priv_pai_pool_left(const eng_priv_pai_pool *pool);
/* c := Enc(m) with the next unused value. ENG_PRIV_EEMPTY when none is left,
 * ENG_PRIV_EINVAL if m is not in [0, n). */
int eng_priv_pai_encrypt_pool(eng_priv_pai_pool *pool, mpz_srcptr m, mpz_t c);

/* --- fixed-point encoding (paillier_fixed.c) ---
 * A signed integer v is encoded as v mod n; decoding maps [0, (n-1)/2] to
 * itself and [(n+1)/2, n) to m - n. A sum of `terms` encodings, each of
 * magnitude at most (n-1)/(2·terms), therefore decodes exactly: that is the
 * headroom the encoders check. Scalar multiplication by k needs terms >= |k|. */

/* out := (n-1)/2, the largest magnitude one encoding may have (terms = 1). */
void eng_priv_pai_max_abs(const eng_priv_pai_pk *pk, mpz_t out);
/* m := v mod n. ENG_PRIV_EINVAL if terms == 0; ENG_PRIV_EOVERFLOW if
 * |v|·terms > (n-1)/2. */
int eng_priv_pai_encode_z(const eng_priv_pai_pk *pk, mpz_srcptr v, uint32_t terms, mpz_t m);
/* v := the signed integer m (in [0, n)) stands for. */
void eng_priv_pai_decode_z(const eng_priv_pai_pk *pk, mpz_srcptr m, mpz_t v);
/* m := encoding of round(x·scale) (halves away from zero). ENG_PRIV_EINVAL if x
 * or x·scale is not finite, scale <= 0 or terms == 0; ENG_PRIV_EOVERFLOW as
 * for encode_z. */
int eng_priv_pai_encode(const eng_priv_pai_pk *pk, double x, double scale, uint32_t terms, mpz_t m);
/* The real m stands for: decode_z(m) / scale (nearest double to the integer,
 * truncated toward zero beyond 2^53). */
double eng_priv_pai_decode(const eng_priv_pai_pk *pk, mpz_srcptr m, double scale);

/* --- byte formats (paillier_codec.c) ---
 * Decoders read exactly [p, p+len), write a message naming the byte offset
 * into err (if not NULL), and return ENG_PRIV_ETRUNC, EVERSION, ETYPE,
 * EMALFORMED, ETRAILING or EKEY without touching *out. */

/* *out: a malloc'd buffer of *len bytes the caller frees. 0 or ENG_PRIV_ENOMEM. */
int eng_priv_pai_pk_encode(const eng_priv_pai_pk *pk, uint8_t **out, size_t *len);
int eng_priv_pai_pk_decode(const void *p, size_t len, eng_priv_pai_pk **out, char *err, size_t errlen);
/* The secret key's bytes are secret: wipe them when done. */
int eng_priv_pai_sk_encode(const eng_priv_pai_sk *sk, uint8_t **out, size_t *len);
/* Validates the primes as eng_priv_pai_sk_from_pq (ENG_PRIV_EKEY). */
int eng_priv_pai_sk_decode(const void *p, size_t len, eng_priv_pai_sk **out, char *err, size_t errlen);
/* Bytes of an encoded ciphertext under pk (the same for every ciphertext). */
size_t eng_priv_pai_ct_size(const eng_priv_pai_pk *pk);
/* Writes exactly eng_priv_pai_ct_size(pk) bytes; c must be in [0, n²). */
void eng_priv_pai_ct_encode(const eng_priv_pai_pk *pk, mpz_srcptr c, uint8_t *out);
/* c := the ciphertext in [p, p+len). ENG_PRIV_EKEY if it was made under
 * another key (id), EMALFORMED if it fails eng_priv_pai_ct_check. */
int eng_priv_pai_ct_decode(const eng_priv_pai_pk *pk, const void *p, size_t len, mpz_t c, char *err,
                           size_t errlen);

#endif
