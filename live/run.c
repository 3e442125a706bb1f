/* A live run (see live/live.h): bring the brokers up (or reach the given
 * ones, failing fast with a usage error), connect every client before the
 * clock starts so no early reading or record is missed, run the role's
 * actors on the wall-clock runtime, then take everything down in reverse
 * order. The run's shared state lives in one session that outlives every
 * actor. */
#include "live/live.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef struct session {
    const eng_run_opts *o; /* the scenario: its source is the workload the devices play */
    eng_run_opts eo;       /* the engine's: the same, fed by MQTT */
    const live_opts *lo;
    live_clock clock;
    live_mosquitto mosq;
    live_mqtt_addr mqtt;
    live_kafka *kafka;
    live_mqtt_sub **subs;
    live_mqtt_source_opts src;
    live_devices_arg *dev;
    live_devices_report *devrep; /* one per site, summed at the end */
    live_broker_arg broker;
    eng_ctx ctx;
    eng_edge_arg *edge_args;
    eng_metrics *m;
    live_report *rep;
} session;

int live_role_parse(const char *name, live_role *role) {
    static const char *const names[] = {"all", "devices", "edge", "engine"};
    for (int i = 0; i < 4; i++)
        if (!strcmp(name, names[i])) {
            *role = (live_role)i;
            return 0;
        }
    return -1;
}

void live_opts_defaults(live_opts *o) {
    memset(o, 0, sizeof *o);
    o->role = LIVE_ROLE_ALL;
    o->qos = 1;
    o->grace = 20 * RT_MS;
    o->end_wait = 5 * RT_S;
    o->resend_after = 2 * RT_S;
    o->stop_wait = 10 * RT_S;
    o->dedup_horizon = 10 * 60 * RT_S;
    o->connect_timeout_ms = 5000;
}

static void root_all(rt_t *rt, void *arg) {
    session *s = arg;
    const eng_run_opts *o = &s->eo;
    if (rt_spawn(rt, "broker", ENG_HOST_BROKER, live_broker_main, &s->broker) != 0) abort();
    for (uint32_t i = 0; i < o->topo->sites; i++) {
        char name[64], host[64];
        eng_topo_edge_host(host, sizeof host, i);
        snprintf(name, sizeof name, "devices-%u", i);
        if (rt_spawn(rt, name, host, live_devices_main, &s->dev[i]) != 0) abort();
        snprintf(name, sizeof name, "edge-%u", i);
        eng_edge_arg *a = malloc(sizeof *a);
        if (!a) abort();
        *a = (eng_edge_arg){&s->ctx, i};
        if (rt_spawn(rt, name, host, eng_edge_main, a) != 0) abort();
    }
    eng_driver_main(rt, &s->ctx);
}

/* The MQTT broker: reach --mqtt, or start a private mosquitto. */
static int mqtt_up(session *s, char *err, size_t errlen) {
    const live_opts *lo = s->lo;
    if (lo->mqtt) {
        if (live_mqtt_parse(lo->mqtt, &s->mqtt, err, errlen) != 0) return -1;
        s->mqtt.qos = lo->qos;
        return live_mqtt_check(&s->mqtt, lo->connect_timeout_ms, err, errlen);
    }
    if (live_mosquitto_start(&s->mosq, 0, err, errlen) != 0) return -1;
    snprintf(s->mqtt.host, sizeof s->mqtt.host, "127.0.0.1");
    s->mqtt.port = s->mosq.port;
    s->mqtt.qos = lo->qos;
    return 0;
}

static int setup(session *s, const char *name, char *err, size_t errlen) {
    const eng_run_opts *o = s->o;
    const live_opts *lo = s->lo;
    uint32_t sites = o->topo->sites;
    if (mqtt_up(s, err, errlen) != 0) return -1;
    snprintf(s->rep->mqtt, sizeof s->rep->mqtt, "%s:%d", s->mqtt.host, s->mqtt.port);
    char topic[256], group[256];
    snprintf(topic, sizeof topic, "%s", lo->topic ? lo->topic : "");
    if (!lo->topic) snprintf(topic, sizeof topic, "sparkiot.%s", name);
    snprintf(group, sizeof group, "%s", lo->group ? lo->group : topic);
    live_kafka_opts ko = {.bootstrap = lo->kafka,
                          .config = lo->kafka_config,
                          .nconfig = lo->nkafka_config,
                          .topic = topic,
                          .group = group,
                          .partitions = o->bus->partitions,
                          .produce = 1,
                          .consume = 1,
                          .timeout_ms = lo->connect_timeout_ms};
    if (!(s->kafka = live_kafka_open(&ko, err, errlen))) return -1;
    snprintf(s->rep->kafka, sizeof s->rep->kafka, "%s", s->kafka->bootstrap);
    s->subs = calloc(sites, sizeof *s->subs);
    s->dev = calloc(sites, sizeof *s->dev);
    s->devrep = calloc(sites, sizeof *s->devrep);
    s->ctx.edges = calloc(sites, sizeof *s->ctx.edges);
    if (!s->subs || !s->dev || !s->devrep || !s->ctx.edges) {
        snprintf(err, errlen, "out of memory");
        return -1;
    }
    for (uint32_t i = 0; i < sites; i++)
        if (!(s->subs[i] = live_mqtt_sub_open(&s->mqtt, i, o->bus->partitions, &s->clock, lo->dedup_horizon,
                                              lo->connect_timeout_ms, err, errlen)))
            return -1;
    return 0;
}

