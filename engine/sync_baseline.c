/* The cloud's per-metric baselines (sync_baseline.h). Totals are dense per
 * site over metric ids (the largest id seen sizes them: metric ids are
 * small), so combining the sites costs sites x metrics, and re-reading a
 * site costs its keys. */
#include "engine/sync_baseline.h"

#include <stdlib.h>
#include <string.h>

#include "engine/crdt/gcounter.h"
#include "engine/crdt/lww.h"
#include "engine/crdt/pncounter.h"

typedef struct total {
    uint64_t n;       /* readings */
    double sum_milli; /* their sum in thousandths */
} total;

typedef struct site_totals {
    total *m; /* by metric id */
    size_t nm;
} site_totals;

struct eng_sync_totals {
    uint32_t nsites;
    site_totals *site;
};

eng_sync_totals *eng_sync_totals_new(uint32_t nsites) {
    eng_sync_totals *t = malloc(sizeof *t);
    if (!t || !(t->site = calloc(nsites ? nsites : 1, sizeof *t->site))) abort();
    t->nsites = nsites;
    return t;
}

void eng_sync_totals_free(eng_sync_totals *t) {
    if (!t) return;
    for (uint32_t s = 0; s < t->nsites; s++) free(t->site[s].m);
    free(t->site);
    free(t);
}

/* The entry of metric m, growing the table to hold it. */
static total *slot(site_totals *st, uint16_t m) {
    if (m >= st->nm) {
        size_t n = (size_t)m + 1;
        total *grown = realloc(st->m, n * sizeof *grown);
        if (!grown) abort();
        memset(grown + st->nm, 0, (n - st->nm) * sizeof *grown);
        st->m = grown;
        st->nm = n;
    }
    return &st->m[m];
}

void eng_sync_totals_update(eng_sync_totals *t, const eng_sync_doc *d, uint32_t site) {
    site_totals *st = &t->site[site];
    if (st->nm) memset(st->m, 0, st->nm * sizeof *st->m);
    const crdt_map *cnt = d->parts[(size_t)site * ENG_SYNC_NVALUES + ENG_SYNC_COUNT];
    const crdt_map *sum = d->parts[(size_t)site * ENG_SYNC_NVALUES + ENG_SYNC_SUM];
    const uint8_t *key;
    const void *val;
    size_t klen, pos = 0;
    while (cnt && crdt_map_next(cnt, &pos, &key, &klen, &val))
        slot(st, (uint16_t)(key[4] << 8 | key[5]))->n += crdt_gcounter_value(val);
    pos = 0;
    while (sum && crdt_map_next(sum, &pos, &key, &klen, &val))
        slot(st, (uint16_t)(key[4] << 8 | key[5]))->sum_milli += (double)crdt_pncounter_value(val);
}

int eng_sync_doc_baselines(eng_sync_doc *d, const eng_sync_totals *t, crdt_replica_t r, crdt_hlc_clock *clk,
                           rt_time_t now, eng_sync_doc **delta) {
    *delta = NULL;
    size_t nm = 0;
    for (uint32_t s = 0; s < t->nsites; s++)
        if (t->site[s].nm > nm) nm = t->site[s].nm;
    crdt_map *base = eng_sync_doc_part(d, eng_sync_doc_alarms_part(d) + 1), *writes = NULL;
    int rc = 0;
    for (size_t m = 0; m < nm && !rc; m++) {
        total all = {0, 0};
        for (uint32_t s = 0; s < t->nsites; s++)
            if (m < t->site[s].nm) {
                all.n += t->site[s].m[m].n;
                all.sum_milli += t->site[s].m[m].sum_milli;
            }
        if (!all.n) continue;
        double mean = all.sum_milli / 1000.0 / (double)all.n, cur;
        uint8_t key[2] = {(uint8_t)(m >> 8), (uint8_t)m};
        const crdt_lww *reg = crdt_map_get(base, key, sizeof key);
        if (reg && crdt_lww_value(reg, &cur, NULL, NULL) && cur == mean) continue;
        crdt_op inner = {.kind = CRDT_OP_WRITE, .d = mean};
        crdt_map *dm = NULL;
        rc = crdt_hlc_now(clk, now, &inner.ts);
        if (!rc) rc = crdt_map_update(base, r, key, sizeof key, &inner, &dm);
        if (!rc && writes) rc = crdt_map_merge(writes, dm);
        if (writes)
            crdt_map_free(dm);
        else
            writes = dm;
    }
    if (rc || !writes) {
        crdt_map_free(writes);
        return rc;
    }
    *delta = eng_sync_doc_new(d->nsites);
    (*delta)->parts[eng_sync_doc_alarms_part(d) + 1] = writes;
    return 0;
}
