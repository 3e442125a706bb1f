/* The delta anti-entropy protocol of edge-cloud sync, as a pure state
 * machine: no runtime, no clock reading, no randomness. The sync agents
 * (sync_edge.c, sync_cloud.c) are thin loops that feed it local updates,
 * received messages and the time, and send what it emits.
 *
 * It follows Almeida, Shoker and Baquero, "Delta state replicated data
 * types" (JPDC 2018), Algorithm 2: every local update's delta, and every
 * received delta that grew the state, becomes a numbered entry of a delta
 * buffer; a peer is sent the join of the entries it has not acknowledged,
 * never the ones that came from it, and acknowledges the highest number it
 * has everything below. Retransmission is the policy's business (it sees how
 * long ago the last send was and how many sends are unacknowledged). Entries
 * every interested peer has acknowledged leave the buffer; an entry left
 * unacknowledged for `full_after` leaves it too, and a peer that still needed
 * it is sent the whole state (projected to what it holds) instead. Merging is
 * a join, so loss, duplication and reordering only delay convergence. */
#ifndef ENG_SYNC_PROTO_H
#define ENG_SYNC_PROTO_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "engine/crdt/hlc.h"
#include "engine/sync.h"
#include "engine/sync_doc.h"

#define ENG_SYNC_LOCAL (-1) /* origin of an entry made by this replica */

typedef enum { ENG_SYNC_MSG_DELTA = 1, ENG_SYNC_MSG_STATE = 2, ENG_SYNC_MSG_ACK = 3 } eng_sync_msg_kind;

/* An update a message carries: measurement only, never on the wire. */
typedef struct eng_sync_vis {
    uint64_t seq;      /* the sender's entry number */
    rt_time_t applied; /* when the sender applied it */
} eng_sync_vis;

typedef struct eng_sync_msg {
    eng_sync_msg_kind kind;
    uint64_t from, to; /* delta: the sender's entries [from, to); state: [0, to);
                          ack: the acknowledger has every entry of the other side below `to` */
    crdt_hlc stamp;    /* the sender's hybrid logical clock at sending */
    rt_time_t echo;    /* delta, state: when it was sent; ack: the `echo` of the message it answers */
    eng_sync_doc *doc; /* delta, state: the payload (owned) */
    eng_sync_vis *vis; /* delta, state: the entries it carries that the peer has not acknowledged (owned) */
    size_t nvis;
} eng_sync_msg;

/* Frees the payload and the measurement list; the message is zeroed. */
void eng_sync_msg_clear(eng_sync_msg *m);

/* Per-entry facts kept for every entry ever made (small, never dropped). */
typedef struct eng_sync_meta {
    rt_time_t applied;
    int32_t origin; /* ENG_SYNC_LOCAL or the peer it came from */
    int32_t site;   /* whose site values it holds (ENG_SYNC_ALL_SITES, ENG_SYNC_SITE_NONE or a site) */
    bool shared;    /* it holds alarms or baselines */
    uint32_t site_bytes, shared_bytes; /* encoded sizes of those parts */
} eng_sync_meta;

typedef struct eng_sync_peer {
    int32_t scope;        /* the site whose values the peer holds, or ENG_SYNC_ALL_SITES */
    uint64_t acked;       /* the peer has every entry below this */
    uint64_t lost;        /* entries below this that the peer needed were dropped: state while acked < lost */
    uint64_t sent;        /* the end of the last interval sent */
    uint64_t recv;        /* this replica has every entry of the peer below this */
    rt_time_t last_send;  /* -1 before the first */
    uint32_t outstanding; /* sends since the peer's acknowledgements last advanced (1 after an advance
                             that leaves some in flight) */
    rt_time_t srtt;       /* smoothed round trip (RFC 6298 gain 1/8); 0 before the first sample */
} eng_sync_peer;

