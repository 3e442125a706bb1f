/* One LSTM layer with forward and backward through time on minibatches of
 * sequences, for sequence predictors such as the edge prefetch predictor
 * (an LSTM over recent accesses followed by a pol_nn_mlp head).
 *
 * Gates, in this order: input i, forget f, cell candidate g, output o.
 *   z_t = [x_t, h_{t-1}]; (i, f, g, o) = (sig, sig, tanh, sig)(W z_t + b)
 *   c_t = f * c_{t-1} + i * g;  h_t = o * tanh(c_t)
 * Parameters: W (4H x (I+H), row-major, gate blocks of H rows) then b (4H).
 * Sequences are time-major: x is steps x batch x I, h is steps x batch x H. */
#ifndef POL_NN_LSTM_H
#define POL_NN_LSTM_H

#include <gsl/gsl_rng.h>
#include <stddef.h>

#include "policies/nn/nn.h"

typedef struct pol_nn_lstm {
    size_t in, hidden, max_steps, max_batch;
    size_t nparams;
    float *params, *grads; /* owned; grads accumulated by backward */
    /* cache of the last forward (owned) */
    size_t steps, batch;
    float *z;                   /* steps x batch x (I+H) */
    float *gates;               /* steps x batch x 4H, after their nonlinearity */
    float *c;                   /* (steps+1) x batch x H; c[0] is the initial state */
    float *tc;                  /* steps x batch x H: tanh(c_t) */
    float *h;                   /* steps x batch x H */
    float *dz, *dzin, *dh, *dc; /* backward scratch */
} pol_nn_lstm;

/* NULL if out of memory; free with pol_nn_lstm_free. Parameters start at zero. */
pol_nn_lstm *pol_nn_lstm_new(size_t in, size_t hidden, size_t max_steps, size_t max_batch);
void pol_nn_lstm_free(pol_nn_lstm *l);

/* Xavier-uniform W (per gate block), biases zero except the forget gate's,
 * which start at 1 (Jozefowicz et al., 2015). Returns 0 or POL_NN_ENOMEM. */
int pol_nn_lstm_init(pol_nn_lstm *l, gsl_rng *rng);

/* Runs `steps` steps from initial states h0, c0 (batch x H each; NULL means
 * zeros). Returns every h_t (steps x batch x H), owned by l and valid until
 * the next forward. The final states are h + (steps-1)*batch*H and
 * pol_nn_lstm_cell(l). */
const float *pol_nn_lstm_forward(pol_nn_lstm *l, const float *x, size_t steps, size_t batch, const float *h0,
                                 const float *c0);
/* The cell state after the last forward's final step (batch x H). */
const float *pol_nn_lstm_cell(const pol_nn_lstm *l);

/* Backpropagation through time for the last forward: dh is dLoss/dh_t for
 * every step (steps x batch x H). Adds dLoss/dParams to l->grads; writes
 * dLoss/dx (steps x batch x I) unless dx is NULL. The initial states are
 * treated as constants. */
void pol_nn_lstm_backward(pol_nn_lstm *l, const float *dh, float *dx);

void pol_nn_lstm_zero_grad(pol_nn_lstm *l);
pol_nn_param_ref pol_nn_lstm_ref(pol_nn_lstm *l);

#endif
