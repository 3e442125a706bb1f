/* Checkpoint files of the learning allocators (see train_ckpt.h): the
 * agent's visitor into analysis/ckpt_h5's writer with the training record as
 * root attributes; and back, the stored arrays replayed into a blob. */
#include "experiments/train_ckpt.h"

#include <stdio.h>

#include "analysis/ckpt_h5.h"
#include "policies/alloc_rl.h"

#define FORMAT "sparkiot allocator checkpoint"

int xp_ckpt_save(const char *path, xp_ckpt_visit visit, void *agent, const xp_ckpt_meta *m, char *err,
                 size_t errlen) {
    an_ckpt_h5 *w = an_ckpt_h5_create(path, err, errlen);
    if (!w) return -1;
    char sig[1024];
    pol_alloc_rl_signature(sig, sizeof sig);
    int rc = visit(agent, an_ckpt_h5_put, w);
    rc |= an_ckpt_h5_attr_str(w, "format", FORMAT);
    rc |= an_ckpt_h5_attr_str(w, "version", SPARKIOT_VERSION);
    rc |= an_ckpt_h5_attr_str(w, "algorithm", m->algorithm);
    rc |= an_ckpt_h5_attr_str(w, "signature", sig);
    rc |= an_ckpt_h5_attr_str(w, "scenario", m->scenario);
    rc |= an_ckpt_h5_attr_str(w, "scenario_path", m->scenario_path);
    rc |= an_ckpt_h5_attr_str(w, "variant", m->variant);
    rc |= an_ckpt_h5_attr_str(w, "overrides", m->overrides);
    rc |= an_ckpt_h5_attr_num(w, "agent_seed", (double)m->agent_seed);
    rc |= an_ckpt_h5_attr_num(w, "train_first_seed", (double)m->first_seed);
    rc |= an_ckpt_h5_attr_num(w, "train_episodes", m->episodes);
    rc |= an_ckpt_h5_attr_num(w, "train_jobs", m->jobs);
    rc |= an_ckpt_h5_attr_num(w, "train_steps", (double)m->steps);
    rc |= an_ckpt_h5_attr_num(w, "reward_cost", m->reward_cost);
    rc |= an_ckpt_h5_attr_num(w, "reward_slo", m->reward_slo);
    return an_ckpt_h5_close(w, rc == 0, err, errlen);
}

int xp_ckpt_read(const char *path, pol_nn_blob *blob, char *sig, size_t siglen, char *err, size_t errlen) {
    if (an_ckpt_h5_read(path, pol_nn_blob_put, blob, err, errlen) != 0) return -1;
    if (pol_nn_blob_finish(blob) != 0) {
        snprintf(err, errlen, "%s: out of memory", path);
        return -1;
    }
    return an_ckpt_h5_read_str(path, "signature", sig, siglen, err, errlen);
}

void xp_ckpt_install(void) { pol_alloc_rl_set_reader(xp_ckpt_read); }
