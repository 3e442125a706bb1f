/* Platform construction: the scenario's topology as SimGrid platform XML.
 * Edge gateways form one cluster whose private links are their WAN uplinks;
 * executors form a second cluster inside the cloud region; the broker and the
 * driver sit in a core zone. Both clusters reach the core through their
 * routers. Every link is SPLITDUPLEX, so up and down traffic do not share. */
#include <errno.h>
#include <stdio.h>
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

int sim_platform_write(const eng_topo_opts *t, uint32_t executors, const char *path, char *err,
                       size_t errlen) {
    FILE *f = fopen(path, "w");
    if (!f) {
        snprintf(err, errlen, "%s: cannot write platform: %s", path, strerror(errno));
        return -1;
    }
    fprintf(f, "<?xml version='1.0'?>\n<!DOCTYPE platform SYSTEM \"https://simgrid.org/simgrid.dtd\">\n");
    fprintf(f, "<platform version=\"4.1\">\n<zone id=\"world\" routing=\"Full\">\n");
    cluster(f, "edges", "edge-", t->sites, &t->edge, &t->wan);
    cluster(f, "execs", "exec-", executors ? executors : 1, &t->executor, &t->cloud);
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
    fprintf(f, "  <zoneRoute src=\"edges\" dst=\"core\" gw_src=\"edge-router\" gw_dst=\"core-router\">"
               "<link_ctn id=\"fabric\"/></zoneRoute>\n");
    fprintf(f, "  <zoneRoute src=\"execs\" dst=\"core\" gw_src=\"exec-router\" gw_dst=\"core-router\">"
               "<link_ctn id=\"fabric\"/></zoneRoute>\n");
    fprintf(f, "  <zoneRoute src=\"edges\" dst=\"execs\" gw_src=\"edge-router\" gw_dst=\"exec-router\">"
               "<link_ctn id=\"fabric\"/></zoneRoute>\n");
    fprintf(f, "</zone>\n</platform>\n");
    if (fclose(f) != 0) {
        snprintf(err, errlen, "%s: cannot write platform: %s", path, strerror(errno));
        return -1;
    }
    return 0;
}
