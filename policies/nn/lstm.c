/* LSTM forward and backpropagation through time (see lstm.h). Each step is
 * one sgemm over the minibatch: G = Z W^T + b, then the gate nonlinearities.
 * Backward walks the steps in reverse:
 *   dh = dh_ext + dh_next;  do = dh tanh(c);  dc = dc_next + dh o (1 - tanh^2 c)
 *   di = dc g;  df = dc c_{t-1};  dg = dc i;  dc_next = dc f
 *   pre-activation: di i(1-i), df f(1-f), dg (1-g^2), do o(1-o)
 *   dW += dG^T Z;  db += colsum dG;  dZ = dG W -> (dx_t, dh_next). */
#include "policies/nn/lstm.h"

#include <assert.h>
#include <cblas.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "policies/nn/init.h"

pol_nn_lstm *pol_nn_lstm_new(size_t in, size_t hidden, size_t max_steps, size_t max_batch) {
    assert(in > 0 && hidden > 0 && max_steps > 0 && max_batch > 0);
    pol_nn_lstm *l = calloc(1, sizeof *l);
    if (!l) return NULL;
    size_t H = hidden, Z = in + hidden, TB = max_steps * max_batch;
    l->in = in;
    l->hidden = H;
    l->max_steps = max_steps;
    l->max_batch = max_batch;
    l->nparams = 4 * H * Z + 4 * H;
    l->params = calloc(l->nparams, sizeof(float));
    l->grads = calloc(l->nparams, sizeof(float));
    l->z = malloc(TB * Z * sizeof(float));
    l->gates = malloc(TB * 4 * H * sizeof(float));
    l->c = malloc((TB + max_batch) * H * sizeof(float));
    l->tc = malloc(TB * H * sizeof(float));
    l->h = malloc(TB * H * sizeof(float));
    l->dz = malloc(max_batch * 4 * H * sizeof(float));
    l->dzin = malloc(max_batch * Z * sizeof(float));
    l->dh = malloc(max_batch * H * sizeof(float));
    l->dc = malloc(max_batch * H * sizeof(float));
    if (!l->params || !l->grads || !l->z || !l->gates || !l->c || !l->tc || !l->h || !l->dz || !l->dzin ||
        !l->dh || !l->dc) {
        pol_nn_lstm_free(l);
        return NULL;
    }
    return l;
}

void pol_nn_lstm_free(pol_nn_lstm *l) {
    if (!l) return;
    float *bufs[] = {l->params, l->gates, l->grads, l->z, l->c, l->tc, l->h, l->dz, l->dzin, l->dh, l->dc};
    for (size_t i = 0; i < sizeof bufs / sizeof *bufs; i++) free(bufs[i]);
    free(l);
}

int pol_nn_lstm_init(pol_nn_lstm *l, gsl_rng *rng) {
    size_t H = l->hidden, Z = l->in + l->hidden;
    memset(l->params, 0, l->nparams * sizeof(float));
    for (size_t g = 0; g < 4; g++) {
        int rc = pol_nn_init_weights(l->params + g * H * Z, H, Z, POL_NN_INIT_XAVIER, 1.0, rng);
        if (rc) return rc;
    }
    float *b = l->params + 4 * H * Z;
    for (size_t j = 0; j < H; j++) b[H + j] = 1.0f;
    return POL_NN_OK;
}

static float sigmoid(float x) { return 1.0f / (1.0f + expf(-x)); }

