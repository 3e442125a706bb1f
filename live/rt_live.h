/* The wall-clock runtime: engine actors as POSIX threads, channels as
 * mutex + condition-variable FIFO queues, time as CLOCK_MONOTONIC since the
 * run's origin. It is the live counterpart of sim/ under every component of
 * the data flow; nothing here knows about brokers. A live_clock is shared by
 * the runtime and by the parts of live/ that sleep or stamp readings outside
 * an actor (the MQTT source, device publishers), so that device time, the
 * engine's time and the wire's absolute timestamps agree. */
#ifndef LIVE_RT_LIVE_H
#define LIVE_RT_LIVE_H

#include <stddef.h>
#include <stdint.h>
#include <time.h>

#include "engine/rt.h"

/* Run time 0 is `mono0` on CLOCK_MONOTONIC, which was `epoch0` ns since the
 * Unix epoch on CLOCK_REALTIME. */
typedef struct live_clock {
    struct timespec mono0;
    int64_t epoch0;
} live_clock;

/* Makes now run time 0. */
void live_clock_start(live_clock *c);
rt_time_t live_clock_now(const live_clock *c);
/* Sleeps until run time t (returns at once if it has passed). */
void live_clock_sleep_until(const live_clock *c, rt_time_t t);
/* Run time <-> Unix epoch nanoseconds (the wire's timestamps). */
static inline int64_t live_clock_to_epoch(const live_clock *c, rt_time_t t) { return c->epoch0 + t; }
static inline rt_time_t live_clock_from_epoch(const live_clock *c, int64_t ns) { return ns - c->epoch0; }

/* Frees a message left in a channel when the run ends. */
typedef void (*live_free_fn)(void *msg);

/* Runs root(rt, arg) as actor "root" on `host` (hosts are names only: every
 * name is accepted) with per-actor random streams from `seed`, and returns
 * when every actor has ended, all threads joined. Messages still queued in
 * channels then are passed to `leftover` (NULL: left alone). `clock` is
 * borrowed for the run. Returns 0, or -1 with a message if the first thread
 * cannot start. Several runs may follow one another in a process. */
int live_rt_run(const live_clock *clock, uint64_t seed, const char *host, rt_actor_fn root, void *arg,
                live_free_fn leftover, char *err, size_t errlen);

#endif
