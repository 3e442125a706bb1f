/* The edges' end markers (see live/edge_ends.h). */
#include "live/edge_ends.h"

#include <stdio.h>
#include <stdlib.h>

int live_edge_ends_init(live_edge_ends *x, uint32_t first_site, uint32_t sites, uint32_t partitions,
                        uint32_t devices_per_site) {
    *x = (live_edge_ends){.first_site = first_site,
                          .sites = sites,
                          .partitions = partitions,
                          .devices_per_site = devices_per_site ? devices_per_site : 1};
    x->e = calloc((size_t)sites * partitions + 1, sizeof *x->e);
    if (!x->e) return -1;
    for (uint32_t i = 0; i < sites; i++)
        for (uint32_t p = 0; p < partitions; p++)
            x->e[(size_t)i * partitions + p] = (live_wire_part_end){.site = first_site + i, .partition = p};
    return 0;
}

void live_edge_ends_free(live_edge_ends *x) {
    free(x->e);
    x->e = NULL;
}

void live_edge_ends_count(live_edge_ends *x, uint32_t p, const eng_rec *r, uint64_t bytes) {
    uint32_t site = r->device / x->devices_per_site;
    if (site < x->first_site || site - x->first_site >= x->sites || p >= x->partitions) return;
    live_wire_part_end *e = &x->e[(size_t)(site - x->first_site) * x->partitions + p];
    e->records++;
    e->readings_out += r->count;
    e->bytes += bytes;
}

uint32_t live_edge_ends_send(live_edge_ends *x, live_kafka *k, const uint64_t *const *in) {
    uint32_t sent = 0;
    for (uint32_t i = 0; i < x->sites; i++)
        for (uint32_t p = 0; p < x->partitions; p++) {
            live_wire_part_end *e = &x->e[(size_t)i * x->partitions + p];
            e->readings_in = in[i][p];
            uint8_t buf[LIVE_WIRE_PART_END_BYTES];
            char key[32];
            snprintf(key, sizeof key, "end-%u", e->site);
            size_t len = live_wire_encode_part_end(e, buf);
            sent += live_kafka_produce_control(k, 0, p, key, buf, len) == 0;
        }
    return sent;
}
