/* Domain presets: named starting points for a scenario's workload section
 * (experiments/ applies the preset, then the scenario's own workload keys).
 * A preset resets every workload field to its default and then sets its
 * domain's arrival process, rates, metrics, record size and value model; it
 * leaves devices_per_site alone, since population size is the experiment's
 * choice. docs/workloads.md tabulates each preset, the kind of device it
 * stands for and which numbers are measured facts or assumptions. */
#include <string.h>

#include "workloads/wl.h"

/* Street nodes (air quality, noise, traffic counts): activity follows the
 * day, and site-wide events (incidents, crowds) burst on top. */
static void smart_city(wl_opts *o) {
    o->kind = WL_DIURNAL;
    o->rate = 0.1;
    o->amplitude = 0.6;
    o->peak_tod = 18 * 3600 * RT_S;
    o->start_tod = 6 * 3600 * RT_S;
    o->burst_factor = 4.0;
    o->burst_on_mean = 120 * RT_S;
    o->burst_off_mean = 1800 * RT_S;
    o->metrics = 6;
    o->record_bytes = 128;
    o->values = WL_VAL_SEASONAL;
    o->base = 20.0;
    o->season_amplitude = 5.0;
    o->season_period = 86400 * RT_S;
    o->noise_sigma = 0.5;
    o->anomaly_rate = 0.001;
    o->anomaly_magnitude = 6.0;
}

/* Bedside or wearable vital-sign monitors: numerics about once a second. */
static void healthcare(wl_opts *o) {
    o->kind = WL_PERIODIC;
    o->period = RT_S;
    o->jitter = 50 * RT_MS;
    o->metrics = 4;
    o->record_bytes = 64;
    o->values = WL_VAL_RANDOM_WALK;
    o->base = 75.0;
    o->walk_sigma = 0.5;
    o->anomaly_rate = 0.002;
    o->anomaly_magnitude = 5.0;
}

/* Machine-condition sensors reporting by exception: quiet while the process
 * is steady, bursts of changes during transients. */
static void industry(wl_opts *o) {
    o->kind = WL_MMPP;
    o->rate = 1.0;
    o->burst_factor = 10.0;
    o->burst_on_mean = 30 * RT_S;
    o->burst_off_mean = 300 * RT_S;
    o->metrics = 8;
    o->record_bytes = 256;
    o->values = WL_VAL_RANDOM_WALK;
    o->base = 60.0;
    o->walk_sigma = 0.2;
    o->anomaly_rate = 0.005;
    o->anomaly_magnitude = 8.0;
}

/* LoRaWAN soil and weather stations: one small uplink every 15 minutes. */
static void agriculture(wl_opts *o) {
    o->kind = WL_PERIODIC;
    o->period = 900 * RT_S;
    o->jitter = 60 * RT_S;
    o->metrics = 3;
    o->record_bytes = 51;
    o->values = WL_VAL_SEASONAL;
    o->base = 30.0;
    o->season_amplitude = 4.0;
    o->season_period = 86400 * RT_S;
    o->noise_sigma = 0.3;
    o->anomaly_rate = 0.0005;
    o->anomaly_magnitude = 6.0;
}

/* Home environment sensors (temperature, humidity, light, CO2, humidity
 * ratio), one reading a minute as in the UCI occupancy-detection data. */
static void smart_home(wl_opts *o) {
    o->kind = WL_PERIODIC;
    o->period = 60 * RT_S;
    o->jitter = 2 * RT_S;
    o->metrics = 5;
    o->record_bytes = 64;
    o->values = WL_VAL_SEASONAL;
    o->base = 21.0;
    o->season_amplitude = 1.5;
    o->season_period = 86400 * RT_S;
    o->noise_sigma = 0.2;
    o->anomaly_rate = 0.002;
    o->anomaly_magnitude = 6.0;
}

/* Parallel arrays: names[i] is applied by apply[i]. */
static const char *const names[] = {"smart_city",  "healthcare", "industry",
                                    "agriculture", "smart_home", NULL};
static void (*const apply[])(wl_opts *o) = {smart_city, healthcare, industry, agriculture, smart_home};

int wl_preset_apply(wl_opts *o, const char *name) {
    for (size_t i = 0; names[i]; i++) {
        if (strcmp(name, names[i]) != 0) continue;
        uint32_t devices = o->devices_per_site;
        wl_opts_defaults(o);
        o->devices_per_site = devices;
        apply[i](o);
        return 0;
    }
    return -1;
}

const char *const *wl_preset_names(void) { return names; }
