/* Federated learning, the edge's side (engine/priv_run.h): while the run
 * lasts, an edge keeps the readings it forwarded; when its devices stop,
 * it turns each device's series into labelled windows of features, holds
 * out each device's last windows, and then acts as a FedAvg client: every
 * round it receives the global model, trains locally (real SGD, charged at
 * the calibrated cost per sample step), and sends its update in plaintext,
 * masked with the pairwise streams, or Paillier-encrypted. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "engine/priv_run_int.h"
#include "engine/privacy/dp.h"

void eng_priv__fl_chan(char *buf, size_t len, uint32_t site) { snprintf(buf, len, "fl-%u", site); }

void eng_priv__fl_msg_free(eng_priv_fl_msg *m) {
    if (m->ct)
        for (uint32_t i = 0; i <= ENG_PRIV_FL_P; i++) mpz_clear(m->ct[i]);
    free(m->ct);
    free(m->v);
    free(m->words);
    free(m);
}

static int by_device(const void *a, const void *b) {
    const eng_rec *x = a, *y = b;
    if (x->device != y->device) return x->device < y->device ? -1 : 1;
    return (x->seq > y->seq) - (x->seq < y->seq);
}

static void grow(double **X, double **y, size_t *cap, size_t need) {
    if (need <= *cap) return;
    *cap = need * 2;
    *X = realloc(*X, *cap * ENG_PRIV_FL_DIM * sizeof **X);
    *y = realloc(*y, *cap * sizeof **y);
    if (!*X || !*y) abort();
}

/* Windows of one device's first differences d[j] = x[j+1] - x[j]; a window
 * of d[a..a+w) covers readings a+1..a+w and is labelled 1 if one of them
 * is an injected anomaly. The last test_share of the windows are held out. */
static void device_windows(const eng_priv_fl_run_opts *f, const eng_rec *r, size_t n, eng_priv_fl_site *s,
                           size_t caps[2]) {
    if (n < f->window + 1) return;
    double *d = malloc((n - 1) * sizeof *d),
           *X = malloc(((n - 1) / f->stride + 1) * ENG_PRIV_FL_DIM * sizeof *X);
    if (!d || !X) abort();
    for (size_t j = 0; j + 1 < n; j++) d[j] = r[j + 1].value - r[j].value;
    size_t rows = eng_priv_window_features(d, n - 1, f->window, f->stride, X);
    size_t test = (size_t)ceil((double)rows * f->test_share), train = rows - test;
    for (size_t i = 0; i < rows; i++) {
        int held = i >= train;
        double label = 0;
        for (size_t k = i * f->stride + 1; k <= i * f->stride + f->window; k++)
            if (r[k].flags & ENG_REC_ANOMALY) label = 1;
        double **Xd = held ? &s->Xte : &s->Xtr, **yd = held ? &s->yte : &s->ytr;
        size_t *m = held ? &s->nte : &s->ntr;
        grow(Xd, yd, &caps[held], *m + 1);
        memcpy(*Xd + *m * ENG_PRIV_FL_DIM, X + i * ENG_PRIV_FL_DIM, ENG_PRIV_FL_DIM * sizeof *X);
        (*yd)[(*m)++] = label;
    }
    free(d);
    free(X);
}

static void build_windows(const eng_priv_fl_run_opts *f, eng_priv_fl_site *s) {
    eng_batch *b = &s->readings;
    qsort(b->r, b->n, sizeof *b->r, by_device);
    size_t caps[2] = {0, 0};
    for (size_t i = 0, j; i < b->n; i = j) {
        for (j = i; j < b->n && b->r[j].device == b->r[i].device; j++) continue;
        device_windows(f, b->r + i, j - i, s, caps);
    }
    eng_batch_free(b);
}

void eng_priv__fl_keep(eng_priv_run *r, uint32_t site, const eng_batch *kept) {
    eng_batch *b = &r->fl[site].readings;
    if (eng_batch_reserve(b, kept->n) != 0) abort();
    memcpy(b->r + b->n, kept->r, kept->n * sizeof *kept->r);
    b->n += kept->n;
}

/* The update of one round: u (ENG_PRIV_FL_P + 1 values) into m in the
 * combination's form; returns its CPU seconds and sets *bytes. */
