/* Training files in HDF5: the checkpoints of the learning allocators and
 * their learning curves, written by `sparkiot train` (experiments/train.c)
 * and read back when a scenario names a checkpoint. A model exposes its
 * state as named arrays through a visitor (policies/nn/ckpt.h); this file
 * maps them onto HDF5 so that h5py or h5dump show them:
 *   float32 array "a/b/c" -> dataset /a/b/c (1-D, Fletcher-32 checksummed):
 *                            weights and optimiser moments
 *   float64 array "a/b/c" -> attribute c of group /a/b (scalar for one
 *                            value): shape, hyperparameters, observation
 *                            normalisation, counters
 *   root attribute "arrays": every name in visiting order, one per line, so
 *                            that a reader replays them in the order the
 *                            model's visitor expects
 * plus the caller's own root attributes (what was trained, how). A learning
 * curve is a compound dataset /curve with one row per episode. Files are
 * written under path.tmp and renamed into place on success; metadata are
 * checksummed (HDF5 1.8 object headers), so a damaged file fails to read. */
#ifndef AN_CKPT_H5_H
#define AN_CKPT_H5_H

#include <stddef.h>
#include <stdint.h>

#include "policies/nn/ckpt.h"

typedef struct an_ckpt_h5 an_ckpt_h5;

/* Starts writing `path` (creating its folder); NULL with a message naming
 * the file. Finish with an_ckpt_h5_close. */
an_ckpt_h5 *an_ckpt_h5_create(const char *path, char *err, size_t errlen);
/* Visitor (ctx is an an_ckpt_h5 *) that stores one named array. */
int an_ckpt_h5_put(void *ctx, const char *name, pol_nn_dtype dtype, void *data, size_t n);
/* Root attributes. */
int an_ckpt_h5_attr_str(an_ckpt_h5 *w, const char *key, const char *value);
int an_ckpt_h5_attr_num(an_ckpt_h5 *w, const char *key, double value);

/* One episode of training. */
typedef struct an_curve_row {
    uint32_t episode;      /* from 1 */
    uint64_t seed;         /* the episode's workload seed */
    double ret;            /* undiscounted return */
    double cost_usd;       /* the episode's bill */
    double slo_share;      /* share of its readings over the SLO */
    double latency_p95_ms; /* over its readings */
    uint64_t steps;        /* agent steps taken by the end of the episode */
    double wall_s;         /* wall time since training started */
} an_curve_row;

/* Writes the rows as the dataset /curve. */
int an_ckpt_h5_curve(an_ckpt_h5 *w, const an_curve_row *rows, size_t n);

/* Closes and frees w. With commit the file is renamed into place; without,
 * or if any earlier call failed, it is removed. Returns 0, or -1 with the
 * first failure's message (naming the file). */
int an_ckpt_h5_close(an_ckpt_h5 *w, int commit, char *err, size_t errlen);

/* Replays every array of checkpoint `path`, in the stored order, into fn
 * (e.g. pol_nn_blob_put). 0, or non-zero (fn's code if fn refused an
 * array) with a message naming the file (missing, not HDF5, damaged, not a
 * checkpoint, refused). */
int an_ckpt_h5_read(const char *path, pol_nn_visit_fn fn, void *ctx, char *err, size_t errlen);
/* The string root attribute `key` of `path` into buf (truncated to len). */
int an_ckpt_h5_read_str(const char *path, const char *key, char *buf, size_t len, char *err, size_t errlen);
/* The learning curve of `path` into a new array *rows (free()d by the
 * caller) of *n rows. */
int an_ckpt_h5_read_curve(const char *path, an_curve_row **rows, size_t *n, char *err, size_t errlen);

#endif
