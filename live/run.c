/* A live run (see live/live.h): reach the brokers the role needs (or start
 * private ones for `all`), failing fast with a usage error; settle the
 * run's origin; connect every client before the clock reaches 0 so no
 * early reading or record is missed; run the role's actors on the
 * wall-clock runtime; account for the engine's partitions; then take
 * everything down in reverse order. */
#include "live/live.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "live/origin.h"
#include "live/session.h"

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
    o->lead = RT_S;
    o->origin_wait_ms = 60000;
    o->qos = 1;
    o->grace = 20 * RT_MS;
    o->end_wait = 5 * RT_S;
    o->resend_after = 2 * RT_S;
    o->stop_wait = 10 * RT_S;
    o->dedup_horizon = 10 * 60 * RT_S;
    o->record_hold = 10 * RT_S;
    o->connect_timeout_ms = 5000;
}

/* The MQTT broker: reach --mqtt, or start a private mosquitto. */
static int mqtt_up(live_session *s, char *err, size_t errlen) {
    const live_opts *lo = s->lo;
    if (lo->mqtt) {
        if (live_mqtt_parse(lo->mqtt, &s->mqtt, err, errlen) != 0) return -1;
        s->mqtt.qos = lo->qos;
        if (live_mqtt_check(&s->mqtt, lo->connect_timeout_ms, err, errlen) != 0) return -1;
    } else {
        if (live_mosquitto_start(&s->mosq, 0, err, errlen) != 0) return -1;
        snprintf(s->mqtt.host, sizeof s->mqtt.host, "127.0.0.1");
        s->mqtt.port = s->mosq.port;
        s->mqtt.qos = lo->qos;
    }
    snprintf(s->rep->mqtt, sizeof s->rep->mqtt, "%s:%d", s->mqtt.host, s->mqtt.port);
    return 0;
}

/* A role process shares the brokers: it cannot start private ones. */
static int check_roles(live_session *s, char *err, size_t errlen) {
    const live_opts *lo = s->lo;
    static const char *const names[] = {"all", "devices", "edge", "engine"};
    const char *role = names[lo->role];
    uint32_t sites = s->o->topo->sites;
    if (lo->role != LIVE_ROLE_ALL && !lo->mqtt && (s->devices || s->edges || !lo->origin))
        snprintf(err, errlen, "--role %s needs --mqtt HOST:PORT (the roles share their brokers)", role);
    else if (lo->role != LIVE_ROLE_ALL && !lo->kafka && (s->edges || s->engine))
        snprintf(err, errlen, "--role %s needs --kafka BOOTSTRAP (the roles share their brokers)", role);
    else if (lo->sites && (lo->first_site >= sites || lo->sites > sites - lo->first_site))
        snprintf(err, errlen, "--sites: the scenario has sites 0-%u", sites - 1);
    else
        return 0;
    return -1;
}

/* Run time 0: now for `all` (after set-up, see live_run); else --origin,
 * or the devices pick it and publish it, or the others wait for it. */
static int settle_origin(live_session *s, char *err, size_t errlen) {
    const live_opts *lo = s->lo;
    int64_t origin = lo->origin;
    if (lo->role == LIVE_ROLE_ALL) return 0;
    if (s->devices) {
        if (!origin) origin = live_origin_now() + lo->lead;
        if (live_origin_publish(&s->mqtt, origin, lo->connect_timeout_ms, err, errlen) != 0) return -1;
    } else if (!origin && live_origin_wait(&s->mqtt, s->o->duration + s->o->drain, lo->origin_wait_ms,
                                           &origin, err, errlen))
        return -1;
    live_origin_clock(&s->clock, origin);
    return 0;
}

