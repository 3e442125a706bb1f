/* Losses and output transforms of policies/nn: mean squared error (PPO's
 * value loss, supervised fits), Huber (DQN's TD loss; with delta = 1 it is
 * PyTorch's smooth_l1_loss, Stable-Baselines3's choice), softmax and
 * log-softmax (policy heads) and cross-entropy (classification heads such as
 * the prefetch predictor). Each loss returns its mean over the elements (or
 * rows) and, when the gradient pointer is not NULL, writes the gradient of
 * that mean. Sums are accumulated in double. */
#ifndef POL_NN_LOSS_H
#define POL_NN_LOSS_H

#include <stddef.h>

/* mean((pred - target)^2); dpred = 2 (pred - target) / n. */
double pol_nn_mse(const float *pred, const float *target, size_t n, float *dpred);
/* mean of h(pred - target), h(e) = e^2/2 if |e| <= delta else delta (|e| - delta/2). */
double pol_nn_huber(const float *pred, const float *target, size_t n, double delta, float *dpred);
/* Row-wise softmax / log-softmax of a rows x cols matrix (numerically stable). */
void pol_nn_softmax(const float *logits, size_t rows, size_t cols, float *probs);
void pol_nn_log_softmax(const float *logits, size_t rows, size_t cols, float *logp);
/* mean over rows of -log softmax(logits)[label]; dlogits = (p - onehot) / rows. */
double pol_nn_cross_entropy(const float *logits, const int *labels, size_t rows, size_t cols, float *dlogits);

#endif
