/* The edges' end-of-stream accounting, between the edge gateways and the
 * engine in the live data flow. A process running edge gateways counts,
 * per site and partition, the records its edges produced, the readings
 * they stand for and their bytes; when its edges are done it produces one
 * end marker (live/wire.h kind 4) per site into every partition — after
 * that site's last record there, so an engine that reads the marker has
 * read every record before it — with those counts and the readings the
 * site's devices delivered for that partition. Engines in other processes
 * account for remote edges from them (live/ledger.h). Owned by the broker
 * actor. */
#ifndef LIVE_EDGE_ENDS_H
#define LIVE_EDGE_ENDS_H

#include <stdint.h>

#include "engine/rec.h"
#include "live/kafka.h"

typedef struct live_edge_ends {
    uint32_t first_site, sites; /* this process's sites: [first_site, first_site + sites) */
    uint32_t partitions, devices_per_site;
    live_wire_part_end *e; /* sites x partitions */
} live_edge_ends;

/* 0, or -1 on out of memory. */
int live_edge_ends_init(live_edge_ends *x, uint32_t first_site, uint32_t sites, uint32_t partitions,
                        uint32_t devices_per_site);
void live_edge_ends_free(live_edge_ends *x);
/* Record r went to partition p as `bytes` bytes. */
void live_edge_ends_count(live_edge_ends *x, uint32_t p, const eng_rec *r, uint64_t bytes);
/* Produces the end markers; in[i][p] is the readings local site i's
 * devices delivered for partition p. Returns how many were queued. */
uint32_t live_edge_ends_send(live_edge_ends *x, live_kafka *k, const uint64_t *const *in);

#endif
