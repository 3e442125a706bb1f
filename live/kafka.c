/* The Kafka connection of a live process (see live/kafka.h): client
 * configuration, the mock cluster, set-up of the topic and its state
 * topic, producing and committing. Assignments are in live/kafka_group.c. */
#include "live/kafka.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "live/wire.h"

static void on_log(const rd_kafka_t *rk, int level, const char *fac, const char *buf) {
    if (level <= 3) fprintf(stderr, "sparkiot: kafka: %s: %s\n", fac, buf);
}

/* The message opaque of end markers and state records. */
static char control_tag;

static void on_delivery(rd_kafka_t *rk, const rd_kafka_message_t *m, void *opaque) {
    live_kafka *k = opaque;
    int control = m->_private == &control_tag;
    if (m->err) {
        if (atomic_fetch_add(control ? &k->control_failed : &k->failed, 1) == 0)
            fprintf(stderr, "sparkiot: kafka: %s was not delivered: %s\n",
                    control ? "an end marker or state record" : "a record", rd_kafka_err2str(m->err));
    } else {
        atomic_fetch_add(control ? &k->control_delivered : &k->delivered, 1);
    }
}

static int set(rd_kafka_conf_t *c, const char *key, const char *value, char *err, size_t errlen) {
    char e[256];
    if (rd_kafka_conf_set(c, key, value, e, sizeof e) == RD_KAFKA_CONF_OK) return 0;
    snprintf(err, errlen, "kafka setting %s=%s: %s", key, value, e);
    return -1;
}

/* Applies one "key=value" setting. */
static int set_kv(rd_kafka_conf_t *c, const char *kv, char *err, size_t errlen) {
    char key[256];
    const char *eq = strchr(kv, '=');
    if (!eq || eq == kv || (size_t)(eq - kv) >= sizeof key) {
        snprintf(err, errlen, "--kafka-config expects key=value, got '%s'", kv);
        return -1;
    }
    memcpy(key, kv, (size_t)(eq - kv));
    key[eq - kv] = 0;
    return set(c, key, eq + 1, err, errlen);
}

/* An edge hands the producer a whole slice at once, so a short linger
 * still makes one batch of it; the mock cluster holds back an empty fetch
 * for the whole fetch.wait.max.ms even when records arrive meanwhile (and
 * answers a fetch with one produce batch per partition), so a long wait
 * delays records that arrive every few ms (5 ms: half-load p50 1.5 ms
 * higher than 2 ms). */
static const char *const producer_kv[] = {"enable.idempotence=true", "acks=all", "linger.ms=0.5", NULL};
static const char *const consumer_kv[] = {"enable.auto.commit=false",   "enable.auto.offset.store=false",
                                          "auto.offset.reset=earliest", "fetch.wait.max.ms=2",
                                          "enable.partition.eof=false", "session.timeout.ms=6000",
                                          "heartbeat.interval.ms=1000", NULL};

/* A producer or consumer (`group`: its group; NULL: a reader of the state
 * topic): our settings, then the user's pass-through ones. */
static rd_kafka_t *client(live_kafka *k, const live_kafka_opts *o, rd_kafka_type_t type, const char *group,
                          char *err, size_t errlen) {
    rd_kafka_conf_t *c = rd_kafka_conf_new();
    rd_kafka_conf_set_log_cb(c, on_log);
    rd_kafka_conf_set_opaque(c, k);
    char tmo[32], e[512];
    snprintf(tmo, sizeof tmo, "%d", o->timeout_ms);
    const char *const *ours = type == RD_KAFKA_PRODUCER ? producer_kv : consumer_kv;
    if (set(c, "bootstrap.servers", k->bootstrap, err, errlen) ||
        set(c, "socket.connection.setup.timeout.ms", tmo, err, errlen))
        goto fail;
    for (size_t i = 0; ours[i]; i++)
        if (set_kv(c, ours[i], err, errlen)) goto fail;
    if (type == RD_KAFKA_CONSUMER && set(c, "group.id", group ? group : "sparkiot.state-reader", err, errlen))
        goto fail;
    if (type == RD_KAFKA_PRODUCER) rd_kafka_conf_set_dr_msg_cb(c, on_delivery);
    if (group && o->group_member) rd_kafka_conf_set_rebalance_cb(c, live__kafka_rebalance);
    for (size_t i = 0; i < o->nconfig; i++)
        if (set_kv(c, o->config[i], err, errlen)) goto fail;
    rd_kafka_t *rk = rd_kafka_new(type, c, e, sizeof e);
    if (rk) return rk;
    snprintf(err, errlen, "cannot create a kafka client: %s", e);
fail:
    rd_kafka_conf_destroy(c);
    return NULL;
}

