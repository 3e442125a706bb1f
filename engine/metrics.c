/* What a run measured: the latency histogram and the per-interval and
 * per-batch tables the driver and the sink fill during a run, read after it
 * by the runner and written to HDF5 by analysis/. Bucket i of the histogram
 * holds [ENG_HIST_MIN_NS * ENG_HIST_RATIO^i, ENG_HIST_MIN_NS * ENG_HIST_RATIO^(i+1));
 * bucket 0 also holds everything below ENG_HIST_MIN_NS and the last bucket
 * everything above its lower edge. */
#include "engine/metrics.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

double eng_hist_bucket_lo(size_t i) { return ENG_HIST_MIN_NS * pow(ENG_HIST_RATIO, (double)i); }

/* The bucket holding v; the edges are those of eng_hist_bucket_lo exactly. */
static size_t hist_index(double v) {
    if (v < ENG_HIST_MIN_NS) return 0;
    double x = log(v / ENG_HIST_MIN_NS) / log(ENG_HIST_RATIO);
    double guess = floor(x);
    size_t i = guess < (double)ENG_HIST_BUCKETS ? (size_t)guess : ENG_HIST_BUCKETS - 1;
    /* Rounding can only misplace v when it lies within 1e-9 of an edge:
     * check the edges there (the common case needs no pow). */
    if (x - guess > 1e-9 && x - guess < 1 - 1e-9 && i + 1 < ENG_HIST_BUCKETS) return i;
    while (i > 0 && eng_hist_bucket_lo(i) > v) i--;
    while (i + 1 < ENG_HIST_BUCKETS && eng_hist_bucket_lo(i + 1) <= v) i++;
    return i;
}

void eng_hist_reset(eng_hist *h) { memset(h, 0, sizeof *h); }

static void add_at(eng_hist *h, rt_time_t v, size_t bucket, uint64_t weight) {
    if (h->n == 0) {
        h->min = h->max = v;
    } else {
        if (v < h->min) h->min = v;
        if (v > h->max) h->max = v;
    }
    h->count[bucket] += weight;
    if ((double)v < ENG_HIST_MIN_NS) h->under += weight;
    h->n += weight;
    h->sum_ns += (double)v * (double)weight;
}

void eng_hist_add(eng_hist *h, rt_time_t v, uint64_t weight) {
    if (weight == 0) return;
    if (v < 0) v = 0;
    add_at(h, v, hist_index((double)v), weight);
}

void eng_hist_add2(eng_hist *a, eng_hist *b, rt_time_t v, uint64_t weight) {
    if (weight == 0) return;
    if (v < 0) v = 0;
    size_t bucket = hist_index((double)v);
    add_at(a, v, bucket, weight);
    add_at(b, v, bucket, weight);
}

void eng_hist_merge(eng_hist *into, const eng_hist *from) {
    if (from->n == 0) return;
    if (into->n == 0) {
        into->min = from->min;
        into->max = from->max;
    } else {
        if (from->min < into->min) into->min = from->min;
        if (from->max > into->max) into->max = from->max;
    }
    for (size_t i = 0; i < ENG_HIST_BUCKETS; i++) into->count[i] += from->count[i];
    into->n += from->n;
    into->under += from->under;
    into->sum_ns += from->sum_ns;
}

double eng_hist_quantile(const eng_hist *h, double q) {
    if (h->n == 0) return 0.0;
    if (q < 0) q = 0;
    if (q > 1) q = 1;
    /* the rank of the q-quantile among n samples, 1-based */
    double r = ceil(q * (double)h->n);
    uint64_t rank = r < 1 ? 1 : (uint64_t)r;
    uint64_t cum = 0;
    size_t i = 0;
    for (; i < ENG_HIST_BUCKETS; i++) {
        cum += h->count[i];
        if (cum >= rank) break;
    }
    if (i == ENG_HIST_BUCKETS) i = ENG_HIST_BUCKETS - 1;
    double mid = sqrt(eng_hist_bucket_lo(i) * eng_hist_bucket_lo(i + 1));
    if (mid < (double)h->min) mid = (double)h->min;
    if (mid > (double)h->max) mid = (double)h->max;
    return mid;
}

