/* Losses and softmax transforms (see loss.h). */
#include "policies/nn/loss.h"

#include <assert.h>
#include <math.h>

double pol_nn_mse(const float *pred, const float *target, size_t n, float *dpred) {
    double sum = 0;
    for (size_t i = 0; i < n; i++) {
        double e = (double)pred[i] - target[i];
        sum += e * e;
        if (dpred) dpred[i] = (float)(2.0 * e / (double)n);
    }
    return sum / (double)n;
}

double pol_nn_huber(const float *pred, const float *target, size_t n, double delta, float *dpred) {
    double sum = 0;
    for (size_t i = 0; i < n; i++) {
        double e = (double)pred[i] - target[i], a = fabs(e);
        sum += a <= delta ? 0.5 * e * e : delta * (a - 0.5 * delta);
        if (dpred) dpred[i] = (float)((a <= delta ? e : (e > 0 ? delta : -delta)) / (double)n);
    }
    return sum / (double)n;
}

/* log sum exp of one row, shifted by its maximum. */
static double row_lse(const float *z, size_t cols) {
    assert(cols > 0);
    size_t top = 0;
    for (size_t j = 1; j < cols; j++)
        if (z[j] > z[top]) top = j;
    double s = 1.0; /* exp(z[top] - z[top]) */
    for (size_t j = 0; j < cols; j++)
        if (j != top) s += exp((double)z[j] - z[top]);
    return z[top] + log(s);
}

void pol_nn_log_softmax(const float *logits, size_t rows, size_t cols, float *logp) {
    for (size_t r = 0; r < rows; r++) {
        const float *z = logits + r * cols;
        double lse = row_lse(z, cols);
        for (size_t j = 0; j < cols; j++) logp[r * cols + j] = (float)(z[j] - lse);
    }
}

void pol_nn_softmax(const float *logits, size_t rows, size_t cols, float *probs) {
    for (size_t r = 0; r < rows; r++) {
        const float *z = logits + r * cols;
        double lse = row_lse(z, cols);
        for (size_t j = 0; j < cols; j++) probs[r * cols + j] = (float)exp(z[j] - lse);
    }
}

double pol_nn_cross_entropy(const float *logits, const int *labels, size_t rows, size_t cols,
                            float *dlogits) {
    double sum = 0;
    for (size_t r = 0; r < rows; r++) {
        const float *z = logits + r * cols;
        assert(labels[r] >= 0 && (size_t)labels[r] < cols);
        double lse = row_lse(z, cols);
        sum += lse - z[labels[r]];
        if (dlogits)
            for (size_t j = 0; j < cols; j++)
                dlogits[r * cols + j] =
                    (float)((exp(z[j] - lse) - (j == (size_t)labels[r] ? 1.0 : 0.0)) / (double)rows);
    }
    return sum / (double)rows;
}
