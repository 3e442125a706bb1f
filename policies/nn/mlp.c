/* Dense layers on minibatches (see mlp.h). Forward: Y = act(X W^T + b).
 * Backward from the post-activation gradient: D = dY * act'(Y) (computed
 * from Y: tanh' = 1 - y^2, relu' = [y > 0]), dW += D^T X, db += colsum D,
 * dX = D W. */
#include "policies/nn/mlp.h"

#include <assert.h>
#include <cblas.h>
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "policies/nn/init.h"

pol_nn_mlp *pol_nn_mlp_new(const size_t *sizes, size_t nsizes, pol_nn_act hidden, pol_nn_act out,
                           size_t max_batch) {
    assert(nsizes >= 2 && nsizes <= POL_NN_MAX_LAYERS + 1 && max_batch > 0);
    pol_nn_mlp *m = calloc(1, sizeof *m);
    if (!m) return NULL;
    m->nlayers = nsizes - 1;
    m->hidden_act = hidden;
    m->out_act = out;
    m->max_batch = max_batch;
    size_t widest = 0;
    for (size_t i = 0; i < nsizes; i++) {
        assert(sizes[i] > 0);
        m->sizes[i] = sizes[i];
        if (sizes[i] > widest) widest = sizes[i];
    }
    for (size_t l = 0; l < m->nlayers; l++) {
        m->offset[l] = m->nparams;
        m->nparams += sizes[l + 1] * sizes[l] + sizes[l + 1];
    }
    m->params = calloc(m->nparams, sizeof(float));
    m->grads = calloc(m->nparams, sizeof(float));
    m->in = malloc(max_batch * sizes[0] * sizeof(float));
    m->delta[0] = malloc(max_batch * widest * sizeof(float));
    m->delta[1] = malloc(max_batch * widest * sizeof(float));
    int ok = m->params && m->grads && m->in && m->delta[0] && m->delta[1];
    for (size_t l = 0; l < m->nlayers; l++) {
        m->out[l] = malloc(max_batch * sizes[l + 1] * sizeof(float));
        ok = ok && m->out[l];
    }
    if (!ok) {
        pol_nn_mlp_free(m);
        return NULL;
    }
    return m;
}

void pol_nn_mlp_free(pol_nn_mlp *m) {
    if (!m) return;
    for (size_t l = 0; l < m->nlayers; l++) free(m->out[l]);
    free(m->params);
    free(m->grads);
    free(m->in);
    free(m->delta[0]);
    free(m->delta[1]);
    free(m);
}

int pol_nn_mlp_init(pol_nn_mlp *m, pol_nn_init_kind kind, double hidden_gain, double out_gain, gsl_rng *rng) {
    memset(m->params, 0, m->nparams * sizeof(float));
    for (size_t l = 0; l < m->nlayers; l++) {
        double gain = l + 1 == m->nlayers ? out_gain : hidden_gain;
        int rc = pol_nn_init_weights(m->params + m->offset[l], m->sizes[l + 1], m->sizes[l], kind, gain, rng);
        if (rc) return rc;
    }
    return POL_NN_OK;
}

/* ReLU on the bit pattern: a set sign bit clears the word (to +0). Signs
 * of pre-activations are unpredictable, and compilers turn the float
 * comparison into a branch that mispredicts half the time. */
static void relu(float *y, size_t n) {
    for (size_t i = 0; i < n; i++) {
        uint32_t b;
        memcpy(&b, &y[i], sizeof b);
        b &= (b >> 31) - 1u;
        memcpy(&y[i], &b, sizeof b);
    }
}

/* d = 0 where the ReLU output y is +0 (y is never negative), branch-free. */
static void relu_backward(float *d, const float *y, size_t n) {
    for (size_t i = 0; i < n; i++) {
        uint32_t b, yb;
        memcpy(&b, &d[i], sizeof b);
        memcpy(&yb, &y[i], sizeof yb);
        b &= 0u - (uint32_t)(yb != 0);
        memcpy(&d[i], &b, sizeof b);
    }
}

