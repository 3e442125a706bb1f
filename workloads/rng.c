/* The private random stream of a device group: xoshiro256** (Blackman and
 * Vigna, 2018) packaged as a GSL generator type, so the GSL samplers draw
 * from it. Generation is the inner loop of every scenario (tens of millions
 * of readings), and this generator costs a fraction of GSL's Mersenne
 * Twister per draw. Its 256-bit state is seeded from the owning actor's
 * stream when the group is created, so a run stays a pure function of the
 * scenario seed. */
#include "workloads/wl_int.h"

static unsigned long get(void *state) { return (unsigned long)(wl__xoshiro_next(state) >> 32); }

static double get_double(void *state) { return wl__xoshiro_double(state); }

/* The splitmix64 finaliser: a bijection that spreads every input bit. */
static uint64_t mix(uint64_t v) {
    v = (v ^ (v >> 30)) * 0xbf58476d1ce4e5b9ULL;
    v = (v ^ (v >> 27)) * 0x94d049bb133111ebULL;
    return v ^ (v >> 31);
}

/* gsl_rng_set: the state from splitmix64 of the seed (never all zero). */
static void set(void *state, unsigned long seed) {
    wl__xoshiro *x = state;
    for (int i = 0; i < 4; i++) x->s[i] = mix((uint64_t)seed + (uint64_t)(i + 1) * 0x9e3779b97f4a7c15ULL);
}

static const gsl_rng_type xoshiro_type = {
    "xoshiro256starstar", 0xffffffffUL, 0, sizeof(wl__xoshiro), set, get, get_double};

gsl_rng *wl__rng_new(gsl_rng *parent) {
    gsl_rng *r = gsl_rng_alloc(&xoshiro_type);
    if (!r) return NULL;
    wl__xoshiro *x = r->state;
    uint64_t any = 0;
    for (int i = 0; i < 4; i++) {
        uint64_t hi = gsl_rng_get(parent), lo = gsl_rng_get(parent);
        x->s[i] = mix(hi << 32 ^ lo);
        any |= x->s[i];
    }
    if (!any) x->s[0] = 1;
    return r;
}
