/* The engine's accounting per Kafka partition, which travels with the
 * partition. Where several engine processes share a topic through a
 * consumer group, and a killed engine is replaced by a new one, results
 * must be counted once: so each partition keeps its own ledger — the edges'
 * end markers read from it (readings in, sent, records, bytes per site),
 * the records and readings committed from it with their latency histogram,
 * and the (device, seq) pairs committed (live/seqset.h) — and after every
 * commit its owner persists it, with the Kafka offset to resume from, as
 * the partition's latest record in the state topic <topic>.state (same
 * partition number). Whoever is assigned the partition next resumes from
 * that record: it seeks to the offset, drops records whose pair was
 * committed before, and adds to the counts. An engine's result then covers
 * the partitions it owns at the end — from the start of the run, whoever
 * processed them before — so the results of all engines add up to the
 * whole run, each reading once.
 *
 * A record is counted when the driver commits it, if its partition is owned
 * then and its pair was not committed before. Ownership changes with the
 * group's rebalances until `freeze_at` (the run's end): from then on an
 * engine keeps what it owns, so engines that leave the group at the end do
 * not hand partitions to engines still finishing. At the very end each
 * engine reports the partitions whose latest state record it wrote
 * (live_ledger_settle): exactly one engine per partition, even one that
 * was being handed over when the run ended. Thread-safe: the poller
 * (assignments, end markers, duplicate checks) and the broker (commits,
 * persistence) share it. */
#ifndef LIVE_LEDGER_H
#define LIVE_LEDGER_H

#include <stddef.h>
#include <stdint.h>

#include "engine/metrics.h"
#include "engine/rec.h"
#include "live/rt_live.h"
#include "live/wire.h"

typedef struct live_ledger live_ledger;

/* The owned partitions' accounting summed. */
typedef struct live_ledger_totals {
    uint64_t readings_in;       /* the edges' end markers: readings received from devices */
    uint64_t readings_filtered; /* ... minus the readings their records stand for */
    uint64_t readings_out;      /* readings of committed records */
    uint64_t bus_records;       /* records the edges produced (end markers) */
    uint64_t wan_bytes;         /* their keys and values */
    uint64_t records_out;       /* distinct records committed */
    uint32_t owned;             /* partitions owned */
    uint32_t incomplete;        /* ... without every site's end marker */
} live_ledger_totals;

/* A ledger for `partitions` partitions of a run with `sites` edge sites
 * on `clock` (borrowed): its origin (epoch0) marks the run's state records,
 * and states of other runs are ignored; until the clock starts, that is
 * every state. Ownership freezes when the clock passes freeze_at. NULL on
 * out of memory. */
live_ledger *live_ledger_new(uint32_t partitions, uint32_t sites, const live_clock *clock,
                             rt_time_t freeze_at);
void live_ledger_free(live_ledger *l);

/* The clock the ledger runs on. */
const live_clock *live_ledger_clock(const live_ledger *l);
/* Whether ownership is frozen (the clock has started and passed freeze_at). */
int live_ledger_frozen(live_ledger *l);
/* p is now owned, its ledger read from its latest state record (state
 * NULL, or another run's: a fresh ledger). Returns the Kafka offset to
 * resume from, or -1 for the group's committed offset. Frozen: nothing
 * changes and -1 is returned. A malformed record is reported on stderr and
 * treated as none. */
int64_t live_ledger_assign(live_ledger *l, uint32_t p, const uint8_t *state, size_t len);
/* p is no longer owned (unless frozen): its counts leave this engine's
 * totals, the new owner carries them on from its persisted state. */
void live_ledger_revoke(live_ledger *l, uint32_t p);
int live_ledger_owned(live_ledger *l, uint32_t p);

/* 1 if (device, seq) was committed from p before: a duplicate. */
int live_ledger_committed(live_ledger *l, uint32_t p, uint32_t device, uint32_t seq);
/* An edge's end marker read from p (repeating one changes nothing). */
void live_ledger_end(live_ledger *l, uint32_t p, const live_wire_part_end *e);
/* Whether every owned partition has every site's end marker. */
int live_ledger_complete(live_ledger *l);

/* The driver committed records r[0, n) of p at run time `now`: counts,
 * if p is owned, those whose pair was not committed before, and their
 * latency now - ts (weighted by count) unless `no_latency`. */
void live_ledger_commit(live_ledger *l, uint32_t p, const eng_rec *r, size_t n, rt_time_t now,
                        int no_latency);

/* Receives a partition's state record (valid during the call). */
typedef void (*live_ledger_persist_fn)(void *ctx, uint32_t p, const uint8_t *state, size_t len);
/* If p is owned and its ledger changed since it was last persisted (or
 * `force`), encodes it with `resume` (the Kafka offset of its first record
 * not yet accounted for; < 0: unchanged) and hands it to fn — under the
 * ledger's lock, so that no revocation falls between. */
void live_ledger_persist(live_ledger *l, uint32_t p, int64_t resume, int force, live_ledger_persist_fn fn,
                         void *ctx);

/* After the run: p's latest state record (NULL: none) decides whether this
 * engine reports p — if this run's record was written by this process. A
 * partition without a record of this run stays as it is. */
void live_ledger_settle(live_ledger *l, uint32_t p, const uint8_t *state, size_t len);

/* The owned partitions' totals; `latency` (may be NULL) is reset and
 * filled with their committed readings' latencies. */
void live_ledger_sum(live_ledger *l, live_ledger_totals *t, eng_hist *latency);

#endif
