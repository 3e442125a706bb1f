/* Periodic devices with jitter, on a timing wheel. Device i sends its k-th
 * reading at phase_i + k * period + uniform[-jitter, jitter), where phase_i
 * = origin + uniform[0, period) (the first send is clamped to the origin):
 * jitter displaces each send from a fixed schedule, it does not accumulate,
 * so consecutive sends are period +- 2 * jitter apart.
 *
 * Each device has one pending send and sits in the wheel bucket of its time,
 * so a slice visits only its own buckets and the devices due in them: the
 * cost of emitting is O(readings + buckets), never O(devices) per slice.
 * Buckets are 2^shift ns wide and hold 32 to 64 devices (a slice rescans at
 * most one partly emitted bucket; few buckets keep the heads in the cache);
 * the wheel spans more than period + 2 * jitter, the longest gap between two
 * sends, so a pending send is never a whole turn ahead. */
#include <math.h>
#include <stdlib.h>

#include "workloads/wl_int.h"

enum { OCCUPANCY = 32 };

int wl__periodic_init(wl_group *g) {
    wl__wheel *w = &g->wheel;
    rt_time_t p = g->o.period, j = g->o.jitter;
    rt_time_t per_device = p / (g->n ? g->n : 1);
    w->shift = 0;
    while (w->shift < 62 && ((rt_time_t)1 << w->shift) / OCCUPANCY <= per_device) w->shift++;
    uint64_t need = (uint64_t)(p >> w->shift) + (uint64_t)((2 * j) >> w->shift) + 3;
    uint64_t nb = 1;
    while (nb < need) nb <<= 1;
    w->head = malloc(nb * sizeof *w->head);
    w->sched = malloc((g->n ? g->n : 1) * sizeof *w->sched);
    if (!w->head || !w->sched) {
        wl__periodic_free(g);
        return -1;
    }
    for (uint64_t b = 0; b < nb; b++) w->head[b] = WL__NIL;
    w->mask = nb - 1;
    return 0;
}

void wl__periodic_free(wl_group *g) {
    free(g->wheel.head);
    free(g->wheel.sched);
}

static rt_time_t jitter(wl_group *g) {
    rt_time_t j = g->o.jitter;
    return j ? (rt_time_t)(wl__uniform(g) * (double)(2 * j)) - j : 0;
}

static uint64_t slot_of(const wl__wheel *w, rt_time_t t) { return (uint64_t)(t >> w->shift) & w->mask; }

static void put(wl__wheel *w, uint32_t i) {
    uint64_t s = slot_of(w, w->sched[i].next);
    w->sched[i].link = w->head[s];
    w->head[s] = i;
}

/* The phases are n independent uniforms on [0, period), generated already
 * sorted (Devroye 1986, V.3: the largest of k uniforms is U^(1/k), the next
 * that times an independent V^(1/(k-1)), ...) so that the devices due in a
 * slice sit together in memory; a uniformly random permutation assigns the
 * device ids, which keeps them exchangeable. */
void wl__periodic_start(wl_group *g, rt_time_t origin) {
    wl__wheel *w = &g->wheel;
    double top = 1.0, p = (double)g->o.period;
    for (uint32_t i = g->n; i-- > 0;) {
        top *= pow(1.0 - wl__uniform(g), 1.0 / (double)(i + 1));
        w->sched[i].phase = origin + (rt_time_t)(top * p);
    }
    for (uint32_t i = g->n; i > 1; i--) {
        uint32_t k = (uint32_t)(wl__uniform(g) * i), t = g->dev[i - 1].id;
        g->dev[i - 1].id = g->dev[k].id;
        g->dev[k].id = t;
    }
    w->cur = origin >> w->shift;
    w->warm = 0;
    w->cycle = 0;
    for (uint32_t i = 0; i < g->n; i++) {
        wl__sched *d = &w->sched[i];
        d->next = d->phase + jitter(g);
        if (d->next < origin) d->next = origin;
        put(w, i);
    }
}

/* Puts the devices of list `i` back into bucket `s` (after a failure). */
static void restore(wl__wheel *w, uint64_t s, uint32_t i) {
    while (i != WL__NIL) {
        uint32_t nx = w->sched[i].link;
        w->sched[i].link = w->head[s];
        w->head[s] = i;
        i = nx;
    }
}

/* Emits bucket `s`'s sends before t1 and reschedules them; sends at or after
 * t1 stay. Returns 1 if a rescheduled send landed in `s` again before t1
 * (possible when the bucket is wider than the shortest gap), 0, or -1. */
static int drain(wl_group *g, uint64_t s, rt_time_t t1, eng_batch *out) {
    wl__wheel *w = &g->wheel;
    uint32_t i = w->head[s];
    int again = 0;
    w->head[s] = WL__NIL;
    while (i != WL__NIL) {
        wl__sched *d = &w->sched[i];
        uint32_t nx = d->link;
        if (nx != WL__NIL) {
            __builtin_prefetch(&w->sched[nx], 1);
            __builtin_prefetch(&g->dev[nx], 1);
        }
        if (d->next < t1) {
            if (wl__reading(g, i, d->next, out) != 0) {
                restore(w, s, i);
                return -1;
            }
            d->next = d->phase + (rt_time_t)g->dev[i].seq * g->o.period + jitter(g);
            again |= d->next < t1 && slot_of(w, d->next) == s;
        }
        put(w, i);
        i = nx;
    }
    return again;
}

/* The wheel visits a slice's devices in the random order that jitter gives
 * their sends; once the population outgrows the cache, each visit would be a
 * cache miss. The slots are in phase order, so a sweep in slot order up to
 * every device whose send can fall before t1 (nominal time < t1 + jitter)
 * pulls them in as a sequential stream, which the hardware prefetches. */
static void warm(wl_group *g, rt_time_t t1) {
    wl__wheel *w = &g->wheel;
    rt_time_t horizon = t1 + g->o.jitter;
    for (;;) {
        if (w->warm == g->n) {
            w->warm = 0;
            w->cycle++;
        }
        if (w->sched[w->warm].phase + w->cycle * g->o.period >= horizon) return;
        __builtin_prefetch(&g->dev[w->warm], 1);
        w->warm++;
    }
}

int wl__periodic_emit(wl_group *g, rt_time_t t1, eng_batch *out) {
    wl__wheel *w = &g->wheel;
    warm(g, t1);
    while ((w->cur << w->shift) < t1) {
        uint64_t s = (uint64_t)w->cur & w->mask;
        int rc;
        while ((rc = drain(g, s, t1, out)) == 1) continue;
        if (rc < 0) return -1;
        if (((w->cur + 1) << w->shift) > t1) break;
        w->cur++;
    }
    return 0;
}