static int start_mock(live_kafka *k, const live_kafka_opts *o, char *err, size_t errlen) {
    rd_kafka_conf_t *c = rd_kafka_conf_new();
    char e[512];
    rd_kafka_conf_set_log_cb(c, on_log);
    k->mock_owner = rd_kafka_new(RD_KAFKA_PRODUCER, c, e, sizeof e);
    if (!k->mock_owner) {
        rd_kafka_conf_destroy(c);
        snprintf(err, errlen, "cannot create a kafka client: %s", e);
        return -1;
    }
    k->mock = rd_kafka_mock_cluster_new(k->mock_owner, 1);
    if (!k->mock) {
        snprintf(err, errlen, "cannot start librdkafka's mock cluster");
        return -1;
    }
    snprintf(k->bootstrap, sizeof k->bootstrap, "%s", rd_kafka_mock_cluster_bootstraps(k->mock));
    const char *topics[] = {k->topic, k->state_topic};
    for (int i = 0; i < 2; i++) {
        rd_kafka_resp_err_t te = rd_kafka_mock_topic_create(k->mock, topics[i], (int)o->partitions, 1);
        if (te) {
            snprintf(err, errlen, "mock cluster: cannot create topic %s: %s", topics[i],
                     rd_kafka_err2str(te));
            return -1;
        }
    }
    return 0;
}

/* Creates topic `name` on a real cluster (an existing one is fine). */
static int create_topic(live_kafka *k, rd_kafka_t *rk, const char *name, char *err, size_t errlen) {
    char e[512];
    rd_kafka_NewTopic_t *t = rd_kafka_NewTopic_new(name, (int)k->partitions, -1, e, sizeof e);
    if (!t) {
        snprintf(err, errlen, "topic %s: %s", name, e);
        return -1;
    }
    rd_kafka_queue_t *q = rd_kafka_queue_new(rk);
    rd_kafka_AdminOptions_t *ao = rd_kafka_AdminOptions_new(rk, RD_KAFKA_ADMIN_OP_CREATETOPICS);
    rd_kafka_AdminOptions_set_request_timeout(ao, k->timeout_ms, e, sizeof e);
    rd_kafka_CreateTopics(rk, &t, 1, ao, q);
    rd_kafka_event_t *ev = rd_kafka_queue_poll(q, k->timeout_ms + 1000);
    int rc = -1;
    const rd_kafka_CreateTopics_result_t *res = ev ? rd_kafka_event_CreateTopics_result(ev) : NULL;
    if (!ev) {
        snprintf(err, errlen, "kafka at %s: no answer to creating topic %s", k->bootstrap, name);
    } else if (rd_kafka_event_error(ev)) {
        snprintf(err, errlen, "kafka at %s: creating topic %s: %s", k->bootstrap, name,
                 rd_kafka_event_error_string(ev));
    } else if (res) {
        size_t n;
        const rd_kafka_topic_result_t **tr = rd_kafka_CreateTopics_result_topics(res, &n);
        rd_kafka_resp_err_t te = n ? rd_kafka_topic_result_error(tr[0]) : RD_KAFKA_RESP_ERR_NO_ERROR;
        if (te == RD_KAFKA_RESP_ERR_NO_ERROR || te == RD_KAFKA_RESP_ERR_TOPIC_ALREADY_EXISTS)
            rc = 0;
        else
            snprintf(err, errlen, "kafka at %s: creating topic %s: %s", k->bootstrap, name,
                     rd_kafka_err2str(te));
    }
    if (ev) rd_kafka_event_destroy(ev);
    rd_kafka_AdminOptions_destroy(ao);
    rd_kafka_queue_destroy(q);
    rd_kafka_NewTopic_destroy(t);
    return rc;
}

/* Reaches the cluster and checks topic `name`'s partition count: 0, -1 if
 * the topic is missing or has another count, -2 if the cluster is out of
 * reach. */
