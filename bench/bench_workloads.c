/* Speed of the synthetic device populations, the inner loop of every
 * scenario: 1,000,000 devices in 100 groups of 10,000 (one per edge site),
 * each device sending every 10 s on average, emitted in 1 s slices for
 * 600 s of device time (about 60 million readings). The batch is emptied
 * after each slice, as a gateway would hand it on.
 *
 * usage: bench_workloads [periodic|poisson|mmpp|diurnal]   (default periodic)
 * prints: devices=<n> readings=<n> wall_s=<x> readings_per_s=<x> */
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "workloads/wl.h"

enum { GROUPS = 100, PER_GROUP = 10000, SECONDS = 600 };

static double now_s(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

int main(int argc, char **argv) {
    static const char *const kinds[] = {"periodic", "poisson", "mmpp", "diurnal"};
    wl_opts o;
    wl_opts_defaults(&o);
    if (argc > 1) {
        size_t k = 0;
        while (k < 4 && strcmp(argv[1], kinds[k]) != 0) k++;
        if (k == 4) {
            fprintf(stderr, "usage: %s [periodic|poisson|mmpp|diurnal]\n", argv[0]);
            return 2;
        }
        o.kind = (wl_kind)k;
        o.burst_factor = k == WL_DIURNAL ? 4.0 : o.burst_factor;
    }
    o.devices_per_site = PER_GROUP;
    char err[256];
    if (wl_opts_check(&o, err, sizeof err) != 0) {
        fprintf(stderr, "%s\n", err);
        return 1;
    }

    double t_start = now_s();
    gsl_rng *rng[GROUPS];
    wl_group *g[GROUPS];
    for (int i = 0; i < GROUPS; i++) {
        char name[32];
        snprintf(name, sizeof name, "edge-%d", i);
        rng[i] = rt_rng_derive(1, name);
        g[i] = rng[i] ? wl_group_new(&o, (uint32_t)i * PER_GROUP, PER_GROUP, rng[i]) : NULL;
        if (!g[i]) {
            fprintf(stderr, "out of memory\n");
            return 1;
        }
    }
    eng_batch b;
    eng_batch_init(&b);
    uint64_t readings = 0;
    for (rt_time_t t = 0; t < SECONDS * RT_S; t += RT_S) {
        for (int i = 0; i < GROUPS; i++) {
            b.n = 0;
            if (wl_group_emit(g[i], t, t + RT_S, &b) != 0) {
                fprintf(stderr, "out of memory\n");
                return 1;
            }
            readings += b.n;
        }
    }
    double wall = now_s() - t_start;
    printf("devices=%d readings=%llu wall_s=%.3f readings_per_s=%.0f\n", GROUPS * PER_GROUP,
           (unsigned long long)readings, wall, (double)readings / wall);
    eng_batch_free(&b);
    for (int i = 0; i < GROUPS; i++) {
        wl_group_free(g[i]);
        gsl_rng_free(rng[i]);
    }
    return 0;
}
