/* The replay source (tr_source, see replay.h): what an edge gateway owns
 * when its site's devices are a recorded trace. Each open source streams
 * the trace file itself and keeps a small queue of rows whose copies (the
 * site's simulated devices replaying that row, each at its own phase
 * offset) are not all emitted yet; emit() reads ahead until a row lies past
 * the slice, emits the copies that fall in the slice, and drops rows whose
 * last copy is behind it. Looping rewinds the file and shifts time by the
 * trace's span. */
#include <assert.h>
#include <gsl/gsl_randist.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "traces/replay.h"

#define PARK_ABOVE 256 /* open trace files in the process before sources park between slices */

typedef struct pending {
    tr_row row;
    rt_time_t pos;  /* trace ns after the origin, loops included */
    uint16_t flags; /* ENG_REC_ANOMALY from the label column or a window */
} pending;

typedef struct tr_src {
    const tr_trace *t;
    tr_reader *r;
    gsl_rng *rng;
    uint32_t first, n;
    uint32_t *seq;  /* per site device */
    rt_time_t *off; /* per site device: its copy's phase offset (trace ns) */
    pending *q;     /* rows [head, np) wait */
    size_t head, np, cap;
    int64_t iter; /* loop iteration of the rows being read */
    uint64_t iter_rows;
    int done;
    char err[1024];
} tr_src;

rt_time_t tr_phase_offset(rt_time_t phase, uint64_t k) {
    long double g = 0.6180339887498948482045868343656381L; /* (sqrt(5) - 1) / 2 */
    long double x = (long double)k * g;
    return (rt_time_t)llroundl((long double)phase * (x - floorl(x)));
}

/* Simulated time of trace position pos. */
static rt_time_t sim_time(const tr_src *s, rt_time_t pos) {
    return (rt_time_t)llroundl((long double)pos / (long double)s->t->o.speedup);
}

/* Many sources in one process (one per edge site) take turns with the file
 * descriptors: above PARK_ABOVE open trace files, a source closes its file
 * between slices. */
static int park_if_crowded(tr_src *s) {
    return tr_reader_open_files() > PARK_ABOVE ? tr_reader_park(s->r, s->err, sizeof s->err) : 0;
}

static void src_close(void *p) {
    tr_src *s = p;
    if (!s) return;
    tr_reader_close(s->r);
    free(s->seq);
    free(s->off);
    free(s->q);
    free(s);
}

static void *src_open(const void *opts, uint32_t site, uint32_t first, uint32_t n, gsl_rng *rng) {
    const tr_trace *t = opts;
    assert(t->devices > 0 && t->o.speedup > 0); /* prepared by tr_trace_prepare */
    tr_src *s = calloc(1, sizeof *s);
    if (!s) return NULL;
    s->t = t;
    s->rng = rng;
    s->first = first;
    s->n = n;
    s->seq = calloc(n ? n : 1, sizeof *s->seq);
    s->off = malloc((n ? n : 1) * sizeof *s->off);
    if (!s->seq || !s->off) goto fail;
    for (uint32_t i = 0; i < n; i++)
        s->off[i] = tr_phase_offset(t->o.phase, ((uint64_t)first + i) / t->devices);
    s->r =
        tr_reader_open(t->o.path, t->o.format, &t->o.columns, t->o.strict, NULL, NULL, s->err, sizeof s->err);
    if (!s->r || park_if_crowded(s) != 0) goto fail;
    return s;
fail:
    if (s->err[0]) fprintf(stderr, "sparkiot: trace replay, site %u: %s\n", site, s->err);
    src_close(s);
    return NULL;
}

static void push(tr_src *s, const tr_row *row) {
    if (s->head == s->np) s->head = s->np = 0;
    if (s->np == s->cap && s->head > 0) {
        memmove(s->q, s->q + s->head, (s->np - s->head) * sizeof *s->q);
        s->np -= s->head;
        s->head = 0;
    }
    if (s->np == s->cap) {
        s->cap = s->cap ? 2 * s->cap : 16;
        if (!(s->q = realloc(s->q, s->cap * sizeof *s->q))) abort(); /* bounded by design, like eng_batch */
    }
    const tr_trace *t = s->t;
    pending *p = &s->q[s->np++];
    p->row = *row;
    p->pos = row->ts - t->origin + s->iter * t->span;
    p->flags = row->anomaly || tr_labels_contains(t->windows, t->nwindows, row->ts) ? ENG_REC_ANOMALY : 0;
}

/* Reads rows until one lies at or after t1 (its copies all do) or the trace ends. */
static int fill(tr_src *s, rt_time_t t1) {
    const tr_opts *o = &s->t->o;
    while (!s->done && (s->np == s->head || sim_time(s, s->q[s->np - 1].pos) < t1)) {
        tr_row row;
        int rc = tr_reader_next(s->r, &row, s->err, sizeof s->err);
        if (rc < 0) return rc;
        if (rc == 1 && row.ts < o->start) continue;
        if (rc == 1 && row.ts < o->end) {
            s->iter_rows++;
            push(s, &row);
        } else if (o->loop && s->iter_rows > 0) {
            if ((rc = tr_reader_rewind(s->r, s->err, sizeof s->err)) != 0) return rc;
            s->iter++;
            s->iter_rows = 0;
        } else {
            s->done = 1;
        }
    }
    return 0;
}

/* The copies of one row that fall in [t0, t1): site devices g = d (mod D). */
static void emit_row(tr_src *s, const pending *p, rt_time_t t0, rt_time_t t1, eng_batch *out) {
    uint64_t d = p->row.device, nd = s->t->devices, lo = s->first, hi = (uint64_t)s->first + s->n;
    double jitter = s->t->o.value_jitter;
    for (uint64_t g = lo + (d + nd - lo % nd) % nd; g < hi; g += nd) {
        uint32_t i = (uint32_t)(g - lo);
        rt_time_t ts = sim_time(s, p->pos + s->off[i]);
        if (ts < t0 || ts >= t1) continue;
        for (uint32_t v = 0; v < p->row.nvalues; v++) {
            double x = p->row.values[v] + (jitter > 0 ? gsl_ran_gaussian(s->rng, jitter) : 0);
            eng_rec r = eng_rec_raw(ts, (uint32_t)g, s->seq[i]++, (uint16_t)v, x, p->flags);
            eng_batch_push(out, &r);
        }
    }
}

static int src_emit(void *p, rt_time_t t0, rt_time_t t1, eng_batch *out) {
    tr_src *s = p;
    int rc = fill(s, t1);
    if (rc == 0) {
        for (size_t i = s->head; i < s->np && sim_time(s, s->q[i].pos) < t1; i++)
            emit_row(s, &s->q[i], t0, t1, out);
        while (s->head < s->np && sim_time(s, s->q[s->head].pos + s->t->o.phase) < t1) s->head++;
        rc = park_if_crowded(s);
    }
    /* The edge gateway aborts on a failed slice; say why first. */
    if (rc) fprintf(stderr, "sparkiot: trace replay: %s\n", s->err);
    return rc ? -1 : 0;
}

static const eng_source_ops ops = {ENG_SOURCE_ABI, "trace", src_open, src_emit, src_close};

const eng_source_ops *tr_source(void) { return &ops; }