static void activate(float *y, size_t n, pol_nn_act act) {
    if (act == POL_NN_TANH)
        for (size_t i = 0; i < n; i++) y[i] = tanhf(y[i]);
    else if (act == POL_NN_RELU)
        relu(y, n);
}

const float *pol_nn_mlp_forward(pol_nn_mlp *m, const float *x, size_t batch) {
    assert(batch > 0 && batch <= m->max_batch);
    m->batch = batch;
    memcpy(m->in, x, batch * m->sizes[0] * sizeof(float));
    const float *a = m->in;
    for (size_t l = 0; l < m->nlayers; l++) {
        size_t in = m->sizes[l], out = m->sizes[l + 1];
        const float *w = m->params + m->offset[l], *b = w + out * in;
        float *y = m->out[l];
        for (size_t r = 0; r < batch; r++) memcpy(y + r * out, b, out * sizeof(float));
        cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasTrans, (int)batch, (int)out, (int)in, 1.0f, a, (int)in,
                    w, (int)in, 1.0f, y, (int)out);
        activate(y, batch * out, l + 1 == m->nlayers ? m->out_act : m->hidden_act);
        a = y;
    }
    return m->out[m->nlayers - 1];
}

static void act_backward(float *d, const float *y, size_t n, pol_nn_act act) {
    if (act == POL_NN_TANH)
        for (size_t i = 0; i < n; i++) d[i] *= 1.0f - y[i] * y[i];
    else if (act == POL_NN_RELU)
        relu_backward(d, y, n);
}

void pol_nn_mlp_backward(pol_nn_mlp *m, const float *dout, float *dx) {
    size_t batch = m->batch, L = m->nlayers;
    assert(batch > 0);
    float *d = m->delta[0], *next = m->delta[1];
    memcpy(d, dout, batch * m->sizes[L] * sizeof(float));
    for (size_t l = L; l-- > 0;) {
        size_t in = m->sizes[l], out = m->sizes[l + 1];
        act_backward(d, m->out[l], batch * out, l + 1 == L ? m->out_act : m->hidden_act);
        const float *x = l ? m->out[l - 1] : m->in;
        const float *w = m->params + m->offset[l];
        float *gw = m->grads + m->offset[l], *gb = gw + out * in;
        cblas_sgemm(CblasRowMajor, CblasTrans, CblasNoTrans, (int)out, (int)in, (int)batch, 1.0f, d, (int)out,
                    x, (int)in, 1.0f, gw, (int)in);
        for (size_t r = 0; r < batch; r++)
            for (size_t j = 0; j < out; j++) gb[j] += d[r * out + j];
        float *target = l ? next : dx;
        if (target)
            cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasNoTrans, (int)batch, (int)in, (int)out, 1.0f, d,
                        (int)out, w, (int)in, 0.0f, target, (int)in);
        float *t = d;
        d = next;
        next = t;
    }
}

void pol_nn_mlp_zero_grad(pol_nn_mlp *m) { memset(m->grads, 0, m->nparams * sizeof(float)); }

void pol_nn_mlp_polyak(pol_nn_mlp *dst, const pol_nn_mlp *src, double tau) {
    assert(dst->nparams == src->nparams);
    if (tau >= 1.0) {
        memcpy(dst->params, src->params, src->nparams * sizeof(float));
        return;
    }
    for (size_t i = 0; i < src->nparams; i++)
        dst->params[i] = (float)(tau * src->params[i] + (1.0 - tau) * dst->params[i]);
}

pol_nn_param_ref pol_nn_mlp_ref(pol_nn_mlp *m) {
    return (pol_nn_param_ref){.value = m->params, .grad = m->grads, .n = m->nparams};
}

size_t pol_nn_argmax(const float *v, size_t n) {
    size_t best = 0;
    for (size_t i = 1; i < n; i++)
        if (v[i] > v[best]) best = i;
    return best;
}
