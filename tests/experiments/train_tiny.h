/* The tiny scenario the training tests train on (3.5 simulated minutes, two
 * sites of 50 devices, a static allocator deciding every 15 s), without its
 * name line: a test writes "name: ...\n" TRAIN_TINY_YAML and any variants. */
#ifndef TRAIN_TINY_H
#define TRAIN_TINY_H

#define TRAIN_TINY_YAML                                                                                      \
    "seed: 1\n"                                                                                              \
    "seeds: 2\n"                                                                                             \
    "duration: 3m\n"                                                                                         \
    "drain: 30s\n"                                                                                           \
    "slo: 5s\n"                                                                                              \
    "topology: {sites: 2}\n"                                                                                 \
    "workload: {preset: smart_city, devices_per_site: 50}\n"                                                 \
    "edge: {mode: raw, flush: 1s}\n"                                                                         \
    "bus: {partitions: 4}\n"                                                                                 \
    "pipeline: {trigger: 2s, reduce_tasks: 2, map_flops: 5e7, reduce_flops: 5e6}\n"                          \
    "allocator: {name: static, interval: 15s, min_executors: 1, max_executors: 4, "                          \
    "initial_executors: 1}\n"

#endif
