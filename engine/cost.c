/* The serverless bill: billed duration with minimum and granularity, and its
 * price in vCPU-hours and GB-hours (with node-size rounding and a memory
 * price tier where the profile has them). */
#include "engine/cost.h"

#include <stdio.h>
#include <string.h>

#include "engine/check.h"

void eng_cloud_defaults(eng_cloud *c) {
    memset(c, 0, sizeof *c); /* no memory tier, no node sizes */
    snprintf(c->name, sizeof c->name, "aws_emr_serverless");
    c->vcpu_hour_usd = 0.052624;
    c->gb_hour_usd = 0.0057785;
    c->billing_minimum = 60 * RT_S;
    c->billing_granularity = RT_S;
    c->egress_gb_usd = 0.09;
    c->startup = ENG_STARTUP_UNIFORM;
    c->startup_a = 5 * RT_S;
    c->startup_b = 15 * RT_S;
    c->object_gb_month_usd = 0.023;
    c->object_put_1000_usd = 0.005;
    c->object_get_1000_usd = 0.0004;
}

int eng_cloud_check(const eng_cloud *c, char *err, size_t errlen) {
    ENG_CHECK(c->vcpu_hour_usd >= 0, err, errlen, "cloud.vcpu_hour_usd must be >= 0");
    ENG_CHECK(c->gb_hour_usd >= 0, err, errlen, "cloud.gb_hour_usd must be >= 0");
    ENG_CHECK(c->billing_minimum >= 0, err, errlen, "cloud.billing.minimum must be >= 0");
    ENG_CHECK(c->billing_granularity > 0, err, errlen, "cloud.billing.granularity must be > 0");
    ENG_CHECK(c->egress_gb_usd >= 0, err, errlen, "cloud.egress_gb_usd must be >= 0");
    ENG_CHECK(c->startup_a >= 0, err, errlen, "cloud.startup: first parameter must be >= 0");
    ENG_CHECK(c->startup == ENG_STARTUP_FIXED || c->startup_b >= c->startup_a, err, errlen,
              "cloud.startup: second parameter must be >= the first");
    ENG_CHECK(c->mem_tier_gb_per_vcpu >= 0 && c->gb_hour_over_usd >= 0, err, errlen,
              "cloud.memory_tier: gb_per_vcpu and over_gb_hour_usd must be >= 0");
    ENG_CHECK(c->object_gb_month_usd >= 0 && c->shuffle_gb_month_usd >= 0, err, errlen,
              "cloud: storage prices must be >= 0");
    ENG_CHECK(c->nnodes <= ENG_CLOUD_MAX_NODES, err, errlen, "cloud.nodes: at most 8 node sizes");
    for (uint32_t i = 0; i < c->nnodes; i++) {
        ENG_CHECK(c->node_vcpu[i] > 0 && c->node_mem_gb[i] > 0, err, errlen,
                  "cloud.nodes: vcpu and memory_gb must be > 0");
        ENG_CHECK(i == 0 ||
                      (c->node_vcpu[i] > c->node_vcpu[i - 1] && c->node_mem_gb[i] > c->node_mem_gb[i - 1]),
                  err, errlen, "cloud.nodes: sizes must grow in vcpu and memory_gb, smallest first");
    }
    return 0;
}

rt_time_t eng_cost_billed(const eng_cloud *c, rt_time_t request, rt_time_t release) {
    rt_time_t held = release > request ? release - request : 0;
    if (held < c->billing_minimum) held = c->billing_minimum;
    rt_time_t g = c->billing_granularity;
    return (held + g - 1) / g * g;
}

double eng_cost_rate_usd_h(const eng_cloud *c, uint32_t vcpu, double mem_gb) {
    for (uint32_t i = 0; i < c->nnodes; i++)
        if (c->node_vcpu[i] >= vcpu && c->node_mem_gb[i] >= mem_gb) {
            vcpu = c->node_vcpu[i];
            mem_gb = c->node_mem_gb[i];
            break;
        }
    double over = 0;
    if (c->mem_tier_gb_per_vcpu > 0 && mem_gb > c->mem_tier_gb_per_vcpu * vcpu) {
        over = mem_gb - c->mem_tier_gb_per_vcpu * vcpu;
        mem_gb -= over;
    }
    return vcpu * c->vcpu_hour_usd + mem_gb * c->gb_hour_usd + over * c->gb_hour_over_usd;
}

double eng_cost_usd(const eng_cloud *c, uint32_t vcpu, double mem_gb, rt_time_t billed) {
    return eng_cost_rate_usd_h(c, vcpu, mem_gb) * ((double)billed / (3600.0 * RT_S));
}