static double encode_update(const eng_priv_run *r, uint32_t site, uint32_t round, const double *u,
                            eng_priv_rng *enc, eng_priv_fl_msg *m, uint64_t *bytes) {
    const eng_priv_run_opts *o = r->o;
    uint32_t k = ENG_PRIV_FL_P + 1, K = r->sites;
    *bytes = o->header_bytes;
    if (o->fl.combine == ENG_PRIV_FL_MASKED) {
        m->words = malloc(k * sizeof *m->words);
        eng_priv_seed *seeds = malloc(K * sizeof *seeds);
        if (!m->words || !seeds) abort();
        if (eng_priv_mask_encode(u, k - 1, ENG_PRIV_MASK_SCALE, K, m->words)) abort();
        m->words[k - 1] = (uint64_t)u[k - 1];
        for (uint32_t j = 0; j < K; j++) eng_priv_mask_pair_seed(r->fl_master, site, j, &seeds[j]);
        eng_priv_mask_client(site, K, seeds, round, m->words, k);
        free(seeds);
        *bytes += (uint64_t)k * 8;
        return (double)(K - 1) * k * o->costs.mask_word_s;
    }
    if (o->fl.combine == ENG_PRIV_FL_PAILLIER) {
        m->ct = malloc(k * sizeof *m->ct);
        if (!m->ct) abort();
        mpz_t p;
        mpz_init(p);
        for (uint32_t i = 0; i < k; i++) {
            mpz_init(m->ct[i]);
            double scale = i + 1 < k ? ENG_PRIV_MASK_SCALE : 1;
            if (eng_priv_pai_encode(r->pk, u[i], scale, K, p) ||
                eng_priv_pai_encrypt(r->pk, p, enc, m->ct[i]))
                abort();
        }
        mpz_clear(p);
        *bytes += (uint64_t)k * o->costs.ciphertext_bytes;
        return k * (o->costs.encode_s + o->costs.encrypt_s);
    }
    m->v = malloc(k * sizeof *m->v);
    if (!m->v) abort();
    memcpy(m->v, u, k * sizeof *u);
    *bytes += (uint64_t)k * o->plain_bytes;
    return 0;
}

void eng_priv__fl_client(rt_t *rt, eng_priv_run *r, uint32_t site) {
    const eng_priv_fl_run_opts *f = &r->o->fl;
    eng_priv_fl_site *s = &r->fl[site];
    build_windows(f, s);
    char name[32];
    eng_priv__fl_chan(name, sizeof name, site);
    rt_chan_t *in = rt_chan_open(rt, name);
    eng_priv_fl_msg *ready = calloc(1, sizeof *ready);
    if (!ready) abort();
    *ready = (eng_priv_fl_msg){.site = site, .ready = 1, .n = s->ntr};
    s->bytes += r->o->header_bytes;
    rt_send(rt, r->fl_server, ready, r->o->header_bytes);
    /* training and encryption draw from separate streams, so that every
     * combination trains on the same sample orders */
    eng_priv_rng rng, enc;
    eng_priv_rng_init(&rng, (const uint8_t[32]){2}, r->seed ^ site);
    eng_priv_rng_init(&enc, (const uint8_t[32]){6}, r->seed ^ site);
    eng_priv_lr_opts lo = {.epochs = f->epochs, .lr = f->lr, .l2 = 0};
    double w[ENG_PRIV_FL_P], u[ENG_PRIV_FL_P + 1];
    for (uint32_t round = 0; round < f->rounds; round++) {
        eng_priv_fl_msg *g;
        rt_recv(rt, in, (void **)&g);
        memcpy(w, g->v, sizeof w);
        if (eng_priv_lr_train(w, ENG_PRIV_FL_DIM, s->Xtr, s->ytr, s->ntr, &lo, &rng)) abort();
        double cpu = (double)s->ntr * f->epochs * r->o->costs.lr_step_s;
        double weight = f->epsilon > 0 ? 1 : (double)s->ntr;
        for (uint32_t i = 0; i < ENG_PRIV_FL_P; i++) u[i] = f->epsilon > 0 ? w[i] - g->v[i] : w[i];
        if (f->epsilon > 0) eng_priv_dp_clip(u, ENG_PRIV_FL_P, f->clip);
        for (uint32_t i = 0; i < ENG_PRIV_FL_P; i++) u[i] *= weight;
        u[ENG_PRIV_FL_P] = weight;
        eng_priv__fl_msg_free(g);
        eng_priv_fl_msg *m = calloc(1, sizeof *m);
        if (!m) abort();
        *m = (eng_priv_fl_msg){.site = site, .round = round};
        uint64_t bytes;
        cpu += encode_update(r, site, round, u, &enc, m, &bytes);
        s->cpu_s += cpu;
        s->bytes += bytes;
        rt_compute(rt, cpu * r->edge_speed);
        rt_send(rt, r->fl_server, m, bytes);
    }
}
