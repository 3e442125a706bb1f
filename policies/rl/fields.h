/* Helpers shared by the checkpoints of the policies/rl agents (internal to
 * the folder): an options struct visited field by field as named float64
 * scalars ("<algo>/config/<field>"), the arrays every agent has (shape,
 * options, two networks, Adam, observation statistics, step count), and
 * the checks every loader starts with. */
#ifndef POL_RL_FIELDS_H
#define POL_RL_FIELDS_H

#include <stddef.h>

#include <stdint.h>

#include "policies/nn/adam.h"
#include "policies/nn/ckpt.h"
#include "policies/nn/mlp.h"
#include "policies/rl/obsnorm.h"

typedef enum { POL_RL_F_SIZE, POL_RL_F_DOUBLE, POL_RL_F_INT, POL_RL_F_U64 } pol_rl_field_kind;

typedef struct pol_rl_field {
    const char *name; /* full array name */
    size_t offset;    /* offsetof in the options struct */
    pol_rl_field_kind kind;
} pol_rl_field;

/* Calls fn once per field with a float64 copy of it; writes the (possibly
 * loaded) value back. Returns fn's first non-zero code, else 0. */
int pol_rl__visit_fields(const pol_rl_field *f, size_t n, void *opts, pol_nn_visit_fn fn, void *ctx);

/* What an agent's checkpoint holds, borrowed from the agent. */
typedef struct pol_rl_parts {
    const char *algo; /* "dqn", "ppo": the prefix of every name */
    size_t obs_dim, n_actions;
    const pol_rl_field *fields;
    size_t nfields;
    void *opts; /* a copy of the agent's options (loading does not change them) */
    const char *net_names[2];
    pol_nn_mlp *nets[2];
    pol_nn_adam *adam;
    pol_rl_obsnorm *norm;
    uint64_t *steps;
} pol_rl_parts;

/* Visits "<algo>/obs_dim", "<algo>/n_actions", the options, the two
 * networks, "<algo>/adam/{m,v,t}", "<algo>/obs_norm/{count,mean,var}" and
 * "<algo>/steps", in that order. */
int pol_rl__visit_parts(const pol_rl_parts *p, pol_nn_visit_fn fn, void *ctx);

/* Opens a blob, checks it is a checkpoint of algorithm `algo` for an
 * environment with obs_dim observations and n_actions actions, and reads
 * its options into opts (which holds the defaults). Returns 0,
 * POL_NN_ECORRUPT or POL_NN_EMISMATCH, with a message. */
int pol_rl__open_checkpoint(pol_nn_blob_reader *r, const void *data, size_t len, const char *algo,
                            size_t obs_dim, size_t n_actions, const pol_rl_field *fields, size_t nfields,
                            void *opts, char *err, size_t errlen);

#endif
