/* The privacy path of a run: the per-window totals (sum and count of every
 * metric) that each edge gateway releases to the cloud, in plaintext or
 * Paillier-encrypted, optionally with differential-privacy noise. Edges
 * compute and protect their window's totals (engine/priv_edge.c) and send
 * them over their WAN uplink to the aggregator on the driver host, which
 * adds each window's contributions from all sites (homomorphically when
 * encrypted) and, as key holder, decrypts the window's totals
 * (engine/priv_cloud.c). Both sides run the real operations from
 * engine/privacy/ on the real values, and charge their CPU as the calibrated
 * per-operation costs (eng_priv_costs, measured by `sparkiot bench privacy
 * --out`), so simulated time does not depend on the machine running the
 * simulation. The bus still carries the pipeline's own records; this path
 * is what a deployment would release to the cloud's analysts. */
#ifndef ENG_PRIV_RUN_H
#define ENG_PRIV_RUN_H

#include <stdint.h>

#include "engine/metrics.h"
#include "engine/privacy/fedavg.h"
#include "engine/rec.h"
#include "engine/rt.h"
#include "engine/topo.h"

#define ENG_PRIV_RUN_MAX_METRICS 64

typedef enum { ENG_PRIV_AGG_PLAIN = 0, ENG_PRIV_AGG_PAILLIER } eng_priv_aggregation;

/* CPU seconds per operation on the calibration machine, for one key size. */
typedef struct eng_priv_costs {
    uint32_t key_bits;
    uint32_t ciphertext_bytes; /* one serialised ciphertext */
    double encode_s, encrypt_s, add_s, decrypt_s;
    double geometric_s; /* one geometric-mechanism draw */
    double mask_word_s; /* one 64-bit word of one pairwise mask stream */
    double lr_step_s;   /* one SGD step of the logistic regression on one sample */
} eng_priv_costs;

/* Federated learning of an anomaly detector at the edges (engine/priv_fl_*.c):
 * each edge cuts every device's series of first differences into windows
 * (fedavg.h features), labelled 1 when a reading in it is an injected
 * anomaly, and holds out each device's last windows for evaluation; once
 * its data has ended, it trains a logistic regression for `epochs` local
 * epochs per round from the global model, and the server on the driver
 * host averages the updates weighted by sample counts for `rounds` rounds,
 * combining them in plaintext, through pairwise masks or Paillier. With
 * epsilon > 0 the updates are model deltas clipped to L2 norm `clip`,
 * averaged with equal weights, and the server adds Gaussian noise for
 * (epsilon, delta)-DP per round. */
typedef struct eng_priv_fl_run_opts {
    int enabled;
    eng_priv_fl_combine combine;
    uint32_t rounds, epochs;
    double lr;
    uint32_t window, stride; /* readings per feature window, readings between windows */
    double test_share;       /* each device's last windows held out for evaluation */
    double clip, epsilon, delta;
} eng_priv_fl_run_opts;

typedef struct eng_priv_run_opts {
    eng_priv_aggregation aggregation;
    uint32_t key_bits;      /* Paillier modulus size: what is charged (CPU) and sent (bytes) */
    uint32_t real_key_bits; /* the key the real operations use in simulation (0: key_bits) */
    uint32_t metrics;       /* metrics 0..metrics-1 are released (each reading's metric must be below) */
    double epsilon;         /* DP budget of one window's release of one metric (sum and count); 0: no noise */
    double clip;            /* DP: each reading's value is clipped to [-clip, clip] in the noisy sum */
    double quantum;         /* DP: the noisy sum's resolution (sensitivity = ceil(clip / quantum) quanta) */
    uint32_t plain_bytes;   /* wire size of one plaintext value */
    uint32_t header_bytes;  /* per release message */
    eng_priv_costs costs;
    eng_priv_fl_run_opts fl;
} eng_priv_run_opts;

/* Plaintext, 2048 bits (real operations too), 1 metric, no noise, clip 1000,
 * quantum 0.01, 8-byte values, 64-byte headers; costs zero (experiments/
 * fills them from the calibration file); federated learning off (when on:
 * plaintext, 20 rounds of 1 epoch at lr 0.1, windows of 8 readings every 4,
 * the last 30% held out, clip 1, delta 1e-5). */
void eng_priv_run_defaults(eng_priv_run_opts *o);
/* 0, or -1 with a message naming the field. */
int eng_priv_run_check(const eng_priv_run_opts *o, char *err, size_t errlen);

/* One run's privacy path (opaque). */
typedef struct eng_priv_run eng_priv_run;

/* Called by the root actor before it spawns the edges: generates the key
 * (when encrypting; from the run's seed, not charged), opens the path's
 * channel and spawns the aggregator on the driver host. */
eng_priv_run *eng_priv_start(rt_t *rt, const eng_priv_run_opts *o, const eng_topo_opts *topo, uint64_t seed);
/* Called by edge `site` after it forwarded the readings of its slice number
 * `slice` ending at `end`: releases their totals. `kept` are the readings
 * that passed the filter (raw readings or pre-aggregates). */
void eng_priv_edge_window(rt_t *rt, eng_priv_run *r, uint32_t site, uint64_t slice, rt_time_t end,
                          const eng_batch *kept);
/* Called by edge `site` when it has released its last window. */
void eng_priv_edge_done(rt_t *rt, eng_priv_run *r, uint32_t site);
/* Called by the root actor after the driver ended: waits for the
 * aggregator, writes what the path measured into m->summary (the privacy_*
 * fields; vcpu_hour_usd prices the cloud side's CPU) and frees r. */
void eng_priv_finish(rt_t *rt, eng_priv_run *r, eng_metrics *m, double vcpu_hour_usd);

#endif
