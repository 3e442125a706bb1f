/* Value models: what a device reads when its arrival process fires. A slowly
 * reverting random walk per device, or a seasonal curve shared by the site
 * plus gaussian noise; some readings are displaced into injected anomalies
 * whose ground truth travels in the record's flags (ENG_REC_ANOMALY) to the
 * detectors and the accuracy metrics downstream. Called once per reading. */
#include <math.h>

#include "workloads/wl_int.h"

double wl_anomaly_scale(const wl_opts *o) {
    double sd;
    if (o->values == WL_VAL_SEASONAL) {
        sd = o->noise_sigma;
    } else {
        double keep = 1.0 - WL_WALK_REVERSION;
        sd = o->walk_sigma / sqrt(1.0 - keep * keep);
    }
    return sd > 0 ? sd : 1.0;
}

/* Readings until the next anomaly: geometric on {1, 2, ...} with success
 * probability p, drawn by inversion (0: never). Counting down over the
 * group's readings is the same Bernoulli(p) trial per reading, one draw per
 * anomaly instead of one per reading. */
static uint64_t anomaly_gap(gsl_rng *r, double p) {
    if (p <= 0) return 0;
    if (p >= 1) return 1;
    double k = floor(log(gsl_rng_uniform_pos(r)) / log1p(-p)) + 1.0;
    return k < 1.8e19 ? (uint64_t)k : UINT64_MAX;
}

/* sin(2 pi x) for x in [0, 1): the nearest of WL__SINE_N table angles plus a
 * Taylor step of at most pi / WL__SINE_N (terms to d^7 and d^8: a few ulp
 * from libm's sin), several times cheaper than sin() in the per-reading
 * path of seasonal values. */
static double sine_turn(const wl_group *g, double x) {
    double u = x * WL__SINE_N;
    int k = (int)u;
    double d = (u - k) * (WL__TWO_PI / WL__SINE_N), d2 = d * d;
    double sin_d = d * (1 - d2 * (1.0 / 6) * (1 - d2 * (1.0 / 20) * (1 - d2 * (1.0 / 42))));
    double cos_d = 1 - d2 * 0.5 * (1 - d2 * (1.0 / 12) * (1 - d2 * (1.0 / 30) * (1 - d2 * (1.0 / 56))));
    double s = g->sine[k & (WL__SINE_N - 1)], c = g->sine[(k + WL__SINE_N / 4) & (WL__SINE_N - 1)];
    return s * cos_d + c * sin_d;
}

void wl__values_init(wl_group *g) {
    const wl_opts *o = &g->o;
    for (int k = 0; k < WL__SINE_N; k++) g->sine[k] = sin(WL__TWO_PI * k / WL__SINE_N);
    g->per_season = 1.0 / (double)o->season_period;
    wl__normal_init(g);
    g->keep = 1.0 - WL_WALK_REVERSION;
    g->anomaly_scale = wl_anomaly_scale(o);
    int walk = o->values == WL_VAL_RANDOM_WALK && o->walk_sigma > 0;
    /* Walks start from their stationary distribution: no warm-up transient. */
    for (uint32_t i = 0; i < g->n; i++) {
        g->dev[i].level = walk ? o->base + g->anomaly_scale * wl__normal(g) : o->base;
        g->dev[i].id = i;
    }
    g->anomaly_gap = anomaly_gap(g->rng, o->anomaly_rate);
}

int wl__reading(wl_group *g, uint32_t slot, rt_time_t ts, eng_batch *out) {
    if (out->n == out->cap && eng_batch_reserve(out, 1) != 0) return -1;
    const wl_opts *o = &g->o;
    wl__dev *d = &g->dev[slot];
    double v;
    if (o->values == WL_VAL_SEASONAL) {
        double turns = (double)ts * g->per_season;
        v = o->base + o->season_amplitude * sine_turn(g, turns - (double)(int64_t)turns);
        if (o->noise_sigma > 0) v += o->noise_sigma * wl__normal(g);
    } else {
        if (o->walk_sigma > 0)
            d->level = o->base + g->keep * (d->level - o->base) + o->walk_sigma * wl__normal(g);
        v = d->level;
    }
    uint16_t flags = 0;
    if (g->anomaly_gap && --g->anomaly_gap == 0) {
        double shift = o->anomaly_magnitude * g->anomaly_scale;
        v += gsl_rng_uniform(g->rng) < 0.5 ? -shift : shift;
        flags = ENG_REC_ANOMALY;
        g->anomaly_gap = anomaly_gap(g->rng, o->anomaly_rate);
    }
    uint32_t seq = d->seq++;
    out->r[out->n++] = eng_rec_raw(ts, g->first + d->id, seq, (uint16_t)(seq % o->metrics), v, flags);
    return 0;
}
