/* Helpers shared by the checkpoints of the policies/rl agents (internal to
 * the folder): an options struct visited field by field as named float64
 * scalars ("<algo>/config/<field>"), and the shape check every loader
 * starts with. */
#ifndef POL_RL_FIELDS_H
#define POL_RL_FIELDS_H

#include <stddef.h>

#include "policies/nn/ckpt.h"

typedef enum { POL_RL_F_SIZE, POL_RL_F_DOUBLE, POL_RL_F_INT, POL_RL_F_U64 } pol_rl_field_kind;

typedef struct pol_rl_field {
    const char *name; /* full array name */
    size_t offset;    /* offsetof in the options struct */
    pol_rl_field_kind kind;
} pol_rl_field;

/* Calls fn once per field with a float64 copy of it; writes the (possibly
 * loaded) value back. Returns fn's first non-zero code, else 0. */
int pol_rl__visit_fields(const pol_rl_field *f, size_t n, void *opts, pol_nn_visit_fn fn, void *ctx);

/* Opens a blob and checks it is a checkpoint of algorithm `algo` ("dqn",
 * "ppo") for an environment with obs_dim observations and n_actions
 * actions. Returns 0, POL_NN_ECORRUPT or POL_NN_EMISMATCH, with a message. */
int pol_rl__open_checkpoint(pol_nn_blob_reader *r, const void *data, size_t len, const char *algo,
                            size_t obs_dim, size_t n_actions, char *err, size_t errlen);

/* Visits "<algo>/obs_dim" and "<algo>/n_actions". */
int pol_rl__visit_shape(const char *algo, size_t *obs_dim, size_t *n_actions, pol_nn_visit_fn fn, void *ctx);

#endif
