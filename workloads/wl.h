/* Synthetic device populations: arrival processes (periodic with jitter,
 * Poisson, MMPP on/off bursts, diurnal-modulated Poisson), value models
 * (random walk, seasonal + noise) with injected anomalies whose ground truth
 * is kept in each record's flags, and domain presets. The first stage of the
 * data flow: an edge gateway owns one wl_group (its site's devices) and asks
 * it for the readings of each time slice. Devices are never actors. */
#ifndef WL_H
#define WL_H

#include <gsl/gsl_rng.h>
#include <stddef.h>
#include <stdint.h>

#include "engine/rec.h"
#include "engine/rt.h"
#include "engine/source.h"

typedef enum { WL_PERIODIC = 0, WL_POISSON, WL_MMPP, WL_DIURNAL } wl_kind;
typedef enum { WL_VAL_RANDOM_WALK = 0, WL_VAL_SEASONAL } wl_value_model;

typedef struct wl_opts {
    wl_kind kind;
    uint32_t devices_per_site;
    uint32_t metrics;      /* metrics per device; each reading is one metric, round-robin */
    uint32_t record_bytes; /* wire size of one raw reading */
    /* periodic: every device sends every `period`, first at a uniform phase in
     * [0, period), each send displaced by uniform(-jitter, +jitter). */
    rt_time_t period;
    rt_time_t jitter;
    /* poisson, mmpp, diurnal: mean readings per second per device. */
    double rate;
    /* mmpp: a two-state Markov-modulated Poisson process shared by the site
     * (a site-wide event: all its devices burst together). In the on state
     * the rate is rate * burst_factor; exponential sojourns with these means. */
    double burst_factor;
    rt_time_t burst_on_mean;
    rt_time_t burst_off_mean;
    /* diurnal: rate(t) = rate * (1 + amplitude * cos(2 pi (tod(t) - peak) / day)),
     * tod(t) = (start_tod + t) mod day; amplitude in [0, 1]. With
     * burst_factor > 1 the MMPP bursts multiply on top of the diurnal curve. */
    double amplitude;
    rt_time_t day;
    rt_time_t peak_tod;
    rt_time_t start_tod;
    /* values */
    wl_value_model values;
    double base;       /* mean level */
    double walk_sigma; /* random walk: step standard deviation */
    double season_amplitude;
    rt_time_t season_period;
    double noise_sigma;       /* seasonal: gaussian noise */
    double anomaly_rate;      /* probability a reading is an injected anomaly */
    double anomaly_magnitude; /* anomaly = normal value +- magnitude * scale */
} wl_opts;

/* Fills documented defaults (a periodic smart-city-like population). */
void wl_opts_defaults(wl_opts *o);
/* Checks ranges; 0, or -1 with a message naming the field in err. */
int wl_opts_check(const wl_opts *o, char *err, size_t errlen);
/* Applies preset `name` ("smart_city", "healthcare", "industry",
 * "agriculture"): arrival kind, rates, metrics, record size, value model.
 * Returns 0, or -1 for an unknown name. */
int wl_preset_apply(wl_opts *o, const char *name);
/* NULL-terminated list of preset names (for messages and docs). */
const char *const *wl_preset_names(void);

/* Long-run mean readings per second per device (for planning, tests, and
 * the oracle); for diurnal this is `rate`, for mmpp the stationary mean
 * (diurnal with bursts: `rate` times the bursts' stationary mean factor). */
double wl_mean_rate(const wl_opts *o);

/* Random walk: each reading moves a device's level to
 * base + (1 - WL_WALK_REVERSION) * (level - base) + N(0, walk_sigma^2), a
 * walk that reverts slowly to `base` instead of drifting without bound. */
#define WL_WALK_REVERSION 0.01
/* The unit of anomaly_magnitude: the standard deviation of the value model's
 * random part (random walk: its stationary standard deviation
 * walk_sigma / sqrt(1 - (1 - WL_WALK_REVERSION)^2); seasonal: noise_sigma),
 * or 1 when that is 0. */
double wl_anomaly_scale(const wl_opts *o);

typedef struct wl_group wl_group;

/* A population of devices [first_device, first_device + n). `o` is copied
 * and must pass wl_opts_check. `rng` is the owning actor's stream
 * (borrowed): the group draws the seed of its own generator from it here
 * and never uses it again. Returns NULL on out of memory; free with
 * wl_group_free. Memory: 16 bytes per device, 40 for periodic. */
wl_group *wl_group_new(const wl_opts *o, uint32_t first_device, uint32_t n, gsl_rng *rng);
/* Appends to `out` every reading with device timestamp in [t0, t1), in no
 * particular order; successive calls must cover consecutive slices. The
 * population starts at the first call's t0 (periodic phases, the first
 * arrivals). Each device's seq numbers start at 0 and increase by one per
 * reading, in timestamp order. Returns 0, or -1 if `out` cannot grow (out
 * of memory; the slice is then incomplete and the group only fit to free).
 * Cost: O(readings + slice length / bucket width), never O(devices) per
 * slice. */
int wl_group_emit(wl_group *g, rt_time_t t0, rt_time_t t1, eng_batch *out);
void wl_group_free(wl_group *g);

/* The synthetic workload as an engine source: open() takes a const wl_opts *. */
const eng_source_ops *wl_source(void);

#endif
