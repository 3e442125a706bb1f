/* Topology defaults, checks and the host names every backend uses. */
#include "engine/topo.h"

#include <stdio.h>

#include "engine/check.h"

void eng_topo_defaults(eng_topo_opts *t) {
    t->sites = 10;
    t->access = (eng_link_opts){1.25e6, 5 * RT_MS};  /* 10 Mbit/s radio/LAN per device */
    t->wan = (eng_link_opts){12.5e6, 20 * RT_MS};    /* 100 Mbit/s gateway uplink */
    t->cloud = (eng_link_opts){1.25e9, 100 * RT_US}; /* 10 Gbit/s inside the region */
    t->edge = (eng_host_opts){2e9, 4, 4};
    t->broker = (eng_host_opts){1e10, 8, 32};
    t->driver = (eng_host_opts){1e10, 4, 16};
    t->executor = (eng_host_opts){1e10, 4, 16}; /* EMR Serverless default worker: 4 vCPU, 16 GB */
    eng_store_defaults(&t->store);
}

static int check_link(const eng_link_opts *l, const char *name, char *err, size_t errlen) {
    ENG_CHECK(l->bandwidth > 0, err, errlen, "topology.%s.bandwidth must be > 0", name);
    ENG_CHECK(l->latency >= 0, err, errlen, "topology.%s.latency must be >= 0", name);
    return 0;
}

static int check_host(const eng_host_opts *h, const char *name, char *err, size_t errlen) {
    ENG_CHECK(h->speed > 0, err, errlen, "topology.%s.speed must be > 0", name);
    ENG_CHECK(h->cores >= 1 && h->cores <= 1024, err, errlen, "topology.%s.cores must be in [1, 1024]", name);
    ENG_CHECK(h->memory_gb > 0, err, errlen, "topology.%s.memory_gb must be > 0", name);
    return 0;
}

int eng_topo_check(const eng_topo_opts *t, char *err, size_t errlen) {
    ENG_CHECK(t->sites >= 1 && t->sites <= 100000, err, errlen, "topology.sites must be in [1, 100000]");
    if (check_link(&t->access, "access", err, errlen) || check_link(&t->wan, "wan", err, errlen) ||
        check_link(&t->cloud, "cloud", err, errlen))
        return -1;
    if (check_host(&t->edge, "edge", err, errlen) || check_host(&t->broker, "broker", err, errlen) ||
        check_host(&t->driver, "driver", err, errlen) || check_host(&t->executor, "executor", err, errlen))
        return -1;
    return eng_store_check(&t->store, err, errlen);
}

void eng_topo_edge_host(char *buf, size_t len, uint32_t site) { snprintf(buf, len, "edge-%u", site); }
void eng_topo_exec_host(char *buf, size_t len, uint32_t executor) { snprintf(buf, len, "exec-%u", executor); }
void eng_topo_service_host(char *buf, size_t len, uint32_t host) { snprintf(buf, len, "shuffle-%u", host); }
