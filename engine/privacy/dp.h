/* Differential privacy for what leaves the edge: noisy counts (the
 * two-sided geometric mechanism), clipped and Gaussian-noised model updates,
 * and an accountant that records the (ε, δ) every release spends and
 * refuses releases beyond the budget. docs/privacy.md gives the parameters.
 *
 * Noise comes from the ChaCha20 generator of rng.h and is produced with
 * floating-point inversion (geometric) and Box-Muller (Gaussian); the
 * distributions are exact up to double rounding, which is not hardened
 * against floating-point attacks (Mironov, CCS 2012). */
#ifndef ENG_PRIV_DP_H
#define ENG_PRIV_DP_H

#include <stddef.h>
#include <stdint.h>

#include "engine/privacy/priv.h"
#include "engine/privacy/rng.h"

/* --- the accountant (dp_acct.c) ---
 * Basic sequential composition: k releases at (ε_i, δ_i) are together
 * (Σε_i, Σδ_i)-DP. Tighter accounting (advanced composition, Rényi DP) is
 * not built. */
typedef struct eng_priv_release {
    double eps, delta;
} eng_priv_release;

typedef struct eng_priv_acct {
    double eps_budget, delta_budget;
    double eps_spent, delta_spent;
    eng_priv_release *log; /* one entry per release, in order */
    size_t nlog, cap;
} eng_priv_acct;

/* An empty accountant with budget (eps, delta): eps > 0 finite, delta in
 * [0, 1), else ENG_PRIV_EINVAL. Free its log with _free. */
int eng_priv_acct_init(eng_priv_acct *a, double eps, double delta);
void eng_priv_acct_free(eng_priv_acct *a);
/* Records a release of (eps, delta) if the totals stay within the budget
 * (with a relative slack of 1e-9 for rounding, so ten releases of 0.1 fit a
 * budget of 1). ENG_PRIV_EINVAL if eps <= 0, delta not in [0, 1) or not
 * finite; ENG_PRIV_EBUDGET or ENG_PRIV_ENOMEM leave a unchanged. */
int eng_priv_acct_charge(eng_priv_acct *a, double eps, double delta);

/* --- the geometric mechanism (dp_geometric.c) ---
 * Adds Z with P(Z = k) = (1-α)/(1+α)·α^|k|, α = e^-ε, to an integer query of
 * sensitivity 1 (a count): ε-DP (Ghosh, Roughgarden, Sundararajan 2009).
 * Var Z = 2α/(1-α)². A query of sensitivity Δ uses ε/Δ. */

/* One draw of Z: the difference of two geometric variables on {0, 1, ...}
 * with P(G >= k) = α^k, each G = floor(-ln U / ε). eps > 0. */
int64_t eng_priv_dp_geometric_noise(double eps, eng_priv_rng *rng);
/* *out := count + Z (saturating at the int64 range), after charging (eps, 0)
 * to acct if acct is not NULL. ENG_PRIV_EINVAL if eps <= 0 or not finite;
 * ENG_PRIV_EBUDGET (nothing released). */
int eng_priv_dp_geometric(int64_t count, double eps, eng_priv_acct *acct, eng_priv_rng *rng, int64_t *out);

/* --- clipping and the Gaussian mechanism (dp_gauss.c) ---
 * A model update clipped to L2 norm C changes a sum of updates by at most C
 * when one client is added or removed, so adding N(0, σ²) to every
 * coordinate of the sum with σ = C·sqrt(2 ln(1.25/δ))/ε is (ε, δ)-DP for
 * ε in (0, 1) (Dwork and Roth 2014, theorem A.1; the bound is not valid for
 * ε >= 1, which is therefore refused). */

/* Scales v in place to L2 norm at most c (c > 0); returns the norm before. */
double eng_priv_dp_clip(double *v, size_t dim, double c);
/* *sigma := c·sqrt(2 ln(1.25/δ))/ε. ENG_PRIV_EINVAL unless c > 0, 0 < eps < 1,
 * 0 < delta < 1. */
int eng_priv_dp_gauss_sigma(double c, double eps, double delta, double *sigma);
/* A standard normal draw (Box-Muller). */
double eng_priv_dp_normal(eng_priv_rng *rng);
/* Charges (eps, delta) to acct (if not NULL), then clips v to norm c and adds
 * N(0, σ²) to each coordinate. Errors as _gauss_sigma and _acct_charge; v is
 * unchanged on error. For a sum of clipped updates, clip each update first
 * (eng_priv_dp_clip) and release the sum with this function. */
int eng_priv_dp_gauss(double *v, size_t dim, double c, double eps, double delta, eng_priv_acct *acct,
                      eng_priv_rng *rng);

#endif
