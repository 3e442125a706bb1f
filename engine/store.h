/* Shuffle storage: the four tiers a shuffle block can live on, the store
 * interface through which blocks reach a tier, and the bookkeeping around
 * them — each server's capacity and the storage part of the bill. Map tasks
 * write blocks to store servers (engine/store_server.c: an executor's block
 * server holds its memory and local-SSD tiers, the remote shuffle service
 * hosts and the object store hold theirs); reduce tasks read them back; the
 * driver's shuffle manager (engine/shuffle_mgr.h) decides where each block
 * goes through the scenario's placement policy (engine/shuffle.h).
 * docs/shuffle.md describes the model and the defaults' sources. */
#ifndef ENG_STORE_H
#define ENG_STORE_H

#include <stddef.h>
#include <stdint.h>

#include "engine/rt.h"

struct eng_cloud;

/* Fastest first: a block cools by moving to a higher-numbered tier. */
typedef enum {
    ENG_TIER_MEMORY = 0, /* the executor's memory: bounded by it, lost when the executor is released */
    ENG_TIER_LOCAL_SSD,  /* the executor's local disk: lost with the executor */
    ENG_TIER_REMOTE,     /* a remote shuffle service in the region (Celeborn, Magnet): survives releases */
    ENG_TIER_OBJECT,     /* an object store (S3, GCS, ADLS): durable, priced per request and GiB-month */
    ENG_TIERS
} eng_tier;

#define ENG_TIER_NONE 255u /* "no block" in per-reducer tier vectors */

/* "memory", "local_ssd", "remote_service", "object_store", NULL: the YAML
 * and result-file names, indexed by eng_tier. */
extern const char *const eng_tier_names[];

/* One tier's device. Every access waits `latency`, then moves its bytes
 * through the device at its bandwidth, shared with the accesses running at
 * the same time on the same server (a SimGrid disk in simulation). */
typedef struct eng_tier_opts {
    double capacity_gb;       /* per server (executor, service host); 0: unbounded */
    rt_time_t latency;        /* before the first byte of each access */
    double read_bw, write_bw; /* bytes/s */
} eng_tier_opts;

/* The tiers and the servers behind them (part of the topology: sim/ builds
 * their devices and hosts into the platform). */
typedef struct eng_store_opts {
    eng_tier_opts tier[ENG_TIERS]; /* tier[ENG_TIER_MEMORY].capacity is derived: see eng_store_capacity */
    double memory_fraction;        /* memory tier: this share of executor memory beyond a 300 MB reserve */
    uint32_t service_hosts;        /* remote shuffle service hosts (reducer r's blocks go to host r mod n) */
    uint32_t service_cores;        /* per service host; billed like an executor of this size */
    double service_memory_gb;
    double service_bandwidth; /* each service host's link to the region fabric, bytes/s */
    rt_time_t service_latency;
} eng_store_opts;

void eng_store_defaults(eng_store_opts *s);
/* Checks the options; -1 with a message naming the field by its YAML path
 * (shuffle.tiers.*, shuffle.service.*). */
int eng_store_check(const eng_store_opts *s, char *err, size_t errlen);
/* Bytes one server of tier t holds at most (UINT64_MAX: unbounded);
 * executor_memory_gb sizes the memory tier. */
uint64_t eng_store_capacity(const eng_store_opts *s, eng_tier t, double executor_memory_gb);

#define ENG_STORE_ABI 1

/* A tier's operations. The engine reaches a tier only through these: the
 * simulated cost of an access (charged by the server that holds the block,
 * on its host) and the tier's prices. New slots go at the end. */
typedef struct eng_store_ops {
    int abi;
    eng_tier tier;
    const char *name;       /* eng_tier_names[tier] */
    const char *device;     /* the device behind the tier on its server's host (rt_io's name) */
    int lost_with_executor; /* 1: the tier lives on an executor and is lost when it is released */
    /* Charges one access moving `bytes` to (write = 1) or from the tier:
     * the calling actor runs on the server's host. */
    void (*access)(rt_t *rt, const eng_tier_opts *t, uint64_t bytes, int write);
    /* USD per GiB-month stored, from the cloud profile (0: paid elsewhere). */
    double (*gb_month_usd)(const struct eng_cloud *c);
    /* USD per request (write: a PUT, read: a GET), from the cloud profile. */
    double (*request_usd)(const struct eng_cloud *c, int write);
} eng_store_ops;

/* The ops of tier t (static; never NULL for t < ENG_TIERS). */
const eng_store_ops *eng_store_tier(eng_tier t);

/* One server's capacity accounting for one tier. `used` never exceeds
 * `capacity` and never goes below 0. */
typedef struct eng_store_space {
    uint64_t used, capacity; /* capacity UINT64_MAX: unbounded */
} eng_store_space;

void eng_store_space_init(eng_store_space *s, uint64_t capacity);
/* Takes `bytes`: 0 if they fit (used grows), -1 if not (nothing changes). */
int eng_store_space_take(eng_store_space *s, uint64_t bytes);
/* Gives back `bytes` taken before (a programmer error if more than used). */
void eng_store_space_give(eng_store_space *s, uint64_t bytes);

/* The storage side of a run's bill: bytes held on each tier over time, the
 * bytes written to each, and the object store's requests. */
typedef struct eng_store_bill {
    uint64_t held[ENG_TIERS];    /* bytes held now */
    double byte_s[ENG_TIERS];    /* integral of held over time, byte-seconds */
    rt_time_t at;                /* time of the last change */
    uint64_t written[ENG_TIERS]; /* bytes written (placed or moved in) */
    uint64_t puts, gets;         /* object store requests */
} eng_store_bill;

/* What the bill comes to, in USD. */
typedef struct eng_store_cost {
    double storage; /* GiB-months held, at each tier's price */
    double requests;
    double service; /* remote shuffle service hosts for the whole run */
} eng_store_cost;

void eng_store_bill_init(eng_store_bill *b);
/* Tier t holds `delta` more (or fewer) bytes from `now` on; a write of
 * delta > 0 bytes also counts as written. */
void eng_store_bill_hold(eng_store_bill *b, eng_tier t, int64_t delta, rt_time_t now);
/* The bill of a run that ended at `end`; `service_hosts` remote shuffle
 * service hosts of `cores` vCPUs and `memory_gb` ran all along (0 if the
 * service was not deployed), billed at the profile's executor rates. */
void eng_store_bill_cost(const eng_store_bill *b, const struct eng_cloud *c, rt_time_t end,
                         uint32_t service_hosts, uint32_t cores, double memory_gb, eng_store_cost *out);

#endif
