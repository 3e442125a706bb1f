/* The runtime interface on SimGrid: actors are SimGrid actors, channels are
 * mailboxes whose messages cross the simulated network from the moment they
 * are sent (sim/chan.c), rt_compute is simulated CPU on the actor's host,
 * rt_io is a read or write on one of its host's disks, and time is SimGrid's
 * clock converted to int64 ns. */
#include <simgrid/actor.h>
#include <simgrid/comm.h>
#include <simgrid/disk.h>
#include <simgrid/engine.h>
#include <simgrid/host.h>
#include <simgrid/mailbox.h>
#include <simgrid/semaphore.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "engine/tmp.h"
#include "sim/chan.h"
#include "sim/sim.h"

typedef struct sim_actor sim_actor;

#define SIM_CHAN_BUCKETS 512 /* channels are looked up by name on every open */

typedef struct sim_backend {
    uint64_t seed;
    uint64_t sends;        /* messages sent so far (orders arrivals) */
    struct rt_chan *chans; /* every channel opened, freed at the end of the run */
    struct rt_chan *bucket[SIM_CHAN_BUCKETS];
    sim_actor *idle; /* actors whose function returned, waiting to be reused */
    size_t running;  /* actors not idle */
} sim_backend;

struct sim_actor {
    rt_t rt;        /* first: the engine sees &rt */
    rt_actor_fn fn; /* NULL: the run is over, leave */
    void *arg;
    sg_sem_t wake; /* an idle actor waits on it */
    sg_host_t host;
    unsigned runs; /* functions run so far */
    sim_actor *next_idle;
};

/* SimGrid keeps every execution and disk access an actor started in a list
 * until the actor ends, and each message it sends or receives scans that
 * list: an actor retires after this many functions so the list stays short. */
#define SIM_ACTOR_RUNS 64

static rt_time_t sim_now(rt_t *rt) { return rt_from_s(simgrid_get_clock()); }

static void sim_sleep_until(rt_t *rt, rt_time_t t) { sg_actor_sleep_until(rt_to_s(t)); }

/* Actors are reused: one whose function returns waits on the idle list,
 * and the next spawn on its host wakes it with the new function,
 * which saves SimGrid a context, a stack and an unwinding per short-lived
 * actor (the shuffle stores start one per disk access). A reused actor
 * starts at the same simulated time as a new one. When the last running
 * actor returns, nothing can spawn again and the idle ones leave. */
static void sim_trampoline(int argc, char **argv) {
    sim_actor *a = sg_actor_self_get_data();
    sim_backend *b = a->rt.backend;
    while (a->fn) {
        a->fn(&a->rt, a->arg);
        gsl_rng_free(a->rt.rng);
        a->rt.rng = NULL;
        a->fn = NULL;
        if (--b->running == 0) {
            for (sim_actor *i = b->idle; i; i = i->next_idle) sg_sem_release(i->wake);
            b->idle = NULL;
            break;
        }
        if (++a->runs == SIM_ACTOR_RUNS) break;
        a->next_idle = b->idle;
        b->idle = a;
        sg_sem_acquire(a->wake);
    }
    sg_sem_destroy(a->wake);
    free(a);
}

static const rt_ops sim_ops;

static sim_actor *take_idle(sim_backend *b, sg_host_t h) {
    for (sim_actor **p = &b->idle; *p; p = &(*p)->next_idle)
        if ((*p)->host == h) {
            sim_actor *a = *p;
            *p = a->next_idle;
            return a;
        }
    return NULL;
}

static int sim_spawn_on(sim_backend *b, const char *name, const char *host, rt_actor_fn fn, void *arg) {
    sg_host_t h = sg_host_by_name(host);
    if (!h) return -1;
    sim_actor *a = take_idle(b, h);
    int fresh = !a;
    if (fresh && !(a = calloc(1, sizeof *a))) return -1;
    rt__init_header(&a->rt, &sim_ops, b, b->seed, name, host);
    a->fn = fn;
    a->arg = arg;
    a->host = h;
    b->running++;
    if (!fresh) {
        sg_sem_release(a->wake);
        return 0;
    }
    a->wake = sg_sem_init(0);
    sg_actor_t actor = sg_actor_init(name, h);
    sg_actor_set_data(actor, a);
    sg_actor_start_(actor, sim_trampoline, 0, NULL);
    return 0;
}

