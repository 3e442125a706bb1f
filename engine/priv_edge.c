/* The edge side of the privacy path (engine/priv_run.h): after each window
 * an edge gateway totals its kept readings per metric (sum and count),
 * optionally adds geometric-mechanism noise (engine/privacy/dp.h), encodes
 * and encrypts the totals under the key holder's public key when the
 * scenario asks for Paillier, charges the calibrated CPU time of those
 * operations, and sends the release over its WAN uplink to the aggregator.
 * Also the path's options and its start: key generation, channels and the
 * aggregator actor. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "engine/check.h"
#include "engine/priv_run_int.h"
#include "engine/privacy/dp.h"

/* Whether anything travels Paillier-encrypted (a key is then needed). */
static int uses_paillier(const eng_priv_run_opts *o) {
    return o->aggregation == ENG_PRIV_AGG_PAILLIER ||
           (o->fl.enabled && o->fl.combine == ENG_PRIV_FL_PAILLIER);
}

void eng_priv_run_defaults(eng_priv_run_opts *o) {
    *o = (eng_priv_run_opts){.aggregation = ENG_PRIV_AGG_PLAIN,
                             .key_bits = 2048,
                             .metrics = 1,
                             .clip = 1000,
                             .quantum = 0.01,
                             .plain_bytes = 8,
                             .header_bytes = 64,
                             .fl = {.combine = ENG_PRIV_FL_PLAIN,
                                    .rounds = 20,
                                    .epochs = 1,
                                    .lr = 0.1,
                                    .window = 8,
                                    .stride = 4,
                                    .test_share = 0.3,
                                    .clip = 1,
                                    .delta = 1e-5}};
}

int eng_priv_run_check(const eng_priv_run_opts *o, char *err, size_t errlen) {
    ENG_CHECK(o->metrics >= 1 && o->metrics <= ENG_PRIV_RUN_MAX_METRICS, err, errlen,
              "metrics: %u, expected 1 to %d", o->metrics, ENG_PRIV_RUN_MAX_METRICS);
    ENG_CHECK(isfinite(o->epsilon) && o->epsilon >= 0, err, errlen,
              "epsilon: %g, expected >= 0 (0: no noise)", o->epsilon);
    ENG_CHECK(isfinite(o->clip) && o->clip > 0, err, errlen, "clip: %g, expected > 0", o->clip);
    ENG_CHECK(isfinite(o->quantum) && o->quantum > 0 && o->clip / o->quantum <= 1e12, err, errlen,
              "quantum: %g, expected > 0 and at least clip / 1e12", o->quantum);
    ENG_CHECK(o->real_key_bits == 0 ||
                  (o->real_key_bits >= 256 && o->real_key_bits <= 8192 && o->real_key_bits % 2 == 0),
              err, errlen, "real_key_bits: %u, expected 0 (same as key_bits) or an even size in [256, 8192]",
              o->real_key_bits);
    const eng_priv_fl_run_opts *f = &o->fl;
    if (f->enabled) {
        ENG_CHECK(f->rounds >= 1 && f->epochs >= 1, err, errlen, "federated.rounds and epochs must be >= 1");
        ENG_CHECK(isfinite(f->lr) && f->lr > 0, err, errlen, "federated.lr: %g, expected > 0", f->lr);
        ENG_CHECK(
            f->window >= 2 && f->stride >= 1, err, errlen,
            "federated.window: %u, stride: %u; expected a window of at least 2 and a stride of at least 1",
            f->window, f->stride);
        ENG_CHECK(f->test_share > 0 && f->test_share < 1, err, errlen,
                  "federated.test_share: %g, expected in (0, 1)", f->test_share);
        ENG_CHECK(
            f->epsilon == 0 ||
                (f->epsilon > 0 && f->epsilon < 1 && f->delta > 0 && f->delta < 1 && f->clip > 0),
            err, errlen,
            "federated.epsilon: %g, expected 0 (no noise) or in (0, 1) with delta in (0, 1) and clip > 0 "
            "(the Gaussian mechanism's classic bound)",
            f->epsilon);
    }
    if (uses_paillier(o)) {
        ENG_CHECK(o->key_bits == o->costs.key_bits && o->costs.ciphertext_bytes > 0, err, errlen,
                  "key_bits: %u, the calibration has costs for %u-bit keys only", o->key_bits,
                  o->costs.key_bits);
    }
    return 0;
}

eng_priv_run *eng_priv_start(rt_t *rt, const eng_priv_run_opts *o, const eng_topo_opts *topo, uint64_t seed) {
    eng_priv_run *r = calloc(1, sizeof *r);
    if (!r) abort();
    r->o = o;
    r->sites = topo->sites;
    r->seed = seed;
    r->cloud_speed = topo->driver.speed;
    r->edge_speed = topo->edge.speed;
    r->site = calloc(r->sites, sizeof *r->site);
    if (!r->site) abort();
    eng_hist_reset(&r->latency);
    if (uses_paillier(o)) {
        eng_priv_rng rng;
        eng_priv_rng_init(&rng, (const uint8_t[32]){0}, seed);
        if (eng_priv_pai_keygen(o->real_key_bits ? o->real_key_bits : o->key_bits, &rng, &r->sk)) abort();
        r->pk = eng_priv_pai_sk_pk(r->sk);
        r->ct_bytes = o->costs.ciphertext_bytes;
    }
    /* Opened here, before any edge runs (one channel per name; see sync_run.c). */
    r->chan = rt_chan_open(rt, ENG_PRIV_CHAN);
    r->done = rt_chan_open(rt, ENG_PRIV_DONE_CHAN);
    rt_chan_listen(rt, r->done);
    if (rt_spawn(rt, "privacy-agg", ENG_HOST_DRIVER, eng_priv__agg_main, r) != 0) abort();
    if (o->fl.enabled) {
        r->fl = calloc(r->sites, sizeof *r->fl);
        if (!r->fl) abort();
        eng_priv_rng rng;
        eng_priv_rng_init(&rng, (const uint8_t[32]){3}, seed);
        eng_priv_rng_bytes(&rng, r->fl_master, sizeof r->fl_master);
        r->fl_server = rt_chan_open(rt, ENG_PRIV_FL_SERVER_CHAN);
        for (uint32_t s = 0; s < r->sites; s++) {
            char name[32];
            eng_priv__fl_chan(name, sizeof name, s);
            rt_chan_open(rt, name);
        }
        if (rt_spawn(rt, "fl-server", ENG_HOST_DRIVER, eng_priv__fl_server_main, r) != 0) abort();
    }
    return r;
}

