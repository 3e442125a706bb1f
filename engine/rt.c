/* Backend-independent parts of the runtime interface: deriving each actor's
 * random stream from the scenario seed and the actor's name. */
#include "engine/rt.h"

#include <stdio.h>
#include <string.h>

static uint64_t fnv1a(const char *s, uint64_t h) {
    for (; *s; s++) h = (h ^ (uint8_t)*s) * 0x100000001b3ULL;
    return h;
}

static uint64_t splitmix64(uint64_t x) {
    x += 0x9e3779b97f4a7c15ULL;
    x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ULL;
    x = (x ^ (x >> 27)) * 0x94d049bb133111ebULL;
    return x ^ (x >> 31);
}

gsl_rng *rt_rng_derive(uint64_t seed, const char *name) {
    gsl_rng *r = gsl_rng_alloc(gsl_rng_mt19937);
    if (!r) return NULL;
    uint64_t h = splitmix64(fnv1a(name, 0xcbf29ce484222325ULL) ^ splitmix64(seed));
    gsl_rng_set(r, (unsigned long)(h & 0xffffffffUL) ^ (unsigned long)(h >> 32));
    return r;
}

void rt__init_header(rt_t *rt, const rt_ops *ops, void *backend, uint64_t seed, const char *name,
                     const char *host) {
    rt->ops = ops;
    rt->backend = backend;
    snprintf(rt->name, sizeof rt->name, "%s", name);
    snprintf(rt->host, sizeof rt->host, "%s", host ? host : "");
    rt->seed = seed;
    rt->rng = NULL;
}

/* Most actors never draw a random number: their stream is made when they
 * first ask for it. */
gsl_rng *rt__rng_first(rt_t *rt) { return rt->rng = rt_rng_derive(rt->seed, rt->name); }
