/* The serverless cost model: a cloud profile's prices and billing rules, and
 * the bill for an executor's lifetime. Used by the pool (cost so far, cost
 * rate for the allocator's observation) and by the summary. Profiles are YAML
 * data in experiments/clouds/; experiments/ fills eng_cloud from them. */
#ifndef ENG_COST_H
#define ENG_COST_H

#include <stddef.h>
#include <stdint.h>

#include "engine/rt.h"

typedef enum { ENG_STARTUP_FIXED = 0, ENG_STARTUP_UNIFORM, ENG_STARTUP_LOGNORMAL } eng_startup_dist;

#define ENG_CLOUD_MAX_NODES 8

typedef struct eng_cloud {
    char name[64];
    double vcpu_hour_usd;          /* per vCPU-hour (Dataproc: per DCU-hour, with dcu_per_vcpu) */
    double gb_hour_usd;            /* per GB-hour of executor memory */
    rt_time_t billing_minimum;     /* each executor is billed at least this long */
    rt_time_t billing_granularity; /* billed time is rounded up to a multiple of this */
    double egress_gb_usd;          /* internet egress per GB */
    /* executor startup delay, drawn per request */
    eng_startup_dist startup;
    rt_time_t startup_a, startup_b; /* fixed: a; uniform: [a, b]; lognormal: median a, p95 b */
    /* Memory beyond mem_tier_gb_per_vcpu GB per vCPU is billed at
     * gb_hour_over_usd per GB-hour instead (Dataproc: 8 GB; 0: no tier). */
    double mem_tier_gb_per_vcpu;
    double gb_hour_over_usd;
    /* Node sizes, smallest first (Synapse): an executor is billed as the
     * first node with at least its vCPUs and memory (none fits, or nnodes
     * 0: as itself). */
    uint32_t nnodes;
    uint32_t node_vcpu[ENG_CLOUD_MAX_NODES];
    double node_mem_gb[ENG_CLOUD_MAX_NODES];
    /* Shuffle storage (engine/store.h): per GiB-month stored in the object
     * store and on executors' shuffle disks (0: not charged), and the object
     * store's requests per 1000 (< 0: the profile does not give them). */
    double object_gb_month_usd;
    double shuffle_gb_month_usd;
    double object_put_1000_usd, object_get_1000_usd;
} eng_cloud;

void eng_cloud_defaults(eng_cloud *c); /* AWS EMR Serverless, us-east-1 */
int eng_cloud_check(const eng_cloud *c, char *err, size_t errlen);

/* Billed duration for an executor held from `request` to `release`:
 * max(release - request, minimum) rounded up to the granularity. */
rt_time_t eng_cost_billed(const eng_cloud *c, rt_time_t request, rt_time_t release);
/* Price of holding one executor of vcpu cores and mem_gb for `billed` ns. */
double eng_cost_usd(const eng_cloud *c, uint32_t vcpu, double mem_gb, rt_time_t billed);
/* Spend rate in USD per hour of one such executor: its vCPUs and memory
 * (rounded up to a node size if the profile lists them) at the vCPU-hour
 * and GB-hour prices, memory beyond the tier at the higher price. */
double eng_cost_rate_usd_h(const eng_cloud *c, uint32_t vcpu, double mem_gb);

#endif