static int check_topic(live_kafka *k, rd_kafka_t *rk, const char *name, char *err, size_t errlen) {
    rd_kafka_topic_t *t = rd_kafka_topic_new(rk, name, NULL);
    const struct rd_kafka_metadata *md = NULL;
    rd_kafka_resp_err_t e = rd_kafka_metadata(rk, 0, t, &md, k->timeout_ms);
    int rc = -1;
    if (e) {
        rc = -2;
        snprintf(err, errlen, "cannot reach kafka at %s within %d ms: %s", k->bootstrap, k->timeout_ms,
                 rd_kafka_err2str(e));
    } else if (md->topic_cnt != 1 || md->topics[0].err) {
        snprintf(err, errlen, "kafka at %s: topic %s: %s", k->bootstrap, name,
                 md->topic_cnt ? rd_kafka_err2str(md->topics[0].err) : "missing");
    } else if ((uint32_t)md->topics[0].partition_cnt != k->partitions) {
        snprintf(err, errlen, "kafka at %s: topic %s has %d partitions but bus.partitions is %u",
                 k->bootstrap, name, md->topics[0].partition_cnt, k->partitions);
    } else {
        rc = 0;
    }
    if (md) rd_kafka_metadata_destroy(md);
    rd_kafka_topic_destroy(t);
    return rc;
}

/* Checks topic `name`, creating it on a real cluster that lacks it. */
static int ensure_topic(live_kafka *k, rd_kafka_t *rk, const char *name, char *err, size_t errlen) {
    int rc = check_topic(k, rk, name, err, errlen);
    if (rc == -1 && !k->mock) /* reachable, but the topic is missing or wrong */
        rc = create_topic(k, rk, name, err, errlen) ? -1 : check_topic(k, rk, name, err, errlen);
    return rc;
}

/* The consumer: a member of the group, or every partition assigned. */
static int start_consumer(live_kafka *k, const live_kafka_opts *o, char *err, size_t errlen) {
    if (!(k->consumer = client(k, o, RD_KAFKA_CONSUMER, o->group, err, errlen))) return -1;
    k->queue = rd_kafka_queue_get_consumer(k->consumer);
    /* the consumer's own metadata of the topic: without it, its partitions
     * find their leader at librdkafka's next one-second scan */
    if (check_topic(k, k->consumer, k->topic, err, errlen) != 0) return -1;
    if (!o->group_member) return live__kafka_assign_all(k, err, errlen);
    rd_kafka_topic_partition_list_t *l = rd_kafka_topic_partition_list_new(1);
    rd_kafka_topic_partition_list_add(l, k->topic, RD_KAFKA_PARTITION_UA);
    rd_kafka_resp_err_t e = rd_kafka_subscribe(k->consumer, l);
    rd_kafka_topic_partition_list_destroy(l);
    if (e)
        snprintf(err, errlen, "kafka at %s: subscribing to %s: %s", k->bootstrap, k->topic,
                 rd_kafka_err2str(e));
    return e ? -1 : 0;
}

live_kafka *live_kafka_open(const live_kafka_opts *o, char *err, size_t errlen) {
    live_kafka *k = calloc(1, sizeof *k);
    if (!k) {
        snprintf(err, errlen, "out of memory");
        return NULL;
    }
    snprintf(k->topic, sizeof k->topic, "%s", o->topic);
    snprintf(k->state_topic, sizeof k->state_topic, "%s.state", o->topic);
    k->partitions = o->partitions;
    k->timeout_ms = o->timeout_ms;
    k->ledger = o->ledger;
    if (o->bootstrap)
        snprintf(k->bootstrap, sizeof k->bootstrap, "%s", o->bootstrap);
    else if (start_mock(k, o, err, errlen))
        goto fail;
    if (o->produce && !(k->producer = client(k, o, RD_KAFKA_PRODUCER, NULL, err, errlen))) goto fail;
    if (o->consume && !(k->state_reader = client(k, o, RD_KAFKA_CONSUMER, NULL, err, errlen))) goto fail;
    rd_kafka_t *any = k->producer ? k->producer : k->state_reader;
    if (any && (ensure_topic(k, any, k->topic, err, errlen) != 0 ||
                (o->consume && ensure_topic(k, any, k->state_topic, err, errlen) != 0)))
        goto fail;
    if (o->consume && start_consumer(k, o, err, errlen) != 0) goto fail;
    return k;
fail:
    live_kafka_close(k, 0);
    return NULL;
}

