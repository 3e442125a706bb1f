/* After a micro-batch commits, the shuffle manager drops the blocks no
 * window will read again (each store server that holds some of a dropped
 * batch gets one DROP) and moves the blocks the policy wants cooler (one
 * MOVE per store server, batch and map task; the new holder acknowledges).
 * Blocks are kept until the last window that reads them: with window W and
 * slide S, batch b is read by itself and by the window results at batches
 * k S with b <= k S <= b + W - 1. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "engine/shuffle_mgr.h"

/* The last batch whose reduce tasks read batch b's blocks. */
static uint64_t last_reader(const eng_shuffle_mgr *m, uint64_t b) {
    const eng_shuffle_opts *s = m->o->shuffle;
    uint64_t last = (b + s->window - 1) / s->slide * s->slide;
    return last > b ? last : b;
}

static void chan_of(const eng_shuffle_mgr *m, const eng_mblock *b, char *buf, size_t len) {
    eng_store_chan(buf, len, m->o, b->tier, b->exec, b->gen, b->reducer);
}

/* Sends one DROP of its batch to each store server holding a block marked
 * in `gone`, then removes the marked blocks. */
static void drop_marked(eng_shuffle_mgr *m, rt_t *rt, const uint8_t *gone, rt_time_t now) {
    size_t ng = 0;
    size_t *idx = malloc((m->n ? m->n : 1) * sizeof *idx);
    char(*chan)[96] = malloc((m->n ? m->n : 1) * sizeof *chan);
    if (!idx || !chan) abort();
    for (size_t i = 0; i < m->n; i++) {
        if (!gone[i] || m->b[i].lost) continue;
        chan_of(m, &m->b[i], chan[ng], sizeof chan[ng]);
        idx[ng++] = i;
    }
    for (size_t g = 0; g < ng; g++) {
        uint64_t batch = m->b[idx[g]].batch;
        size_t h = 0;
        while (h < g && (m->b[idx[h]].batch != batch || strcmp(chan[h], chan[g]) != 0)) h++;
        if (h < g) continue;
        eng_msg *d = eng_msg_new(ENG_MSG_BLOCK_DROP);
        d->x = batch;
        rt_send(rt, rt_chan_open(rt, chan[g]), d, 0);
    }
    free(idx);
    free(chan);
    size_t k = 0;
    for (size_t i = 0; i < m->n; i++) {
        eng_mblock *b = &m->b[i];
        if (!gone[i]) {
            m->b[k++] = *b;
            continue;
        }
        eng_block_view v = eng_shuffle_mgr__view(m, b);
        m->pol->drop(m->state, &v, now);
        if (!b->lost) eng_store_bill_hold(&m->bill, b->tier, -(int64_t)eng_shuffle_mgr__bytes(m, b), now);
    }
    m->n = k;
}

static void forget_plans(eng_shuffle_mgr *m, uint64_t upto, int all) {
    size_t k = 0;
    for (size_t i = 0; i < m->nplans; i++)
        if (!all && last_reader(m, m->plans[i].batch) > upto) m->plans[k++] = m->plans[i];
    m->nplans = k;
}

/* Moves the blocks whose wanted tier is slower than their own (a policy's
 * wish to warm a block up is ignored). */
static void move(eng_shuffle_mgr *m, rt_t *rt, const eng_tier *want) {
    char chan[96], other[96];
    uint8_t *sent = calloc(m->n ? m->n : 1, 1);
    if (!sent) abort();
    uint32_t nr = m->o->driver->reduce_tasks;
    for (size_t i = 0; i < m->n; i++) {
        eng_mblock *b = &m->b[i];
        if (sent[i] || want[i] <= b->tier || b->lost || b->moving) continue;
        chan_of(m, b, chan, sizeof chan);
        eng_msg *mv = eng_msg_new(ENG_MSG_BLOCK_MOVE);
        mv->x = b->batch;
        mv->a = b->map;
        mv->reply = rt_chan_open(rt, ENG_CHAN_DRIVER);
        eng_msg_alloc_offs(mv, nr);
        for (uint32_t r = 0; r < nr; r++) mv->offs[r] = ENG_TIER_NONE;
        for (size_t j = i; j < m->n; j++) {
            eng_mblock *c = &m->b[j];
            if (sent[j] || want[j] <= c->tier || c->lost || c->moving || c->batch != b->batch ||
                c->map != b->map)
                continue;
            chan_of(m, c, other, sizeof other);
            if (strcmp(other, chan) != 0) continue;
            mv->offs[c->reducer] = want[j];
            sent[j] = 1;
        }
        for (size_t j = i; j < m->n; j++) {
            if (!sent[j] || m->b[j].moving || m->b[j].batch != b->batch || m->b[j].map != b->map) continue;
            eng_mblock *c = &m->b[j];
            c->moving = 1;
            m->moving++;
            eng_store_bill_hold(&m->bill, c->tier, -(int64_t)eng_shuffle_mgr__bytes(m, c), rt_now(rt));
        }
        rt_send(rt, rt_chan_open(rt, chan), mv, m->o->bus->request_bytes);
    }
    free(sent);
}

void eng_shuffle_mgr_commit(eng_shuffle_mgr *m, rt_t *rt, const eng_pool *pool, uint64_t batch,
                            rt_time_t now) {
    uint8_t *gone = calloc(m->n ? m->n : 1, 1);
    if (!gone) abort();
    for (size_t i = 0; i < m->n; i++) gone[i] = last_reader(m, m->b[i].batch) <= batch;
    drop_marked(m, rt, gone, now);
    free(gone);
    forget_plans(m, batch, 0);
    if (!m->pol->review || m->n == 0) return;
    eng_shuffle_obs obs;
    eng_shuffle_mgr__observe(m, pool, now, &obs);
    eng_block_view *v = malloc(m->n * sizeof *v);
    eng_tier *want = malloc(m->n * sizeof *want);
    if (!v || !want) abort();
    for (size_t i = 0; i < m->n; i++) v[i] = eng_shuffle_mgr__view(m, &m->b[i]);
    m->pol->review(m->state, &obs, v, m->n, want);
    for (size_t i = 0; i < m->n; i++) want[i] = eng_shuffle_mgr__checked(m, want[i]);
    move(m, rt, want);
    free(v);
    free(want);
}

uint64_t eng_shuffle_mgr_floor(const eng_shuffle_mgr *m, uint32_t p, uint64_t committed) {
    uint64_t f = committed;
    for (size_t i = 0; i < m->nplans; i++)
        if (m->plans[i].partition == p && m->plans[i].from < f) f = m->plans[i].from;
    return f;
}

void eng_shuffle_mgr_drop_all(eng_shuffle_mgr *m, rt_t *rt, rt_time_t now) {
    uint8_t *gone = malloc(m->n ? m->n : 1);
    if (!gone) abort();
    memset(gone, 1, m->n ? m->n : 1);
    drop_marked(m, rt, gone, now);
    free(gone);
    forget_plans(m, 0, 1);
}
