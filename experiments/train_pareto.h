/* The reward-weight Pareto sweep (`sparkiot train S.yaml --pareto W,...`):
 * one learning allocator trained per weight of the SLO term of the reward
 * (allocator.reward_slo; reward_cost as the scenario sets it), each then
 * evaluated on the scenario's held-out seeds beside the scenario's baseline
 * variants, and the summary table and figures (the Pareto front among them,
 * analysis/fig_pareto.c) written from those result files. docs/rl.md gives
 * the procedure, the quick mode and the full command's cost. */
#ifndef XP_TRAIN_PARETO_H
#define XP_TRAIN_PARETO_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "experiments/train.h"

#define XP_PARETO_MAX_WEIGHTS 16

typedef struct xp_pareto_opts {
    /* scenario, variant, sets (the --quick ones included), algo, episodes,
     * seed, first_seed, jobs and progress of every training; out unused */
    xp_train_opts train;
    const double *weights; /* reward_slo of each policy, distinct, >= 0 */
    size_t nweights;
    const char *out_dir;   /* checkpoints/, results/<scenario>/<variant>/ and figures/ under it */
    uint32_t eval_seeds;   /* held-out seeds per variant; 0: the scenario's `seeds` */
    const char *overrides; /* the --set overrides as text, recorded in each result file */
} xp_pareto_opts;

/* Parses "w1,w2,..." (the --pareto argument) into w (at most max), *n of
 * them: each a finite number >= 0, all distinct. 0, or XP_TRAIN_EINPUT with
 * a message that names --pareto and the offending item. */
int xp_pareto_parse_weights(const char *list, double *w, size_t max, size_t *n, char *err, size_t errlen);

/* The variant name of the policy trained with weight w: "pareto-<algo>-slo<w>". */
void xp_pareto_variant(char *buf, size_t len, xp_train_algo algo, double w);

/* Trains every weight's policy (out_dir/checkpoints/<variant>.h5), runs
 * them and every baseline variant of the scenario (those whose allocator
 * does not learn) on the held-out seeds, o->train.jobs at once, then writes
 * the table and the figures into out_dir/figures with the scenario's first
 * variant as the cost baseline. Progress and failed runs go to log. 0,
 * XP_TRAIN_EINPUT (bad scenario or options, nothing run) or -1 (a
 * training, a run or a figure failed), with a message. */
int xp_pareto_run(const xp_pareto_opts *o, FILE *log, char *err, size_t errlen);

#endif
