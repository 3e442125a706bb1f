/* The shuffle tiers: defaults (sources in docs/shuffle.md), checks, each
 * tier's ops (access cost through the runtime, prices from the cloud
 * profile), capacity accounting and the storage bill. */
#include "engine/store.h"

#include <assert.h>
#include <math.h>

#include "engine/check.h"
#include "engine/cost.h"

const char *const eng_tier_names[] = {"memory", "local_ssd", "remote_service", "object_store", NULL};

#define GIB 1073741824.0         /* providers price storage per GiB */
#define MONTH_S (730.0 * 3600.0) /* and per month of 730 hours */
#define SPARK_RESERVED_GB 0.3    /* Spark's reserved system memory */

void eng_store_defaults(eng_store_opts *s) {
    *s = (eng_store_opts){
        .tier =
            {
                [ENG_TIER_MEMORY] = {0, 0, 10e9, 10e9},
                [ENG_TIER_LOCAL_SSD] = {20, 100 * RT_US, 1e9, 1e9},
                [ENG_TIER_REMOTE] = {500, 100 * RT_US, 2e9, 2e9},
                [ENG_TIER_OBJECT] = {0, 30 * RT_MS, 12.5e9, 12.5e9},
            },
        .memory_fraction = 0.6,
        .service_hosts = 2,
        .service_cores = 4,
        .service_memory_gb = 16,
        .service_bandwidth = 1.25e9,
        .service_latency = 100 * RT_US,
    };
}

int eng_store_check(const eng_store_opts *s, char *err, size_t errlen) {
    for (int t = 0; t < ENG_TIERS; t++) {
        const eng_tier_opts *o = &s->tier[t];
        ENG_CHECK(o->capacity_gb >= 0, err, errlen, "shuffle.tiers.%s.capacity_gb must be >= 0",
                  eng_tier_names[t]);
        ENG_CHECK(o->latency >= 0, err, errlen, "shuffle.tiers.%s.latency must be >= 0", eng_tier_names[t]);
        ENG_CHECK(o->read_bw > 0 && o->write_bw > 0, err, errlen,
                  "shuffle.tiers.%s: read_bandwidth and write_bandwidth must be > 0", eng_tier_names[t]);
    }
    ENG_CHECK(s->memory_fraction > 0 && s->memory_fraction <= 1, err, errlen,
              "shuffle.tiers.memory.fraction must be in (0, 1]");
    ENG_CHECK(s->tier[ENG_TIER_LOCAL_SSD].capacity_gb > 0, err, errlen,
              "shuffle.tiers.local_ssd.capacity_gb must be > 0");
    ENG_CHECK(s->tier[ENG_TIER_REMOTE].capacity_gb > 0, err, errlen,
              "shuffle.tiers.remote_service.capacity_gb must be > 0");
    ENG_CHECK(s->service_hosts >= 1 && s->service_hosts <= 1024, err, errlen,
              "shuffle.service.hosts must be in [1, 1024]");
    ENG_CHECK(s->service_cores >= 1 && s->service_memory_gb > 0, err, errlen,
              "shuffle.service: cores must be >= 1 and memory_gb > 0");
    ENG_CHECK(s->service_bandwidth > 0 && s->service_latency >= 0, err, errlen,
              "shuffle.service: bandwidth must be > 0 and latency >= 0");
    return 0;
}

uint64_t eng_store_capacity(const eng_store_opts *s, eng_tier t, double executor_memory_gb) {
    double c = s->tier[t].capacity_gb * 1e9;
    if (t == ENG_TIER_MEMORY) {
        double usable = executor_memory_gb - SPARK_RESERVED_GB;
        c = usable > 0 ? s->memory_fraction * usable * 1e9 : 0;
        return (uint64_t)c;
    }
    if (c <= 0 || c >= 1.8e19) return UINT64_MAX;
    return (uint64_t)c;
}

static void access_device(rt_t *rt, const eng_tier_opts *t, uint64_t bytes, int write, const char *device) {
    if (t->latency > 0) rt_sleep(rt, t->latency);
    rt_io(rt, device, bytes, write);
}

