/* Store servers: the actors that hold shuffle blocks between the map tasks
 * that write them and the reduce tasks that read them. Each executor has
 * one for its memory and local SSD (lost with it); each remote shuffle
 * service host has one, and so has the object store. A server keeps the
 * blocks and its capacity accounting; every access's cost (the tier's
 * latency and device time, engine/store.h) is charged by a short-lived I/O
 * actor on the server's host, so concurrent accesses share the device and
 * the server keeps serving meanwhile. A block that does not fit its tier
 * goes to the next slower tier with room, here or on the next server. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "engine/actors.h"

int eng_store_service_deployed(const eng_run_opts *o) {
    return (o->shuffle_policy->tiers >> ENG_TIER_REMOTE) & 1u;
}

unsigned eng_store_next(const eng_run_opts *o, eng_tier t) {
    if (t == ENG_TIER_OBJECT) return ENG_TIER_NONE;
    unsigned n = t + 1;
    if (n == ENG_TIER_REMOTE && !eng_store_service_deployed(o)) n++;
    return n;
}

void eng_store_chan(char *buf, size_t len, const eng_run_opts *o, eng_tier t, uint32_t id, uint32_t gen,
                    uint32_t reducer) {
    char host[64];
    if (t == ENG_TIER_MEMORY || t == ENG_TIER_LOCAL_SSD) {
        eng_exec_blocks_chan(buf, len, id, gen);
        return;
    }
    if (t == ENG_TIER_REMOTE)
        eng_topo_service_host(host, sizeof host, reducer % o->topo->store.service_hosts);
    else
        snprintf(host, sizeof host, "%s", ENG_HOST_OBJECT_STORE);
    snprintf(buf, len, "%s/blocks", host);
}

void eng_store__source_chan(char *buf, size_t len, const eng_run_opts *o, uint32_t source, uint32_t reducer) {
    if (source == ENG_SOURCE_REMOTE || source == ENG_SOURCE_OBJECT)
        eng_store_chan(buf, len, o, source == ENG_SOURCE_REMOTE ? ENG_TIER_REMOTE : ENG_TIER_OBJECT, 0, 0,
                       reducer);
    else
        eng_exec_blocks_chan(buf, len, source & 0xffff, source >> 16);
}

typedef struct sblock {
    uint64_t batch;
    uint32_t map, reducer;
    eng_tier tier;
    eng_batch recs;
} sblock;

typedef struct server {
    rt_t *rt;
    const eng_store_arg *a;
    const eng_run_opts *o;
    uint32_t bpr; /* bytes per record */
    eng_store_space space[ENG_TIERS];
    sblock *b;
    size_t n, cap;
    uint64_t jobs; /* I/O actors started */
} server;

/* An I/O actor's work: accesses to the server's tiers, then one message. */
#define MAX_ACCESS ENG_TIERS
typedef struct io_job {
    const eng_run_opts *o;
    struct {
        eng_tier tier;
        uint64_t bytes;
        int write;
    } acc[MAX_ACCESS];
    int n;
    rt_chan_t *to;
    eng_msg *msg;
    size_t bytes; /* of the message */
} io_job;

static void io_main(rt_t *rt, void *arg) {
    io_job *j = arg;
    for (int i = 0; i < j->n; i++)
        eng_store_tier(j->acc[i].tier)
            ->access(rt, &j->o->topo->store.tier[j->acc[i].tier], j->acc[i].bytes, j->acc[i].write);
    rt_send(rt, j->to, j->msg, j->bytes);
    free(j);
}

static io_job *job_new(const server *s, rt_chan_t *to, eng_msg *msg, size_t bytes) {
    io_job *j = calloc(1, sizeof *j);
    if (!j) abort();
    *j = (io_job){.o = s->o, .to = to, .msg = msg, .bytes = bytes};
    return j;
}

/* Adds an access of `bytes` to tier t (merged with an earlier one alike). */
static void job_access(io_job *j, eng_tier t, uint64_t bytes, int write) {
    if (bytes == 0) return;
    for (int i = 0; i < j->n; i++)
        if (j->acc[i].tier == t && j->acc[i].write == write) {
            j->acc[i].bytes += bytes;
            return;
        }
    if (j->n == MAX_ACCESS) abort();
    j->acc[j->n].tier = t;
    j->acc[j->n].bytes = bytes;
    j->acc[j->n++].write = write;
}

/* Runs the job on a new I/O actor; a job without accesses is only a send. */
static void job_start(server *s, io_job *j) {
    if (j->n == 0) {
        rt_send(s->rt, j->to, j->msg, j->bytes);
        free(j);
        return;
    }
    char name[128];
    snprintf(name, sizeof name, "%s/io-%llu", s->a->chan, (unsigned long long)s->jobs++);
    if (rt_spawn(s->rt, name, s->rt->host, io_main, j) != 0) abort();
}

