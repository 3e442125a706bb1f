/* Weight initialisation for the layers of policies/nn: Xavier (Glorot)
 * uniform and orthogonal (as PyTorch's nn.init.orthogonal_, which the
 * Stable-Baselines3 policies use). Deterministic for a given generator
 * state. */
#ifndef POL_NN_INIT_H
#define POL_NN_INIT_H

#include <gsl/gsl_rng.h>
#include <stddef.h>

#include "policies/nn/nn.h"

/* Fills the rows x cols row-major matrix w (fan_out = rows, fan_in = cols).
 * Xavier: uniform in +-gain*sqrt(6/(rows+cols)). Orthogonal: rows or columns
 * (whichever are fewer) orthonormal, times gain. Returns 0 or POL_NN_ENOMEM. */
int pol_nn_init_weights(float *w, size_t rows, size_t cols, pol_nn_init_kind kind, double gain, gsl_rng *rng);

#endif
