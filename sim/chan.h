/* Channels on SimGrid (internal to sim/). A channel is a mailbox whose
 * listener is its permanent receiver and keeps receives posted: the
 * transfer starts when the message is sent and the message is ready when
 * its transfer ends, whatever the receiver is doing. Among messages that
 * have arrived, the receiver takes the one sent first. */
#ifndef SIM_CHAN_H
#define SIM_CHAN_H

#include <simgrid/forward.h>
#include <stddef.h>
#include <stdint.h>

#include "engine/rt.h"

typedef struct sim_env sim_env;
typedef struct sim_rx sim_rx;

struct rt_chan {
    sg_mailbox_t mb;
    char name[96];
    uint64_t *seq; /* the run's send counter (shared by all channels) */
    sim_rx **rx;   /* receive slots of the listener, posted or idle */
    size_t nrx, caprx;
    size_t posted;     /* receives posted and not yet taken */
    uint64_t inflight; /* sent and not yet taken */
    int listened;      /* the receiver called rt_chan_listen */
    sg_mailbox_t bell; /* rung by a send that finds no posted receive left */
    sg_comm_t bell_rx; /* the listener's receive on it */
    void *bell_cell;   /* its landing cell */
    sg_comm_t *waitv;  /* scratch for waiting on the pending receives (caprx + 1) */
    size_t *waitix;
    uint64_t hash; /* of the name */
    struct rt_chan *next, *next_in_bucket;
};

rt_chan_t *sim_chan_new(const char *name, uint64_t *seq);
void sim_chan_free(rt_chan_t *c);
void sim_chan_listen(rt_t *rt, rt_chan_t *c);
void sim_chan_send(rt_t *rt, rt_chan_t *c, void *msg, size_t bytes);
int sim_chan_recv(rt_t *rt, rt_chan_t *c, void **msg, int block);

#endif
