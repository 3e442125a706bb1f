/* Federated learning, the server's side (engine/priv_run.h): one actor on
 * the driver host waits until every edge client is ready, then runs the
 * FedAvg rounds — sends the global model to every client, sums their
 * updates (adding plaintexts, summing masked words whose masks cancel, or
 * multiplying ciphertexts and decrypting only the sums as key holder),
 * divides by the total weight (a round whose clients hold no training
 * window leaves the model as it was), adds Gaussian noise when the updates
 * are differentially private — charging its CPU at the calibrated costs. After
 * the last round it scores the global model, and a centralised model
 * trained on the pooled training windows (for comparison, not charged), on
 * every site's held-out windows. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "engine/priv_run_int.h"
#include "engine/privacy/dp.h"

#define K_VALUES (ENG_PRIV_FL_P + 1)

typedef struct sum {
    double v[K_VALUES];
    eng_priv_mask_agg *masks;
    mpz_t ct[K_VALUES];
    uint32_t got;
} sum;

static void charge(rt_t *rt, eng_priv_run *r, double seconds) {
    r->fl_cloud_cpu_s += seconds;
    rt_compute(rt, seconds * r->cloud_speed);
}

static void add(rt_t *rt, eng_priv_run *r, sum *s, eng_priv_fl_msg *m) {
    switch (r->o->fl.combine) {
    case ENG_PRIV_FL_MASKED:
        if (eng_priv_mask_agg_add(s->masks, m->site, m->words)) abort();
        break;
    case ENG_PRIV_FL_PAILLIER:
        for (uint32_t i = 0; i < K_VALUES; i++) {
            if (s->got)
                eng_priv_pai_add(r->pk, s->ct[i], s->ct[i], m->ct[i]);
            else
                mpz_set(s->ct[i], m->ct[i]);
        }
        if (s->got) charge(rt, r, K_VALUES * r->o->costs.add_s);
        break;
    default:
        for (uint32_t i = 0; i < K_VALUES; i++) s->v[i] += m->v[i];
    }
    s->got++;
}

/* The sums in plaintext: unmasked or decrypted. */
static void open_sum(rt_t *rt, eng_priv_run *r, sum *s) {
    if (r->o->fl.combine == ENG_PRIV_FL_MASKED) {
        uint64_t words[K_VALUES];
        uint32_t survivors;
        if (eng_priv_mask_agg_sum(s->masks, words, &survivors)) abort();
        eng_priv_mask_decode(words, ENG_PRIV_FL_P, ENG_PRIV_MASK_SCALE, s->v);
        s->v[ENG_PRIV_FL_P] = (double)words[ENG_PRIV_FL_P];
    } else if (r->o->fl.combine == ENG_PRIV_FL_PAILLIER) {
        mpz_t p;
        mpz_init(p);
        for (uint32_t i = 0; i < K_VALUES; i++) {
            if (eng_priv_pai_decrypt(r->sk, s->ct[i], p)) abort();
            s->v[i] = eng_priv_pai_decode(r->pk, p, i < ENG_PRIV_FL_P ? ENG_PRIV_MASK_SCALE : 1);
        }
        mpz_clear(p);
        charge(rt, r, K_VALUES * r->o->costs.decrypt_s);
    }
}

/* One round: the global model w out, the updates in, w replaced. */
static void round_trip(rt_t *rt, eng_priv_run *r, rt_chan_t **clients, uint32_t round, double *w,
                       eng_priv_rng *rng) {
    const eng_priv_fl_run_opts *f = &r->o->fl;
    uint64_t bytes = r->o->header_bytes + (uint64_t)ENG_PRIV_FL_P * r->o->plain_bytes;
    for (uint32_t s = 0; s < r->sites; s++) {
        eng_priv_fl_msg *g = calloc(1, sizeof *g);
        double *v = malloc(ENG_PRIV_FL_P * sizeof *v);
        if (!g || !v) abort();
        memcpy(v, w, ENG_PRIV_FL_P * sizeof *v);
        *g = (eng_priv_fl_msg){.round = round, .v = v};
        r->fl_bytes_down += bytes;
        rt_send(rt, clients[s], g, bytes);
    }
    sum acc = {.got = 0};
    if (f->combine == ENG_PRIV_FL_MASKED && !(acc.masks = eng_priv_mask_agg_new(r->sites, K_VALUES, round)))
        abort();
    for (uint32_t i = 0; i < K_VALUES; i++) mpz_init(acc.ct[i]);
    while (acc.got < r->sites) {
        eng_priv_fl_msg *m;
        rt_recv(rt, r->fl_server, (void **)&m);
        if (m->round != round || m->ready) abort(); /* clients answer each round before the next */
        add(rt, r, &acc, m);
        eng_priv__fl_msg_free(m);
    }
    open_sum(rt, r, &acc);
    if (f->epsilon > 0) {
        /* one client changes the sum of clipped deltas by at most clip */
        double sigma;
        if (eng_priv_dp_gauss_sigma(f->clip, f->epsilon, f->delta, &sigma)) abort();
        for (uint32_t i = 0; i < ENG_PRIV_FL_P; i++)
            w[i] += (acc.v[i] + sigma * eng_priv_dp_normal(rng)) / acc.v[ENG_PRIV_FL_P];
    } else if (acc.v[ENG_PRIV_FL_P] > 0) {
        for (uint32_t i = 0; i < ENG_PRIV_FL_P; i++) w[i] = acc.v[i] / acc.v[ENG_PRIV_FL_P];
    } /* else no client had a training window: the model stays as it was */
    eng_priv_mask_agg_free(acc.masks);
    for (uint32_t i = 0; i < K_VALUES; i++) mpz_clear(acc.ct[i]);
}