static void access_memory(rt_t *rt, const eng_tier_opts *t, uint64_t bytes, int write) {
    access_device(rt, t, bytes, write, "memory");
}
static void access_ssd(rt_t *rt, const eng_tier_opts *t, uint64_t bytes, int write) {
    access_device(rt, t, bytes, write, "local_ssd");
}
static void access_remote(rt_t *rt, const eng_tier_opts *t, uint64_t bytes, int write) {
    access_device(rt, t, bytes, write, "remote_service");
}
static void access_object(rt_t *rt, const eng_tier_opts *t, uint64_t bytes, int write) {
    access_device(rt, t, bytes, write, "object_store");
}

static double no_price(const eng_cloud *c) { return 0; }
static double no_request(const eng_cloud *c, int write) { return 0; }
static double ssd_price(const eng_cloud *c) { return c->shuffle_gb_month_usd; }
static double object_price(const eng_cloud *c) { return c->object_gb_month_usd; }
/* A profile without request prices (< 0) bills none; the scenario loader
 * refuses a placement policy that writes to the object store then. */
static double object_request(const eng_cloud *c, int write) {
    return fmax(0, write ? c->object_put_1000_usd : c->object_get_1000_usd) / 1000.0;
}

static const eng_store_ops tiers[ENG_TIERS] = {
    {ENG_STORE_ABI, ENG_TIER_MEMORY, "memory", "memory", 1, access_memory, no_price, no_request},
    {ENG_STORE_ABI, ENG_TIER_LOCAL_SSD, "local_ssd", "local_ssd", 1, access_ssd, ssd_price, no_request},
    {ENG_STORE_ABI, ENG_TIER_REMOTE, "remote_service", "remote_service", 0, access_remote, no_price,
     no_request},
    {ENG_STORE_ABI, ENG_TIER_OBJECT, "object_store", "object_store", 0, access_object, object_price,
     object_request},
};

const eng_store_ops *eng_store_tier(eng_tier t) {
    assert(t < ENG_TIERS);
    return &tiers[t];
}

void eng_store_space_init(eng_store_space *s, uint64_t capacity) { *s = (eng_store_space){0, capacity}; }

int eng_store_space_take(eng_store_space *s, uint64_t bytes) {
    if (bytes > s->capacity - s->used) return -1;
    s->used += bytes;
    return 0;
}

void eng_store_space_give(eng_store_space *s, uint64_t bytes) {
    assert(bytes <= s->used);
    s->used -= bytes;
}

void eng_store_bill_init(eng_store_bill *b) { *b = (eng_store_bill){0}; }

static void integrate(eng_store_bill *b, rt_time_t now) {
    if (now <= b->at) return;
    double dt = rt_to_s(now - b->at);
    for (int t = 0; t < ENG_TIERS; t++) b->byte_s[t] += (double)b->held[t] * dt;
    b->at = now;
}

void eng_store_bill_hold(eng_store_bill *b, eng_tier t, int64_t delta, rt_time_t now) {
    integrate(b, now);
    if (delta >= 0) {
        b->held[t] += (uint64_t)delta;
        b->written[t] += (uint64_t)delta;
    } else {
        assert((uint64_t)-delta <= b->held[t]);
        b->held[t] -= (uint64_t)-delta;
    }
}

void eng_store_bill_cost(const eng_store_bill *b, const eng_cloud *c, rt_time_t end, uint32_t service_hosts,
                         uint32_t cores, double memory_gb, eng_store_cost *out) {
    eng_store_bill at_end = *b;
    integrate(&at_end, end);
    *out = (eng_store_cost){0};
    for (int t = 0; t < ENG_TIERS; t++)
        out->storage += at_end.byte_s[t] / GIB / MONTH_S * eng_store_tier((eng_tier)t)->gb_month_usd(c);
    const eng_store_ops *obj = eng_store_tier(ENG_TIER_OBJECT);
    out->requests = (double)b->puts * obj->request_usd(c, 1) + (double)b->gets * obj->request_usd(c, 0);
    out->service = service_hosts * eng_cost_rate_usd_h(c, cores, memory_gb) * rt_to_s(end) / 3600.0;
}
