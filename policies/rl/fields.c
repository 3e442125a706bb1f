/* Checkpoint helpers shared by DQN and PPO (see fields.h). */
#include "policies/rl/fields.h"

#include <stdint.h>
#include <stdio.h>
#include <string.h>

int pol_rl__visit_fields(const pol_rl_field *f, size_t n, void *opts, pol_nn_visit_fn fn, void *ctx) {
    for (size_t i = 0; i < n; i++) {
        char *p = (char *)opts + f[i].offset;
        double v;
        switch (f[i].kind) {
        case POL_RL_F_SIZE:
            v = (double)*(size_t *)p;
            break;
        case POL_RL_F_INT:
            v = *(int *)p;
            break;
        case POL_RL_F_U64:
            v = (double)*(uint64_t *)p;
            break;
        default:
            v = *(double *)p;
            break;
        }
        int rc = fn(ctx, f[i].name, POL_NN_F64, &v, 1);
        if (rc) return rc;
        switch (f[i].kind) {
        case POL_RL_F_SIZE:
            *(size_t *)p = v > 0 ? (size_t)v : 0;
            break;
        case POL_RL_F_INT:
            *(int *)p = (int)v;
            break;
        case POL_RL_F_U64:
            *(uint64_t *)p = v > 0 ? (uint64_t)v : 0;
            break;
        default:
            *(double *)p = v;
            break;
        }
    }
    return 0;
}

int pol_rl__visit_shape(const char *algo, size_t *obs_dim, size_t *n_actions, pol_nn_visit_fn fn, void *ctx) {
    char name[64];
    double v[2] = {(double)*obs_dim, (double)*n_actions};
    snprintf(name, sizeof name, "%s/obs_dim", algo);
    int rc = fn(ctx, name, POL_NN_F64, &v[0], 1);
    snprintf(name, sizeof name, "%s/n_actions", algo);
    if (!rc) rc = fn(ctx, name, POL_NN_F64, &v[1], 1);
    *obs_dim = (size_t)v[0];
    *n_actions = (size_t)v[1];
    return rc;
}

int pol_rl__open_checkpoint(pol_nn_blob_reader *r, const void *data, size_t len, const char *algo,
                            size_t obs_dim, size_t n_actions, char *err, size_t errlen) {
    int rc = pol_nn_blob_open(r, data, len, err, errlen);
    if (rc) return rc;
    char name[64];
    snprintf(name, sizeof name, "%s/obs_dim", algo);
    if (!pol_nn_blob_has(r, name)) {
        snprintf(err, errlen, "not a %s checkpoint (it has no '%s')", algo, name);
        return POL_NN_EMISMATCH;
    }
    size_t d = 0, a = 0;
    rc = pol_rl__visit_shape(algo, &d, &a, pol_nn_blob_get, r);
    if (rc) return rc;
    if (d != obs_dim || a != n_actions) {
        snprintf(err, errlen,
                 "%s checkpoint was trained with %zu observations and %zu actions; this environment has %zu "
                 "and %zu",
                 algo, d, a, obs_dim, n_actions);
        return POL_NN_EMISMATCH;
    }
    return POL_NN_OK;
}
