/* Serverless pool bookkeeping and billing. */
#include "engine/pool.h"

#include <stdlib.h>

int eng_pool_init(eng_pool *p, const eng_cloud *cloud, const eng_host_opts *exec, uint32_t hosts) {
    *p = (eng_pool){.cloud = cloud, .vcpu = exec->cores, .mem_gb = exec->memory_gb, .slots = exec->cores};
    p->ex = calloc(hosts ? hosts : 1, sizeof *p->ex);
    if (!p->ex) return -1;
    p->n = hosts;
    return 0;
}

void eng_pool_free(eng_pool *p) {
    free(p->ex);
    p->ex = NULL;
}

int eng_pool_request(eng_pool *p, rt_time_t now) {
    for (uint32_t i = 0; i < p->n; i++) {
        eng_executor *e = &p->ex[i];
        if (e->state != ENG_EXEC_FREE) continue;
        uint32_t gen = e->gen;
        *e = (eng_executor){.state = ENG_EXEC_PENDING, .gen = gen, .requested = now};
        return (int)i;
    }
    return -1;
}

void eng_pool_ready(eng_pool *p, uint32_t id, rt_time_t now) {
    eng_executor *e = &p->ex[id];
    e->state = ENG_EXEC_READY;
    e->ready_at = now;
    e->idle_since = now;
    e->busy_from = now;
}

static void bill(eng_pool *p, const eng_executor *e, rt_time_t now) {
    rt_time_t billed = eng_cost_billed(p->cloud, e->requested, now);
    p->released_usd += eng_cost_usd(p->cloud, p->vcpu, p->mem_gb, billed);
    p->released_hours += (double)billed / (3600.0 * RT_S);
}

void eng_pool_release(eng_pool *p, uint32_t id, rt_time_t now) {
    eng_executor *e = &p->ex[id];
    bill(p, e, now);
    e->state = ENG_EXEC_FREE;
    e->gen++;
}

void eng_pool_cancel(eng_pool *p, uint32_t id, rt_time_t now) {
    eng_executor *e = &p->ex[id];
    bill(p, e, now);
    e->state = ENG_EXEC_CANCELLED;
}

void eng_pool_reclaim(eng_pool *p, uint32_t id) {
    p->ex[id].state = ENG_EXEC_FREE;
    p->ex[id].gen++;
}

static void account(eng_executor *e, rt_time_t now) {
    e->busy_ns += (rt_time_t)e->busy * (now - e->busy_from);
    e->busy_from = now;
}

void eng_pool_task_start(eng_pool *p, uint32_t id, rt_time_t now) {
    eng_executor *e = &p->ex[id];
    account(e, now);
    e->busy++;
}

void eng_pool_task_end(eng_pool *p, uint32_t id, rt_time_t now) {
    eng_executor *e = &p->ex[id];
    account(e, now);
    if (--e->busy == 0) e->idle_since = now;
}

uint32_t eng_pool_count(const eng_pool *p, eng_exec_state s) {
    uint32_t n = 0;
    for (uint32_t i = 0; i < p->n; i++) n += p->ex[i].state == s;
    return n;
}

uint32_t eng_pool_idle(const eng_pool *p) {
    uint32_t n = 0;
    for (uint32_t i = 0; i < p->n; i++) n += p->ex[i].state == ENG_EXEC_READY && p->ex[i].busy == 0;
    return n;
}

double eng_pool_cost_usd(const eng_pool *p, rt_time_t now) {
    double usd = p->released_usd;
    for (uint32_t i = 0; i < p->n; i++)
        if (p->ex[i].state == ENG_EXEC_PENDING || p->ex[i].state == ENG_EXEC_READY)
            usd += eng_cost_usd(p->cloud, p->vcpu, p->mem_gb, now - p->ex[i].requested);
    return usd;
}

double eng_pool_cost_rate(const eng_pool *p) {
    uint32_t held = eng_pool_count(p, ENG_EXEC_PENDING) + eng_pool_count(p, ENG_EXEC_READY);
    return held * eng_cost_rate_usd_h(p->cloud, p->vcpu, p->mem_gb);
}

rt_time_t eng_pool_take_busy(eng_pool *p, rt_time_t now) {
    rt_time_t total = 0;
    for (uint32_t i = 0; i < p->n; i++) {
        eng_executor *e = &p->ex[i];
        if (e->state != ENG_EXEC_READY) continue;
        account(e, now);
        total += e->busy_ns;
        e->busy_ns = 0;
    }
    return total;
}
