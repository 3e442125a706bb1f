/* Helpers shared by the workload tests: run a device group over a window in
 * fixed slices collecting its readings, order them per device, and the
 * Kolmogorov-Smirnov distance of a sample from a CDF. */
#ifndef WL_SUPPORT_H
#define WL_SUPPORT_H

#include "workloads/wl.h"

/* Emits [0, end) in slices of `slice` from a group of `n` devices (ids from
 * `first`) on a fresh mt19937 seeded with `seed`, appending every reading to
 * `all` (initialised by the caller). Fails the test if a reading falls
 * outside its slice or emit fails. */
void wls_collect(const wl_opts *o, uint32_t first, uint32_t n, unsigned long seed, rt_time_t end,
                 rt_time_t slice, eng_batch *all);
/* Runs a fresh group (mt19937 seeded with `seed`) over `windows` windows of
 * `window` from 0 and returns the mean and sample variance of the number of
 * readings per window. */
void wls_window_counts(const wl_opts *o, uint32_t n, unsigned long seed, rt_time_t window, int windows,
                       double *mean, double *var);
/* Sorts by (device, seq). */
void wls_sort_by_device(eng_batch *b);
/* Fails the test unless each device (ids from `first`) has seq numbers 0, 1,
 * ... with no gap, in time order (b sorted by device). */
void wls_assert_seq_contiguous(const eng_batch *b, uint32_t first);
/* sup |F_n(x) - cdf(x)| of the sample x[0..n) (sorted in place). */
double wls_ks(double *x, size_t n, double (*cdf)(double x, const void *arg), const void *arg);
/* Kolmogorov-Smirnov critical distance at level 0.001 for n samples. */
double wls_ks_critical(size_t n);

#endif
