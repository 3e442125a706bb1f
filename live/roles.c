/* The root actor of each role (see live/session.h): it starts the role's
 * actors — device publishers, edge gateways with their live broker, or the
 * live broker with the engine's driver — and, for a process of edges only,
 * stops the broker once the edges have had their time. */
#include <stdio.h>
#include <stdlib.h>

#include "live/session.h"

static void spawn_sites(rt_t *rt, live_session *s) {
    for (uint32_t i = s->first; i < s->first + s->nsites; i++) {
        char name[64], host[64];
        eng_topo_edge_host(host, sizeof host, i);
        if (s->devices) {
            snprintf(name, sizeof name, "devices-%u", i);
            if (rt_spawn(rt, name, host, live_devices_main, &s->dev[i]) != 0) abort();
        }
        if (s->edges) {
            snprintf(name, sizeof name, "edge-%u", i);
            eng_edge_arg *a = malloc(sizeof *a);
            if (!a) abort();
            *a = (eng_edge_arg){&s->ctx, i};
            if (rt_spawn(rt, name, host, eng_edge_main, a) != 0) abort();
        }
    }
}

/* Edges without an engine: the broker is told to stop at the end of the
 * devices' time, and waits for the edges' last slices and deliveries. */
static void stop_broker(rt_t *rt, const live_session *s) {
    rt_sleep_until(rt, s->o->duration);
    rt_chan_t *self = rt_chan_open(rt, "edges-root");
    eng_msg *stop = eng_msg_new(ENG_MSG_STOP);
    stop->reply = self;
    rt_send(rt, rt_chan_open(rt, ENG_CHAN_BROKER), stop, 0);
    eng_msg *m;
    rt_recv(rt, self, (void **)&m);
    eng_msg_free(m);
}

void live__root(rt_t *rt, void *arg) {
    live_session *s = arg;
    if (s->edges || s->engine)
        if (rt_spawn(rt, "broker", ENG_HOST_BROKER, live_broker_main, &s->broker) != 0) abort();
    spawn_sites(rt, s);
    if (s->engine)
        eng_driver_main(rt, &s->ctx);
    else if (s->edges)
        stop_broker(rt, s);
}
