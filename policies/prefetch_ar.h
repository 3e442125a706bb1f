/* The least-squares fit behind the `ar` prefetch policy
 * (policies/prefetch_ar.c), public so that it can be checked against
 * series with known coefficients. */
#ifndef POL_PREFETCH_AR_H
#define POL_PREFETCH_AR_H

#include <stddef.h>

/* Fits x_t = c + a_1 x_{t-1} + ... + a_p x_{t-p} to the series x[0..n)
 * by ordinary least squares (GSL's gsl_multifit_linear, an SVD, so a
 * rank-deficient design gets the minimum-norm solution) over the rows
 * t = p .. n-1, and writes coef[0] = c, coef[i] = a_i (p + 1 values).
 * Returns 0, or -1 if n < 2p + 2 or out of memory. */
int pol_prefetch_ar_fit(const double *x, size_t n, size_t p, double *coef);

#endif
