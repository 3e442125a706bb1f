/* Internal to workloads/: the state of one device group, shared by its
 * arrival processes (periodic.c: a timing wheel; modulated.c: one superposed
 * Poisson stream, optionally burst-modulated and diurnally thinned), the
 * value models that turn each arrival into a reading (values.c), and the
 * group's own random stream (rng.c) with its normal sampler (normal.c). */
#ifndef WL_INT_H
#define WL_INT_H

#include <math.h>

#include "workloads/wl.h"

#define WL__NIL UINT32_MAX
#define WL__TWO_PI 6.283185307179586476925
#define WL__SINE_N 256
#define WL__ZIG 128

/* Per-device value state, 16 bytes (a cache line holds four): what every
 * reading touches. */
typedef struct wl__dev {
    double level; /* random walk: its current level */
    uint32_t seq; /* seq of its next reading */
    uint32_t id;  /* device id - first_device */
} wl__dev;

/* Periodic: per-device schedule, 24 bytes, in the same slots (phase order). */
typedef struct wl__sched {
    rt_time_t next;  /* time of its pending send */
    rt_time_t phase; /* nominal time of its first send */
    uint32_t link;   /* next device in the same wheel bucket */
} wl__sched;

/* Periodic: a circular calendar of buckets of 2^shift ns, each a linked list
 * (through wl__sched.link) of the devices whose pending send falls in it. */
typedef struct wl__wheel {
    wl__sched *sched;
    uint32_t *head;
    uint64_t mask; /* buckets - 1 (a power of two) */
    int shift;
    int64_t cur; /* absolute index of the first bucket not yet emptied */
    /* The warming sweep: slot `warm` of cycle `cycle` is the next device to
     * pull into the cache ahead of its send. */
    uint32_t warm;
    int64_t cycle;
} wl__wheel;

/* Poisson, MMPP, diurnal: the superposition of the group's devices, cut
 * into segments of constant burst state (see modulated.c). */
#define WL__PICKS 32
typedef struct wl__mod {
    rt_time_t sw;      /* next burst state change (INT64_MAX without bursts) */
    rt_time_t segment; /* longest segment */
    int on;            /* bursting */
    int bursts, thin;
    double per_ns;            /* the group's readings per ns, not bursting, diurnal shape 1 */
    uint32_t pick[WL__PICKS]; /* the next devices, drawn ahead */
    unsigned int pos;         /* next entry of pick */
} wl__mod;

struct wl_group {
    wl_opts o;
    uint32_t first, n;
    gsl_rng *rng; /* owned: the group's private stream (rng.c) */
    wl__dev *dev;
    int started;
    rt_time_t until; /* end of the last slice emitted */
    /* values */
    double zig_x[WL__ZIG + 1], zig_r[WL__ZIG]; /* normal.c: ziggurat blocks */
    double sine[WL__SINE_N];                   /* seasonal: sin(2 pi k / WL__SINE_N) */
    double per_season;                         /* seasonal: 1 / season_period */
    double keep;                               /* random walk: 1 - WL_WALK_REVERSION */
    double anomaly_scale;                      /* wl_anomaly_scale */
    uint64_t anomaly_gap;                      /* readings left until the next anomaly, 0: never */
    wl__wheel wheel;
    wl__mod mod;
};

/* rng.c: a new fast generator seeded from `parent` (NULL on out of memory);
 * its state is a wl__xoshiro, drawn from inline on the hot paths. */
gsl_rng *wl__rng_new(gsl_rng *parent);

typedef struct wl__xoshiro {
    uint64_t s[4];
} wl__xoshiro;

static inline uint64_t wl__xoshiro_next(wl__xoshiro *x) {
    uint64_t *s = x->s;
    uint64_t r = s[1] * 5;
    r = ((r << 7) | (r >> 57)) * 9;
    uint64_t t = s[1] << 17;
    s[2] ^= s[0];
    s[3] ^= s[1];
    s[1] ^= s[2];
    s[0] ^= s[3];
    s[2] ^= t;
    s[3] = (s[3] << 45) | (s[3] >> 19);
    return r;
}

/* Uniform on [0, 1), 53 bits. */
static inline double wl__xoshiro_double(wl__xoshiro *x) {
    return (double)(wl__xoshiro_next(x) >> 11) * 0x1.0p-53;
}

/* The group's uniform on [0, 1) (the same stream as gsl_rng_uniform(g->rng)). */
static inline double wl__uniform(wl_group *g) { return wl__xoshiro_double(g->rng->state); }

/* normal.c: the ziggurat tables (at wl_group_new), and the draws that the
 * rectangle test of wl__normal does not settle. */
void wl__normal_init(wl_group *g);
double wl__normal_slow(wl_group *g, double u, unsigned int i);

/* A standard normal variate from the group's stream. */
static inline double wl__normal(wl_group *g) {
    uint64_t bits = wl__xoshiro_next(g->rng->state);
    unsigned int i = (unsigned int)(bits & (WL__ZIG - 1));
    double u = 2.0 * ((double)(bits >> 11) * 0x1.0p-53) - 1.0;
    return fabs(u) < g->zig_r[i] ? u * g->zig_x[i] : wl__normal_slow(g, u, i);
}

/* values.c: initial levels and the first anomaly gap (at wl_group_new). */
void wl__values_init(wl_group *g);
/* values.c: appends the next reading of the device in `slot` at `ts`; 0, or
 * -1 if `out` cannot grow. */
int wl__reading(wl_group *g, uint32_t slot, rt_time_t ts, eng_batch *out);

/* periodic.c: allocate the wheel (at wl_group_new; -1 on out of memory),
 * schedule every device's first send from `origin` (first emit), emit, free. */
int wl__periodic_init(wl_group *g);
void wl__periodic_start(wl_group *g, rt_time_t origin);
int wl__periodic_emit(wl_group *g, rt_time_t t1, eng_batch *out);
void wl__periodic_free(wl_group *g);

/* modulated.c: Poisson, MMPP and diurnal. */
void wl__mod_start(wl_group *g, rt_time_t origin);
int wl__mod_emit(wl_group *g, rt_time_t t0, rt_time_t t1, eng_batch *out);

#endif
