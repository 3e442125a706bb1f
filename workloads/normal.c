/* Standard normal variates for the value models (random-walk steps,
 * seasonal noise): one per reading, so they are drawn inline from the
 * group's generator rather than through GSL's function pointers. The
 * ziggurat method of Marsaglia and Tsang (2000) with 128 blocks, in
 * Doornik's form (ZIGNOR, 2005), which takes the block index and the
 * uniform from separate bits of one 64-bit draw. 97 % of draws end in
 * the inline rectangle test (wl__normal in wl_int.h); this file builds the
 * tables and handles the wedges and the tail. */
#include <math.h>

#include "workloads/wl_int.h"

/* The right edge of the base block, and the common area of the blocks. */
#define ZIG_R 3.442619855899
#define ZIG_V 9.91256303526217e-3

void wl__normal_init(wl_group *g) {
    double f = exp(-0.5 * ZIG_R * ZIG_R);
    g->zig_x[0] = ZIG_V / f; /* the base block's width, tail included */
    g->zig_x[1] = ZIG_R;
    g->zig_x[WL__ZIG] = 0;
    for (int i = 2; i < WL__ZIG; i++) {
        g->zig_x[i] = sqrt(-2 * log(ZIG_V / g->zig_x[i - 1] + f));
        f = exp(-0.5 * g->zig_x[i] * g->zig_x[i]);
    }
    for (int i = 0; i < WL__ZIG; i++) g->zig_r[i] = g->zig_x[i + 1] / g->zig_x[i];
}

double wl__normal_slow(wl_group *g, double u, unsigned int i) {
    const double *x = g->zig_x;
    for (;;) {
        if (i == 0) {
            /* The tail beyond ZIG_R (Marsaglia 1964). */
            double a, b;
            do {
                a = log(1.0 - wl__uniform(g)) / ZIG_R;
                b = log(1.0 - wl__uniform(g));
            } while (-2 * b < a * a);
            return u < 0 ? a - ZIG_R : ZIG_R - a;
        }
        /* A wedge: keep the point if it lies under the density. */
        double v = u * x[i];
        double f0 = exp(-0.5 * (x[i] * x[i] - v * v)), f1 = exp(-0.5 * (x[i + 1] * x[i + 1] - v * v));
        if (f1 + wl__uniform(g) * (f0 - f1) < 1.0) return v;
        uint64_t bits = wl__xoshiro_next(g->rng->state);
        i = (unsigned int)(bits & (WL__ZIG - 1));
        u = 2.0 * ((double)(bits >> 11) * 0x1.0p-53) - 1.0;
        if (fabs(u) < g->zig_r[i]) return u * x[i];
    }
}
