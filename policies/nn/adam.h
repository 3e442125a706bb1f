/* Adam optimiser with optional global gradient-norm clipping, as PyTorch's
 * torch.optim.Adam preceded by clip_grad_norm_ (the update rule
 * Stable-Baselines3 uses). One optimiser covers several parameter blocks
 * (e.g. PPO's policy and value networks), clipped by their joint norm. */
#ifndef POL_NN_ADAM_H
#define POL_NN_ADAM_H

#include <stddef.h>

#include "policies/nn/nn.h"

typedef struct pol_nn_adam_opts {
    double lr;            /* 1e-3 */
    double beta1, beta2;  /* 0.9, 0.999 */
    double eps;           /* 1e-8 */
    double max_grad_norm; /* 0: no clipping */
} pol_nn_adam_opts;

void pol_nn_adam_defaults(pol_nn_adam_opts *o);

typedef struct pol_nn_adam {
    pol_nn_adam_opts o; /* lr may be changed between steps (schedules) */
    size_t n;           /* total parameters over all blocks */
    double t;           /* steps taken */
    float *m, *v;       /* owned: first and second moments, length n */
} pol_nn_adam;

/* An optimiser for nparams parameters in total; NULL if out of memory.
 * Free with pol_nn_adam_free. */
pol_nn_adam *pol_nn_adam_new(const pol_nn_adam_opts *o, size_t nparams);
void pol_nn_adam_free(pol_nn_adam *a);

/* One update of the blocks (whose lengths add up to a->n, always passed in
 * the same order) from their gradients. If max_grad_norm > 0 the gradients
 * are first scaled by max_norm / (norm + 1e-6) when that is below 1 (the
 * scaled values are left in the grad arrays). Returns the gradient norm
 * before clipping. */
double pol_nn_adam_step(pol_nn_adam *a, const pol_nn_param_ref *blocks, size_t nblocks);

#endif
