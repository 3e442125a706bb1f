/* The messages the pipeline's actors exchange over runtime channels. One
 * tagged struct for every kind keeps allocation and ownership uniform: the
 * sender allocates with eng_msg_new, ownership passes with rt_send, and the
 * receiver frees with eng_msg_free (which frees the records it carries). */
#ifndef ENG_MSG_H
#define ENG_MSG_H

#include <stdint.h>

#include "engine/rec.h"
#include "engine/rt.h"

typedef enum {
    ENG_MSG_PRODUCE = 1, /* edge -> broker: parts[p] are partition p's new records */
    ENG_MSG_EDGE_DONE,   /* edge -> broker: x = records this edge produced in all */
    ENG_MSG_OFFSETS_REQ, /* driver -> broker */
    ENG_MSG_OFFSETS,     /* broker -> driver: offs[p] = end offsets, x = readings appended so far */
    ENG_MSG_FETCH_REQ,   /* slot -> broker: partition a, offsets [x, y), reply */
    ENG_MSG_FETCH,       /* broker -> slot: recs */
    ENG_MSG_COMMIT,      /* driver -> broker: offs[p] = committed offsets */
    ENG_MSG_PUSH,        /* broker -> driver (continuous mode): recs just appended */
    ENG_MSG_TASK,        /* driver -> slot: see eng_task */
    ENG_MSG_TASK_DONE,   /* slot -> driver: a = executor, b = slot, x = task id, lat = (ts, count) of the
                            readings */
    ENG_MSG_BLOCK_PUT,   /* -> store server (engine/store_server.c): parts[r] = reducer r's block of map a,
                            batch x; offs[r] = its tier (ENG_TIER_NONE: no block); reply gets the ACKs */
    ENG_MSG_BLOCK_REQ,   /* reduce slot -> store server: reducer a's blocks of batches [x, y], reply */
    ENG_MSG_BLOCK,       /* store server -> reduce slot: parts[0] = batch y's records, parts[1] = older */
    ENG_MSG_BLOCK_DROP,  /* driver -> store server: forget batch x */
    ENG_MSG_EXEC_READY,  /* executor -> driver: a = executor */
    ENG_MSG_TICK,        /* ticker -> owner: a = ticker kind, t = tick time */
    ENG_MSG_STOP,        /* ask an actor to end; reply (if set) gets ENG_MSG_STOPPED; to the broker:
                            offs[p] (if any) = the last committed offsets */
    ENG_MSG_STOPPED,     /* x = readings still held (broker: uncommitted) */
    ENG_MSG_SYNC_WINDOW, /* edge -> its sync agent: recs = one forwarded window's records */
    ENG_MSG_SYNC,        /* between sync agents (engine/sync_agent.h): a = edge site of the link, b = what,
                            body = its payload */
    ENG_MSG_BLOCK_ACK,   /* store server -> writer: b blocks of map a, batch x stored, offs[r] = tier of
                            reducer r's (ENG_TIER_NONE: not in this ack); y = 1 from the object store */
    ENG_MSG_BLOCK_MOVE,  /* driver -> store server: move map a's blocks of batch x, reducer r's to tier
                            offs[r] (ENG_TIER_NONE: stays); the ACKs go to reply */
} eng_msg_type;

typedef enum { ENG_TASK_MAP = 0, ENG_TASK_REDUCE, ENG_TASK_RECORD } eng_task_kind;

typedef struct eng_task {
    eng_task_kind kind;
    uint64_t id;
    uint64_t batch;
    uint32_t partition; /* map: the bus partition */
    uint64_t from, to;  /* map: offsets [from, to) */
    uint32_t reducer;   /* reduce: which reducer */
    uint32_t nreducers; /* map: how many blocks to write */
    uint32_t *sources;  /* reduce: executors holding this batch's blocks (owned) */
    uint32_t nsources;
    eng_rec rec; /* record (continuous mode) */
} eng_task;

typedef struct eng_lat {
    rt_time_t ts;
    uint32_t count;
} eng_lat;

typedef struct eng_msg {
    eng_msg_type type;
    uint32_t a, b;
    uint64_t x, y;
    rt_time_t t;
    rt_chan_t *reply;
    eng_batch recs;
    eng_batch *parts; /* owned array of nparts batches */
    uint32_t nparts;
    uint64_t *offs; /* owned array of noffs offsets */
    uint32_t noffs;
    eng_task task;
    eng_lat *lat; /* owned array of nlat entries */
    uint32_t nlat;
    void *body;                    /* owned payload of ENG_MSG_SYNC */
    void (*body_free)(void *body); /* how eng_msg_free frees it */
} eng_msg;

/* A zeroed message of `type`; aborts on out of memory. */
eng_msg *eng_msg_new(eng_msg_type type);
/* Frees the message and everything it owns. NULL is allowed. */
void eng_msg_free(eng_msg *m);
/* Allocates m->parts (n empty batches) / m->offs (n zeros). */
void eng_msg_alloc_parts(eng_msg *m, uint32_t n);
void eng_msg_alloc_offs(eng_msg *m, uint32_t n);

/* The bus partition of a device's records. */
static inline uint32_t eng_partition_of(uint32_t device, uint32_t partitions) {
    uint64_t h = device;
    h ^= h >> 33;
    h *= 0xff51afd7ed558ccdULL;
    h ^= h >> 33;
    h *= 0xc4ceb9fe1a85ec53ULL;
    h ^= h >> 33;
    return (uint32_t)(h % partitions);
}

#endif
