/* Running mean/variance normalisation (see obsnorm.h). */
#include "policies/rl/obsnorm.h"

#include <assert.h>
#include <math.h>
#include <string.h>

void pol_rl_obsnorm_init(pol_rl_obsnorm *n, size_t dim, double clip) {
    assert(dim <= POL_RL_OBSNORM_MAX);
    memset(n, 0, sizeof *n);
    n->dim = dim;
    n->clip = clip;
    n->count = 1e-4;
    for (size_t j = 0; j < dim; j++) n->var[j] = 1.0;
}

void pol_rl_obsnorm_update(pol_rl_obsnorm *n, const float *x, size_t rows) {
    if (rows == 0) return;
    for (size_t j = 0; j < n->dim; j++) {
        double mean = 0, m2 = 0;
        for (size_t r = 0; r < rows; r++) mean += x[r * n->dim + j];
        mean /= (double)rows;
        for (size_t r = 0; r < rows; r++) {
            double e = x[r * n->dim + j] - mean;
            m2 += e * e;
        }
        double total = n->count + (double)rows, delta = mean - n->mean[j];
        double merged = n->var[j] * n->count + m2 + delta * delta * n->count * (double)rows / total;
        n->mean[j] += delta * (double)rows / total;
        n->var[j] = merged / total;
    }
    n->count += (double)rows;
}

void pol_rl_obsnorm_apply(const pol_rl_obsnorm *n, const float *x, size_t rows, float *out) {
    for (size_t r = 0; r < rows; r++)
        for (size_t j = 0; j < n->dim; j++) {
            double v = (x[r * n->dim + j] - n->mean[j]) / sqrt(n->var[j] + 1e-8);
            out[r * n->dim + j] = (float)(v > n->clip ? n->clip : v < -n->clip ? -n->clip : v);
        }
}
