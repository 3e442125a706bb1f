/* Poisson, MMPP and diurnal devices as one superposed process per group. The
 * superposition of n independent Poisson processes of rate r(t) is a Poisson
 * process of rate n * r(t) whose every arrival belongs to a device chosen
 * uniformly: the same distribution as n separate streams, at O(1) work per
 * reading and with no per-device clock.
 * - MMPP: a two-state Markov chain modulates the whole site (a site-wide
 *   event: all its devices burst together); in the on state the rate is
 *   multiplied by burst_factor; sojourns are exponential with means
 *   burst_on_mean and burst_off_mean. The chain starts from its stationary
 *   distribution, so the process is stationary from the origin.
 * - Diurnal: rate(t) = rate * shape(t), shape(t) = 1 + amplitude *
 *   cos(2 pi (tod(t) - peak_tod) / day), times the MMPP factor when
 *   burst_factor > 1; drawn by thinning (Lewis and Shedler): candidates at
 *   the segment's largest shape, each kept with probability shape(t) / that.
 *   Segments are at most day / 256 long, so the bounds are tight and a
 *   squeeze test settles almost every candidate without a cosine.
 * A slice is cut into segments of constant burst state, and those into
 * chunks of about 8 expected candidates. A chunk gets a Poisson count of
 * candidates at uniform times, sorted (a handful, in place in the output),
 * so readings come out in time order and each device's seq numbers follow
 * its timestamps. */
#include <gsl/gsl_randist.h>
#include <math.h>

#include "workloads/wl_int.h"

enum { PER_CHUNK = 8, SEGMENT_DAY_FRACTION = 256 };

static rt_time_t sojourn(wl_group *g) {
    double mean = (double)(g->mod.on ? g->o.burst_on_mean : g->o.burst_off_mean);
    return (rt_time_t)(gsl_ran_exponential(g->rng, mean) + 0.5);
}

/* Devices are drawn WL__PICKS readings ahead of use, and their state is
 * prefetched then: the slots are scattered over the whole group. */
static uint32_t next_device(wl_group *g) {
    wl__mod *m = &g->mod;
    uint32_t d = m->pick[m->pos], nd = (uint32_t)(wl__uniform(g) * (double)g->n);
    m->pick[m->pos] = nd;
    __builtin_prefetch(&g->dev[nd], 1);
    m->pos = (m->pos + 1) % WL__PICKS;
    return d;
}

void wl__mod_start(wl_group *g, rt_time_t origin) {
    const wl_opts *o = &g->o;
    wl__mod *m = &g->mod;
    m->thin = o->kind == WL_DIURNAL && o->amplitude > 0;
    m->bursts = o->kind == WL_MMPP || (o->kind == WL_DIURNAL && o->burst_factor > 1.0);
    m->per_ns = (double)g->n * o->rate / (double)RT_S;
    m->segment = m->thin ? o->day / SEGMENT_DAY_FRACTION : INT64_MAX;
    if (m->segment < 1) m->segment = 1;
    m->on = 0;
    m->sw = INT64_MAX;
    if (m->bursts) {
        double on = (double)o->burst_on_mean, off = (double)o->burst_off_mean;
        m->on = wl__uniform(g) < on / (on + off);
        m->sw = origin + sojourn(g);
    }
    for (m->pos = 0; m->pos < WL__PICKS; m->pos++)
        m->pick[m->pos] = (uint32_t)(wl__uniform(g) * (double)g->n);
    m->pos = 0;
}

/* Angle of `t` on the diurnal curve, in [0, 2 pi). */
static double angle(const wl_opts *o, rt_time_t t) {
    rt_time_t x = (o->start_tod - o->peak_tod + t % o->day) % o->day;
    if (x < 0) x += o->day;
    return WL__TWO_PI * (double)x / (double)o->day;
}

/* Whether [a, b] contains c + 2 pi k for some integer k (b - a < 2 pi). */
static int covers(double a, double b, double c) {
    double k = ceil((a - c) / WL__TWO_PI);
    return c + k * WL__TWO_PI <= b;
}

/* Bounds of shape(t) over [a, a + len), len <= day / 256. */
static void shape_bounds(const wl_opts *o, rt_time_t a, rt_time_t len, double *lo, double *hi) {
    double th0 = angle(o, a), th1 = th0 + WL__TWO_PI * (double)len / (double)o->day;
    double c0 = cos(th0), c1 = cos(th1);
    *hi = 1.0 + o->amplitude * (covers(th0, th1, 0.0) ? 1.0 : fmax(c0, c1));
    *lo = 1.0 + o->amplitude * (covers(th0, th1, WL__TWO_PI / 2) ? -1.0 : fmin(c0, c1));
}

/* Candidates in [a, b) at `per_ns`, sorted, written at the end of `out`;
 * those the diurnal curve keeps become readings. */
static int emit_chunk(wl_group *g, rt_time_t a, rt_time_t b, double per_ns, double lo, double hi,
                      eng_batch *out) {
    unsigned int k = gsl_ran_poisson(g->rng, per_ns * (double)(b - a));
    if (eng_batch_reserve(out, k) != 0) return -1;
    eng_rec *r = out->r + out->n;
    double len = (double)(b - a);
    for (unsigned int i = 0; i < k; i++) {
        rt_time_t t = a + (rt_time_t)(wl__uniform(g) * len);
        unsigned int j = i;
        for (; j > 0 && r[j - 1].ts > t; j--) r[j].ts = r[j - 1].ts;
        r[j].ts = t;
    }
    /* Readings are written at out->n <= the candidate being read: in place. */
    for (unsigned int i = 0; i < k; i++) {
        rt_time_t t = r[i].ts;
        if (g->mod.thin) {
            double v = wl__uniform(g) * hi;
            if (v >= lo && v >= 1.0 + g->o.amplitude * cos(angle(&g->o, t))) continue;
        }
        wl__reading(g, next_device(g), t, out);
    }
    return 0;
}

static int emit_segment(wl_group *g, rt_time_t a, rt_time_t b, eng_batch *out) {
    wl__mod *m = &g->mod;
    double lo = 1.0, hi = 1.0;
    if (m->thin) shape_bounds(&g->o, a, b - a, &lo, &hi);
    double per_ns = m->per_ns * (m->on ? g->o.burst_factor : 1.0) * hi;
    double chunks = ceil(per_ns * (double)(b - a) / PER_CHUNK);
    if (chunks < 1) chunks = 1;
    double step = (double)(b - a) / chunks;
    for (double c = 0; c < chunks; c++) {
        rt_time_t ca = a + (rt_time_t)(c * step), cb = c + 1 < chunks ? a + (rt_time_t)((c + 1) * step) : b;
        if (emit_chunk(g, ca, cb, per_ns, lo, hi, out) != 0) return -1;
    }
    return 0;
}

int wl__mod_emit(wl_group *g, rt_time_t t0, rt_time_t t1, eng_batch *out) {
    wl__mod *m = &g->mod;
    rt_time_t a = t0;
    while (a < t1) {
        rt_time_t b = t1 - a > m->segment ? a + m->segment : t1;
        if (m->sw < b) b = m->sw;
        if (emit_segment(g, a, b, out) != 0) return -1;
        a = b;
        if (b == m->sw) {
            m->on = !m->on;
            m->sw = b + sojourn(g);
        }
    }
    return 0;
}