const float *pol_nn_lstm_forward(pol_nn_lstm *l, const float *x, size_t steps, size_t batch, const float *h0,
                                 const float *c0) {
    assert(steps > 0 && steps <= l->max_steps && batch > 0 && batch <= l->max_batch);
    size_t NI = l->in, H = l->hidden, Z = NI + H, B = batch;
    const float *w = l->params, *b = l->params + 4 * H * Z;
    l->steps = steps;
    l->batch = batch;
    if (c0)
        memcpy(l->c, c0, B * H * sizeof(float));
    else
        memset(l->c, 0, B * H * sizeof(float));
    for (size_t t = 0; t < steps; t++) {
        float *z = l->z + t * B * Z, *g = l->gates + t * B * 4 * H;
        const float *hprev = t ? l->h + (t - 1) * B * H : h0;
        for (size_t r = 0; r < B; r++) {
            memcpy(z + r * Z, x + (t * B + r) * NI, NI * sizeof(float));
            if (hprev)
                memcpy(z + r * Z + NI, hprev + r * H, H * sizeof(float));
            else
                memset(z + r * Z + NI, 0, H * sizeof(float));
            memcpy(g + r * 4 * H, b, 4 * H * sizeof(float));
        }
        cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasTrans, (int)B, (int)(4 * H), (int)Z, 1.0f, z, (int)Z, w,
                    (int)Z, 1.0f, g, (int)(4 * H));
        const float *cprev = l->c + t * B * H;
        float *c = l->c + (t + 1) * B * H, *tc = l->tc + t * B * H, *h = l->h + t * B * H;
        for (size_t r = 0; r < B; r++) {
            float *gr = g + r * 4 * H;
            for (size_t j = 0; j < H; j++) {
                float i = sigmoid(gr[j]), f = sigmoid(gr[H + j]), cg = tanhf(gr[2 * H + j]),
                      o = sigmoid(gr[3 * H + j]);
                gr[j] = i;
                gr[H + j] = f;
                gr[2 * H + j] = cg;
                gr[3 * H + j] = o;
                size_t k = r * H + j;
                c[k] = f * cprev[k] + i * cg;
                tc[k] = tanhf(c[k]);
                h[k] = o * tc[k];
            }
        }
    }
    return l->h;
}

const float *pol_nn_lstm_cell(const pol_nn_lstm *l) { return l->c + l->steps * l->batch * l->hidden; }

void pol_nn_lstm_backward(pol_nn_lstm *l, const float *dh_ext, float *dx) {
    size_t NI = l->in, H = l->hidden, Z = NI + H, B = l->batch;
    assert(l->steps > 0);
    const float *w = l->params;
    float *gw = l->grads, *gb = l->grads + 4 * H * Z;
    memset(l->dh, 0, B * H * sizeof(float));
    memset(l->dc, 0, B * H * sizeof(float));
    for (size_t t = l->steps; t-- > 0;) {
        const float *g = l->gates + t * B * 4 * H, *cprev = l->c + t * B * H, *tc = l->tc + t * B * H;
        const float *de = dh_ext + t * B * H;
        for (size_t r = 0; r < B; r++) {
            const float *gr = g + r * 4 * H;
            float *dg = l->dz + r * 4 * H;
            for (size_t j = 0; j < H; j++) {
                size_t k = r * H + j;
                float i = gr[j], f = gr[H + j], cg = gr[2 * H + j], o = gr[3 * H + j];
                float dh = de[k] + l->dh[k];
                float dc = l->dc[k] + dh * o * (1.0f - tc[k] * tc[k]);
                dg[j] = dc * cg * i * (1.0f - i);
                dg[H + j] = dc * cprev[k] * f * (1.0f - f);
                dg[2 * H + j] = dc * i * (1.0f - cg * cg);
                dg[3 * H + j] = dh * tc[k] * o * (1.0f - o);
                l->dc[k] = dc * f;
            }
            for (size_t j = 0; j < 4 * H; j++) gb[j] += dg[j];
        }
        const float *z = l->z + t * B * Z;
        cblas_sgemm(CblasRowMajor, CblasTrans, CblasNoTrans, (int)(4 * H), (int)Z, (int)B, 1.0f, l->dz,
                    (int)(4 * H), z, (int)Z, 1.0f, gw, (int)Z);
        cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasNoTrans, (int)B, (int)Z, (int)(4 * H), 1.0f, l->dz,
                    (int)(4 * H), w, (int)Z, 0.0f, l->dzin, (int)Z);
        for (size_t r = 0; r < B; r++) {
            if (dx) memcpy(dx + (t * B + r) * NI, l->dzin + r * Z, NI * sizeof(float));
            memcpy(l->dh + r * H, l->dzin + r * Z + NI, H * sizeof(float));
        }
    }
}

void pol_nn_lstm_zero_grad(pol_nn_lstm *l) { memset(l->grads, 0, l->nparams * sizeof(float)); }

pol_nn_param_ref pol_nn_lstm_ref(pol_nn_lstm *l) {
    return (pol_nn_param_ref){.value = l->params, .grad = l->grads, .n = l->nparams};
}
