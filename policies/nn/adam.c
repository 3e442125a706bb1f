/* Adam (see adam.h): m = b1 m + (1-b1) g; v = b2 v + (1-b2) g^2;
 * p -= lr / (1 - b1^t) * m / (sqrt(v) / sqrt(1 - b2^t) + eps). */
#include "policies/nn/adam.h"

#include <assert.h>
#include <float.h>
#include <math.h>
#include <stdlib.h>

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
    double b1 = a->o.beta1, b2 = a->o.beta2;
    const float fb1 = (float)b1, fb2 = (float)b2, fs = (float)scale, feps = (float)a->o.eps;
    const float step = (float)(a->o.lr / (1.0 - pow(b1, a->t))),
                c2 = (float)(1.0 / sqrt(1.0 - pow(b2, a->t)));
    float *m = a->m, *v = a->v;
    for (size_t b = 0; b < nblocks; b++) {
        float *restrict p = blocks[b].value, *restrict g = blocks[b].grad, *restrict mb = m, *restrict vb = v;
        for (size_t i = 0; i < blocks[b].n; i++) {
            g[i] *= fs;
            float mi = fb1 * mb[i] + (1.0f - fb1) * g[i], vi = fb2 * vb[i] + (1.0f - fb2) * g[i] * g[i];
            /* moments of parameters whose gradient stays zero (dead ReLU units) would decay into
             * subnormal floats, which are two orders of magnitude slower: flush them to zero (branch-free) */
            mb[i] = mi * (float)(fabsf(mi) >= FLT_MIN);
            vb[i] = vi * (float)(vi >= FLT_MIN);
            p[i] -= step * mb[i] / (sqrtf(vb[i]) * c2 + feps);
        }
        m += blocks[b].n;
        v += blocks[b].n;
    }
    return norm;
}