static uint64_t bytes_of(const server *s, const eng_batch *recs) { return (uint64_t)recs->n * s->bpr; }

/* The tier a block of `bytes` wanted on tier `want` goes to: the first of
 * want, next(want), ... that is held here and has room (its space taken), or
 * the first that is not held here (the block must be forwarded to it). */
static eng_tier settle(server *s, unsigned want, uint64_t bytes, int *here) {
    unsigned t = want < s->a->first ? s->a->first : want;
    for (; t != ENG_TIER_NONE && t <= s->a->last; t = eng_store_next(s->o, (eng_tier)t))
        if (eng_store_space_take(&s->space[t], bytes) == 0) {
            *here = 1;
            return (eng_tier)t;
        }
    if (t == ENG_TIER_NONE) abort(); /* the object store is unbounded */
    *here = 0;
    return (eng_tier)t;
}

static sblock *add_block(server *s) {
    if (s->n == s->cap && !(s->b = realloc(s->b, (s->cap = s->cap ? 2 * s->cap : 64) * sizeof *s->b)))
        abort();
    return &s->b[s->n++];
}

/* A PUT (or MOVE) for blocks this server does not hold, to the server of
 * tier t for reducer r; one per destination channel, found in `fw`. */
typedef struct forward {
    char chan[96];
    eng_msg *put;
    io_job *job;
} forward;

typedef struct forwards {
    forward *f;
    uint32_t n;
} forwards;

static void forwards_init(forwards *fw, uint32_t max) {
    fw->f = calloc(max ? max : 1, sizeof *fw->f);
    if (!fw->f) abort();
    fw->n = 0;
}

static void forwards_start(server *s, forwards *fw) {
    for (uint32_t i = 0; i < fw->n; i++) job_start(s, fw->f[i].job);
    free(fw->f);
}

static forward *forward_to(server *s, forwards *fw, const eng_msg *m, eng_tier t, uint32_t r,
                           rt_chan_t *reply) {
    char chan[96];
    eng_store_chan(chan, sizeof chan, s->o, t, 0, 0, r);
    for (uint32_t i = 0; i < fw->n; i++)
        if (!strcmp(fw->f[i].chan, chan)) return &fw->f[i];
    forward *f = &fw->f[fw->n++];
    snprintf(f->chan, sizeof f->chan, "%s", chan);
    f->put = eng_msg_new(ENG_MSG_BLOCK_PUT);
    f->put->x = m->x;
    f->put->a = m->a;
    f->put->reply = reply;
    eng_msg_alloc_parts(f->put, m->noffs);
    eng_msg_alloc_offs(f->put, m->noffs);
    for (uint32_t k = 0; k < m->noffs; k++) f->put->offs[k] = ENG_TIER_NONE;
    f->job = job_new(s, rt_chan_open(s->rt, chan), f->put, s->o->bus->request_bytes);
    return f;
}

static eng_msg *ack_new(const eng_msg *m, const server *s) {
    eng_msg *ack = eng_msg_new(ENG_MSG_BLOCK_ACK);
    ack->x = m->x;
    ack->a = m->a;
    ack->y = s->a->first == ENG_TIER_OBJECT;
    eng_msg_alloc_offs(ack, m->noffs);
    for (uint32_t k = 0; k < m->noffs; k++) ack->offs[k] = ENG_TIER_NONE;
    return ack;
}

/* Starts the write job with its ACK if it stored anything here. */
static void finish_ack(server *s, io_job *job) {
    if (job->msg->b) {
        job_start(s, job);
        return;
    }
    eng_msg_free(job->msg);
    free(job);
}

static void on_put(server *s, eng_msg *m) {
    forwards fw;
    forwards_init(&fw, m->noffs);
    io_job *write = job_new(s, m->reply, ack_new(m, s), s->o->bus->request_bytes);
    for (uint32_t r = 0; r < m->noffs && r < m->nparts; r++) {
        if (m->offs[r] == ENG_TIER_NONE || m->parts[r].n == 0) continue;
        uint64_t bytes = bytes_of(s, &m->parts[r]);
        int here;
        eng_tier t = settle(s, (unsigned)m->offs[r], bytes, &here);
        if (here) {
            *add_block(s) = (sblock){m->x, m->a, r, t, m->parts[r]};
            write->msg->offs[r] = t;
            write->msg->b++;
            job_access(write, t, bytes, 1);
        } else {
            forward *f = forward_to(s, &fw, m, t, r, m->reply);
            f->put->parts[r] = m->parts[r];
            f->put->offs[r] = t;
            f->job->bytes += bytes;
        }
        eng_batch_init(&m->parts[r]);
    }
    forwards_start(s, &fw);
    finish_ack(s, write);
}

