/* The runtime interface on threads and the wall clock. Every actor runs on
 * a thread of its own while it lives; a thread whose actor has ended waits
 * for the next actor to start instead of exiting, so the short-lived actors
 * of every micro-batch (shuffle I/O, about ten a batch) reuse threads
 * rather than creating one each (a thousand thread creations a second at a
 * 10 ms trigger, with their stacks mapped, faulted in and unmapped). The
 * run ends when no actor is left (an actor counts its children before it
 * ends, so the count reaches zero only once every descendant has ended);
 * then the idle threads are told to exit and joined. A channel is an
 * unbounded FIFO under a mutex: rt_send
 * never blocks, rt_recv waits on the channel's condition variable, and the
 * byte counts the engine passes are ignored (the real bytes cross real
 * networks in the bus, not here). rt_compute and rt_io do nothing: the
 * operator code already ran on this CPU, and shuffle blocks stay in memory. */
#include "live/rt_live.h"

#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct rt_chan {
    char name[96];
    pthread_mutex_t mu;
    pthread_cond_t cv;
    void **q; /* ring buffer of n messages from head */
    size_t head, n, cap;
    struct rt_chan *next;
};

typedef struct live_actor {
    rt_t rt; /* first: the engine sees &rt */
    rt_actor_fn fn;
    void *arg;
} live_actor;

/* A thread that runs actors one after another. */
typedef struct live_worker {
    struct live_backend *b;
    pthread_t tid;
    pthread_cond_t cv;        /* signalled when job is set or the run closes */
    live_actor *job;          /* the actor to run next (NULL: none) */
    struct live_worker *idle; /* next on the idle list */
    struct live_worker *all;  /* next on the list of every worker */
} live_worker;

typedef struct live_backend {
    const live_clock *clock;
    uint64_t seed;
    pthread_mutex_t mu; /* guards everything below */
    struct rt_chan *chans;
    live_worker *workers, *idle; /* every worker thread; those waiting for an actor */
    size_t running;              /* actors started and not yet ended */
    pthread_cond_t ended;        /* signalled when running reaches 0 */
    int closing;                 /* no actor is left: idle workers exit */
} live_backend;

static void *xcalloc(size_t n, size_t size) {
    void *p = calloc(n, size);
    if (!p) {
        fprintf(stderr, "sparkiot: out of memory\n");
        abort();
    }
    return p;
}

void live_clock_start(live_clock *c) {
    struct timespec rt;
    clock_gettime(CLOCK_MONOTONIC, &c->mono0);
    clock_gettime(CLOCK_REALTIME, &rt);
    c->epoch0 = (int64_t)rt.tv_sec * RT_S + rt.tv_nsec;
}

rt_time_t live_clock_now(const live_clock *c) {
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (rt_time_t)(t.tv_sec - c->mono0.tv_sec) * RT_S + (t.tv_nsec - c->mono0.tv_nsec);
}

void live_clock_sleep_until(const live_clock *c, rt_time_t t) {
    if (t == RT_FOREVER || t <= live_clock_now(c)) return;
    rt_time_t ns = (rt_time_t)c->mono0.tv_nsec + t;
    struct timespec at = {.tv_sec = c->mono0.tv_sec + (time_t)(ns / RT_S), .tv_nsec = (long)(ns % RT_S)};
    while (clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME, &at, NULL) == EINTR) {
    }
}

static live_backend *of(rt_t *rt) { return rt->backend; }

static rt_time_t l_now(rt_t *rt) { return live_clock_now(of(rt)->clock); }

static void l_sleep_until(rt_t *rt, rt_time_t t) { live_clock_sleep_until(of(rt)->clock, t); }

/* Runs the actors handed to it until the run closes. */
static void *worker_main(void *p) {
    live_worker *w = p;
    live_backend *b = w->b;
    pthread_mutex_lock(&b->mu);
    for (;;) {
        while (!w->job && !b->closing) pthread_cond_wait(&w->cv, &b->mu);
        live_actor *a = w->job;
        if (!a) break;
        w->job = NULL;
        pthread_mutex_unlock(&b->mu);
        a->fn(&a->rt, a->arg);
        gsl_rng_free(a->rt.rng);
        free(a);
        pthread_mutex_lock(&b->mu);
        w->idle = b->idle;
        b->idle = w;
        if (--b->running == 0) pthread_cond_signal(&b->ended);
    }
    pthread_mutex_unlock(&b->mu);
    return NULL;
}

static const rt_ops live_ops;

