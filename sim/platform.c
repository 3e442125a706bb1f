/* Platform construction: the scenario's topology as SimGrid platform XML.
 * Edge gateways form one cluster whose private links are their WAN uplinks;
 * executors form a zone inside the cloud region where each host has its own
 * link to the zone's router (as in a cluster) and two disks, its memory and
 * its local SSD (the shuffle tiers that live on executors); the remote
 * shuffle service hosts (each with its disk) and the object store (one host
 * whose disk is the store's aggregate throughput, reached without a link
 * bottleneck of its own) form a storage zone; the broker and the driver sit
 * in a core zone. Every zone reaches the core through its router. Every
 * link is SPLITDUPLEX, so up and down traffic do not share. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sim/sim.h"

static void host_attrs(FILE *f, const eng_host_opts *h) {
    fprintf(f, "speed=\"%.17gf\" core=\"%u\"", h->speed, h->cores);
}

static void link_attrs(FILE *f, const eng_link_opts *l) {
    fprintf(f, "bandwidth=\"%.17gBps\" latency=\"%.17gs\"", l->bandwidth, rt_to_s(l->latency));
}

static void cluster(FILE *f, const char *id, const char *prefix, uint32_t n, const eng_host_opts *h,
                    const eng_link_opts *l) {
    fprintf(f, "  <cluster id=\"%s\" prefix=\"%s\" suffix=\"\" radical=\"0-%u\" ", id, prefix, n - 1);
    host_attrs(f, h);
    fprintf(f, " bw=\"%.17gBps\" lat=\"%.17gs\" sharing_policy=\"SPLITDUPLEX\"", l->bandwidth,
            rt_to_s(l->latency));
    fprintf(f, " loopback_bw=\"1e15Bps\" loopback_lat=\"0s\" router_id=\"%srouter\"/>\n", prefix);
}

static void disk(FILE *f, const eng_store_opts *s, eng_tier t) {
    fprintf(f, "<disk id=\"%s\" read_bw=\"%.17gBps\" write_bw=\"%.17gBps\"/>", eng_store_tier(t)->device,
            s->tier[t].read_bw, s->tier[t].write_bw);
}

/* The executors and the storage hosts sit in zones where each host has its
 * own link to the zone's router (as in a cluster) and a loopback for
 * messages to itself. A host's resources (with the disks of `tiers`) must
 * all be written before the zone's routes. */
typedef struct member {
    char name[64];
    eng_host_opts host;
    eng_link_opts link;
    eng_tier tiers[2];
    int ntiers;
} member;

static void star_zone(FILE *f, const char *id, const char *router, const member *m, uint32_t n,
                      const eng_store_opts *s) {
    fprintf(f, "  <zone id=\"%s\" routing=\"DijkstraCache\">\n    <router id=\"%s\"/>\n", id, router);
    for (uint32_t i = 0; i < n; i++) {
        fprintf(f, "    <host id=\"%s\" ", m[i].name);
        host_attrs(f, &m[i].host);
        fprintf(f, ">");
        for (int k = 0; k < m[i].ntiers; k++) disk(f, s, m[i].tiers[k]);
        fprintf(f, "</host>\n    <link id=\"%s-link\" ", m[i].name);
        link_attrs(f, &m[i].link);
        fprintf(f, " sharing_policy=\"SPLITDUPLEX\"/>\n");
        fprintf(f, "    <link id=\"%s-lo\" bandwidth=\"1e15Bps\" latency=\"0s\"/>\n", m[i].name);
    }
    for (uint32_t i = 0; i < n; i++) {
        const char *h = m[i].name;
        fprintf(f, "    <route src=\"%s\" dst=\"%s\" symmetrical=\"NO\"><link_ctn id=\"%s-lo\"/></route>\n",
                h, h, h);
        fprintf(f,
                "    <route src=\"%s\" dst=\"%s\" symmetrical=\"NO\"><link_ctn id=\"%s-link\" "
                "direction=\"UP\"/></route>\n",
                h, router, h);
        fprintf(f,
                "    <route src=\"%s\" dst=\"%s\" symmetrical=\"NO\"><link_ctn id=\"%s-link\" "
                "direction=\"DOWN\"/></route>\n",
                router, h, h);
    }
    fprintf(f, "  </zone>\n");
}

static int executors(FILE *f, const eng_topo_opts *t, uint32_t n) {
    member *m = calloc(n, sizeof *m);
    if (!m) return -1;
    for (uint32_t i = 0; i < n; i++) {
        m[i] = (member){.host = t->executor,
                        .link = t->cloud,
                        .tiers = {ENG_TIER_MEMORY, ENG_TIER_LOCAL_SSD},
                        .ntiers = 2};
        eng_topo_exec_host(m[i].name, sizeof m[i].name, i);
    }
    star_zone(f, "execs", "exec-router", m, n, &t->store);
    free(m);
    return 0;
}

