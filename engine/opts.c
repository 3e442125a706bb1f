/* Defaults and checks of the pipeline stages' options (edge, bus, driver).
 * Defaults are documented in docs/scenarios.md. */
#include <stdio.h>

#include "engine/check.h"
#include "engine/pipeline.h"

void eng_edge_defaults(eng_edge_opts *o) {
    o->mode = ENG_EDGE_RAW;
    o->flush = RT_S;
    o->window = 5 * RT_S;
    o->filter = 0;
    o->filter_min = -1e300;
    o->filter_max = 1e300;
    o->flops_per_reading = 1000;
    o->aggregate_bytes = 64;
    eng_detect_defaults(&o->detect);
}

int eng_edge_check(const eng_edge_opts *o, char *err, size_t errlen) {
    ENG_CHECK(o->flush >= 0, err, errlen, "edge.flush must be >= 0");
    ENG_CHECK(o->mode != ENG_EDGE_AGGREGATE || o->window > 0, err, errlen, "edge.window must be > 0");
    ENG_CHECK(!o->filter || o->filter_min <= o->filter_max, err, errlen, "edge.filter: min must be <= max");
    ENG_CHECK(o->flops_per_reading >= 0, err, errlen, "edge.flops_per_reading must be >= 0");
    ENG_CHECK(o->aggregate_bytes >= 1, err, errlen, "edge.aggregate_bytes must be >= 1");
    return eng_detect_check(&o->detect, err, errlen);
}

void eng_bus_defaults(eng_bus_opts *o) {
    o->partitions = 16;
    o->append_flops = 500;
    o->fetch_flops = 100;
    o->request_bytes = 100;
}

int eng_bus_check(const eng_bus_opts *o, char *err, size_t errlen) {
    ENG_CHECK(o->partitions >= 1 && o->partitions <= 4096, err, errlen,
              "bus.partitions must be in [1, 4096]");
    ENG_CHECK(o->append_flops >= 0 && o->fetch_flops >= 0, err, errlen, "bus: CPU costs must be >= 0");
    return 0;
}

void eng_driver_defaults(eng_driver_opts *o) {
    o->mode = ENG_MICROBATCH;
    o->trigger = RT_S;
    o->max_records_per_trigger = 0;
    o->reduce_tasks = 4;
    o->map_dist = ENG_COST_FIXED;
    o->map_flops = 20000;
    o->reduce_flops = 5000;
    o->task_overhead_flops = 1e7;
    o->shuffle_bytes_per_record = 32;
    o->sample_interval = 10 * RT_S;
}

int eng_driver_check(const eng_driver_opts *o, char *err, size_t errlen) {
    ENG_CHECK(o->trigger >= 0, err, errlen, "pipeline.trigger must be >= 0 (0: as soon as possible)");
    ENG_CHECK(o->reduce_tasks >= 1 && o->reduce_tasks <= 4096, err, errlen,
              "pipeline.reduce_tasks must be in [1, 4096]");
    ENG_CHECK(o->map_flops >= 0 && o->reduce_flops >= 0 && o->task_overhead_flops >= 0, err, errlen,
              "pipeline: operator costs must be >= 0");
    ENG_CHECK(o->sample_interval > 0, err, errlen, "pipeline.sample_interval must be > 0");
    ENG_CHECK(o->mode != ENG_CONTINUOUS || o->map_flops > 0, err, errlen,
              "pipeline.map_flops must be > 0 in continuous mode");
    return 0;
}