static void copy_into(eng_batch *to, const eng_batch *from) {
    if (eng_batch_reserve(to, from->n) != 0) abort();
    memcpy(to->r + to->n, from->r, from->n * sizeof *from->r);
    to->n += from->n;
}

/* Reducer a's blocks of batches [x, y]: batch y's in parts[0], older ones in
 * parts[1], read from their tiers by one I/O actor. */
static void on_req(server *s, const eng_msg *m) {
    eng_msg *b = eng_msg_new(ENG_MSG_BLOCK);
    eng_msg_alloc_parts(b, 2);
    io_job *read = job_new(s, m->reply, b, s->o->bus->request_bytes);
    for (size_t i = 0; i < s->n; i++) {
        const sblock *k = &s->b[i];
        if (k->reducer != m->a || k->batch < m->x || k->batch > m->y) continue;
        copy_into(&b->parts[k->batch == m->y ? 0 : 1], &k->recs);
        job_access(read, k->tier, bytes_of(s, &k->recs), 0);
        read->bytes += bytes_of(s, &k->recs);
    }
    job_start(s, read);
}

static void remove_block(server *s, size_t i, int free_recs) {
    eng_store_space_give(&s->space[s->b[i].tier], bytes_of(s, &s->b[i].recs));
    if (free_recs) eng_batch_free(&s->b[i].recs);
    s->b[i] = s->b[--s->n];
}

static void on_drop(server *s, const eng_msg *m) {
    for (size_t i = s->n; i-- > 0;)
        if (s->b[i].batch == m->x) remove_block(s, i, 1);
}

static size_t find_block(const server *s, uint64_t batch, uint32_t map, uint32_t reducer) {
    for (size_t i = 0; i < s->n; i++)
        if (s->b[i].batch == batch && s->b[i].map == map && s->b[i].reducer == reducer) return i;
    abort(); /* the driver moves only blocks it knows are here */
}

/* Moves blocks to slower tiers: within this server (read, then write), or
 * read and sent to the server of their new tier, which acknowledges. */
static void on_move(server *s, const eng_msg *m) {
    forwards fw;
    forwards_init(&fw, m->noffs);
    io_job *local = job_new(s, m->reply, ack_new(m, s), s->o->bus->request_bytes);
    for (uint32_t r = 0; r < m->noffs; r++) {
        if (m->offs[r] == ENG_TIER_NONE) continue;
        size_t i = find_block(s, m->x, m->a, r);
        eng_tier from = s->b[i].tier;
        uint64_t bytes = bytes_of(s, &s->b[i].recs);
        int here;
        eng_tier t = settle(s, (unsigned)m->offs[r], bytes, &here);
        if (here) {
            eng_store_space_give(&s->space[from], bytes);
            s->b[i].tier = t;
            local->msg->offs[r] = t;
            local->msg->b++;
            job_access(local, from, bytes, 0);
            job_access(local, t, bytes, 1);
            continue;
        }
        forward *f = forward_to(s, &fw, m, t, r, m->reply);
        f->put->parts[r] = s->b[i].recs;
        f->put->offs[r] = t;
        f->job->bytes += bytes;
        job_access(f->job, from, bytes, 0);
        remove_block(s, i, 0);
    }
    forwards_start(s, &fw);
    finish_ack(s, local);
}

void eng_store_main(rt_t *rt, void *arg) {
    eng_store_arg *a = arg;
    server s = {.rt = rt, .a = a, .o = a->ctx->o, .bpr = a->ctx->o->driver->shuffle_bytes_per_record};
    for (unsigned t = a->first; t <= a->last; t++)
        eng_store_space_init(
            &s.space[t], eng_store_capacity(&s.o->topo->store, (eng_tier)t, s.o->topo->executor.memory_gb));
    rt_chan_t *self = rt_chan_open(rt, a->chan);
    rt_chan_listen(rt, self);
    for (;;) {
        eng_msg *m;
        rt_recv(rt, self, (void **)&m);
        if (m->type == ENG_MSG_STOP) {
            eng_msg_free(m);
            break;
        }
        switch (m->type) {
        case ENG_MSG_BLOCK_PUT:
            on_put(&s, m);
            break;
        case ENG_MSG_BLOCK_REQ:
            on_req(&s, m);
            break;
        case ENG_MSG_BLOCK_DROP:
            on_drop(&s, m);
            break;
        case ENG_MSG_BLOCK_MOVE:
            on_move(&s, m);
            break;
        default:
            abort();
        }
        eng_msg_free(m);
    }
    while (s.n) remove_block(&s, s.n - 1, 1);
    free(s.b);
    free(a);
}
