/* The SimGrid backend: builds a platform from the scenario's topology and
 * runs one simulation of the pipeline in this process (SimGrid allows one
 * engine per process; callers that need many simulations fork). */
#ifndef SIM_H
#define SIM_H

#include <stddef.h>
#include <stdint.h>

#include "engine/rt.h"
#include "engine/topo.h"

/* Writes the SimGrid platform XML for `t` with `executors` executor hosts
 * into `path`. Returns 0, or -1 with a message. */
int sim_platform_write(const eng_topo_opts *t, uint32_t executors, const char *path, char *err,
                       size_t errlen);

/* Runs root(rt, arg) as an actor on `root_host` of the platform built from
 * `t` until every actor has ended. Returns 0, or -1 with a message. Call at
 * most once per process. */
int sim_run(const eng_topo_opts *t, uint32_t executors, uint64_t seed, const char *root_host,
            rt_actor_fn root, void *arg, char *err, size_t errlen);

#endif