void eng_priv__msg_free(eng_priv_msg *m) {
    if (m->ct)
        for (uint32_t i = 0; i < 2 * m->n; i++) mpz_clear(m->ct[i]);
    free(m->ct);
    free(m->plain);
    free(m->truth);
    free(m);
}

/* Adds geometric noise of budget eps/2 to the count and eps/2 to the sum of
 * the clipped values in quanta (sensitivity ceil(clip/quantum)). */
static void add_noise(const eng_priv_run_opts *o, eng_priv_rng *rng, double *sum, double clipped,
                      double *count) {
    double half = o->epsilon / 2, delta = ceil(o->clip / o->quantum);
    *count += (double)eng_priv_dp_geometric_noise(half, rng);
    *sum =
        (round(clipped / o->quantum) + (double)eng_priv_dp_geometric_noise(half / delta, rng)) * o->quantum;
}

/* Encrypts the 2n values v (sums at ENG_PRIV_SUM_SCALE, counts as integers)
 * into m->ct, with headroom for the sum over every site. */
static void encrypt(const eng_priv_run *r, eng_priv_rng *rng, const double *v, eng_priv_msg *m) {
    m->ct = malloc(2 * m->n * sizeof *m->ct);
    if (!m->ct) abort();
    mpz_t p;
    mpz_init(p);
    for (uint32_t i = 0; i < 2 * m->n; i++) {
        double scale = i < m->n ? ENG_PRIV_SUM_SCALE : 1;
        mpz_init(m->ct[i]);
        if (eng_priv_pai_encode(r->pk, v[i], scale, r->sites, p) ||
            eng_priv_pai_encrypt(r->pk, p, rng, m->ct[i]))
            abort();
    }
    mpz_clear(p);
}

void eng_priv_edge_window(rt_t *rt, eng_priv_run *r, uint32_t site, uint64_t slice, rt_time_t end,
                          const eng_batch *kept) {
    const eng_priv_run_opts *o = r->o;
    uint32_t n = o->metrics;
    if (r->fl) eng_priv__fl_keep(r, site, kept);
    eng_priv_msg *m = calloc(1, sizeof *m);
    double *v = calloc(2 * n, sizeof *v), *clipped = calloc(n, sizeof *clipped);
    if (!m || !v || !clipped) abort();
    *m = (eng_priv_msg){.site = site, .slice = slice, .end = end, .n = n};
    m->truth = calloc(2 * n, sizeof *m->truth);
    if (!m->truth) abort();
    for (size_t i = 0; i < kept->n; i++) {
        const eng_rec *x = &kept->r[i];
        if (x->metric >= n) abort(); /* the scenario's check keeps metrics below o->metrics */
        m->truth[x->metric] += x->value;
        m->truth[n + x->metric] += x->count;
        double c = x->count ? fmin(fmax(x->value / x->count, -o->clip), o->clip) : 0;
        clipped[x->metric] += c * x->count;
    }
    memcpy(v, m->truth, 2 * n * sizeof *v);
    eng_priv_rng rng;
    eng_priv_rng_init(&rng, (const uint8_t[32]){1}, r->seed ^ ((uint64_t)site << 40 | slice));
    eng_priv_site *s = &r->site[site];
    double cpu = 0;
    if (o->epsilon > 0) {
        for (uint32_t k = 0; k < n; k++) add_noise(o, &rng, &v[k], clipped[k], &v[n + k]);
        s->noise_draws += 2 * n;
        cpu += 2 * n * o->costs.geometric_s;
    }
    uint64_t bytes = o->header_bytes;
    if (o->aggregation == ENG_PRIV_AGG_PAILLIER) {
        encrypt(r, &rng, v, m);
        s->encryptions += 2 * n;
        cpu += 2 * n * (o->costs.encode_s + o->costs.encrypt_s);
        bytes += (uint64_t)2 * n * r->ct_bytes;
        free(v);
    } else {
        m->plain = v;
        bytes += (uint64_t)2 * n * o->plain_bytes;
    }
    free(clipped);
    s->cpu_s += cpu;
    s->releases++;
    s->bytes += bytes;
    /* flops that take the measured time on an idle core (live: nothing) */
    rt_compute(rt, cpu * r->edge_speed);
    rt_send(rt, r->chan, m, bytes);
}

void eng_priv_edge_done(rt_t *rt, eng_priv_run *r, uint32_t site) {
    eng_priv_msg *m = calloc(1, sizeof *m);
    if (!m) abort();
    m->site = site;
    m->done = 1;
    m->slice = r->site[site].releases;
    rt_send(rt, r->chan, m, r->o->header_bytes);
    if (r->fl) eng_priv__fl_client(rt, r, site);
}
