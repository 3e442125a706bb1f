/* Pairwise additive masks for secure aggregation (the masking layer of
 * Bonawitz et al., CCS 2017, without its double masking and secret sharing).
 * Every pair of clients i < j shares a 32-byte seed; for round t both expand
 * it into the same ChaCha20 stream (key = seed, stream id = t) of 64-bit
 * words. Client i adds the stream to its fixed-point vector, client j
 * subtracts it, all mod 2^64, so in the server's sum over all clients every
 * mask cancels and only the sum of the values remains; each single masked
 * vector is uniformly distributed to the server.
 *
 * A client that drops out after the others masked leaves its pairs' masks
 * uncancelled. The survivors then reveal the seeds they share with it and
 * the server removes those orphaned masks (mask_agg below). Revealing is
 * only safe if the dropped client's own vector never arrives later: the
 * aggregator refuses a client once it is declared dropped. A survivor that
 * reveals a wrong seed makes the sum wrong (no commitments are built).
 *
 * Values are fixed point in Z_{2^64}: round(x·scale) in two's complement. A
 * sum of `terms` vectors decodes exactly while every |round(x·scale)| is at
 * most (2^63 - 1)/terms, which the encoder checks. */
#ifndef ENG_PRIV_MASK_H
#define ENG_PRIV_MASK_H

#include <stddef.h>
#include <stdint.h>

#include "engine/privacy/priv.h"

#define ENG_PRIV_MASK_SCALE 0x1p24 /* default fixed-point scale: steps of 2^-24 */

typedef struct eng_priv_seed {
    uint8_t b[32];
} eng_priv_seed;

/* w[k] := round(x[k]·scale) mod 2^64. ENG_PRIV_EINVAL if a value or x·scale
 * is not finite, scale <= 0 or terms == 0; ENG_PRIV_EOVERFLOW if some
 * |round(x·scale)|·terms > 2^63 - 1 (w is then partly written). */
int eng_priv_mask_encode(const double *x, size_t dim, double scale, uint32_t terms, uint64_t *w);
/* x[k] := (w[k] read as a signed 64-bit integer) / scale. */
void eng_priv_mask_decode(const uint64_t *w, size_t dim, double scale, double *x);

/* The seed clients i and j share, derived from a setup secret known to the
 * simulation (a deployment agrees on it by key exchange instead, which is
 * not built): the first 32 bytes of ChaCha20(key = master, stream id =
 * min(i,j)·2^32 + max(i,j)). Symmetric in i and j. */
void eng_priv_mask_pair_seed(const uint8_t master[32], uint32_t i, uint32_t j, eng_priv_seed *out);

/* w[k] += s·stream(seed, round)[k] mod 2^64, with s = +1 or -1. */
void eng_priv_mask_stream_apply(const eng_priv_seed *seed, uint64_t round, int s, uint64_t *w, size_t dim);

/* Client `self` of n masks its encoded vector w in place for `round`:
 * w += stream(seeds[j]) for every j > self, w -= stream(seeds[j]) for every
 * j < self. seeds[j] is the seed shared with client j (seeds[self] unread). */
void eng_priv_mask_client(uint32_t self, uint32_t n, const eng_priv_seed *seeds, uint64_t round, uint64_t *w,
                          size_t dim);

/* --- the server side (mask_agg.c) --- */
typedef struct eng_priv_mask_agg eng_priv_mask_agg;

/* An aggregator for one round of n clients' vectors of dim words; NULL on
 * out of memory (or n == 0). Free with _free (NULL is fine). */
eng_priv_mask_agg *eng_priv_mask_agg_new(uint32_t n, size_t dim, uint64_t round);
void eng_priv_mask_agg_free(eng_priv_mask_agg *a);
/* Adds client c's masked vector (dim words, copied). ENG_PRIV_EINVAL if
 * c >= n; ENG_PRIV_ESTATE if c was already added or declared dropped. */
int eng_priv_mask_agg_add(eng_priv_mask_agg *a, uint32_t c, const uint64_t *y);
/* Declares client c dropped: from now on its vector is refused.
 * ENG_PRIV_ESTATE if its vector was already added (or c already dropped). */
int eng_priv_mask_agg_drop(eng_priv_mask_agg *a, uint32_t c);
/* Survivor s reveals the seed it shares with dropped client d; the server
 * removes the orphaned mask s added or subtracted. ENG_PRIV_ESTATE unless s
 * was added, d declared dropped, and this pair not revealed before. */
int eng_priv_mask_agg_reveal(eng_priv_mask_agg *a, uint32_t s, uint32_t d, const eng_priv_seed *seed);
/* out (dim words) := the sum of the survivors' encoded values; *survivors
 * their number. ENG_PRIV_ESTATE while a client is neither added nor dropped
 * or a (survivor, dropped) seed is still unrevealed. */
int eng_priv_mask_agg_sum(const eng_priv_mask_agg *a, uint64_t *out, uint32_t *survivors);

#endif