static int sim_spawn(rt_t *rt, const char *name, const char *host, rt_actor_fn fn, void *arg) {
    return sim_spawn_on(rt->backend, name, host, fn, arg);
}

static uint64_t name_hash(const char *s) {
    uint64_t h = 0xcbf29ce484222325ULL;
    for (; *s; s++) h = (h ^ (uint8_t)*s) * 0x100000001b3ULL;
    return h;
}

static rt_chan_t *find_chan(const sim_backend *b, const char *name, uint64_t h) {
    for (struct rt_chan *c = b->bucket[h % SIM_CHAN_BUCKETS]; c; c = c->next_in_bucket)
        if (c->hash == h && strcmp(c->name, name) == 0) return c;
    return NULL;
}

static rt_chan_t *sim_chan_open(rt_t *rt, const char *name) {
    sim_backend *b = rt->backend;
    uint64_t h = name_hash(name);
    rt_chan_t *c = find_chan(b, name, h);
    if (c) return c;
    c = sim_chan_new(name, &b->sends);
    /* Creating the mailbox is a simcall, during which another actor may
     * have opened the same channel: keep the first one. */
    rt_chan_t *first = find_chan(b, name, h);
    if (first) {
        sim_chan_free(c);
        return first;
    }
    c->hash = h;
    c->next = b->chans;
    b->chans = c;
    c->next_in_bucket = b->bucket[h % SIM_CHAN_BUCKETS];
    b->bucket[h % SIM_CHAN_BUCKETS] = c;
    return c;
}

static void sim_compute(rt_t *rt, double flops) {
    if (flops > 0) sg_actor_execute(flops);
}

/* The actor's host's disk called `device` (sim/platform.c names them after
 * the shuffle tiers); a missing one is a platform bug. */
static void sim_io(rt_t *rt, const char *device, uint64_t bytes, int write) {
    if (bytes == 0) return;
    unsigned n = 0;
    sg_disk_t *disks = NULL;
    sg_host_get_disks(sg_host_self(), &n, &disks);
    sg_disk_t d = NULL;
    for (unsigned i = 0; i < n && !d; i++)
        if (strcmp(sg_disk_get_name(disks[i]), device) == 0) d = disks[i];
    free(disks);
    if (!d) {
        fprintf(stderr, "sparkiot: host %s has no device %s\n", rt->host, device);
        abort();
    }
    if (write)
        sg_disk_write(d, bytes);
    else
        sg_disk_read(d, bytes);
}

static const rt_ops sim_ops = {
    .abi = RT_OPS_ABI,
    .name = "simgrid",
    .now = sim_now,
    .sleep_until = sim_sleep_until,
    .spawn = sim_spawn,
    .chan_open = sim_chan_open,
    .chan_listen = sim_chan_listen,
    .send = sim_chan_send,
    .recv = sim_chan_recv,
    .compute = sim_compute,
    .io = sim_io,
};

int sim_run(const eng_topo_opts *t, uint32_t executors, uint64_t seed, const char *root_host,
            rt_actor_fn root, void *arg, char *err, size_t errlen) {
    char path[4096];
    int fd = eng_tmp_path(path, sizeof path, "sparkiot-platform-XXXXXX.xml") == 0 ? mkstemps(path, 4) : -1;
    if (fd < 0) {
        snprintf(err, errlen, "cannot create a temporary platform file");
        return -1;
    }
    close(fd);
    if (sim_platform_write(t, executors, path, err, errlen) != 0) {
        unlink(path);
        return -1;
    }
    int argc = 5;
    char *argv[] = {"sparkiot",
                    "--cfg=network/model:CM02",
                    "--cfg=network/crosstraffic:0",
                    "--log=root.thresh:critical",
                    "--cfg=contexts/stack-size:256",
                    NULL};
    simgrid_init(&argc, argv);
    simgrid_load_platform(path);
    unlink(path);
    sim_backend b = {.seed = seed};
    int rc = sim_spawn_on(&b, "root", root_host, root, arg);
    if (rc != 0) {
        snprintf(err, errlen, "host '%s' is not in the platform", root_host);
        return -1;
    }
    simgrid_run();
    while (b.chans) {
        struct rt_chan *n = b.chans->next;
        sim_chan_free(b.chans);
        b.chans = n;
    }
    return 0;
}
