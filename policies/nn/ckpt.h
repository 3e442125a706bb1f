/* Checkpoints of learned models as named arrays. A model (a DQN or PPO
 * agent, a predictor) exposes everything it needs to resume or act — config,
 * weights, optimiser state, observation statistics — through a visitor that
 * calls back once per named array, always in the same order. The same visitor
 * serves saving and loading, to any store: this file gives an in-memory blob
 * (for tests, pipes and embedding), and analysis/ maps each name ("dqn/q",
 * "dqn/adam/m", ...) to an HDF5 dataset.
 *
 * Blob format (all integers little-endian):
 *   "SPKNNCK1" | u32 count | count x (u16 name_len, name, u8 dtype, u64 n, data) | u32 CRC-32
 * where data is n float32 or float64 values in the host's IEEE layout and the
 * CRC-32 (IEEE 802.3) covers every byte before it. */
#ifndef POL_NN_CKPT_H
#define POL_NN_CKPT_H

#include <stddef.h>
#include <stdint.h>

#include "policies/nn/nn.h"

typedef enum { POL_NN_F32 = 1, POL_NN_F64 = 2 } pol_nn_dtype;

/* Called once per named array: n values of type dtype at data. A saver reads
 * data; a loader overwrites it (and must fail if the stored array differs in
 * type or length). Returns 0 to continue or a negative code to stop. */
typedef int (*pol_nn_visit_fn)(void *ctx, const char *name, pol_nn_dtype dtype, void *data, size_t n);

/* A growing byte buffer; zero-initialise it before the first use and free
 * its data with pol_nn_blob_free. */
typedef struct pol_nn_blob {
    unsigned char *data;
    size_t len, cap;
    uint32_t count; /* arrays written */
} pol_nn_blob;

/* Visitor that appends each array to the blob (ctx is a pol_nn_blob *). */
int pol_nn_blob_put(void *ctx, const char *name, pol_nn_dtype dtype, void *data, size_t n);
/* Appends the trailing checksum; the blob is then complete in data[0..len). */
int pol_nn_blob_finish(pol_nn_blob *b);
void pol_nn_blob_free(pol_nn_blob *b);

/* A validated view of a complete blob. The data stays the caller's and must
 * outlive the reader. */
typedef struct pol_nn_blob_reader {
    const unsigned char *data;
    size_t len;
    uint32_t count;
    char *err; /* where visitors report mismatches */
    size_t errlen;
} pol_nn_blob_reader;

/* Checks magic, structure and checksum. Returns 0, or POL_NN_ECORRUPT with a
 * message in err. err/errlen are kept for later pol_nn_blob_get calls. */
int pol_nn_blob_open(pol_nn_blob_reader *r, const void *data, size_t len, char *err, size_t errlen);
/* Visitor that fills each array from the blob (ctx is a pol_nn_blob_reader *):
 * POL_NN_EMISMATCH with a message naming the array if it is missing or has
 * another type or length. */
int pol_nn_blob_get(void *ctx, const char *name, pol_nn_dtype dtype, void *data, size_t n);
/* 1 if the blob holds an array called name. */
int pol_nn_blob_has(const pol_nn_blob_reader *r, const char *name);

#endif
