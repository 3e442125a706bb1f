/* Adam (see adam.h): m = b1 m + (1-b1) g; v = b2 v + (1-b2) g^2;
 * p -= lr / (1 - b1^t) * m / (sqrt(v) / sqrt(1 - b2^t) + eps). */
#include "policies/nn/adam.h"

#include <assert.h>
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

void pol_nn_adam_defaults(pol_nn_adam_opts *o) {
    *o = (pol_nn_adam_opts){.lr = 1e-3, .beta1 = 0.9, .beta2 = 0.999, .eps = 1e-8, .max_grad_norm = 0};
}

pol_nn_adam *pol_nn_adam_new(const pol_nn_adam_opts *o, size_t nparams) {
    pol_nn_adam *a = calloc(1, sizeof *a);
    if (!a) return NULL;
    a->o = *o;
    a->n = nparams;
    a->m = calloc(nparams, sizeof(float));
    a->v = calloc(nparams, sizeof(float));
    if (!a->m || !a->v) {
        pol_nn_adam_free(a);
        return NULL;
    }
    return a;
}

void pol_nn_adam_free(pol_nn_adam *a) {
    if (!a) return;
    free(a->m);
    free(a->v);
    free(a);
}

/* Sum of squares of x[0..n): float partial sums in 8 independent lanes
 * (vectorisable, no serial dependency), folded into double every chunk. */
static double sum_squares(const float *x, size_t n) {
    double total = 0;
    for (size_t start = 0; start < n; start += 4096) {
        size_t end = n - start < 4096 ? n : start + 4096, i = start;
        float lane[8] = {0};
        for (; i + 8 <= end; i += 8)
            for (size_t k = 0; k < 8; k++) lane[k] += x[i + k] * x[i + k];
        for (; i < end; i++) lane[0] += x[i] * x[i];
        for (size_t k = 0; k < 8; k++) total += lane[k];
    }
    return total;
}

/* Moments of parameters whose gradient stays zero (dead ReLU units) decay
 * into subnormal floats, which are two orders of magnitude slower: flush
 * them to zero, on the bit pattern (a zero exponent field) to stay
 * branch-free. */
static float flush_subnormal(float x) {
    uint32_t b;
    memcpy(&b, &x, sizeof b);
    b &= 0u - (uint32_t)((b & 0x7f800000u) != 0);
    memcpy(&x, &b, sizeof b);
    return x;
}

/* The per-step constants of the update. */
typedef struct coef {
    float scale, b1, b2, step, c2, eps; /* c2 = 1 / sqrt(1 - b2^t) */
} coef;

static void update_scalar(float *restrict p, float *restrict g, float *restrict m, float *restrict v,
                          size_t from, size_t n, const coef *c) {
    for (size_t i = from; i < n; i++) {
        g[i] *= c->scale;
        m[i] = flush_subnormal(c->b1 * m[i] + (1.0f - c->b1) * g[i]);
        v[i] = flush_subnormal(c->b2 * v[i] + (1.0f - c->b2) * (g[i] * g[i]));
        p[i] -= c->step * m[i] / (sqrtf(v[i]) * c->c2 + c->eps);
    }
}

#if defined(__SSE2__)
#include <emmintrin.h>

/* The same update four parameters at a time, in the same order of
 * operations (so bit for bit the scalar result). Every x86-64 processor has
 * SSE2; compilers do not vectorise the scalar loop at -O2 because sqrtf may
 * set errno. Returns how many parameters it updated. */
static size_t update_sse2(float *p, float *g, float *m, float *v, size_t n, const coef *c) {
    const __m128 scale = _mm_set1_ps(c->scale), b1 = _mm_set1_ps(c->b1), nb1 = _mm_set1_ps(1.0f - c->b1);
    const __m128 b2 = _mm_set1_ps(c->b2), nb2 = _mm_set1_ps(1.0f - c->b2), step = _mm_set1_ps(c->step);
    const __m128 c2 = _mm_set1_ps(c->c2), eps = _mm_set1_ps(c->eps), zero = _mm_setzero_ps();
    const __m128 expo = _mm_castsi128_ps(_mm_set1_epi32(0x7f800000));
    size_t i = 0;
    for (; i + 4 <= n; i += 4) {
        __m128 gi = _mm_mul_ps(_mm_loadu_ps(g + i), scale);
        __m128 mi = _mm_add_ps(_mm_mul_ps(b1, _mm_loadu_ps(m + i)), _mm_mul_ps(nb1, gi));
        __m128 vi = _mm_add_ps(_mm_mul_ps(b2, _mm_loadu_ps(v + i)), _mm_mul_ps(nb2, _mm_mul_ps(gi, gi)));
        mi = _mm_and_ps(mi, _mm_cmpneq_ps(_mm_and_ps(mi, expo), zero));
        vi = _mm_and_ps(vi, _mm_cmpneq_ps(_mm_and_ps(vi, expo), zero));
        __m128 den = _mm_add_ps(_mm_mul_ps(_mm_sqrt_ps(vi), c2), eps);
        _mm_storeu_ps(g + i, gi);
        _mm_storeu_ps(m + i, mi);
        _mm_storeu_ps(v + i, vi);
        _mm_storeu_ps(p + i, _mm_sub_ps(_mm_loadu_ps(p + i), _mm_div_ps(_mm_mul_ps(step, mi), den)));
    }
    return i;
}
#endif

double pol_nn_adam_step(pol_nn_adam *a, const pol_nn_param_ref *blocks, size_t nblocks) {
    double sq = 0;
    size_t total = 0;
    for (size_t b = 0; b < nblocks; b++) {
        sq += sum_squares(blocks[b].grad, blocks[b].n);
        total += blocks[b].n;
    }
    assert(total == a->n);
    double norm = sqrt(sq), scale = 1.0;
    if (a->o.max_grad_norm > 0 && a->o.max_grad_norm / (norm + 1e-6) < 1.0)
        scale = a->o.max_grad_norm / (norm + 1e-6);
    a->t += 1;
    const coef c = {
        .scale = (float)scale,
        .b1 = (float)a->o.beta1,
        .b2 = (float)a->o.beta2,
        .step = (float)(a->o.lr / (1.0 - pow(a->o.beta1, a->t))),
        .c2 = (float)(1.0 / sqrt(1.0 - pow(a->o.beta2, a->t))),
        .eps = (float)a->o.eps,
    };
    float *m = a->m, *v = a->v;
    for (size_t b = 0; b < nblocks; b++) {
        size_t n = blocks[b].n, done = 0;
#if defined(__SSE2__)
        done = update_sse2(blocks[b].value, blocks[b].grad, m, v, n, &c);
#endif
        update_scalar(blocks[b].value, blocks[b].grad, m, v, done, n, &c);
        m += n;
        v += n;
    }
    return norm;
}
