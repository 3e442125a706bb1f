/* Multi-layer perceptron: a stack of dense layers, forward and backward on
 * minibatches through cblas_sgemm. It is the function approximator of the
 * learning allocators (policies/rl: DQN's Q-network, PPO's policy and value
 * networks) and the head of the prefetch predictor's LSTM.
 *
 * Layout: row-major minibatches (batch x features). Parameters live in one
 * contiguous array, per layer W (out x in, row-major) then b (out), so the
 * optimiser, target-network copies and checkpoints treat them as one block;
 * grads has the same layout. */
#ifndef POL_NN_MLP_H
#define POL_NN_MLP_H

#include <gsl/gsl_rng.h>
#include <stddef.h>

#include "policies/nn/nn.h"

#define POL_NN_MAX_LAYERS 6

typedef struct pol_nn_mlp {
    size_t nlayers;                      /* dense layers */
    size_t sizes[POL_NN_MAX_LAYERS + 1]; /* sizes[0] inputs, ..., sizes[nlayers] outputs */
    pol_nn_act hidden_act, out_act;
    size_t max_batch;
    size_t nparams;
    float *params; /* owned */
    float *grads;  /* owned; accumulated by backward, cleared by zero_grad */
    /* workspace of the last forward (owned) */
    size_t batch;
    float *in;                        /* copy of the input, max_batch x sizes[0] */
    float *out[POL_NN_MAX_LAYERS];    /* post-activation output of each layer */
    float *delta[2];                  /* backward scratch, max_batch x widest layer */
    size_t offset[POL_NN_MAX_LAYERS]; /* where each layer's W starts in params */
} pol_nn_mlp;

/* A network with sizes[0] inputs and sizes[nsizes-1] outputs (2 <= nsizes <=
 * POL_NN_MAX_LAYERS + 1), hidden layers with `hidden` activation and the last
 * layer with `out`, taking minibatches of up to max_batch rows. Parameters
 * start at zero (see pol_nn_mlp_init). NULL if out of memory. Free with
 * pol_nn_mlp_free. */
pol_nn_mlp *pol_nn_mlp_new(const size_t *sizes, size_t nsizes, pol_nn_act hidden, pol_nn_act out,
                           size_t max_batch);
void pol_nn_mlp_free(pol_nn_mlp *m);

/* Initialises weights with `kind` (gain hidden_gain for hidden layers,
 * out_gain for the last) and biases to zero. Returns 0 or POL_NN_ENOMEM. */
int pol_nn_mlp_init(pol_nn_mlp *m, pol_nn_init_kind kind, double hidden_gain, double out_gain, gsl_rng *rng);

/* Forward pass of batch rows of x (batch x sizes[0]). Returns the output
 * (batch x outputs), owned by m and valid until the next forward or free.
 * Keeps what backward needs. */
const float *pol_nn_mlp_forward(pol_nn_mlp *m, const float *x, size_t batch);

/* Backward pass for the last forward: dout is dLoss/dOutput (batch x
 * outputs, post-activation). Adds dLoss/dParams to m->grads; writes
 * dLoss/dInput (batch x inputs) to dx unless dx is NULL. */
void pol_nn_mlp_backward(pol_nn_mlp *m, const float *dout, float *dx);

void pol_nn_mlp_zero_grad(pol_nn_mlp *m);
/* dst <- tau * src + (1 - tau) * dst over all parameters; tau = 1 copies.
 * Both networks must have the same shape. */
void pol_nn_mlp_polyak(pol_nn_mlp *dst, const pol_nn_mlp *src, double tau);
pol_nn_param_ref pol_nn_mlp_ref(pol_nn_mlp *m);
/* Index of the largest of the n values (the first on ties). */
size_t pol_nn_argmax(const float *v, size_t n);

#endif
