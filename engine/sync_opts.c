/* Defaults and checks of the `sync:` scenario section (engine/sync.h), and
 * the partition schedule every agent consults before sending and after
 * receiving. Defaults are documented in docs/scenarios.md. */
#include "engine/check.h"
#include "engine/sync.h"

void eng_sync_defaults(eng_sync_opts *o) {
    *o = (eng_sync_opts){0};
    o->interval = RT_S;
    o->tick = 100 * RT_MS;
    o->sample = 10 * RT_S;
    o->full_after = 30 * RT_S;
    o->batch_bytes = 1400;
    o->max_backoff = 8 * RT_S;
    o->header_bytes = 40;
}

int eng_sync_check(const eng_sync_opts *o, uint32_t sites, char *err, size_t errlen) {
    ENG_CHECK(o->interval > 0, err, errlen, "sync.interval must be > 0");
    ENG_CHECK(o->tick > 0 && o->tick <= o->interval, err, errlen, "sync.tick must be in (0, interval]");
    ENG_CHECK(o->sample >= o->tick, err, errlen, "sync.sample must be >= sync.tick");
    ENG_CHECK(o->full_after > o->interval, err, errlen, "sync.full_after must be > sync.interval");
    ENG_CHECK(o->loss >= 0 && o->loss < 1, err, errlen, "sync.loss must be in [0, 1)");
    ENG_CHECK(o->duplicate >= 0 && o->duplicate < 1, err, errlen, "sync.duplicate must be in [0, 1)");
    ENG_CHECK(o->max_backoff >= o->tick, err, errlen, "sync.max_backoff must be >= sync.tick");
    for (uint32_t i = 0; i < o->npartitions; i++) {
        const eng_sync_partition *p = &o->partitions[i];
        ENG_CHECK(p->site == ENG_SYNC_ALL_SITES || (p->site >= 0 && (uint32_t)p->site < sites), err, errlen,
                  "sync.partitions: site %d is not a site of topology.sites = %u", (int)p->site, sites);
        ENG_CHECK(p->start >= 0 && p->start < p->end, err, errlen,
                  "sync.partitions: a partition must start at or after 0 and before it ends");
    }
    return 0;
}

int eng_sync_partitioned(const eng_sync_opts *o, uint32_t site, rt_time_t t) {
    for (uint32_t i = 0; i < o->npartitions; i++) {
        const eng_sync_partition *p = &o->partitions[i];
        if ((p->site == ENG_SYNC_ALL_SITES || (uint32_t)p->site == site) && t >= p->start && t < p->end)
            return 1;
    }
    return 0;
}
