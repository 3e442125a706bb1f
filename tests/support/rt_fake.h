/* A fake runtime for unit tests: one actor, a manual clock, in-memory
 * channels. sleep advances the clock; rt_compute advances it by
 * flops / speed (rt_io takes no time); every send is recorded with its time
 * and size. Receiving from an empty channel is a test failure (nothing else
 * could send). */
#ifndef TEST_RT_FAKE_H
#define TEST_RT_FAKE_H

#include <stddef.h>

#include "engine/rt.h"

typedef struct fake_sent {
    char chan[96];
    void *msg;
    size_t bytes;
    rt_time_t at;
} fake_sent;

typedef struct rt_fake rt_fake;

rt_fake *rt_fake_new(uint64_t seed, double flops_per_s);
void rt_fake_free(rt_fake *f);
/* The actor's runtime handle. */
rt_t *rt_fake_rt(rt_fake *f);
void rt_fake_set_time(rt_fake *f, rt_time_t t);
/* Everything sent so far, in order; messages stay owned by the fake until
 * rt_fake_take. */
size_t rt_fake_nsent(const rt_fake *f);
const fake_sent *rt_fake_sent(const rt_fake *f, size_t i);
/* Queues msg on channel `name` as if another actor had sent it. */
void rt_fake_deliver(rt_fake *f, const char *name, void *msg);

#endif
