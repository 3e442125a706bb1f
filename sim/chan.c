/* Channels on SimGrid: a permanent receiver, posted receives, send order
 * among arrived messages.
 *
 * The listener is the mailbox's permanent receiver, so a send starts its
 * transfer at once even when no receive is posted (a plain mailbox would
 * hold it until one is). The listener keeps at least twice as many receives
 * posted as there are messages in flight: a posted receive takes the next
 * message in send order, and waiting on all of them wakes the listener when
 * the first of those messages arrives; each receive has its own landing cell
 * that SimGrid fills when the transfer ends. (A message sent while every
 * posted receive is taken still travels on time; the listener finds it at
 * its next wake.) Every message travels in an envelope carrying a run-wide
 * send number, which orders arrived messages. */
#include "sim/chan.h"

#include <simgrid/comm.h>
#include <simgrid/mailbox.h>
#include <stdio.h>
#include <stdlib.h>

struct sim_env {
    uint64_t seq;
    void *msg;
};

struct sim_rx {
    sg_comm_t comm; /* NULL once SimGrid has handed the receive back */
    sim_env *cell;  /* filled when the transfer ends */
};

#define MIN_POSTED 4

static void *xmalloc(size_t n) {
    void *p = malloc(n);
    if (!p) {
        fprintf(stderr, "sparkiot: out of memory\n");
        abort();
    }
    return p;
}

rt_chan_t *sim_chan_new(const char *name, uint64_t *seq) {
    rt_chan_t *c = calloc(1, sizeof *c);
    if (!c) abort();
    snprintf(c->name, sizeof c->name, "%s", name);
    c->mb = sg_mailbox_by_name(c->name);
    c->seq = seq;
    return c;
}

void sim_chan_free(rt_chan_t *c) {
    for (size_t i = 0; i < c->nrx; i++) free(c->rx[i]);
    free(c->rx);
    free(c->waitv);
    free(c->waitix);
    free(c);
}

static void post(sim_rx *r, rt_chan_t *c) {
    r->cell = NULL;
    r->comm = sg_mailbox_get_async(c->mb, (void **)&r->cell);
}

static void post_more(rt_chan_t *c) {
    size_t want = 2 * (size_t)c->inflight;
    if (want < MIN_POSTED) want = MIN_POSTED;
    while (c->nrx < want) {
        if (c->nrx == c->caprx) {
            c->caprx = c->caprx ? 2 * c->caprx : 8;
            c->rx = realloc(c->rx, c->caprx * sizeof *c->rx);
            c->waitv = realloc(c->waitv, c->caprx * sizeof *c->waitv);
            c->waitix = realloc(c->waitix, c->caprx * sizeof *c->waitix);
            if (!c->rx || !c->waitv || !c->waitix) abort();
        }
        sim_rx *r = xmalloc(sizeof *r);
        post(r, c);
        c->rx[c->nrx++] = r;
    }
}

void sim_chan_listen(rt_t *rt, rt_chan_t *c) {
    sg_mailbox_set_receiver(c->name); /* the calling actor */
    post_more(c);
}

void sim_chan_send(rt_t *rt, rt_chan_t *c, void *msg, size_t bytes) {
    sim_env *e = xmalloc(sizeof *e);
    e->seq = ++*c->seq;
    e->msg = msg;
    c->inflight++;
    sg_comm_t comm = sg_mailbox_put_init(c->mb, e, (long)bytes);
    sg_comm_detach(comm, free);
}

/* The arrived message sent first, or -1. */
static ssize_t first_arrived(const rt_chan_t *c) {
    ssize_t best = -1;
    for (size_t i = 0; i < c->nrx; i++)
        if (c->rx[i]->cell && (best < 0 || c->rx[i]->cell->seq < c->rx[best]->cell->seq)) best = (ssize_t)i;
    return best;
}

static void wait_for_any(rt_chan_t *c) {
    size_t n = 0;
    for (size_t i = 0; i < c->nrx; i++)
        if (c->rx[i]->comm) {
            c->waitix[n] = i;
            c->waitv[n++] = c->rx[i]->comm;
        }
    ssize_t done = sg_comm_wait_any(c->waitv, n);
    if (done < 0) abort();
    c->rx[c->waitix[done]]->comm = NULL; /* wait_any consumed it */
}

int sim_chan_recv(rt_t *rt, rt_chan_t *c, void **msg, int block) {
    post_more(c);
    ssize_t i = first_arrived(c);
    if (i < 0) {
        if (!block) return RT_TIMEOUT;
        wait_for_any(c);
        i = first_arrived(c);
        if (i < 0) abort();
    }
    sim_rx *r = c->rx[i];
    if (r->comm) sg_comm_wait(r->comm); /* already finished: returns at once */
    sim_env *e = r->cell;
    *msg = e->msg;
    free(e);
    c->inflight--;
    post(r, c);
    return RT_OK;
}
