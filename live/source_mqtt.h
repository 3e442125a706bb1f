/* The edge's live source: an engine source (engine/source.h) whose
 * readings come from MQTT instead of a generator. One subscriber per site,
 * connected and subscribed to sparkiot/<site>/+ before the run's clock
 * starts (so no early reading is missed), collects readings on the MQTT
 * network thread, dropping (device, seq) pairs already seen. The edge's
 * emit(t0, t1) waits until t1 + grace on the wall clock and returns every
 * reading received with device time before t1 (a reading that missed its
 * own slice goes out with the next one and is counted as late). The slice
 * that ends at the run's duration also waits for the site's end marker
 * and for as many readings as the marker says were published, as long as
 * readings keep arriving: it gives up after end_wait without any. With QoS 1 the subscriber acknowledges
 * every reading it receives (duplicates too, so a lost acknowledgement is made good) and the end marker to
 * the site's devices on sparkiot/ack/<site>, in batches of at most LIVE_WIRE_ACK_MAX, at least every
 * LIVE_ACK_EVERY and at each slice. */
#ifndef LIVE_SOURCE_MQTT_H
#define LIVE_SOURCE_MQTT_H

#include <stdint.h>

#include "engine/source.h"
#include "live/mqtt.h"
#include "live/recorder.h"
#include "live/rt_live.h"

#define LIVE_ACK_EVERY (20 * RT_MS)

typedef struct live_source_stats {
    uint64_t received;   /* distinct readings returned to the edge */
    uint64_t duplicates; /* delivered again and dropped */
    uint64_t late;       /* returned in a slice after their own */
    uint64_t after_end;  /* arrived after the last slice: not returned */
    uint64_t undecodable;
    uint64_t published; /* what the site's end marker announced */
    int end_seen;
} live_source_stats;

typedef struct live_mqtt_sub live_mqtt_sub;

/* Connects and subscribes site `site`'s subscriber (waits for the broker's
 * SUBACK at most timeout_ms). `partitions` is the bus's partition count,
 * for live_mqtt_sub_in. NULL with a message on failure. Free with
 * live_mqtt_sub_free after the run. */
live_mqtt_sub *live_mqtt_sub_open(const live_mqtt_addr *a, uint32_t site, uint32_t partitions,
                                  const live_clock *clock, rt_time_t dedup_horizon, int timeout_ms, char *err,
                                  size_t errlen);
/* Disconnects and frees; the stats stay valid until then. NULL allowed. */
void live_mqtt_sub_free(live_mqtt_sub *s);
const live_source_stats *live_mqtt_sub_stats(const live_mqtt_sub *s);
/* Readings returned to the edge per bus partition of their device
 * (eng_partition_of): `partitions` counts, valid until the free. */
const uint64_t *live_mqtt_sub_in(const live_mqtt_sub *s);

/* The source's options: open(opts, site, ...) takes subs[site]. */
typedef struct live_mqtt_source_opts {
    live_mqtt_sub **subs; /* one per site, borrowed for the run */
    const live_clock *clock;
    rt_time_t grace;         /* wait after a slice's end for its readings */
    rt_time_t duration;      /* the run's duration: the final slice's end */
    rt_time_t end_wait;      /* final slice: longest wait without a new reading */
    live_recorder *recorder; /* records every reading returned to an edge; may be NULL */
} live_mqtt_source_opts;

const eng_source_ops *live_mqtt_source(void);

#endif
