/* The shuffle manager's block table: placement of new blocks through the
 * policy, the blocks map tasks wrote, reads, moves acknowledged, blocks
 * lost with a released executor and the recomputations that rebuild them
 * (each lost block once). Drops and moves after a batch commits are in
 * shuffle_commit.c. */
#include "engine/shuffle_mgr.h"

#include <assert.h>
#include <stdlib.h>
#include <string.h>

int eng_shuffle_mgr_init(eng_shuffle_mgr *m, const eng_run_opts *o, char *err, size_t errlen) {
    memset(m, 0, sizeof *m);
    m->o = o;
    m->pol = o->shuffle_policy;
    m->state = m->pol->init(o->shuffle, err, errlen);
    eng_store_bill_init(&m->bill);
    return m->state ? 0 : -1;
}

void eng_shuffle_mgr_free(eng_shuffle_mgr *m) {
    if (m->state) m->pol->free(m->state);
    free(m->b);
    free(m->plans);
    memset(m, 0, sizeof *m);
}

uint64_t eng_shuffle_mgr__bytes(const eng_shuffle_mgr *m, const eng_mblock *b) {
    return b->records * m->o->driver->shuffle_bytes_per_record;
}

eng_block_view eng_shuffle_mgr__view(const eng_shuffle_mgr *m, const eng_mblock *b) {
    return (eng_block_view){b->batch,   b->map,       b->reducer, b->tier, eng_shuffle_mgr__bytes(m, b),
                            b->created, b->last_read, b->reads};
}

void eng_shuffle_mgr__observe(const eng_shuffle_mgr *m, const eng_pool *pool, rt_time_t now,
                              eng_shuffle_obs *obs) {
    const eng_topo_opts *t = m->o->topo;
    *obs = (eng_shuffle_obs){.now = now, .executors = eng_pool_count(pool, ENG_EXEC_READY)};
    obs->releases = m->releases;
    obs->ready_s = m->ready_s;
    for (int k = 0; k < ENG_TIERS; k++) {
        obs->used[k] = m->bill.held[k];
        uint64_t per = eng_store_capacity(&t->store, (eng_tier)k, t->executor.memory_gb);
        uint64_t servers = k == ENG_TIER_REMOTE
                               ? (eng_store_service_deployed(m->o) ? t->store.service_hosts : 0)
                           : k == ENG_TIER_OBJECT ? 1
                                                  : obs->executors;
        obs->capacity[k] = per == UINT64_MAX ? UINT64_MAX : per * servers;
    }
}

/* The policy's choice, which must be a tier it declared. */
eng_tier eng_shuffle_mgr__checked(const eng_shuffle_mgr *m, eng_tier t) {
    assert(t < ENG_TIERS && (m->pol->tiers >> t & 1u));
    return t;
}

static eng_mblock *find(eng_shuffle_mgr *m, uint64_t batch, uint32_t map, uint32_t reducer) {
    for (size_t i = 0; i < m->n; i++)
        if (m->b[i].batch == batch && m->b[i].map == map && m->b[i].reducer == reducer) return &m->b[i];
    return NULL;
}

void eng_shuffle_mgr_window(const eng_shuffle_mgr *m, uint64_t batch, uint64_t *lo, uint64_t *hi) {
    const eng_shuffle_opts *s = m->o->shuffle;
    *hi = batch;
    *lo = batch;
    if (batch % s->slide == 0) *lo = batch >= s->window ? batch - s->window + 1 : 1;
}

void eng_shuffle_mgr_plan(eng_shuffle_mgr *m, uint64_t batch, uint32_t partition, uint64_t from,
                          uint64_t to) {
    if (m->nplans == m->capplans &&
        !(m->plans =
              realloc(m->plans, (m->capplans = m->capplans ? 2 * m->capplans : 64) * sizeof *m->plans)))
        abort();
    m->plans[m->nplans++] = (eng_mplan){batch, partition, from, to};
}

void eng_shuffle_mgr_place(eng_shuffle_mgr *m, const eng_pool *pool, const eng_task *t, rt_time_t now,
                           uint64_t *tiers) {
    uint32_t nr = t->nreducers;
    eng_shuffle_obs obs;
    eng_shuffle_mgr__observe(m, pool, now, &obs);
    int redo = 0;
    for (uint32_t r = 0; r < nr; r++) {
        tiers[r] = ENG_TIER_NONE;
        eng_mblock *b = find(m, t->batch, t->partition, r);
        if (!b || !b->redo) continue;
        redo = 1;
        eng_block_view v = eng_shuffle_mgr__view(m, b);
        tiers[r] = eng_shuffle_mgr__checked(m, m->pol->place(m->state, &obs, &v));
    }
    if (redo) return;
    uint64_t expect = (t->to - t->from) / nr * m->o->driver->shuffle_bytes_per_record;
    for (uint32_t r = 0; r < nr; r++) {
        eng_block_view v = {t->batch, t->partition, r, ENG_TIER_MEMORY, expect, now, -1, 0};
        tiers[r] = eng_shuffle_mgr__checked(m, m->pol->place(m->state, &obs, &v));
    }
}

static eng_mblock *add(eng_shuffle_mgr *m) {
    if (m->n == m->cap && !(m->b = realloc(m->b, (m->cap = m->cap ? 2 * m->cap : 256) * sizeof *m->b)))
        abort();
    return &m->b[m->n++];
}