static int kafka_up(live_session *s, const char *name, char *err, size_t errlen) {
    const eng_run_opts *o = s->o;
    const live_opts *lo = s->lo;
    char topic[256], group[256];
    snprintf(topic, sizeof topic, "%s", lo->topic ? lo->topic : "");
    if (!lo->topic) snprintf(topic, sizeof topic, "sparkiot.%s", name);
    snprintf(group, sizeof group, "%s", lo->group ? lo->group : topic);
    if (s->engine && !(s->ledger = live_ledger_new(o->bus->partitions, o->topo->sites, &s->clock,
                                                   o->duration + o->drain))) {
        snprintf(err, errlen, "out of memory");
        return -1;
    }
    live_kafka_opts ko = {.bootstrap = lo->kafka,
                          .config = lo->kafka_config,
                          .nconfig = lo->nkafka_config,
                          .topic = topic,
                          .group = group,
                          .partitions = o->bus->partitions,
                          .produce = 1,
                          .consume = s->engine,
                          .group_member = lo->role == LIVE_ROLE_ENGINE,
                          .ledger = s->ledger,
                          .timeout_ms = lo->connect_timeout_ms};
    if (!(s->kafka = live_kafka_open(&ko, err, errlen))) return -1;
    snprintf(s->rep->kafka, sizeof s->rep->kafka, "%s", s->kafka->bootstrap);
    return 0;
}

static int setup(live_session *s, const char *name, char *err, size_t errlen) {
    const eng_run_opts *o = s->o;
    uint32_t sites = o->topo->sites;
    if (check_roles(s, err, errlen) != 0) return -1;
    if ((s->devices || s->edges || !s->lo->origin) && mqtt_up(s, err, errlen) != 0) return -1;
    if (settle_origin(s, err, errlen) != 0) return -1;
    if ((s->edges || s->engine) && kafka_up(s, name, err, errlen) != 0) return -1;
    s->subs = calloc(sites, sizeof *s->subs);
    s->in = calloc(sites, sizeof *s->in);
    s->dev = calloc(sites, sizeof *s->dev);
    s->devrep = calloc(sites, sizeof *s->devrep);
    s->ctx.edges = calloc(sites, sizeof *s->ctx.edges);
    if (!s->subs || !s->in || !s->dev || !s->devrep || !s->ctx.edges) {
        snprintf(err, errlen, "out of memory");
        return -1;
    }
    for (uint32_t i = s->first; i < s->first + s->nsites && s->edges; i++) {
        if (!(s->subs[i] = live_mqtt_sub_open(&s->mqtt, i, o->bus->partitions, &s->clock,
                                              s->lo->dedup_horizon, s->lo->connect_timeout_ms, err, errlen)))
            return -1;
        s->in[i - s->first] = live_mqtt_sub_in(s->subs[i]);
    }
    return 0;
}

/* The MQTT source's wait after each slice: lo->grace, but in raw mode at
 * most the flush interval — a raw reading that misses its slice goes out
 * with the next one, a flush later, so waiting longer for it would delay
 * every reading by more than it saves the late ones. */
static rt_time_t slice_grace(const eng_run_opts *o, const live_opts *lo) {
    const eng_edge_opts *e = o->edge;
    return e->mode == ENG_EDGE_RAW && e->flush > 0 && e->flush < lo->grace ? e->flush : lo->grace;
}

/* Wires the actors' arguments. */
static void wire(live_session *s) {
    const eng_run_opts *o = s->o;
    const live_opts *lo = s->lo;
    s->src = (live_mqtt_source_opts){.subs = s->subs,
                                     .clock = &s->clock,
                                     .grace = slice_grace(o, lo),
                                     .duration = o->duration,
                                     .end_wait = lo->end_wait,
                                     .recorder = s->recorder};
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
                                  .first_site = s->first,
                                  .local_edges = s->edges ? s->nsites : 0,
                                  .in = s->in,
                                  .stop_wait = lo->stop_wait,
                                  .dedup_horizon = lo->dedup_horizon,
                                  .stats = &s->rep->bus};
    for (uint32_t i = s->first; i < s->first + s->nsites; i++)
        s->dev[i] = (live_devices_arg){.o = o,
                                       .mqtt = &s->mqtt,
                                       .clock = &s->clock,
                                       .site = i,
                                       .ack_wait = lo->end_wait,
                                       .resend_after = lo->resend_after,
                                       .report = &s->devrep[i]};
}

