/* The MQTT side of the live bus: broker addresses, client connections with
 * bounded waits, the topic names, and the private mosquitto a run starts
 * when no --mqtt broker is given. Devices publish each reading to
 * sparkiot/<site>/<device> (payload: live/wire.h) and, when their site is
 * done, the end marker to sparkiot/<site>/end; each edge subscribes to
 * sparkiot/<site>/+ and acknowledges what it received on
 * sparkiot/ack/<site>. */
#ifndef LIVE_MQTT_H
#define LIVE_MQTT_H

#include <mosquitto.h>
#include <stdatomic.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#define LIVE_MQTT_PREFIX "sparkiot"

typedef struct live_mqtt_addr {
    char host[256];
    int port;
    int qos; /* 0 or 1 */
} live_mqtt_addr;

/* Parses HOST:PORT. 0, or -1 with a message. */
int live_mqtt_parse(const char *hostport, live_mqtt_addr *a, char *err, size_t errlen);
/* sparkiot/<site>/<device>, sparkiot/<site>/end, sparkiot/<site>/+, and
 * the edge's acknowledgements to its devices, sparkiot/ack/<site>. */
void live_mqtt_topic(char *buf, size_t len, uint32_t site, uint32_t device);
void live_mqtt_end_topic(char *buf, size_t len, uint32_t site);
void live_mqtt_filter(char *buf, size_t len, uint32_t site);
void live_mqtt_ack_topic(char *buf, size_t len, uint32_t site);

/* A client whose network loop runs on libmosquitto's own thread and
 * reconnects by itself after a lost connection, waiting 1 s, then longer
 * after each failed attempt (libmosquitto's backoff) up to 8 s. Embed it first in the owner's struct and set
 * the callbacks (each may be NULL) before connecting; they run on the network thread. on_connect runs after
 * every (re)connection: the place to subscribe. */
typedef struct live_mqtt_conn live_mqtt_conn;
struct live_mqtt_conn {
    struct mosquitto *mosq;
    atomic_int state; /* 0 connecting, 1 connected, < 0 refused (-CONNACK code) */
    void (*on_connect)(live_mqtt_conn *c);
    void (*on_message)(live_mqtt_conn *c, const struct mosquitto_message *m);
    void (*on_publish)(live_mqtt_conn *c, int mid);
    void (*on_subscribe)(live_mqtt_conn *c, int mid);
};

/* Connects `c` as `client_id` and waits at most timeout_ms for the
 * broker's acceptance. 0, or -1 with a message naming the broker (nothing
 * is left to close then). */
int live_mqtt_connect(live_mqtt_conn *c, const live_mqtt_addr *a, const char *client_id, int timeout_ms,
                      char *err, size_t errlen);
/* Disconnects, stops the network thread and frees the client. */
void live_mqtt_close(live_mqtt_conn *c);
/* Whether the broker at `a` accepts a connection within timeout_ms. */
int live_mqtt_check(const live_mqtt_addr *a, int timeout_ms, char *err, size_t errlen);

/* A private mosquitto on a free 127.0.0.1 port, with a generated
 * configuration (listener <port> 127.0.0.1, anonymous clients, no
 * persistence, unbounded queues) in a temporary folder. */
typedef struct live_mosquitto {
    pid_t pid;
    int port;
    char dir[64]; /* the temporary folder (config and log) */
} live_mosquitto;

/* Starts one (port 0: any free port, else that port) and waits until it
 * accepts connections (at most 5 s). 0, or -1 with a message (naming the
 * Debian package if the binary is missing). */
int live_mosquitto_start(live_mosquitto *m, int port, char *err, size_t errlen);
/* Stops it (SIGTERM, then SIGKILL after 2 s); with `keep_dir` the folder
 * stays for a restart on the same port. */
void live_mosquitto_stop(live_mosquitto *m, int keep_dir);
/* Kills it at once with SIGKILL (fault injection); the folder stays. */
void live_mosquitto_kill(live_mosquitto *m);

#endif
