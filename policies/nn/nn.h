/* Common types of the neural-network core (policies/nn/): error codes,
 * activations and the parameter reference the optimiser walks. The core
 * computes in single precision (float): the networks the learning policies
 * use are matrix-product bound and OpenBLAS's sgemm runs about 1.6x faster
 * than dgemm at their shapes; sums that lose precision in float (losses,
 * gradient norms, optimiser step counts) are accumulated in double. */
#ifndef POL_NN_NN_H
#define POL_NN_NN_H

#include <stddef.h>

/* Error codes of policies/nn and policies/rl; environments may return
 * their own negative codes, which are passed through unchanged. */
enum pol_nn_err {
    POL_NN_OK = 0,
    POL_NN_ENOMEM = -1,    /* allocation failed */
    POL_NN_ECORRUPT = -2,  /* a checkpoint is truncated or fails its checksum */
    POL_NN_EMISMATCH = -3, /* a checkpoint does not fit the model loading it */
    POL_NN_EINVAL = -4     /* an option is out of range */
};

typedef enum { POL_NN_LINEAR = 0, POL_NN_TANH, POL_NN_RELU } pol_nn_act;

typedef enum { POL_NN_INIT_XAVIER = 0, POL_NN_INIT_ORTHOGONAL } pol_nn_init_kind;

/* A block of trainable parameters and its gradient (same length), as the
 * optimiser sees it. Both arrays are borrowed from the owning model. */
typedef struct pol_nn_param_ref {
    float *value;
    float *grad;
    size_t n;
} pol_nn_param_ref;

#endif