/* The engine's result: its partitions' ledgers, from the start of the run
 * whoever processed them (see live/ledger.h). Continuous mode keeps the
 * driver's latencies: the ledger counts a record when it is handed over. */
static void account(live_session *s) {
    eng_summary *sum = &s->m->summary;
    int continuous = s->o->driver->mode == ENG_CONTINUOUS;
    live_ledger_totals t;
    live_ledger_sum(s->ledger, &t, continuous ? NULL : &s->m->latency);
    sum->readings_in = t.readings_in;
    sum->readings_filtered = t.readings_filtered;
    sum->readings_out = t.readings_out;
    sum->bus_records = t.bus_records;
    sum->wan_bytes = t.wan_bytes;
    sum->readings_queued = s->rep->bus.queued;
    uint64_t accounted = t.readings_filtered + t.readings_out + sum->readings_queued;
    sum->readings_lost = t.readings_in > accounted ? t.readings_in - accounted : 0;
    if (!continuous) eng_metrics_finish_latency(s->m, rt_to_s(s->o->slo) * 1e3);
    s->rep->partitions = t.owned;
    s->rep->incomplete = t.incomplete;
}

static void sum_reports(live_session *s) {
    live_report *r = s->rep;
    for (uint32_t i = s->first; i < s->first + s->nsites && s->devrep && s->devices; i++) {
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

static void teardown(live_session *s) {
    sum_reports(s);
    for (uint32_t i = 0; i < s->o->topo->sites && s->subs; i++) live_mqtt_sub_free(s->subs[i]);
    live_kafka_close(s->kafka, 5000);
    live_ledger_free(s->ledger);
    live_mosquitto_stop(&s->mosq, 0);
    free(s->subs);
    free(s->in);
    free(s->dev);
    free(s->devrep);
    free(s->ctx.edges);
}

int live_run(const eng_run_opts *o, const char *name, const live_opts *lo, eng_metrics *m, live_report *rep,
             char *err, size_t errlen) {
    memset(rep, 0, sizeof *rep);
    rep->role = lo->role;
    live_session s = {.o = o,
                      .lo = lo,
                      .m = m,
                      .rep = rep,
                      .devices = lo->role == LIVE_ROLE_ALL || lo->role == LIVE_ROLE_DEVICES,
                      .edges = lo->role == LIVE_ROLE_ALL || lo->role == LIVE_ROLE_EDGE,
                      .engine = lo->role == LIVE_ROLE_ALL || lo->role == LIVE_ROLE_ENGINE,
                      .first = lo->sites ? lo->first_site : 0,
                      .nsites = lo->sites ? lo->sites : o->topo->sites};
    int rc = setup(&s, name, err, errlen) == 0 ? 0 : LIVE_EUSAGE;
    if (rc == 0) {
        if (lo->role == LIVE_ROLE_ALL) live_clock_start(&s.clock);
        if (lo->record && s.edges &&
            !(s.recorder = live_recorder_open(lo->record, s.clock.epoch0, lo->record_hold, err, errlen)))
            rc = LIVE_EUSAGE;
    }
    if (rc == 0) {
        wire(&s);
        rep->origin = s.clock.epoch0;
        rc = live_rt_run(&s.clock, o->seed, ENG_HOST_DRIVER, live__root, &s, (live_free_fn)eng_msg_free, err,
                         errlen);
        for (uint32_t i = s.first; i < s.first + s.nsites && rc == 0 && s.devices; i++)
            if (s.dev[i].failed) {
                snprintf(err, errlen, "devices of site %u: %s", i, s.dev[i].err);
                rc = -1;
            }
        if (rc == 0 && s.engine) {
            live_kafka_settle(s.kafka);
            account(&s);
        }
    }
    if (s.recorder && live_recorder_close(s.recorder, &rep->recorded, err, rc ? 0 : errlen) && !rc) rc = -1;
    teardown(&s);
    return rc;
}
