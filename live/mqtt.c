/* MQTT clients for the live bus (see live/mqtt.h): address parsing, topic
 * names, and connections whose CONNACK is awaited with a bound, so a wrong
 * --mqtt fails fast with a clear message. */
#include "live/mqtt.h"

#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

static pthread_once_t lib_once = PTHREAD_ONCE_INIT;
static void lib_init(void) { mosquitto_lib_init(); }

int live_mqtt_parse(const char *hostport, live_mqtt_addr *a, char *err, size_t errlen) {
    const char *colon = strrchr(hostport, ':');
    char *end;
    long port = colon ? strtol(colon + 1, &end, 10) : 0;
    if (!colon || colon == hostport || (size_t)(colon - hostport) >= sizeof a->host || !colon[1] || *end ||
        port < 1 || port > 65535) {
        snprintf(err, errlen, "--mqtt expects HOST:PORT (port 1..65535), got '%s'", hostport);
        return -1;
    }
    memcpy(a->host, hostport, (size_t)(colon - hostport));
    a->host[colon - hostport] = 0;
    a->port = (int)port;
    return 0;
}

void live_mqtt_topic(char *buf, size_t len, uint32_t site, uint32_t device) {
    snprintf(buf, len, LIVE_MQTT_PREFIX "/%u/%u", site, device);
}
void live_mqtt_end_topic(char *buf, size_t len, uint32_t site) {
    snprintf(buf, len, LIVE_MQTT_PREFIX "/%u/end", site);
}
void live_mqtt_filter(char *buf, size_t len, uint32_t site) {
    snprintf(buf, len, LIVE_MQTT_PREFIX "/%u/+", site);
}
void live_mqtt_ack_topic(char *buf, size_t len, uint32_t site) {
    snprintf(buf, len, LIVE_MQTT_PREFIX "/ack/%u", site);
}

static void cb_connect(struct mosquitto *m, void *obj, int rc) {
    live_mqtt_conn *c = obj;
    if (rc != 0) {
        atomic_store(&c->state, -rc);
        return;
    }
    if (c->on_connect) c->on_connect(c);
    atomic_store(&c->state, 1);
}

static void cb_message(struct mosquitto *m, void *obj, const struct mosquitto_message *msg) {
    live_mqtt_conn *c = obj;
    if (c->on_message) c->on_message(c, msg);
}

static void cb_publish(struct mosquitto *m, void *obj, int mid) {
    live_mqtt_conn *c = obj;
    if (c->on_publish) c->on_publish(c, mid);
}

static void cb_subscribe(struct mosquitto *m, void *obj, int mid, int n, const int *granted) {
    live_mqtt_conn *c = obj;
    if (c->on_subscribe) c->on_subscribe(c, mid);
}

static void nap_ms(int ms) {
    struct timespec ts = {ms / 1000, (long)(ms % 1000) * 1000000L};
    nanosleep(&ts, NULL);
}

int live_mqtt_connect(live_mqtt_conn *c, const live_mqtt_addr *a, const char *client_id, int timeout_ms,
                      char *err, size_t errlen) {
    pthread_once(&lib_once, lib_init);
    atomic_store(&c->state, 0);
    c->mosq = mosquitto_new(client_id, true, c);
    if (!c->mosq) {
        snprintf(err, errlen, "cannot create an MQTT client: %s", strerror(errno));
        return -1;
    }
    mosquitto_connect_callback_set(c->mosq, cb_connect);
    mosquitto_message_callback_set(c->mosq, cb_message);
    mosquitto_publish_callback_set(c->mosq, cb_publish);
    mosquitto_subscribe_callback_set(c->mosq, cb_subscribe);
    mosquitto_int_option(c->mosq, MOSQ_OPT_TCP_NODELAY, 1);
    mosquitto_max_inflight_messages_set(c->mosq, 1000);
    mosquitto_reconnect_delay_set(c->mosq, 1, 8, true);
    int rc = mosquitto_connect(c->mosq, a->host, a->port, 30);
    if (rc == MOSQ_ERR_SUCCESS) rc = mosquitto_loop_start(c->mosq);
    if (rc != MOSQ_ERR_SUCCESS) {
        snprintf(err, errlen, "cannot reach the MQTT broker at %s:%d: %s", a->host, a->port,
                 rc == MOSQ_ERR_ERRNO ? strerror(errno) : mosquitto_strerror(rc));
        mosquitto_destroy(c->mosq);
        c->mosq = NULL;
        return -1;
    }
    for (int waited = 0; atomic_load(&c->state) == 0 && waited < timeout_ms; waited += 5) nap_ms(5);
    int state = atomic_load(&c->state);
    if (state == 1) return 0;
    if (state < 0)
        snprintf(err, errlen, "the MQTT broker at %s:%d refused the connection: %s", a->host, a->port,
                 mosquitto_connack_string(-state));
    else
        snprintf(err, errlen, "the MQTT broker at %s:%d did not answer within %d ms", a->host, a->port,
                 timeout_ms);
    live_mqtt_close(c);
    return -1;
}

void live_mqtt_close(live_mqtt_conn *c) {
    if (!c->mosq) return;
    mosquitto_disconnect(c->mosq);
    mosquitto_loop_stop(c->mosq, false);
    mosquitto_destroy(c->mosq);
    c->mosq = NULL;
}

int live_mqtt_check(const live_mqtt_addr *a, int timeout_ms, char *err, size_t errlen) {
    live_mqtt_conn c = {0};
    char id[64];
    snprintf(id, sizeof id, "sparkiot-check-%ld", (long)getpid());
    if (live_mqtt_connect(&c, a, id, timeout_ms, err, errlen) != 0) return -1;
    live_mqtt_close(&c);
    return 0;
}