/* conf := TP, FP, FN, TN of model w on every site's held-out windows. */
static void score(const eng_priv_run *r, const double *w, double conf[4]) {
    for (uint32_t s = 0; s < r->sites; s++) {
        const eng_priv_fl_site *d = &r->fl[s];
        for (size_t i = 0; i < d->nte; i++) {
            int said = eng_priv_lr_prob(w, ENG_PRIV_FL_DIM, d->Xte + i * ENG_PRIV_FL_DIM) > 0.5;
            int is = d->yte[i] > 0.5;
            conf[said ? (is ? 0 : 1) : (is ? 2 : 3)]++;
        }
    }
}

/* The centralised baseline: every site's training windows pooled, trained
 * for rounds x epochs passes from zero. */
static void centralised(const eng_priv_run *r, double *w) {
    const eng_priv_fl_run_opts *f = &r->o->fl;
    size_t n = 0;
    for (uint32_t s = 0; s < r->sites; s++) n += r->fl[s].ntr;
    double *X = malloc((n + 1) * ENG_PRIV_FL_DIM * sizeof *X), *y = malloc((n + 1) * sizeof *y);
    if (!X || !y) abort();
    size_t at = 0;
    for (uint32_t s = 0; s < r->sites; s++) {
        const eng_priv_fl_site *d = &r->fl[s];
        if (d->ntr) memcpy(X + at * ENG_PRIV_FL_DIM, d->Xtr, d->ntr * ENG_PRIV_FL_DIM * sizeof *X);
        if (d->ntr) memcpy(y + at, d->ytr, d->ntr * sizeof *y);
        at += d->ntr;
    }
    eng_priv_lr_opts lo = {.epochs = f->rounds * f->epochs, .lr = f->lr, .l2 = 0};
    eng_priv_rng rng;
    eng_priv_rng_init(&rng, (const uint8_t[32]){4}, r->seed);
    memset(w, 0, ENG_PRIV_FL_P * sizeof *w);
    if (eng_priv_lr_train(w, ENG_PRIV_FL_DIM, X, y, n, &lo, &rng)) abort();
    free(X);
    free(y);
}

void eng_priv__fl_server_main(rt_t *rt, void *arg) {
    eng_priv_run *r = arg;
    rt_chan_listen(rt, r->fl_server);
    rt_chan_t **clients = malloc(r->sites * sizeof *clients);
    if (!clients) abort();
    for (uint32_t s = 0; s < r->sites; s++) {
        char name[32];
        eng_priv__fl_chan(name, sizeof name, s);
        clients[s] = rt_chan_open(rt, name);
    }
    for (uint32_t ready = 0; ready < r->sites; ready++) {
        eng_priv_fl_msg *m;
        rt_recv(rt, r->fl_server, (void **)&m);
        if (!m->ready) abort();
        r->fl_samples += m->n;
        eng_priv__fl_msg_free(m);
    }
    r->fl_start = rt_now(rt);
    eng_priv_rng rng;
    eng_priv_rng_init(&rng, (const uint8_t[32]){5}, r->seed);
    double w[ENG_PRIV_FL_P] = {0};
    for (uint32_t round = 0; round < r->o->fl.rounds; round++) round_trip(rt, r, clients, round, w, &rng);
    r->fl_end = rt_now(rt);
    score(r, w, r->fl_conf[0]);
    centralised(r, w);
    score(r, w, r->fl_conf[1]);
    free(clients);
    rt_send(rt, r->done, calloc(1, 1), 0);
}
