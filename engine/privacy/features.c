/* Windowed features of a sensor series: what a federated client turns its
 * raw readings into before training its local model (fedavg.h). */
#include <math.h>

#include "engine/privacy/fedavg.h"

size_t eng_priv_window_features(const double *series, size_t n, size_t window, size_t stride, double *X) {
    if (!window || !stride || n < window) return 0;
    size_t rows = (n - window) / stride + 1;
    for (size_t r = 0; r < rows; r++) {
        const double *s = series + r * stride;
        double sum = 0, lo = s[0], hi = s[0];
        for (size_t i = 0; i < window; i++) {
            sum += s[i];
            lo = fmin(lo, s[i]);
            hi = fmax(hi, s[i]);
        }
        double mean = sum / (double)window, ss = 0;
        for (size_t i = 0; i < window; i++) ss += (s[i] - mean) * (s[i] - mean);
        double *x = X + r * ENG_PRIV_FEATURES;
        x[0] = mean;
        x[1] = sqrt(ss / (double)window);
        x[2] = lo;
        x[3] = hi;
        x[4] = s[window - 1] - s[0];
    }
    return rows;
}
