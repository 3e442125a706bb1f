/* Checkpoint helpers shared by DQN and PPO (see fields.h). */
#include "policies/rl/fields.h"

#include <stdint.h>
#include <stdio.h>
#include <string.h>

/* Field values are copied through memcpy: the struct's bytes are reached
 * through a char pointer and its offsetof. */
int pol_rl__visit_fields(const pol_rl_field *f, size_t n, void *opts, pol_nn_visit_fn fn, void *ctx) {
    for (size_t i = 0; i < n; i++) {
        unsigned char *p = (unsigned char *)opts + f[i].offset;
        size_t sz;
        int iv;
        uint64_t uv;
        double v;
        switch (f[i].kind) {
        case POL_RL_F_SIZE:
            sz = 0, memcpy(&sz, p, sizeof sz), v = (double)sz;
            break;
        case POL_RL_F_INT:
            memcpy(&iv, p, sizeof iv), v = iv;
            break;
        case POL_RL_F_U64:
            memcpy(&uv, p, sizeof uv), v = (double)uv;
            break;
        default:
            memcpy(&v, p, sizeof v);
            break;
        }
        int rc = fn(ctx, f[i].name, POL_NN_F64, &v, 1);
        if (rc) return rc;
        switch (f[i].kind) {
        case POL_RL_F_SIZE:
            sz = v > 0 ? (size_t)v : 0, memcpy(p, &sz, sizeof sz);
            break;
        case POL_RL_F_INT:
            iv = (int)v, memcpy(p, &iv, sizeof iv);
            break;
        case POL_RL_F_U64:
            uv = v > 0 ? (uint64_t)v : 0, memcpy(p, &uv, sizeof uv);
            break;
        default:
            memcpy(p, &v, sizeof v);
            break;
        }
    }
    return 0;
}

static int visit_shape(const char *algo, size_t *obs_dim, size_t *n_actions, pol_nn_visit_fn fn, void *ctx) {
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

int pol_rl__visit_parts(const pol_rl_parts *p, pol_nn_visit_fn fn, void *ctx) {
    size_t d = p->obs_dim, A = p->n_actions;
    double steps = (double)*p->steps;
    char name[64];
    int rc = visit_shape(p->algo, &d, &A, fn, ctx);
    if (!rc) rc = pol_rl__visit_fields(p->fields, p->nfields, p->opts, fn, ctx);
    for (int k = 0; k < 2 && !rc; k++) {
        snprintf(name, sizeof name, "%s/%s", p->algo, p->net_names[k]);
        rc = fn(ctx, name, POL_NN_F32, p->nets[k]->params, p->nets[k]->nparams);
    }
    struct {
        const char *suffix;
        pol_nn_dtype type;
        void *data;
        size_t n;
    } rest[] = {
        {"adam/m", POL_NN_F32, p->adam->m, p->adam->n},
        {"adam/v", POL_NN_F32, p->adam->v, p->adam->n},
        {"adam/t", POL_NN_F64, &p->adam->t, 1},
        {"obs_norm/count", POL_NN_F64, &p->norm->count, 1},
        {"obs_norm/mean", POL_NN_F64, p->norm->mean, p->obs_dim},
        {"obs_norm/var", POL_NN_F64, p->norm->var, p->obs_dim},
        {"steps", POL_NN_F64, &steps, 1},
    };
    for (size_t k = 0; k < sizeof rest / sizeof *rest && !rc; k++) {
        snprintf(name, sizeof name, "%s/%s", p->algo, rest[k].suffix);
        rc = fn(ctx, name, rest[k].type, rest[k].data, rest[k].n);
    }
    *p->steps = (uint64_t)steps;
    return rc;
}

int pol_rl__open_checkpoint(pol_nn_blob_reader *r, const void *data, size_t len, const char *algo,
                            size_t obs_dim, size_t n_actions, const pol_rl_field *fields, size_t nfields,
                            void *opts, char *err, size_t errlen) {
    int rc = pol_nn_blob_open(r, data, len, err, errlen);
    if (rc) return rc;
    char name[64];
    snprintf(name, sizeof name, "%s/obs_dim", algo);
    if (!pol_nn_blob_has(r, name)) {
        snprintf(err, errlen, "not a %s checkpoint (it has no '%s')", algo, name);
        return POL_NN_EMISMATCH;
    }
    size_t d = 0, a = 0;
    rc = visit_shape(algo, &d, &a, pol_nn_blob_get, r);
    if (rc) return rc;
    if (d != obs_dim || a != n_actions) {
        snprintf(err, errlen,
                 "%s checkpoint was trained with %zu observations and %zu actions; this environment has %zu "
                 "and %zu",
                 algo, d, a, obs_dim, n_actions);
        return POL_NN_EMISMATCH;
    }
    return pol_rl__visit_fields(fields, nfields, opts, pol_nn_blob_get, r);
}
