/* The cloud side of the privacy path (engine/priv_run.h): one aggregator
 * actor on the driver host receives every site's window releases, adds the
 * contributions to each window — multiplying ciphertexts, never decrypting
 * them, when the releases are Paillier-encrypted — and, once every site has
 * released a window (or every edge has ended), acts as the key holder:
 * decrypts the window's totals, and records how late they became known and
 * how far they are from the exact totals. Its CPU is charged on the driver
 * host at the calibrated cost per operation. eng_priv_finish then writes the
 * path's figures into the run's summary. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "engine/priv_run_int.h"

/* One window's contributions so far. */
typedef struct acc {
    uint32_t got;
    rt_time_t last_end;
    double *plain, *truth; /* 2n each */
    mpz_t *ct;             /* 2n, Paillier mode */
} acc;

typedef struct agg {
    eng_priv_run *r;
    uint32_t n;
    acc *w;
    size_t nw;
} agg;

static void charge(rt_t *rt, eng_priv_run *r, double seconds) {
    r->cloud_cpu_s += seconds;
    rt_compute(rt, seconds * r->cloud_speed);
}

static acc *slot(agg *g, uint64_t slice) {
    if (slice >= g->nw) {
        size_t nw = slice + 16;
        acc *w = realloc(g->w, nw * sizeof *w);
        if (!w) abort();
        memset(w + g->nw, 0, (nw - g->nw) * sizeof *w);
        g->w = w;
        g->nw = nw;
    }
    return &g->w[slice];
}

/* Folds release m into its window. */
static void add(rt_t *rt, agg *g, eng_priv_msg *m) {
    eng_priv_run *r = g->r;
    acc *a = slot(g, m->slice);
    uint32_t k = 2 * g->n;
    if (!a->got) {
        a->truth = m->truth;
        a->plain = m->plain;
        a->ct = m->ct;
        m->truth = m->plain = NULL;
        m->ct = NULL;
    } else {
        for (uint32_t i = 0; i < k; i++) a->truth[i] += m->truth[i];
        if (a->ct) {
            for (uint32_t i = 0; i < k; i++) eng_priv_pai_add(r->pk, a->ct[i], a->ct[i], m->ct[i]);
            r->additions += k;
            charge(rt, r, k * r->o->costs.add_s);
        } else {
            for (uint32_t i = 0; i < k; i++) a->plain[i] += m->plain[i];
        }
    }
    a->got++;
    if (m->end > a->last_end) a->last_end = m->end;
    eng_priv__msg_free(m);
}

/* The key holder: decrypts window a's totals (Paillier) and records them,
 * and how late they are known if every site contributed (`complete`). */
static void release(rt_t *rt, agg *g, acc *a, int complete) {
    eng_priv_run *r = g->r;
    uint32_t n = g->n;
    if (a->ct) {
        a->plain = malloc(2 * n * sizeof *a->plain);
        if (!a->plain) abort();
        mpz_t p;
        mpz_init(p);
        for (uint32_t i = 0; i < 2 * n; i++) {
            if (eng_priv_pai_decrypt(r->sk, a->ct[i], p)) abort();
            a->plain[i] = eng_priv_pai_decode(r->pk, p, i < n ? ENG_PRIV_SUM_SCALE : 1);
            mpz_clear(a->ct[i]);
        }
        mpz_clear(p);
        free(a->ct);
        a->ct = NULL;
        r->decryptions += 2 * n;
        charge(rt, r, 2 * n * r->o->costs.decrypt_s);
    }
    for (uint32_t k = 0; k < n; k++) {
        r->sum_true += a->truth[k];
        r->sum_released += a->plain[k];
        r->count_true += a->truth[n + k];
        r->count_released += a->plain[n + k];
        r->sum_err += fabs(a->plain[k] - a->truth[k]);
        r->count_err += fabs(a->plain[n + k] - a->truth[n + k]);
        r->sum_abs += fabs(a->truth[k]);
        r->count_abs += fabs(a->truth[n + k]);
    }
    r->windows++;
    if (complete) eng_hist_add(&r->latency, rt_now(rt) - a->last_end, 1);
    free(a->plain);
    free(a->truth);
    memset(a, 0, sizeof *a);
}

