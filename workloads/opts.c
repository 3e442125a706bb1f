/* Workload options: documented defaults, range checks naming the YAML field
 * (workload.*), and the long-run mean rate the planners and the oracle use.
 * Read by experiments/ after it fills wl_opts from a scenario; the values
 * and their reasons are in docs/workloads.md. */
#include <math.h>

#include "engine/check.h"
#include "workloads/wl.h"

void wl_opts_defaults(wl_opts *o) {
    o->kind = WL_PERIODIC;
    o->devices_per_site = 1000;
    o->metrics = 4;
    o->record_bytes = 128;
    o->period = 10 * RT_S;
    o->jitter = RT_S;
    o->rate = 0.1;
    o->burst_factor = 1.0;
    o->burst_on_mean = 60 * RT_S;
    o->burst_off_mean = 600 * RT_S;
    o->amplitude = 0.5;
    o->day = 86400 * RT_S;
    o->peak_tod = 18 * 3600 * RT_S;
    o->start_tod = 0;
    o->values = WL_VAL_RANDOM_WALK;
    o->base = 20.0;
    o->walk_sigma = 0.1;
    o->season_amplitude = 5.0;
    o->season_period = 86400 * RT_S;
    o->noise_sigma = 0.2;
    o->anomaly_rate = 0.001;
    o->anomaly_magnitude = 6.0;
}

/* Bursts apply to MMPP, and to diurnal when burst_factor > 1. */
static int has_bursts(const wl_opts *o) {
    return o->kind == WL_MMPP || (o->kind == WL_DIURNAL && o->burst_factor > 1.0);
}

int wl_opts_check(const wl_opts *o, char *err, size_t errlen) {
    ENG_CHECK((unsigned)o->kind <= WL_DIURNAL, err, errlen,
              "workload.kind must be periodic, poisson, mmpp or diurnal");
    ENG_CHECK(o->devices_per_site >= 1, err, errlen, "workload.devices_per_site must be >= 1");
    ENG_CHECK(o->metrics >= 1 && o->metrics <= UINT16_MAX, err, errlen,
              "workload.metrics must be in [1, 65535]");
    ENG_CHECK(o->record_bytes >= 1, err, errlen, "workload.record_bytes must be >= 1");
    if (o->kind == WL_PERIODIC) {
        ENG_CHECK(o->period > 0, err, errlen, "workload.period must be > 0");
        ENG_CHECK(o->jitter >= 0 && o->jitter < o->period - o->jitter, err, errlen,
                  "workload.jitter must be >= 0 and < period / 2");
    } else {
        ENG_CHECK(isfinite(o->rate) && o->rate > 0, err, errlen, "workload.rate must be > 0");
    }
    ENG_CHECK(isfinite(o->burst_factor) && o->burst_factor >= 1.0, err, errlen,
              "workload.burst_factor must be >= 1");
    if (has_bursts(o)) {
        ENG_CHECK(o->burst_on_mean > 0, err, errlen, "workload.burst_on_mean must be > 0");
        ENG_CHECK(o->burst_off_mean > 0, err, errlen, "workload.burst_off_mean must be > 0");
    }
    if (o->kind == WL_DIURNAL) {
        ENG_CHECK(o->amplitude >= 0 && o->amplitude <= 1, err, errlen,
                  "workload.amplitude must be in [0, 1]");
        ENG_CHECK(o->day > 0, err, errlen, "workload.day must be > 0");
        ENG_CHECK(o->peak_tod >= 0 && o->peak_tod < o->day, err, errlen,
                  "workload.peak_tod must be in [0, day)");
        ENG_CHECK(o->start_tod >= 0 && o->start_tod < o->day, err, errlen,
                  "workload.start_tod must be in [0, day)");
    }
    ENG_CHECK((unsigned)o->values <= WL_VAL_SEASONAL, err, errlen,
              "workload.values must be random_walk or seasonal");
    ENG_CHECK(isfinite(o->base), err, errlen, "workload.base must be finite");
    if (o->values == WL_VAL_RANDOM_WALK) {
        ENG_CHECK(isfinite(o->walk_sigma) && o->walk_sigma >= 0, err, errlen,
                  "workload.walk_sigma must be >= 0");
    } else {
        ENG_CHECK(isfinite(o->season_amplitude), err, errlen, "workload.season_amplitude must be finite");
        ENG_CHECK(o->season_period > 0, err, errlen, "workload.season_period must be > 0");
        ENG_CHECK(isfinite(o->noise_sigma) && o->noise_sigma >= 0, err, errlen,
                  "workload.noise_sigma must be >= 0");
    }
    ENG_CHECK(o->anomaly_rate >= 0 && o->anomaly_rate <= 1, err, errlen,
              "workload.anomaly_rate must be in [0, 1]");
    ENG_CHECK(isfinite(o->anomaly_magnitude) && o->anomaly_magnitude >= 0, err, errlen,
              "workload.anomaly_magnitude must be >= 0");
    return 0;
}

double wl_mean_rate(const wl_opts *o) {
    if (o->kind == WL_PERIODIC) return 1.0 / rt_to_s(o->period);
    if (!has_bursts(o)) return o->rate;
    double on = (double)o->burst_on_mean, off = (double)o->burst_off_mean;
    return o->rate * (off + on * o->burst_factor) / (on + off);
}