/* Wires the actors' arguments; the clock has not started yet. */
static void wire(session *s) {
    const eng_run_opts *o = s->o;
    const live_opts *lo = s->lo;
    s->src = (live_mqtt_source_opts){.subs = s->subs,
                                     .clock = &s->clock,
                                     .grace = lo->grace,
                                     .duration = o->duration,
                                     .end_wait = lo->end_wait};
    s->eo = *o;
    s->eo.source = live_mqtt_source();
    s->eo.source_opts = &s->src;
    s->ctx.o = &s->eo;
    s->ctx.rec_bytes = o->edge->mode == ENG_EDGE_AGGREGATE ? o->edge->aggregate_bytes : o->record_bytes;
    s->ctx.end = o->duration + o->drain;
    s->ctx.max_executors = o->alloc->max_executors;
    s->ctx.metrics = s->m;
    s->ctx.progress = lo->progress;
    s->ctx.progress_ctx = lo->progress_ctx;
    s->broker = (live_broker_arg){.ctx = &s->ctx,
                                  .kafka = s->kafka,
                                  .clock = &s->clock,
                                  .local_edges = o->topo->sites,
                                  .stop_wait = lo->stop_wait,
                                  .dedup_horizon = lo->dedup_horizon,
                                  .stats = &s->rep->bus};
    for (uint32_t i = 0; i < o->topo->sites; i++)
        s->dev[i] = (live_devices_arg){.o = o,
                                       .mqtt = &s->mqtt,
                                       .clock = &s->clock,
                                       .site = i,
                                       .ack_wait = lo->end_wait,
                                       .resend_after = lo->resend_after,
                                       .report = &s->devrep[i]};
}

static void sum_reports(session *s) {
    live_report *r = s->rep;
    for (uint32_t i = 0; i < s->o->topo->sites && s->devrep; i++) {
        r->devices.published += s->devrep[i].published;
        r->devices.acked += s->devrep[i].acked;
        r->devices.failed += s->devrep[i].failed;
        r->devices.resent += s->devrep[i].resent;
    }
    for (uint32_t i = 0; i < s->o->topo->sites && s->subs; i++) {
        if (!s->subs[i]) continue;
        const live_source_stats *st = live_mqtt_sub_stats(s->subs[i]);
        r->source.received += st->received;
        r->source.duplicates += st->duplicates;
        r->source.late += st->late;
        r->source.after_end += st->after_end;
        r->source.undecodable += st->undecodable;
        r->source.published += st->published;
        r->source.end_seen += st->end_seen;
    }
}

static void teardown(session *s) {
    sum_reports(s);
    for (uint32_t i = 0; i < s->o->topo->sites && s->subs; i++) live_mqtt_sub_free(s->subs[i]);
    live_kafka_close(s->kafka, 5000);
    live_mosquitto_stop(&s->mosq, 0);
    free(s->subs);
    free(s->dev);
    free(s->devrep);
    free(s->ctx.edges);
}

int live_run(const eng_run_opts *o, const char *name, const live_opts *lo, eng_metrics *m, live_report *rep,
             char *err, size_t errlen) {
    if (lo->role != LIVE_ROLE_ALL) {
        snprintf(err, errlen,
                 "only --role all runs in this version (devices, edge and engine as separate "
                 "processes are not implemented yet)");
        return LIVE_EUSAGE;
    }
    memset(rep, 0, sizeof *rep);
    session s = {.o = o, .lo = lo, .m = m, .rep = rep};
    int rc = setup(&s, name, err, errlen) == 0 ? 0 : LIVE_EUSAGE;
    if (rc == 0) {
        wire(&s);
        live_clock_start(&s.clock);
        rc = live_rt_run(&s.clock, o->seed, ENG_HOST_DRIVER, root_all, &s, (live_free_fn)eng_msg_free, err,
                         errlen);
        for (uint32_t i = 0; i < o->topo->sites && rc == 0; i++)
            if (s.dev[i].failed) {
                snprintf(err, errlen, "devices of site %u: %s", i, s.dev[i].err);
                rc = -1;
            }
    }
    teardown(&s);
    return rc;
}
