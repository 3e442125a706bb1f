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

/* Federated learning (priv_fl_edge.c, priv_fl_server.c). */
#define ENG_PRIV_FL_SERVER_CHAN "fl-server"
#define ENG_PRIV_FL_DIM ENG_PRIV_FEATURES
#define ENG_PRIV_FL_P (ENG_PRIV_FL_DIM + 1) /* a model: the weights and the bias */

/* One site's data and what its client did (written by that edge only;
 * the server reads the held-out windows after the last round). */
typedef struct eng_priv_fl_site {
    eng_batch readings; /* the kept raw readings of the whole run */
    double *Xtr, *ytr, *Xte, *yte;
    size_t ntr, nte;
    uint64_t bytes;
    double cpu_s;
} eng_priv_fl_site;

/* Client -> server: `ready` with n training samples, or round `round`'s
 * update of ENG_PRIV_FL_P + 1 values (weight·model or weight·delta, then
 * the weight) in the form the combination uses. Server -> client: the
 * global model in v (ENG_PRIV_FL_P doubles). */
typedef struct eng_priv_fl_msg {
    uint32_t site, round;
    int ready;
    uint64_t n;
    double *v;
    uint64_t *words;
    mpz_t *ct;
} eng_priv_fl_msg;

void eng_priv__fl_msg_free(eng_priv_fl_msg *m);
/* The channel of site `site`'s client. */
void eng_priv__fl_chan(char *buf, size_t len, uint32_t site);
/* Edge side (priv_fl_edge.c): keep a window's readings; after the data,
 * build the windows and run the client's rounds. */
void eng_priv__fl_keep(eng_priv_run *r, uint32_t site, const eng_batch *kept);
void eng_priv__fl_client(rt_t *rt, eng_priv_run *r, uint32_t site);
/* The FL server actor (priv_fl_server.c); arg: eng_priv_run *. */
void eng_priv__fl_server_main(rt_t *rt, void *arg);

struct eng_priv_run {
    const eng_priv_run_opts *o;
    uint32_t sites;
    uint64_t seed;
    double cloud_speed;  /* flops per second of a driver-host core */
    double edge_speed;   /* and of an edge gateway's */
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
    double count_err, sum_err; /* sums over (window, metric) of |released - exact| */
    double count_abs, sum_abs; /* and of |exact| */
    /* federated learning */
    eng_priv_fl_site *fl; /* one per site, or NULL */
    rt_chan_t *fl_server;
    uint8_t fl_master[32];  /* the pairwise masks' setup secret */
    uint64_t fl_bytes_down; /* server -> clients */
    double fl_cloud_cpu_s;
    rt_time_t fl_start, fl_end; /* every client ready; the last round's model */
    double fl_conf[2][4];       /* federated, centralised: TP, FP, FN, TN on the held-out windows */
    uint64_t fl_samples;
};

/* The aggregator actor (priv_cloud.c); arg: eng_priv_run *. */
void eng_priv__agg_main(rt_t *rt, void *arg);

#endif
