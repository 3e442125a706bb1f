/* The state edge gateways and the cloud replicate (engine/sync.h): a
 * document of CRDTs. Per site, five maps keyed by (device, metric) hold each
 * key's reading count (G-Counter), sum in thousandths (PN-Counter), minimum
 * and maximum (min and max registers) and latest window mean (LWW register,
 * HLC-stamped). Shared by all replicas: the active alarms (an add-wins
 * OR-Set of devices) and the cloud's per-metric baselines (a map from metric
 * to LWW register). An edge replica holds its own site's maps and the shared
 * parts; the cloud holds everything. A delta is a document of the same
 * shape in which most parts are bottom (NULL). Pure data: no runtime. */
#ifndef ENG_SYNC_DOC_H
#define ENG_SYNC_DOC_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "engine/crdt/crdt.h"
#include "engine/crdt/hlc.h"
#include "engine/crdt/map.h"
#include "engine/crdt/orset.h"
#include "engine/rec.h"

typedef enum {
    ENG_SYNC_COUNT = 0, /* G-Counter: readings */
    ENG_SYNC_SUM,       /* PN-Counter: sum of the readings in thousandths (llround(1000 x)) */
    ENG_SYNC_MIN,       /* min register */
    ENG_SYNC_MAX,       /* max register */
    ENG_SYNC_LAST,      /* LWW register: the latest window's mean */
    ENG_SYNC_NVALUES
} eng_sync_value;

#define ENG_SYNC_KEY_BYTES 6 /* device (4 bytes) then metric (2), big-endian: byte order is numeric order */
#define ENG_SYNC_SITE_NONE (-2)

/* The parts, each a CRDT state or NULL (bottom): part s * ENG_SYNC_NVALUES
 * + v is site s's map of value kind v; then come the alarms (crdt_orset of
 * 4-byte big-endian device ids) and the baselines (crdt_map from 2-byte
 * big-endian metric ids to LWW registers). */
typedef struct eng_sync_doc {
    uint32_t nsites;
    void **parts;
} eng_sync_doc;

static inline size_t eng_sync_doc_alarms_part(const eng_sync_doc *d) {
    return (size_t)d->nsites * ENG_SYNC_NVALUES;
}
static inline size_t eng_sync_doc_nparts(const eng_sync_doc *d) { return eng_sync_doc_alarms_part(d) + 2; }

/* An all-bottom document for `nsites` sites; aborts on out of memory. */
eng_sync_doc *eng_sync_doc_new(uint32_t nsites);
void eng_sync_doc_free(eng_sync_doc *d);

/* The parts a replica holding `scope` sees: site `scope`'s maps (every
 * site's for ENG_SYNC_ALL_SITES, none for ENG_SYNC_SITE_NONE) and the shared
 * parts. */
bool eng_sync_doc_is_bottom(const eng_sync_doc *d, int32_t scope);
/* Which site's maps are not bottom: that site, ENG_SYNC_ALL_SITES if several,
 * ENG_SYNC_SITE_NONE if none; *shared tells whether a shared part is not. */
int32_t eng_sync_doc_span(const eng_sync_doc *d, bool *shared);

/* into := into ⊔ from. If grown is not NULL, *grown becomes a new document
 * (the caller frees it) holding the parts of `from` that were not already
 * below `into`, moved out of `from` — NULL if nothing grew. Returns 0 or a
 * negative crdt_err (into unchanged on error). */
int eng_sync_doc_merge(eng_sync_doc *into, eng_sync_doc *from, eng_sync_doc **grown);

/* into := into ⊔ the parts of `from` that `scope` sees. 0 or a negative
 * crdt_err. */
int eng_sync_doc_join(eng_sync_doc *into, const eng_sync_doc *from, int32_t scope);

/* Part i of d, made (bottom) if it was NULL. */
void *eng_sync_doc_part(eng_sync_doc *d, size_t i);

/* Frees the site maps of every site s with keep[s] == 0. */
void eng_sync_doc_drop_sites(eng_sync_doc *d, const uint8_t *keep);

/* Applies one window of a site's records (raw readings or aggregates) as
 * replica r at physical time now (each LWW write takes a stamp of clk): each (device, metric) key's count,
 * sum, min, max and latest mean; a device with a record flagged ENG_REC_ANOMALY joins the alarms, a device
 * whose records are all normal leaves them. *delta becomes a new document holding the join of the updates'
 * deltas. Returns 0 or a negative crdt_err. */
int eng_sync_doc_window(eng_sync_doc *d, crdt_replica_t r, crdt_hlc_clock *clk, rt_time_t now, uint32_t site,
                        const eng_rec *recs, size_t n, eng_sync_doc **delta);

/* Appends the parts `scope` sees, non-bottom ones only: a count, then per
 * part a tag (1 site values, 2 alarms, 3 baselines; site values followed by
 * the site and the value kind) and the part's CRDT encoding as a byte string,
 * in increasing (tag, site, kind) order. */
void eng_sync_doc_encode(const eng_sync_doc *d, int32_t scope, crdt_buf *b);
/* Reads what eng_sync_doc_encode wrote for a document of `nsites` sites
 * into a new document *out; a negative crdt_err with a message in rd. */
int eng_sync_doc_decode(crdt_rd *rd, uint32_t nsites, eng_sync_doc **out);
/* The encoded size of the parts `scope` sees. */
size_t eng_sync_doc_size(const eng_sync_doc *d, int32_t scope);

#endif
