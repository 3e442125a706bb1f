/* The runtime interface: what every engine actor may do — time, actors,
 * channels, compute charging, per-actor randomness. It sits under every
 * component of the data flow (devices, edge, bus, driver, executors); the
 * SimGrid backend (sim/) and the wall-clock backend implement it, and a fake
 * runtime with a manual clock (engine/rt_fake.h) serves unit tests.
 * The engine calls only these wrappers, never SimGrid or pthreads. */
#ifndef ENG_RT_H
#define ENG_RT_H

#include <gsl/gsl_rng.h>
#include <stddef.h>
#include <stdint.h>

typedef int64_t rt_time_t; /* nanoseconds */

#define RT_US ((rt_time_t)1000)
#define RT_MS ((rt_time_t)1000000)
#define RT_S ((rt_time_t)1000000000)
#define RT_FOREVER INT64_MAX

static inline double rt_to_s(rt_time_t t) { return (double)t / 1e9; }
static inline rt_time_t rt_from_s(double s) { return (rt_time_t)(s * 1e9 + (s >= 0 ? 0.5 : -0.5)); }

typedef struct rt rt_t;           /* the calling actor's view of its runtime */
typedef struct rt_chan rt_chan_t; /* a named, many-to-one message channel */
typedef void (*rt_actor_fn)(rt_t *rt, void *arg);

enum rt_status { RT_OK = 0, RT_TIMEOUT = 1 };

#define RT_OPS_ABI 2 /* 2: io */

/* A backend. New slots go at the end; `abi` is RT_OPS_ABI. */
typedef struct rt_ops {
    int abi;
    const char *name;
    rt_time_t (*now)(rt_t *rt);
    void (*sleep_until)(rt_t *rt, rt_time_t t);
    int (*spawn)(rt_t *rt, const char *name, const char *host, rt_actor_fn fn, void *arg);
    rt_chan_t *(*chan_open)(rt_t *rt, const char *name);
    void (*chan_listen)(rt_t *rt, rt_chan_t *chan);
    void (*send)(rt_t *rt, rt_chan_t *chan, void *msg, size_t bytes);
    int (*recv)(rt_t *rt, rt_chan_t *chan, void **msg, int block);
    void (*compute)(rt_t *rt, double flops);
    void (*io)(rt_t *rt, const char *device, uint64_t bytes, int write);
} rt_ops;

/* Every backend's per-actor context starts with this header. */
struct rt {
    const rt_ops *ops;
    void *backend; /* the backend's shared state */
    gsl_rng *rng;  /* this actor's stream, from (seed, actor name), made on first use */
    uint64_t seed; /* the scenario's */
    char name[64];
    char host[64];
};

static inline rt_time_t rt_now(rt_t *rt) { return rt->ops->now(rt); }
static inline void rt_sleep_until(rt_t *rt, rt_time_t t) { rt->ops->sleep_until(rt, t); }
static inline void rt_sleep(rt_t *rt, rt_time_t d) { rt->ops->sleep_until(rt, rt_now(rt) + d); }

/* Starts actor `name` on `host` running fn(child_rt, arg). `arg` is owned by
 * the new actor. Returns 0, or a negative code if the host does not exist. */
static inline int rt_spawn(rt_t *rt, const char *name, const char *host, rt_actor_fn fn, void *arg) {
    return rt->ops->spawn(rt, name, host, fn, arg);
}

/* The channel called `name` (the same pointer for the same name, valid for
 * the whole run; channels are never freed by actors). */
static inline rt_chan_t *rt_chan_open(rt_t *rt, const char *name) { return rt->ops->chan_open(rt, name); }

/* Declares the calling actor as the channel's only receiver, so that sends
 * complete (and cross the network) without waiting for a matching recv. */
static inline void rt_chan_listen(rt_t *rt, rt_chan_t *chan) { rt->ops->chan_listen(rt, chan); }

/* Sends `msg` (ownership passes to the receiver; NULL is not allowed) and
 * returns at once; `bytes` is what crosses the network in simulation. */
static inline void rt_send(rt_t *rt, rt_chan_t *chan, void *msg, size_t bytes) {
    rt->ops->send(rt, chan, msg, bytes);
}

/* Waits for a message and stores it in *msg (the caller now owns it).
 * Actors never wait with a timeout: timers are messages from ticker actors
 * (engine/ticker.h), which keeps the two backends' semantics identical. */
static inline void rt_recv(rt_t *rt, rt_chan_t *chan, void **msg) { rt->ops->recv(rt, chan, msg, 1); }

/* Takes a message if one has arrived: RT_OK and *msg set, or RT_TIMEOUT. */
static inline int rt_try_recv(rt_t *rt, rt_chan_t *chan, void **msg) {
    return rt->ops->recv(rt, chan, msg, 0);
}

/* Charges `flops` of CPU on the actor's host (simulation); a no-op live. */
static inline void rt_compute(rt_t *rt, double flops) { rt->ops->compute(rt, flops); }

/* Charges reading (write = 0) or writing `bytes` on the storage device
 * called `device` of the actor's host (simulation: a SimGrid disk, shared
 * with the host's other accesses); a no-op live. */
static inline void rt_io(rt_t *rt, const char *device, uint64_t bytes, int write) {
    rt->ops->io(rt, device, bytes, write);
}

gsl_rng *rt__rng_first(rt_t *rt);

/* The calling actor's random stream. */
static inline gsl_rng *rt_rng(rt_t *rt) { return rt->rng ? rt->rng : rt__rng_first(rt); }

/* Seeds a generator from (scenario seed, actor name): the same pair always
 * gives the same stream. Returns a new gsl_rng the caller frees. */
gsl_rng *rt_rng_derive(uint64_t seed, const char *name);

/* Initialises the common header of a per-actor context. */
void rt__init_header(rt_t *rt, const rt_ops *ops, void *backend, uint64_t seed, const char *name,
                     const char *host);

#endif
