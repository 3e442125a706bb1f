/* Internal to the privacy path of a run (engine/priv_run.h): the state the
 * root actor, the edges and the aggregator share, and the release message.
 * Each edge writes only its own site slot; the aggregator owns the rest. */
#ifndef ENG_PRIV_RUN_INT_H
#define ENG_PRIV_RUN_INT_H

#include <gmp.h>

#include "engine/priv_run.h"
#include "engine/privacy/paillier.h"

#define ENG_PRIV_CHAN "privacy"
#define ENG_PRIV_DONE_CHAN "privacy-done"
#define ENG_PRIV_SUM_SCALE 0x1p32 /* fixed-point scale of the encrypted sums */

/* What one edge did (written by that edge only). */
typedef struct eng_priv_site {
    uint64_t releases, bytes, encryptions, noise_draws;
    double cpu_s;
} eng_priv_site;

/* One window's release by one site: 2·n values, the n sums then the n
 * counts, as plaintext doubles or ciphertexts. `truth` holds the exact
 * totals for the measurement of the noise's error only: it is not part of
 * what the message stands for and not counted in its bytes. */
typedef struct eng_priv_msg {
    uint32_t site;
    int done; /* the edge's last message: slice is then how many releases it sent */
    uint64_t slice;
    rt_time_t end; /* when the window ended */
    uint32_t n;
    double *plain; /* plaintext mode */
    mpz_t *ct;     /* Paillier mode */
    double *truth;
} eng_priv_msg;

void eng_priv__msg_free(eng_priv_msg *m);

struct eng_priv_run {
    const eng_priv_run_opts *o;
    uint32_t sites;
    uint64_t seed;
    double cloud_speed;  /* flops per second of a driver-host core */
    eng_priv_pai_sk *sk; /* the key holder's key (Paillier mode) */
    const eng_priv_pai_pk *pk;
    uint32_t ct_bytes; /* on the wire: from the calibration file */
    rt_chan_t *chan, *done;
    eng_priv_site *site; /* one per site */
    /* the aggregator's measurements, read by eng_priv_finish */
    eng_hist latency; /* window end -> its totals known to the key holder */
    uint64_t additions, decryptions, windows;
    double cloud_cpu_s;
    double count_true, count_released, sum_true, sum_released;
    double count_err, sum_err; /* sums over (window, metric) of the relative errors */
    uint64_t totals;           /* (window, metric) totals released */
};

/* The aggregator actor (priv_cloud.c); arg: eng_priv_run *. */
void eng_priv__agg_main(rt_t *rt, void *arg);

#endif
