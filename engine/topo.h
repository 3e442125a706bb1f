/* The edge/cloud topology a scenario describes: edge sites (their devices'
 * access links, the gateway host, the WAN link to the cloud region), the
 * broker host, the executor host type and the shuffle storage behind the
 * executors (engine/store.h). sim/ builds a SimGrid platform from it; live
 * mode uses only the host roles. */
#ifndef ENG_TOPO_H
#define ENG_TOPO_H

#include <stddef.h>
#include <stdint.h>

#include "engine/rt.h"
#include "engine/store.h"

typedef struct eng_link_opts {
    double bandwidth; /* bytes per second */
    rt_time_t latency;
} eng_link_opts;

typedef struct eng_host_opts {
    double speed; /* flops per second per core */
    uint32_t cores;
    double memory_gb;
} eng_host_opts;

typedef struct eng_topo_opts {
    uint32_t sites;
    eng_link_opts access; /* each device's own link to its gateway (modelled analytically) */
    eng_link_opts wan;    /* each gateway's uplink to the cloud region (simulated, shared) */
    eng_link_opts cloud;  /* links inside the cloud region (broker, driver, executors) */
    eng_host_opts edge;   /* gateway host */
    eng_host_opts broker;
    eng_host_opts driver;
    eng_host_opts executor; /* one serverless executor (its cores are task slots) */
    eng_store_opts store;   /* shuffle tiers: executors' memory and disk, service hosts, object store */
} eng_topo_opts;

void eng_topo_defaults(eng_topo_opts *t);
int eng_topo_check(const eng_topo_opts *t, char *err, size_t errlen);

/* Host names the engine and the backends agree on. */
void eng_topo_edge_host(char *buf, size_t len, uint32_t site);
void eng_topo_exec_host(char *buf, size_t len, uint32_t executor);
void eng_topo_service_host(char *buf, size_t len, uint32_t host); /* remote shuffle service */
#define ENG_HOST_BROKER "broker"
#define ENG_HOST_DRIVER "driver"
#define ENG_HOST_OBJECT_STORE "object-store"

#endif