/* The remote shuffle service hosts, then the object store: one host whose
 * disk is the store's aggregate throughput, behind a link that is never the
 * bottleneck (its first-byte latency is the tier's, charged per access). */
static int storage(FILE *f, const eng_topo_opts *t) {
    const eng_store_opts *s = &t->store;
    uint32_t n = s->service_hosts + 1;
    member *m = calloc(n, sizeof *m);
    if (!m) return -1;
    eng_host_opts h = {t->executor.speed, s->service_cores, s->service_memory_gb};
    for (uint32_t i = 0; i < s->service_hosts; i++) {
        m[i] = (member){.host = h,
                        .link = {s->service_bandwidth, s->service_latency},
                        .tiers = {ENG_TIER_REMOTE},
                        .ntiers = 1};
        eng_topo_service_host(m[i].name, sizeof m[i].name, i);
    }
    m[n - 1] = (member){.host = h, .link = {1e15, 0}, .tiers = {ENG_TIER_OBJECT}, .ntiers = 1};
    snprintf(m[n - 1].name, sizeof m[n - 1].name, "%s", ENG_HOST_OBJECT_STORE);
    star_zone(f, "store", "store-router", m, n, s);
    free(m);
    return 0;
}

static void zone_route(FILE *f, const char *a, const char *ga, const char *b, const char *gb) {
    fprintf(f,
            "  <zoneRoute src=\"%s\" dst=\"%s\" gw_src=\"%s\" gw_dst=\"%s\"><link_ctn "
            "id=\"fabric\"/></zoneRoute>\n",
            a, b, ga, gb);
}

int sim_platform_write(const eng_topo_opts *t, uint32_t nexec, const char *path, char *err, size_t errlen) {
    FILE *f = fopen(path, "w");
    if (!f) {
        snprintf(err, errlen, "%s: cannot write platform: %s", path, strerror(errno));
        return -1;
    }
    fprintf(f, "<?xml version='1.0'?>\n<!DOCTYPE platform SYSTEM \"https://simgrid.org/simgrid.dtd\">\n");
    fprintf(f, "<platform version=\"4.1\">\n<zone id=\"world\" routing=\"Full\">\n");
    cluster(f, "edges", "edge-", t->sites, &t->edge, &t->wan);
    if (executors(f, t, nexec ? nexec : 1) != 0 || storage(f, t) != 0) {
        fclose(f);
        snprintf(err, errlen, "%s: out of memory", path);
        return -1;
    }
    fprintf(f, "  <zone id=\"core\" routing=\"Full\">\n    <host id=\"" ENG_HOST_BROKER "\" ");
    host_attrs(f, &t->broker);
    fprintf(f, "/>\n    <host id=\"" ENG_HOST_DRIVER "\" ");
    host_attrs(f, &t->driver);
    fprintf(f, "/>\n    <router id=\"core-router\"/>\n");
    const char *hosts[] = {ENG_HOST_BROKER, ENG_HOST_DRIVER};
    for (int i = 0; i < 2; i++) {
        fprintf(f, "    <link id=\"%s-link\" ", hosts[i]);
        link_attrs(f, &t->cloud);
        fprintf(f, " sharing_policy=\"SPLITDUPLEX\"/>\n");
        fprintf(f, "    <link id=\"%s-lo\" bandwidth=\"1e15Bps\" latency=\"0s\"/>\n", hosts[i]);
    }
    for (int i = 0; i < 2; i++) {
        fprintf(f, "    <route src=\"%s\" dst=\"%s\"><link_ctn id=\"%s-lo\"/></route>\n", hosts[i], hosts[i],
                hosts[i]);
        fprintf(
            f,
            "    <route src=\"%s\" dst=\"core-router\"><link_ctn id=\"%s-link\" direction=\"UP\"/></route>\n",
            hosts[i], hosts[i]);
    }
    fprintf(f,
            "    <route src=\"" ENG_HOST_BROKER "\" dst=\"" ENG_HOST_DRIVER "\">"
            "<link_ctn id=\"broker-link\" direction=\"UP\"/><link_ctn id=\"driver-link\" direction=\"DOWN\"/>"
            "</route>\n  </zone>\n");
    fprintf(f, "  <link id=\"fabric\" bandwidth=\"1e15Bps\" latency=\"0s\" sharing_policy=\"FATPIPE\"/>\n");
    zone_route(f, "edges", "edge-router", "core", "core-router");
    zone_route(f, "execs", "exec-router", "core", "core-router");
    zone_route(f, "edges", "edge-router", "execs", "exec-router");
    zone_route(f, "store", "store-router", "core", "core-router");
    zone_route(f, "store", "store-router", "execs", "exec-router");
    fprintf(f, "</zone>\n</platform>\n");
    if (fclose(f) != 0) {
        snprintf(err, errlen, "%s: cannot write platform: %s", path, strerror(errno));
        return -1;
    }
    return 0;
}
