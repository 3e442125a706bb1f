/* Internal to the oracle allocator (policies/alloc_oracle*.c): the schedule
 * search, exposed so a unit test can check it on a hand-worked demand. The
 * oracle turns the future arrival curve into how many executors must be
 * ready during each decision interval, then asks pol_oracle__plan for the
 * cheapest request/release schedule that has them ready in time. */
#ifndef POL_ALLOC_ORACLE_H
#define POL_ALLOC_ORACLE_H

#include <stddef.h>
#include <stdint.h>

#include "engine/alloc.h"
#include "engine/rt.h"

/* How a lifetime is billed: from request to release, at least `minimum`,
 * rounded up to `granularity` (> 0); a lifetime still held at the last
 * decision ends at `end`. Decision i is at i * interval. */
typedef struct pol_oracle_bill {
    rt_time_t interval, minimum, granularity, end;
} pol_oracle_bill;

/* need[i]: executors that must be ready during decision interval i, for
 * i in [0, n). `initial` executors are requested at decision 0 (the pool's
 * start); a request made at decision a is ready from interval a + lead.
 * Fills held[i] (n entries): executors held — ready or starting — from
 * decision i, the cheapest schedule that meets every need it can (demand
 * before interval lead, or 1 + lead beyond the initial executors, cannot be
 * met by any schedule and is ignored). Returns 0, or -1 when out of memory. */
int pol_oracle__plan(const uint32_t *need, size_t n, uint32_t initial, size_t lead,
                     const pol_oracle_bill *bill, uint32_t *held);

/* Executors one micro-batch of n records needs under the forecast's
 * capacity model (the least k whose batch time meets the SLO budget; see
 * alloc_oracle.c); 0 for an empty batch. parts: the batch's records per
 * bus partition (f->map_tasks entries), or NULL to spread n evenly. */
uint32_t pol_oracle__batch_need(const eng_alloc_forecast *f, const uint32_t *parts, double n);

/* The most map tasks (bus partitions) a batch may have: the scenario
 * schema's bound on bus.partitions. */
#define POL_ORACLE_MAX_TASKS 4096

#endif