/* The share of [lo, hi), clipped to the observed [min, max], above x. */
static double spread_above(const eng_hist *h, double x, double lo, double hi) {
    if (lo < (double)h->min) lo = (double)h->min;
    if (hi > (double)h->max) hi = (double)h->max;
    if (hi <= lo) return x < lo ? 1.0 : 0.0;
    double part = (hi - x) / (hi - lo);
    return part < 0 ? 0 : part > 1 ? 1 : part;
}

double eng_hist_share_above(const eng_hist *h, rt_time_t limit) {
    if (h->n == 0 || limit >= h->max) return 0.0;
    if (limit < h->min) return 1.0;
    double x = (double)limit;
    size_t b = hist_index(x);
    uint64_t above = 0;
    for (size_t i = b + 1; i < ENG_HIST_BUCKETS; i++) above += h->count[i];
    /* Bucket b's samples are taken as spread evenly over its range; in
     * bucket 0 those under ENG_HIST_MIN_NS form a range of their own. */
    double lo = eng_hist_bucket_lo(b), hi = eng_hist_bucket_lo(b + 1);
    double inside = (double)h->count[b], part;
    if (b == 0) {
        inside -= (double)h->under;
        part = (double)h->under * spread_above(h, x, (double)h->min, ENG_HIST_MIN_NS);
    } else {
        part = 0;
    }
    part += inside * spread_above(h, x, lo, hi);
    return ((double)above + part) / (double)h->n;
}

double eng_hist_mean(const eng_hist *h) { return h->n ? h->sum_ns / (double)h->n : 0.0; }

eng_metrics *eng_metrics_new(void) {
    eng_metrics *m = calloc(1, sizeof *m);
    if (m) eng_hist_reset(&m->latency);
    return m;
}

void eng_metrics_free(eng_metrics *m) {
    if (!m) return;
    free(m->samples);
    free(m->batches);
    free(m->sync_samples);
    free(m);
}

/* Returns `arr` (n elements of `size` bytes used, *cap allocated) with room
 * for one more; aborts when memory runs out, as the run cannot continue. */
static void *grow(void *arr, size_t n, size_t *cap, size_t size) {
    if (n < *cap) return arr;
    size_t ncap = *cap ? *cap * 2 : 256;
    void *p = realloc(arr, ncap * size);
    if (!p) {
        fprintf(stderr, "sparkiot: out of memory growing the run's metrics\n");
        abort();
    }
    *cap = ncap;
    return p;
}

void eng_metrics_add_sample(eng_metrics *m, const eng_sample *s) {
    m->samples = grow(m->samples, m->nsamples, &m->capsamples, sizeof *m->samples);
    m->samples[m->nsamples++] = *s;
}

void eng_metrics_add_batch(eng_metrics *m, const eng_batch_row *b) {
    m->batches = grow(m->batches, m->nbatches, &m->capbatches, sizeof *m->batches);
    m->batches[m->nbatches++] = *b;
}

void eng_metrics_add_sync_sample(eng_metrics *m, const eng_sync_sample *s) {
    m->sync_samples = grow(m->sync_samples, m->nsync_samples, &m->capsync_samples, sizeof *m->sync_samples);
    m->sync_samples[m->nsync_samples++] = *s;
}

void eng_metrics_finish_latency(eng_metrics *m, double slo_ms) {
    const eng_hist *h = &m->latency;
    eng_summary *s = &m->summary;
    s->latency_p50_ms = eng_hist_quantile(h, 0.50) / 1e6;
    s->latency_p95_ms = eng_hist_quantile(h, 0.95) / 1e6;
    s->latency_p99_ms = eng_hist_quantile(h, 0.99) / 1e6;
    s->latency_mean_ms = eng_hist_mean(h) / 1e6;
    s->latency_max_ms = h->n ? (double)h->max / 1e6 : 0.0;
    s->slo_ms = slo_ms;
    s->slo_violation_share = eng_hist_share_above(h, (rt_time_t)llround(slo_ms * 1e6));
}
