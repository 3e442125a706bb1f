/* Weight initialisation (see init.h). The orthogonal variant draws a
 * Gaussian matrix and orthonormalises its columns with modified
 * Gram-Schmidt in double precision; Gram-Schmidt makes diag(R) positive,
 * which is the sign correction PyTorch applies after its QR. */
#include "policies/nn/init.h"

#include <gsl/gsl_randist.h>
#include <math.h>
#include <stdlib.h>

static void xavier(float *w, size_t rows, size_t cols, double gain, gsl_rng *rng) {
    double bound = gain * sqrt(6.0 / (double)(rows + cols));
    for (size_t i = 0; i < rows * cols; i++) w[i] = (float)((2.0 * gsl_rng_uniform(rng) - 1.0) * bound);
}

/* q is n x k (n >= k), column-major by column index j: q[j*n + i]. */
static void gram_schmidt(double *q, size_t n, size_t k, gsl_rng *rng) {
    for (size_t j = 0; j < k; j++) {
        double *qj = q + j * n;
        for (;;) {
            for (size_t p = 0; p < j; p++) {
                const double *qp = q + p * n;
                double dot = 0;
                for (size_t i = 0; i < n; i++) dot += qp[i] * qj[i];
                for (size_t i = 0; i < n; i++) qj[i] -= dot * qp[i];
            }
            double norm = 0;
            for (size_t i = 0; i < n; i++) norm += qj[i] * qj[i];
            norm = sqrt(norm);
            if (norm > 1e-9) {
                for (size_t i = 0; i < n; i++) qj[i] /= norm;
                break;
            }
            for (size_t i = 0; i < n; i++) qj[i] = gsl_ran_gaussian(rng, 1.0);
        }
    }
}

static int orthogonal(float *w, size_t rows, size_t cols, double gain, gsl_rng *rng) {
    size_t n = rows > cols ? rows : cols, k = rows > cols ? cols : rows;
    double *q = malloc(n * k * sizeof *q);
    if (!q) return POL_NN_ENOMEM;
    for (size_t i = 0; i < n * k; i++) q[i] = gsl_ran_gaussian(rng, 1.0);
    gram_schmidt(q, n, k, rng);
    for (size_t r = 0; r < rows; r++)
        for (size_t c = 0; c < cols; c++)
            w[r * cols + c] = (float)(gain * (rows >= cols ? q[c * n + r] : q[r * n + c]));
    free(q);
    return POL_NN_OK;
}

int pol_nn_init_weights(float *w, size_t rows, size_t cols, pol_nn_init_kind kind, double gain,
                        gsl_rng *rng) {
    if (kind == POL_NN_INIT_ORTHOGONAL) return orthogonal(w, rows, cols, gain, rng);
    xavier(w, rows, cols, gain, rng);
    return POL_NN_OK;
}