void live_kafka_close(live_kafka *k, int timeout_ms) {
    if (!k) return;
    if (k->queue) rd_kafka_queue_destroy(k->queue);
    if (k->consumer) {
        rd_kafka_consumer_close(k->consumer);
        rd_kafka_destroy(k->consumer);
    }
    if (k->state_reader) rd_kafka_destroy(k->state_reader);
    if (k->producer) {
        rd_kafka_flush(k->producer, timeout_ms);
        rd_kafka_destroy(k->producer);
    }
    if (k->mock) rd_kafka_mock_cluster_destroy(k->mock);
    if (k->mock_owner) rd_kafka_destroy(k->mock_owner);
    free(k);
}

/* Queues one message (copied); waits while the producer's queue is full.
 * 0, or -1 on a fatal producer error. */
static int produce(live_kafka *k, const char *topic, uint32_t p, const char *key, size_t klen,
                   const void *value, size_t len, int64_t ts_ms, void *opaque) {
    for (;;) {
        rd_kafka_resp_err_t e = rd_kafka_producev(
            k->producer, RD_KAFKA_V_TOPIC(topic), RD_KAFKA_V_PARTITION((int32_t)p), RD_KAFKA_V_KEY(key, klen),
            RD_KAFKA_V_VALUE((void *)value, len), RD_KAFKA_V_MSGFLAGS(RD_KAFKA_MSG_F_COPY),
            RD_KAFKA_V_TIMESTAMP(ts_ms), RD_KAFKA_V_OPAQUE(opaque), RD_KAFKA_V_END);
        if (e == RD_KAFKA_RESP_ERR_NO_ERROR) return 0;
        if (e != RD_KAFKA_RESP_ERR__QUEUE_FULL) {
            fprintf(stderr, "sparkiot: kafka: cannot produce to %s [%u]: %s\n", topic, p,
                    rd_kafka_err2str(e));
            return -1;
        }
        rd_kafka_poll(k->producer, 10);
    }
}

int live_kafka_produce(live_kafka *k, uint32_t p, const eng_rec *r, int64_t epoch0) {
    uint8_t buf[LIVE_WIRE_MAX];
    size_t len = live_wire_encode(r, epoch0, buf);
    char key[16];
    int klen = snprintf(key, sizeof key, "%u", r->device);
    if (produce(k, k->topic, p, key, (size_t)klen, buf, len, (epoch0 + r->ts) / 1000000, NULL) != 0)
        return -1;
    return klen + (int)len;
}

int live_kafka_produce_control(live_kafka *k, int state, uint32_t p, const char *key, const void *value,
                               size_t len) {
    atomic_fetch_add(&k->control_sent, 1);
    if (produce(k, state ? k->state_topic : k->topic, p, key, strlen(key), value, len, 0, &control_tag) == 0)
        return 0;
    atomic_fetch_add(&k->control_failed, 1);
    return -1;
}

int live_kafka_control_settled(live_kafka *k) {
    return atomic_load(&k->control_delivered) + atomic_load(&k->control_failed) >=
           atomic_load(&k->control_sent);
}

void live_kafka_poll_producer(live_kafka *k) {
    if (k->producer) rd_kafka_poll(k->producer, 0);
}

int live_kafka_commit(live_kafka *k, const int64_t *offsets, int sync) {
    rd_kafka_topic_partition_list_t *l = rd_kafka_topic_partition_list_new((int)k->partitions);
    for (uint32_t p = 0; p < k->partitions; p++)
        if (offsets[p] >= 0) rd_kafka_topic_partition_list_add(l, k->topic, (int)p)->offset = offsets[p];
    rd_kafka_resp_err_t e = l->cnt ? rd_kafka_commit(k->consumer, l, !sync) : RD_KAFKA_RESP_ERR_NO_ERROR;
    rd_kafka_topic_partition_list_destroy(l);
    if (e && e != RD_KAFKA_RESP_ERR__NO_OFFSET) {
        fprintf(stderr, "sparkiot: kafka: commit failed: %s\n", rd_kafka_err2str(e));
        return -1;
    }
    return 0;
}
