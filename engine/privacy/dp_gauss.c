/* Clipping and the Gaussian mechanism for model updates: a federated client
 * bounds its update's L2 norm, and the aggregate released from the round is
 * perturbed so one client's participation is (ε, δ)-hidden. dp.h gives the
 * calibration. */
#include <math.h>

#include "engine/privacy/dp.h"

static const double PI = 3.14159265358979323846;

double eng_priv_dp_clip(double *v, size_t dim, double c) {
    double s = 0;
    for (size_t k = 0; k < dim; k++) s += v[k] * v[k];
    double norm = sqrt(s);
    if (norm > c)
        for (size_t k = 0; k < dim; k++) v[k] *= c / norm;
    return norm;
}

int eng_priv_dp_gauss_sigma(double c, double eps, double delta, double *sigma) {
    if (!(c > 0 && isfinite(c)) || !(eps > 0 && eps < 1) || !(delta > 0 && delta < 1)) return ENG_PRIV_EINVAL;
    *sigma = c * sqrt(2 * log(1.25 / delta)) / eps;
    return ENG_PRIV_OK;
}

double eng_priv_dp_normal(eng_priv_rng *rng) {
    double u = eng_priv_rng_open01(rng), v = eng_priv_rng_open01(rng);
    return sqrt(-2 * log(u)) * cos(2 * PI * v);
}

int eng_priv_dp_gauss(double *v, size_t dim, double c, double eps, double delta, eng_priv_acct *acct,
                      eng_priv_rng *rng) {
    double sigma;
    int rc = eng_priv_dp_gauss_sigma(c, eps, delta, &sigma);
    if (!rc && acct) rc = eng_priv_acct_charge(acct, eps, delta);
    if (rc) return rc;
    eng_priv_dp_clip(v, dim, c);
    for (size_t k = 0; k < dim; k++) v[k] += sigma * eng_priv_dp_normal(rng);
    return ENG_PRIV_OK;
}