typedef struct eng_sync_proto {
    crdt_replica_t replica;
    crdt_hlc_clock clock;
    eng_sync_doc *state; /* this replica (owned) */
    uint64_t seq;        /* the next entry's number */
    eng_sync_meta *meta; /* meta[k] for every entry k < seq */
    size_t capmeta;
    eng_sync_doc **buf; /* buf[k - base] is entry k's delta, base <= k < seq */
    uint64_t base;
    size_t capbuf;
    eng_sync_peer *peers;
    uint32_t npeers;
    rt_time_t full_after;
    rt_time_t latency; /* the one-way latency a peer is assumed to have before a round trip is measured */
    double rate;       /* entries per second, exponentially decayed over ENG_SYNC_RATE_TAU */
    rt_time_t rate_at;
} eng_sync_proto;

#define ENG_SYNC_RATE_TAU (10 * RT_S)

/* Called for each update of a peer that a merge made visible here. */
typedef void (*eng_sync_visible_fn)(void *ctx, uint32_t peer, rt_time_t applied, rt_time_t now);

/* A replica with an empty state of `nsites` sites and npeers peers, peer j
 * holding scopes[j]. Aborts on out of memory. */
void eng_sync_proto_init(eng_sync_proto *p, crdt_replica_t replica, uint32_t nsites, const int32_t *scopes,
                         uint32_t npeers, rt_time_t full_after, rt_time_t latency);
void eng_sync_proto_free(eng_sync_proto *p);

/* Buffers `delta` (ownership passes), the delta of an update already
 * applied to p->state, as a local entry made at `now`. Bottom deltas are
 * freed and make no entry. */
void eng_sync_proto_local(eng_sync_proto *p, eng_sync_doc *delta, rt_time_t now);

/* What a policy sees about peer j. */
void eng_sync_proto_observe(eng_sync_proto *p, uint32_t j, rt_time_t now, eng_sync_obs *obs);

/* Fills *out with a message for peer j: the join of the entries it has not
 * acknowledged (ENG_SYNC_SEND_DELTA) or the state projected to its scope
 * (ENG_SYNC_SEND_STATE, and always while the peer needs a state). */
void eng_sync_proto_emit(eng_sync_proto *p, uint32_t j, eng_sync_action what, rt_time_t now,
                         eng_sync_msg *out);

/* Handles message m from peer j at `now`; m's payload is consumed (its doc
 * may move into the buffer). A delta or state is merged, `visible` is called
 * for every update it made visible, and *ack is filled with the
 * acknowledgement to send back; the return has ENG_SYNC_GREW if the state
 * grew and ENG_SYNC_NEWS if it grew in parts another peer holds (so they may
 * be sent something new). An acknowledgement advances the peer's
 * acknowledged number and round-trip estimate; the return is 0 and *ack is
 * untouched. */
enum { ENG_SYNC_GREW = 1, ENG_SYNC_NEWS = 2 };
int eng_sync_proto_receive(eng_sync_proto *p, uint32_t j, eng_sync_msg *m, rt_time_t now,
                           eng_sync_visible_fn visible, void *ctx, eng_sync_msg *ack);

/* Drops buffered entries older than full_after (applied before now -
 * full_after); a peer that had not acknowledged one it needed will be sent
 * the whole state. */
void eng_sync_proto_expire(eng_sync_proto *p, rt_time_t now);

/* The wire form of message m on the link of edge site `site`:
 *   u8 kind (1 delta, 2 state, 3 ack), uvar site, uvar from (delta only),
 *   uvar to, svar stamp.l, uvar stamp.c, svar echo, then for a delta or a
 *   state the document (eng_sync_doc_encode).
 * The measurement list is not part of it. *out is a malloc'd buffer of *len
 * bytes the caller frees; 0 or CRDT_ENOMEM. */
int eng_sync_wire_encode(const eng_sync_msg *m, uint32_t site, uint8_t **out, size_t *len);
/* Reads exactly len bytes of a message for a document of `nsites` sites
 * into *m (its doc owned by m) and the link's site into *site; a negative
 * crdt_err with a message naming the byte offset otherwise (m untouched). */
int eng_sync_wire_decode(const void *p, size_t len, uint32_t nsites, uint32_t *site, eng_sync_msg *m,
                         char *err, size_t errlen);

#endif
