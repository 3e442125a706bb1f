/* The fake runtime: a manual clock and recorded sends, for unit tests. */
#include "rt_fake.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct rt_chan {
    char name[96];
    void **q;
    size_t head, n, cap;
    struct rt_chan *next;
};

struct rt_fake {
    rt_t rt;
    rt_time_t now;
    double speed;
    struct rt_chan *chans;
    fake_sent *sent;
    size_t nsent, capsent;
};

static rt_fake *of(rt_t *rt) { return (rt_fake *)rt->backend; }

static rt_time_t f_now(rt_t *rt) { return of(rt)->now; }

static void f_sleep_until(rt_t *rt, rt_time_t t) {
    if (t > of(rt)->now) of(rt)->now = t;
}

static int f_spawn(rt_t *rt, const char *name, const char *host, rt_actor_fn fn, void *arg) {
    fprintf(stderr, "rt_fake: spawn is not supported (actor %s)\n", name);
    abort();
}

static rt_chan_t *f_chan_open(rt_t *rt, const char *name) {
    rt_fake *f = of(rt);
    for (struct rt_chan *c = f->chans; c; c = c->next)
        if (!strcmp(c->name, name)) return c;
    struct rt_chan *c = calloc(1, sizeof *c);
    snprintf(c->name, sizeof c->name, "%s", name);
    c->next = f->chans;
    f->chans = c;
    return c;
}

static void f_listen(rt_t *rt, rt_chan_t *c) {}

static void f_send(rt_t *rt, rt_chan_t *c, void *msg, size_t bytes) {
    rt_fake *f = of(rt);
    if (f->nsent == f->capsent) {
        f->capsent = f->capsent ? 2 * f->capsent : 64;
        f->sent = realloc(f->sent, f->capsent * sizeof *f->sent);
    }
    fake_sent *s = &f->sent[f->nsent++];
    snprintf(s->chan, sizeof s->chan, "%s", c->name);
    s->msg = msg;
    s->bytes = bytes;
    s->at = f->now;
}

static int f_recv(rt_t *rt, rt_chan_t *c, void **msg, int block) {
    if (c->n == 0) {
        if (!block) return RT_TIMEOUT;
        fprintf(stderr, "rt_fake: receive on empty channel %s would block forever\n", c->name);
        abort();
    }
    *msg = c->q[c->head];
    c->head = (c->head + 1) % c->cap;
    c->n--;
    return RT_OK;
}

static void f_compute(rt_t *rt, double flops) { of(rt)->now += rt_from_s(flops / of(rt)->speed); }

static void f_io(rt_t *rt, const char *device, uint64_t bytes, int write) {}

static const rt_ops fake_ops = {
    .abi = RT_OPS_ABI,
    .name = "fake",
    .now = f_now,
    .sleep_until = f_sleep_until,
    .spawn = f_spawn,
    .chan_open = f_chan_open,
    .chan_listen = f_listen,
    .send = f_send,
    .recv = f_recv,
    .compute = f_compute,
    .io = f_io,
};

rt_fake *rt_fake_new(uint64_t seed, double flops_per_s) {
    rt_fake *f = calloc(1, sizeof *f);
    rt__init_header(&f->rt, &fake_ops, f, seed, "test", "host");
    f->speed = flops_per_s;
    return f;
}

void rt_fake_free(rt_fake *f) {
    while (f->chans) {
        struct rt_chan *n = f->chans->next;
        free(f->chans->q);
        free(f->chans);
        f->chans = n;
    }
    free(f->sent);
    gsl_rng_free(f->rt.rng);
    free(f);
}

rt_t *rt_fake_rt(rt_fake *f) { return &f->rt; }
void rt_fake_set_time(rt_fake *f, rt_time_t t) { f->now = t; }
size_t rt_fake_nsent(const rt_fake *f) { return f->nsent; }
const fake_sent *rt_fake_sent(const rt_fake *f, size_t i) { return &f->sent[i]; }

void rt_fake_deliver(rt_fake *f, const char *name, void *msg) {
    struct rt_chan *c = f_chan_open(&f->rt, name);
    if (c->n == c->cap) {
        size_t cap = c->cap ? 2 * c->cap : 16;
        void **q = malloc(cap * sizeof *q);
        for (size_t i = 0; i < c->n; i++) q[i] = c->q[(c->head + i) % c->cap];
        free(c->q);
        c->q = q;
        c->cap = cap;
        c->head = 0;
    }
    c->q[(c->head + c->n++) % c->cap] = msg;
}
