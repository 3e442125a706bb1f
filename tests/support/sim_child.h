/* Runs one SimGrid simulation in a child process (SimGrid runs one engine
 * per process) for the tests of sim/: the root actor starts on the driver
 * host, and when the simulation ends the child's `len` bytes at `out` (what
 * its actors measured) are copied into the parent's. */
#ifndef SIM_CHILD_H
#define SIM_CHILD_H

#include <stddef.h>
#include <stdint.h>

#include "engine/rt.h"
#include "engine/topo.h"

/* 0, or -1 if the simulation failed (the child says why on stderr). */
int sim_child_run(const eng_topo_opts *t, uint32_t executors, uint64_t seed, rt_actor_fn root, void *out,
                  size_t len);

#endif
