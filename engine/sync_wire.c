/* The wire form of sync messages (sync_proto.h): a small header of varints
 * and, for deltas and states, the document in the CRDT wire format
 * (docs/crdt.md). What crosses the network in simulation is this many bytes
 * plus the transport header; the receiver decodes it as a peer would. */
#include <stdio.h>
#include <stdlib.h>

#include "engine/sync_proto.h"

int eng_sync_wire_encode(const eng_sync_msg *m, uint32_t site, uint8_t **out, size_t *len) {
    crdt_buf b;
    crdt_buf_init(&b);
    crdt_buf_u8(&b, (uint8_t)m->kind);
    crdt_buf_uvar(&b, site);
    if (m->kind == ENG_SYNC_MSG_DELTA) crdt_buf_uvar(&b, m->from);
    crdt_buf_uvar(&b, m->to);
    crdt_buf_svar(&b, m->stamp.l);
    crdt_buf_uvar(&b, m->stamp.c);
    crdt_buf_svar(&b, m->echo);
    if (m->kind != ENG_SYNC_MSG_ACK) eng_sync_doc_encode(m->doc, ENG_SYNC_ALL_SITES, &b);
    if (b.oom) {
        crdt_buf_free(&b);
        return CRDT_ENOMEM;
    }
    *out = b.p;
    *len = b.len;
    return 0;
}

int eng_sync_wire_decode(const void *p, size_t len, uint32_t nsites, uint32_t *site, eng_sync_msg *m,
                         char *err, size_t errlen) {
    crdt_rd rd;
    crdt_rd_init(&rd, p, len);
    eng_sync_msg out = {0};
    uint8_t kind;
    uint64_t s, c;
    if (crdt_rd_u8(&rd, &kind, "kind") == 0 && (kind < ENG_SYNC_MSG_DELTA || kind > ENG_SYNC_MSG_ACK))
        crdt_rd_fail(&rd, CRDT_EMALFORMED, "message kind %u is not 1, 2 or 3", kind);
    out.kind = (eng_sync_msg_kind)kind;
    if (crdt_rd_uvar(&rd, &s, "site") == 0 && s >= nsites)
        crdt_rd_fail(&rd, CRDT_EMALFORMED, "site %llu of %u", (unsigned long long)s, nsites);
    if (!rd.err && out.kind == ENG_SYNC_MSG_DELTA) crdt_rd_uvar(&rd, &out.from, "from");
    crdt_rd_uvar(&rd, &out.to, "to");
    crdt_rd_svar(&rd, &out.stamp.l, "stamp");
    if (crdt_rd_uvar(&rd, &c, "stamp counter") == 0 && c > UINT32_MAX)
        crdt_rd_fail(&rd, CRDT_EMALFORMED, "stamp counter %llu over 2^32 - 1", (unsigned long long)c);
    out.stamp.c = (uint32_t)c;
    crdt_rd_svar(&rd, &out.echo, "echo");
    if (!rd.err && out.from > out.to)
        crdt_rd_fail(&rd, CRDT_EMALFORMED, "interval [%llu, %llu)", (unsigned long long)out.from,
                     (unsigned long long)out.to);
    if (!rd.err && out.kind != ENG_SYNC_MSG_ACK) eng_sync_doc_decode(&rd, nsites, &out.doc);
    if (!rd.err && rd.pos != rd.len)
        crdt_rd_fail(&rd, CRDT_ETRAILING, "%zu bytes after the message", rd.len - rd.pos);
    if (rd.err) {
        eng_sync_doc_free(out.doc);
        if (err) snprintf(err, errlen, "%s", rd.msg);
        return rd.err;
    }
    *site = (uint32_t)s;
    *m = out;
    return 0;
}