void eng_shuffle_mgr_written(eng_shuffle_mgr *m, uint32_t id, uint32_t gen, const eng_task *t,
                             const uint64_t *offs, rt_time_t now) {
    uint32_t nr = t->nreducers;
    for (uint32_t r = 0; r < nr; r++) {
        if (offs[r] == ENG_TIER_NONE) continue;
        eng_mblock *b = find(m, t->batch, t->partition, r);
        if (!b) {
            b = add(m);
            *b = (eng_mblock){.batch = t->batch,
                              .map = t->partition,
                              .reducer = r,
                              .records = offs[nr + r],
                              .created = now,
                              .last_read = -1};
        }
        assert(!b->lost || b->redo);
        b->tier = (eng_tier)offs[r];
        b->exec = id;
        b->gen = gen;
        b->lost = b->redo = 0;
        eng_store_bill_hold(&m->bill, b->tier, (int64_t)eng_shuffle_mgr__bytes(m, b), now);
    }
    m->bill.puts += offs[2 * nr];
}

void eng_shuffle_mgr_moved(eng_shuffle_mgr *m, const eng_msg *ack, rt_time_t now) {
    for (uint32_t r = 0; r < ack->noffs; r++) {
        if (ack->offs[r] == ENG_TIER_NONE) continue;
        eng_mblock *b = find(m, ack->x, ack->a, r);
        assert(b && b->moving);
        b->tier = (eng_tier)ack->offs[r];
        b->moving = 0;
        m->moving--;
        m->moves++;
        eng_store_bill_hold(&m->bill, b->tier, (int64_t)eng_shuffle_mgr__bytes(m, b), now);
    }
    m->bill.puts += ack->y;
}

static int on_executor(const eng_mblock *b, uint32_t id) {
    return !b->lost && eng_store_tier(b->tier)->lost_with_executor && b->exec == id;
}

size_t eng_shuffle_mgr_held(const eng_shuffle_mgr *m, uint32_t id) {
    size_t n = 0;
    for (size_t i = 0; i < m->n; i++) n += on_executor(&m->b[i], id);
    return n;
}

int eng_shuffle_mgr_moving_from(const eng_shuffle_mgr *m, uint32_t id) {
    for (size_t i = 0; i < m->n; i++)
        if (m->b[i].moving && on_executor(&m->b[i], id)) return 1;
    return 0;
}

void eng_shuffle_mgr_release(eng_shuffle_mgr *m, uint32_t id, rt_time_t now) {
    for (size_t i = 0; i < m->n; i++) {
        eng_mblock *b = &m->b[i];
        if (!on_executor(b, id)) continue;
        assert(!b->moving);
        b->lost = 1;
        m->lost++;
        eng_store_bill_hold(&m->bill, b->tier, -(int64_t)eng_shuffle_mgr__bytes(m, b), now);
    }
}

static const eng_mplan *plan_of(const eng_shuffle_mgr *m, uint64_t batch, uint32_t partition) {
    for (size_t i = 0; i < m->nplans; i++)
        if (m->plans[i].batch == batch && m->plans[i].partition == partition) return &m->plans[i];
    abort(); /* a retained block's plan is retained with it */
}

uint32_t eng_shuffle_mgr_recompute(eng_shuffle_mgr *m, uint64_t lo, uint64_t hi, uint32_t nreducers,
                                   uint64_t *task_seq, void (*enqueue)(void *ctx, const eng_task *t),
                                   void *ctx) {
    uint32_t tasks = 0;
    for (size_t i = 0; i < m->n; i++) {
        eng_mblock *b = &m->b[i];
        if (!b->lost || b->redo || b->batch < lo || b->batch > hi) continue;
        for (size_t j = i; j < m->n; j++)
            if (m->b[j].lost && m->b[j].batch == b->batch && m->b[j].map == b->map) m->b[j].redo = 1;
        const eng_mplan *p = plan_of(m, b->batch, b->map);
        eng_task t = {.kind = ENG_TASK_MAP,
                      .id = ++*task_seq,
                      .batch = b->batch,
                      .partition = b->map,
                      .from = p->from,
                      .to = p->to,
                      .nreducers = nreducers};
        enqueue(ctx, &t);
        tasks++;
    }
    m->recomputed += tasks;
    return tasks;
}

uint32_t *eng_shuffle_mgr_sources(const eng_shuffle_mgr *m, uint64_t lo, uint64_t hi, uint32_t r,
                                  uint32_t *n) {
    uint32_t *src = NULL, cap = 0;
    *n = 0;
    for (size_t i = 0; i < m->n; i++) {
        const eng_mblock *b = &m->b[i];
        if (b->reducer != r || b->batch < lo || b->batch > hi) continue;
        assert(!b->lost && !b->moving);
        uint32_t s = eng_store_source(b->tier, b->exec, b->gen);
        uint32_t k = 0;
        while (k < *n && src[k] != s) k++;
        if (k < *n) continue;
        if (*n == cap && !(src = realloc(src, (cap = cap ? 2 * cap : 8) * sizeof *src))) abort();
        src[(*n)++] = s;
    }
    if (!src && !(src = malloc(sizeof *src))) abort();
    return src;
}

void eng_shuffle_mgr_read(eng_shuffle_mgr *m, uint64_t lo, uint64_t hi, uint32_t r, rt_time_t now) {
    for (size_t i = 0; i < m->n; i++) {
        eng_mblock *b = &m->b[i];
        if (b->reducer != r || b->batch < lo || b->batch > hi) continue;
        eng_block_view v = eng_shuffle_mgr__view(m, b);
        m->pol->read(m->state, &v, now);
        b->reads++;
        b->last_read = now;
        if (b->tier == ENG_TIER_OBJECT) m->bill.gets++;
    }
}

void eng_shuffle_mgr_observe(eng_shuffle_mgr *m, uint32_t releases, double ready_s) {
    m->releases += releases;
    m->ready_s += ready_s;
}