/* Hands the actor to an idle worker, or to a new one. */
static int spawn_on(live_backend *b, const char *name, const char *host, rt_actor_fn fn, void *arg) {
    live_actor *a = xcalloc(1, sizeof *a);
    rt__init_header(&a->rt, &live_ops, b, b->seed, name, host);
    a->fn = fn;
    a->arg = arg;
    int rc = 0;
    pthread_mutex_lock(&b->mu);
    live_worker *w = b->idle;
    int fresh = !w;
    if (fresh) {
        w = xcalloc(1, sizeof *w);
        w->b = b;
        pthread_cond_init(&w->cv, NULL);
    } else {
        b->idle = w->idle;
    }
    w->job = a;
    b->running++;
    if (!fresh) {
        pthread_cond_signal(&w->cv);
    } else if ((rc = pthread_create(&w->tid, NULL, worker_main, w)) == 0) {
        w->all = b->workers;
        b->workers = w;
    } else {
        b->running--;
        pthread_cond_destroy(&w->cv);
        free(w);
    }
    pthread_mutex_unlock(&b->mu);
    if (rc != 0) {
        fprintf(stderr, "sparkiot: cannot start a thread for actor %s: %s\n", name, strerror(rc));
        gsl_rng_free(a->rt.rng);
        free(a);
        return -1;
    }
    return 0;
}

static int l_spawn(rt_t *rt, const char *name, const char *host, rt_actor_fn fn, void *arg) {
    return spawn_on(of(rt), name, host, fn, arg);
}

static rt_chan_t *l_chan_open(rt_t *rt, const char *name) {
    live_backend *b = of(rt);
    pthread_mutex_lock(&b->mu);
    struct rt_chan *c = b->chans;
    while (c && strcmp(c->name, name) != 0) c = c->next;
    if (!c) {
        c = xcalloc(1, sizeof *c);
        snprintf(c->name, sizeof c->name, "%s", name);
        pthread_mutex_init(&c->mu, NULL);
        pthread_cond_init(&c->cv, NULL);
        c->next = b->chans;
        b->chans = c;
    }
    pthread_mutex_unlock(&b->mu);
    return c;
}

static void l_listen(rt_t *rt, rt_chan_t *c) {}

static void l_send(rt_t *rt, rt_chan_t *c, void *msg, size_t bytes) {
    if (!msg) abort();
    pthread_mutex_lock(&c->mu);
    if (c->n == c->cap) {
        size_t cap = c->cap ? 2 * c->cap : 16;
        void **q = xcalloc(cap, sizeof *q);
        for (size_t i = 0; i < c->n; i++) q[i] = c->q[(c->head + i) % c->cap];
        free(c->q);
        c->q = q;
        c->cap = cap;
        c->head = 0;
    }
    c->q[(c->head + c->n++) % c->cap] = msg;
    pthread_cond_signal(&c->cv);
    pthread_mutex_unlock(&c->mu);
}

static int l_recv(rt_t *rt, rt_chan_t *c, void **msg, int block) {
    pthread_mutex_lock(&c->mu);
    while (c->n == 0) {
        if (!block) {
            pthread_mutex_unlock(&c->mu);
            return RT_TIMEOUT;
        }
        pthread_cond_wait(&c->cv, &c->mu);
    }
    *msg = c->q[c->head];
    c->head = (c->head + 1) % c->cap;
    c->n--;
    pthread_mutex_unlock(&c->mu);
    return RT_OK;
}

static void l_compute(rt_t *rt, double flops) {}
static void l_io(rt_t *rt, const char *device, uint64_t bytes, int write) {}

static const rt_ops live_ops = {
    .abi = RT_OPS_ABI,
    .name = "live",
    .now = l_now,
    .sleep_until = l_sleep_until,
    .spawn = l_spawn,
    .chan_open = l_chan_open,
    .chan_listen = l_listen,
    .send = l_send,
    .recv = l_recv,
    .compute = l_compute,
    .io = l_io,
};

static void free_chans(live_backend *b, live_free_fn leftover) {
    while (b->chans) {
        struct rt_chan *c = b->chans;
        b->chans = c->next;
        for (size_t i = 0; i < c->n && leftover; i++) leftover(c->q[(c->head + i) % c->cap]);
        free(c->q);
        pthread_mutex_destroy(&c->mu);
        pthread_cond_destroy(&c->cv);
        free(c);
    }
}

int live_rt_run(const live_clock *clock, uint64_t seed, const char *host, rt_actor_fn root, void *arg,
                live_free_fn leftover, char *err, size_t errlen) {
    live_backend b = {.clock = clock, .seed = seed};
    pthread_mutex_init(&b.mu, NULL);
    pthread_cond_init(&b.ended, NULL);
    int rc = spawn_on(&b, "root", host, root, arg);
    if (rc != 0) snprintf(err, errlen, "cannot start the root actor's thread");
    pthread_mutex_lock(&b.mu);
    while (b.running > 0) pthread_cond_wait(&b.ended, &b.mu);
    b.closing = 1;
    for (live_worker *w = b.workers; w; w = w->all) pthread_cond_signal(&w->cv);
    pthread_mutex_unlock(&b.mu);
    while (b.workers) {
        live_worker *w = b.workers;
        b.workers = w->all;
        pthread_join(w->tid, NULL);
        pthread_cond_destroy(&w->cv);
        free(w);
    }
    free_chans(&b, leftover);
    pthread_cond_destroy(&b.ended);
    pthread_mutex_destroy(&b.mu);
    return rc;
}
