/* The device publishers' resend buffer, between the devices and the MQTT
 * broker in the live data flow. A reading published with QoS 1 stays here
 * until its edge gateway acknowledges it end to end (live/wire.h kind 3 on
 * sparkiot/ack/<site>, sent once the reading is in the gateway's hands), and
 * is due for publishing again while unacknowledged: the broker's own PUBACK
 * is not enough, because a broker killed with -9 loses messages it has
 * acknowledged but not yet delivered, and a gateway that was not subscribed
 * at the time never got them. Thread-safe: acknowledgements arrive on the
 * MQTT network thread while the publisher adds and resends. */
#ifndef LIVE_UNACKED_H
#define LIVE_UNACKED_H

#include <stddef.h>
#include <stdint.h>

#include "engine/rec.h"

typedef struct live_unacked live_unacked;

/* An empty buffer; NULL on out of memory. Free with live_unacked_free. */
live_unacked *live_unacked_new(void);
void live_unacked_free(live_unacked *u);
/* Keeps a copy of reading r, sent at `now`. A reading already held is
 * left as it is. Aborts on out of memory. */
void live_unacked_add(live_unacked *u, const eng_rec *r, rt_time_t now);
/* Forgets (device, seq); 1 if it was held, 0 if not (acknowledged twice). */
int live_unacked_ack(live_unacked *u, uint32_t device, uint32_t seq);
size_t live_unacked_count(live_unacked *u);
/* Copies up to `max` readings last sent before `before` into out[] (in no
 * particular order), marks them sent at `now`, and returns how many: the
 * caller publishes them again. */
size_t live_unacked_due(live_unacked *u, rt_time_t before, rt_time_t now, eng_rec *out, size_t max);

#endif
