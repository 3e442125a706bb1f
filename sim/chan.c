/* Channels on SimGrid: a permanent receiver, posted receives, a bell, send
 * order among arrived messages.
 *
 * The listener is its mailbox's permanent receiver, so a send starts its
 * transfer at once even when no receive is posted (a plain mailbox would
 * hold it until one is). A posted receive takes the next message in send
 * order; the listener keeps MIN_POSTED more posted than there are messages
 * in flight and waits on all of them, which wakes it when the first of those
 * messages arrives; each receive has its own landing cell that SimGrid fills
 * when the transfer ends. A message sent while every posted receive is taken
 * (a burst) travels unwatched, so its sender also rings the channel's bell:
 * an empty message on the same path, which arrives after the path's latency
 * and so no later than the message itself. The bell wakes the listener,
 * which posts receives for everything in flight and waits again: it never
 * wakes later than a message arrives. Every message travels in an envelope
 * carrying a run-wide send number, which orders arrived messages. */
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

static char bell_token; /* what a bell carries */

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
    c->posted++;
}

static int idle(const sim_rx *r) { return !r->comm && !r->cell; }

/* Posts receives, reusing idle slots first, until MIN_POSTED more than the
 * messages in flight are posted. */
static void post_more(rt_chan_t *c) {
    size_t want = (size_t)c->inflight + MIN_POSTED;
    for (size_t i = 0; i < c->nrx && c->posted < want; i++)
        if (idle(c->rx[i])) post(c->rx[i], c);
    while (c->posted < want) {
        if (c->nrx == c->caprx) {
            c->caprx = c->caprx ? 2 * c->caprx : 8;
            c->rx = realloc(c->rx, c->caprx * sizeof *c->rx);
            c->waitv = realloc(c->waitv, (c->caprx + 1) * sizeof *c->waitv);
            c->waitix = realloc(c->waitix, (c->caprx + 1) * sizeof *c->waitix);
            if (!c->rx || !c->waitv || !c->waitix) abort();
        }
        sim_rx *r = xmalloc(sizeof *r);
        post(r, c);
        c->rx[c->nrx++] = r;
    }
}

static void post_bell(rt_chan_t *c) {
    c->bell_cell = NULL;
    c->bell_rx = sg_mailbox_get_async(c->bell, &c->bell_cell);
}

void sim_chan_listen(rt_t *rt, rt_chan_t *c) {
    char bell[128];
    snprintf(bell, sizeof bell, "%s#bell", c->name);
    c->bell = sg_mailbox_by_name(bell);
    sg_mailbox_set_receiver(c->name); /* the calling actor */
    sg_mailbox_set_receiver(bell);
    c->listened = 1;
    post_bell(c);
    post_more(c);
}

void sim_chan_send(rt_t *rt, rt_chan_t *c, void *msg, size_t bytes) {
    sim_env *e = xmalloc(sizeof *e);
    e->seq = ++*c->seq;
    e->msg = msg;
    int unwatched = c->listened && c->inflight >= c->posted;
    c->inflight++;
    sg_comm_detach(sg_mailbox_put_init(c->mb, e, (long)bytes), free);
    if (unwatched) sg_comm_detach(sg_mailbox_put_init(c->bell, &bell_token, 0), NULL);
}

/* The arrived message sent first, or -1. */
static ssize_t first_arrived(const rt_chan_t *c) {
    ssize_t best = -1;
    for (size_t i = 0; i < c->nrx; i++)
        if (c->rx[i]->cell && (best < 0 || c->rx[i]->cell->seq < c->rx[best]->cell->seq)) best = (ssize_t)i;
    return best;
}

/* Waits until a posted receive or the bell completes; 1 if it was the bell. */
static int wait_for_any(rt_chan_t *c) {
    size_t n = 0;
    for (size_t i = 0; i < c->nrx; i++)
        if (c->rx[i]->comm) {
            c->waitix[n] = i;
            c->waitv[n++] = c->rx[i]->comm;
        }
    if (c->listened) c->waitv[n++] = c->bell_rx;
    ssize_t done = sg_comm_wait_any(c->waitv, n);
    if (done < 0) abort();
    if (c->listened && (size_t)done == n - 1) {
        post_bell(c); /* wait_any consumed the rung one */
        return 1;
    }
    c->rx[c->waitix[done]]->comm = NULL; /* wait_any consumed it */
    return 0;
}

int sim_chan_recv(rt_t *rt, rt_chan_t *c, void **msg, int block) {
    post_more(c);
    ssize_t i;
    while ((i = first_arrived(c)) < 0) {
        if (!block) return RT_TIMEOUT;
        if (wait_for_any(c)) post_more(c);
    }
    sim_rx *r = c->rx[i];
    if (r->comm) sg_comm_wait(r->comm); /* already finished: returns at once */
    sim_env *e = r->cell;
    *msg = e->msg;
    free(e);
    c->inflight--;
    c->posted--;
    r->comm = NULL;
    r->cell = NULL;
    return RT_OK;
}
