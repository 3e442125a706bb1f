/* Client side of pairwise-masked secure aggregation: fixed point in
 * Z_{2^64}, the pair seeds of a simulated setup, and the ChaCha20 mask
 * streams a client adds or subtracts before its vector leaves the device or
 * gateway. mask.h describes the protocol; mask_agg.c is the server. */
#include <math.h>

#include "engine/privacy/mask.h"
#include "engine/privacy/priv_int.h"
#include "engine/privacy/rng.h"

int eng_priv_mask_encode(const double *x, size_t dim, double scale, uint32_t terms, uint64_t *w) {
    if (!isfinite(scale) || scale <= 0 || terms == 0) return ENG_PRIV_EINVAL;
    uint64_t limit = (uint64_t)INT64_MAX / terms;
    for (size_t k = 0; k < dim; k++) {
        double v = round(x[k] * scale);
        if (!isfinite(v)) return ENG_PRIV_EINVAL;
        if (!(fabs(v) < 0x1p63) || (uint64_t)fabs(v) > limit) return ENG_PRIV_EOVERFLOW;
        int64_t iv = (int64_t)v;
        w[k] = (uint64_t)iv;
    }
    return ENG_PRIV_OK;
}

void eng_priv_mask_decode(const uint64_t *w, size_t dim, double scale, double *x) {
    for (size_t k = 0; k < dim; k++) {
        int64_t v = w[k] <= (uint64_t)INT64_MAX ? (int64_t)w[k] : -(int64_t)(~w[k]) - 1;
        x[k] = (double)v / scale;
    }
}

void eng_priv_mask_pair_seed(const uint8_t master[32], uint32_t i, uint32_t j, eng_priv_seed *out) {
    uint32_t lo = i < j ? i : j, hi = i < j ? j : i;
    eng_priv_rng r;
    eng_priv_rng_init(&r, master, (uint64_t)lo << 32 | hi);
    eng_priv_rng_bytes(&r, out->b, sizeof out->b);
    eng_priv_rng_wipe(&r);
}

void eng_priv_mask_stream_apply(const eng_priv_seed *seed, uint64_t round, int s, uint64_t *w, size_t dim) {
    eng_priv_rng r;
    eng_priv_rng_init(&r, seed->b, round);
    for (size_t k = 0; k < dim; k++) {
        uint64_t m = eng_priv_rng_u64(&r);
        w[k] = s > 0 ? w[k] + m : w[k] - m;
    }
    eng_priv_rng_wipe(&r);
}

void eng_priv_mask_client(uint32_t self, uint32_t n, const eng_priv_seed *seeds, uint64_t round, uint64_t *w,
                          size_t dim) {
    for (uint32_t j = 0; j < n; j++)
        if (j != self) eng_priv_mask_stream_apply(&seeds[j], round, j > self ? 1 : -1, w, dim);
}
