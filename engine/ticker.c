/* Tickers: the pipeline's timers. A ticker actor sleeps until each tick and
 * sends a TICK message to its owner's channel, so owners only ever block in
 * rt_recv and never need receive timeouts. */
#include <stdlib.h>

#include "engine/actors.h"

void eng_ticker_main(rt_t *rt, void *arg) {
    eng_ticker_arg *a = arg;
    for (rt_time_t t = a->first; t <= a->last; t += a->period) {
        rt_sleep_until(rt, t);
        eng_msg *m = eng_msg_new(ENG_MSG_TICK);
        m->a = a->kind;
        m->t = t;
        rt_send(rt, a->to, m, 0);
        if (a->period <= 0) break;
    }
    free(a);
}

void eng_ticker_start(rt_t *rt, const char *name, rt_chan_t *to, eng_tick_kind kind, rt_time_t first,
                      rt_time_t period, rt_time_t last) {
    eng_ticker_arg *a = malloc(sizeof *a);
    if (!a) abort();
    *a = (eng_ticker_arg){to, kind, first, period, last};
    if (rt_spawn(rt, name, rt->host, eng_ticker_main, a) != 0) abort();
}
