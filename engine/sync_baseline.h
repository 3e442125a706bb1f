/* The cloud's baselines: each metric's mean over every reading of every
 * site, written to the replicated document (engine/sync_doc.h) as an LWW
 * register per metric and synced down to the edges. Per-site totals are
 * kept so that only the sites whose values changed are read again. */
#ifndef ENG_SYNC_BASELINE_H
#define ENG_SYNC_BASELINE_H

#include "engine/sync_doc.h"

typedef struct eng_sync_totals eng_sync_totals;

/* Totals of `nsites` sites, all zero; aborts on out of memory. */
eng_sync_totals *eng_sync_totals_new(uint32_t nsites);
void eng_sync_totals_free(eng_sync_totals *t);
/* Re-reads site s's readings counts and sums (per metric) from d. */
void eng_sync_totals_update(eng_sync_totals *t, const eng_sync_doc *d, uint32_t site);

/* Writes, as replica r stamped by clk at physical time now, the baselines
 * whose mean over the totals differs from d's. *delta is a new document of
 * the writes, or NULL when none changed. 0 or a negative crdt_err. */
int eng_sync_doc_baselines(eng_sync_doc *d, const eng_sync_totals *t, crdt_replica_t r, crdt_hlc_clock *clk,
                           rt_time_t now, eng_sync_doc **delta);

#endif
