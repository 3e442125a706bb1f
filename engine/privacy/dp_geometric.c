/* The two-sided geometric (discrete Laplace) mechanism for counts an edge
 * gateway releases: readings per window, devices in alarm. dp.h gives the
 * distribution and its variance. */
#include <math.h>

#include "engine/privacy/dp.h"

#define G_MAX 0x1p62 /* unreachable in practice (needs -ln U / ε >= 2^62); keeps the sum defined */

static int64_t geometric(double eps, eng_priv_rng *rng) {
    double g = floor(-log(eng_priv_rng_open01(rng)) / eps);
    return g < G_MAX ? (int64_t)g : (int64_t)G_MAX;
}

int64_t eng_priv_dp_geometric_noise(double eps, eng_priv_rng *rng) {
    int64_t a = geometric(eps, rng);
    return a - geometric(eps, rng);
}

int eng_priv_dp_geometric(int64_t count, double eps, eng_priv_acct *acct, eng_priv_rng *rng, int64_t *out) {
    if (!isfinite(eps) || eps <= 0) return ENG_PRIV_EINVAL;
    if (acct) {
        int rc = eng_priv_acct_charge(acct, eps, 0);
        if (rc) return rc;
    }
    int64_t z = eng_priv_dp_geometric_noise(eps, rng);
    if (z > 0 && count > INT64_MAX - z)
        *out = INT64_MAX;
    else if (z < 0 && count < INT64_MIN - z)
        *out = INT64_MIN;
    else
        *out = count + z;
    return ENG_PRIV_OK;
}