void eng_priv__agg_main(rt_t *rt, void *arg) {
    agg g = {.r = arg, .n = ((eng_priv_run *)arg)->o->metrics};
    eng_priv_run *r = g.r;
    rt_chan_listen(rt, r->chan);
    /* Until every edge has said it is done and every release it announced
     * has arrived (a short message can overtake a long one). */
    uint64_t announced = 0, received = 0;
    for (uint32_t live = r->sites; live > 0 || received < announced;) {
        eng_priv_msg *m;
        rt_recv(rt, r->chan, (void **)&m);
        if (m->done) {
            live--;
            announced += m->slice;
            eng_priv__msg_free(m);
            continue;
        }
        received++;
        uint64_t slice = m->slice;
        add(rt, &g, m);
        if (g.w[slice].got == r->sites) release(rt, &g, &g.w[slice], 1);
    }
    /* Windows only some sites released (the offset sites' first slices):
     * their totals, but no latency, since they wait for the run's end. */
    for (size_t i = 0; i < g.nw; i++)
        if (g.w[i].got) release(rt, &g, &g.w[i], 0);
    free(g.w);
    rt_send(rt, r->done, calloc(1, 1), 0);
}

static double f1(double tp, double fp, double fn) { return tp > 0 ? 2 * tp / (2 * tp + fp + fn) : 0; }

/* The federated learning figures. */
static void summarise_fl(const eng_priv_run *r, eng_summary *s, double vcpu_hour_usd) {
    const eng_priv_fl_run_opts *f = &r->o->fl;
    for (uint32_t i = 0; i < r->sites; i++) {
        const eng_priv_fl_site *d = &r->fl[i];
        s->fl_bytes += d->bytes;
        s->fl_edge_cpu_s += d->cpu_s;
        s->fl_test_windows += d->nte;
        for (size_t k = 0; k < d->nte; k++) s->fl_test_positives += d->yte[k] > 0.5;
        free(d->Xtr);
        free(d->ytr);
        free(d->Xte);
        free(d->yte);
    }
    s->fl_bytes += r->fl_bytes_down;
    s->fl_rounds = f->rounds;
    s->fl_samples = r->fl_samples;
    s->fl_cloud_cpu_s = r->fl_cloud_cpu_s;
    s->fl_usd = r->fl_cloud_cpu_s / 3600 * vcpu_hour_usd;
    s->fl_latency_s = rt_to_s(r->fl_end - r->fl_start);
    s->fl_epsilon = f->epsilon * f->rounds;
    const double *c = r->fl_conf[0], *z = r->fl_conf[1];
    s->fl_precision = c[0] + c[1] > 0 ? c[0] / (c[0] + c[1]) : 0;
    s->fl_recall = c[0] + c[2] > 0 ? c[0] / (c[0] + c[2]) : 0;
    s->fl_f1 = f1(c[0], c[1], c[2]);
    s->fl_central_precision = z[0] + z[1] > 0 ? z[0] / (z[0] + z[1]) : 0;
    s->fl_central_recall = z[0] + z[2] > 0 ? z[0] / (z[0] + z[2]) : 0;
    s->fl_central_f1 = f1(z[0], z[1], z[2]);
    free(r->fl);
}

void eng_priv_finish(rt_t *rt, eng_priv_run *r, eng_metrics *m, double vcpu_hour_usd) {
    for (int left = r->fl ? 2 : 1; left > 0; left--) {
        void *done;
        rt_recv(rt, r->done, &done);
        free(done);
    }
    eng_summary *s = &m->summary;
    const eng_priv_run_opts *o = r->o;
    uint64_t max_releases = 0;
    for (uint32_t i = 0; i < r->sites; i++) {
        const eng_priv_site *p = &r->site[i];
        s->privacy_bytes += p->bytes;
        s->privacy_releases += p->releases;
        s->privacy_encryptions += p->encryptions;
        s->privacy_noise_draws += p->noise_draws;
        s->privacy_edge_cpu_s += p->cpu_s;
        if (p->releases > max_releases) max_releases = p->releases;
    }
    s->privacy_additions = r->additions;
    s->privacy_decryptions = r->decryptions;
    s->privacy_cloud_cpu_s = r->cloud_cpu_s;
    s->privacy_usd = r->cloud_cpu_s / 3600 * vcpu_hour_usd;
    s->privacy_latency_p50_ms = eng_hist_quantile(&r->latency, 0.50) / 1e6;
    s->privacy_latency_p99_ms = eng_hist_quantile(&r->latency, 0.99) / 1e6;
    s->privacy_epsilon = o->epsilon;
    s->privacy_epsilon_device = o->epsilon * (double)max_releases * o->metrics;
    s->privacy_count_true = r->count_true;
    s->privacy_count_released = r->count_released;
    s->privacy_sum_true = r->sum_true;
    s->privacy_sum_released = r->sum_released;
    s->privacy_count_rel_err = r->count_abs > 0 ? r->count_err / r->count_abs : 0;
    s->privacy_sum_rel_err = r->sum_abs > 0 ? r->sum_err / r->sum_abs : 0;
    s->privacy_windows = r->windows;
    if (r->fl) summarise_fl(r, s, vcpu_hour_usd);
    eng_priv_pai_sk_free(r->sk);
    free(r->site);
    free(r);
}
