/* `sparkiot train`: trains a learning allocator (DQN or PPO) on a scenario
 * and writes the checkpoint that `run` loads, with its learning curve. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli/args.h"
#include "cli/commands.h"
#include "experiments/paper.h"
#include "experiments/train.h"
#include "experiments/train_pareto.h"

static const char *train_help =
    "usage: sparkiot train SCENARIO.yaml --policy dqn|ppo [--episodes N] [-j N] [--out CKPT.h5] [--seed N]\n"
    "                      [--variant NAME] [--set key.path=value]... [--quick] [--pareto W1,W2,...]\n"
    "Trains a learning allocator on simulated episodes of the scenario (one whole run each, workload seeds\n"
    "1001, 1002, ...: held in; the scenario's own seeds stay held out for evaluation) and writes CKPT.h5\n"
    "(default checkpoints/<scenario file>-<policy>.h5) and its learning curve CKPT.curve.h5. --episodes\n"
    "defaults to 40 (8 with --quick); --seed (default 1) seeds the agent. -j N simulates N episodes at once\n"
    "on the same weights (PPO: one update per N episodes; DQN: learns between rounds of N steps); N must\n"
    "divide --episodes, default the online processors lowered to a divisor. Results are deterministic for\n"
    "--seed and -j. The reward weights are allocator parameters: --set allocator.reward_cost=1 --set\n"
    "allocator.reward_slo=10. Evaluate with allocator.name: dqn|ppo and allocator.checkpoint: CKPT.h5.\n"
    "--quick applies the overrides of <scenario without .yaml>.quick (key=value lines) before --set.\n"
    "--pareto W1,W2,...: trains one policy per reward_slo weight, evaluates each and the scenario's "
    "baseline\n"
    "variants on the held-out seeds (2 with --quick) and writes --out DIR (default pareto-<file>-<policy>):\n"
    "checkpoints/, results/ and figures/ (table, figures, pareto.{png,pdf,dat,txt}). See docs/rl.md.\n";

/* What train reads itself (the shared parser does not know these). */
typedef struct train_args {
    const char *policy;
    uint32_t episodes;
    unsigned jobs; /* 0: not given */
    const char *pareto;
} train_args;

/* Parses a count in 1..max for option opt; CLI_USAGE after a message. */
static int count_arg(const char *opt, const char *v, unsigned long max, unsigned long *out) {
    char *end;
    unsigned long e = strtoul(v, &end, 10);
    if (!*v || *end || v[0] == '-' || e < 1 || e > max) {
        fprintf(stderr, "sparkiot: %s expects 1..%lu, got '%s'\n", opt, max, v);
        return CLI_USAGE;
    }
    *out = e;
    return CLI_OK;
}

/* Takes --policy, --episodes, -j/--jobs and --pareto out of argv. */
static int take_own(int *argc, char **argv, train_args *t) {
    int n = 2;
    for (int i = 2; i < *argc; i++) {
        const char *o = argv[i];
        int is_jobs = !strcmp(o, "-j") || !strcmp(o, "--jobs");
        if (strcmp(o, "--policy") && strcmp(o, "--episodes") && strcmp(o, "--pareto") && !is_jobs) {
            argv[n++] = argv[i];
            continue;
        }
        if (i + 1 >= *argc) {
            fprintf(stderr, "sparkiot: %s needs a value\n", o);
            return CLI_USAGE;
        }
        const char *v = argv[++i];
        unsigned long k;
        if (!strcmp(o, "--policy")) {
            t->policy = v;
        } else if (!strcmp(o, "--pareto")) {
            t->pareto = v;
        } else if (is_jobs) {
            if (count_arg(o, v, 256, &k) != CLI_OK) return CLI_USAGE;
            t->jobs = (unsigned)k;
        } else {
            if (count_arg(o, v, 1000000, &k) != CLI_OK) return CLI_USAGE;
            t->episodes = (uint32_t)k;
        }
    }
    *argc = n;
    return CLI_OK;
}

/* The --quick overrides (<scenario without .yaml>.quick, if any) and then
 * the --set ones into sets; CLI_USAGE after a message. */
static int gather_sets(const cli_args *a, xp_set *sets, size_t *n) {
    *n = 0;
    if (a->quick) {
        char q[4200], err[1024];
        const char *dot = strrchr(a->pos[0], '.');
        int stem = dot && !strcmp(dot, ".yaml") ? (int)(dot - a->pos[0]) : (int)strlen(a->pos[0]);
        snprintf(q, sizeof q, "%.*s.quick", stem, a->pos[0]);
        if (xp_paper_quick_read(q, sets, XP_MAX_SETS, n, err, sizeof err) != 0) {
            fprintf(stderr, "%s\n", err);
            return CLI_USAGE;
        }
    }
    if (*n + a->nsets > XP_MAX_SETS) {
        fprintf(stderr, "sparkiot: at most %d --set options\n", XP_MAX_SETS);
        return CLI_USAGE;
    }
    memcpy(sets + *n, a->sets, a->nsets * sizeof *sets);
    *n += a->nsets;
    return CLI_OK;
}

/* --pareto: the sweep into a.out (default pareto-<stem>-<policy>). */
static int pareto(const cli_args *a, const train_args *t, xp_train_opts *o, const char *stem) {
    double w[XP_PARETO_MAX_WEIGHTS];
    size_t nw;
    char err[4096], dir[4096], text[8192] = "";
    if (xp_pareto_parse_weights(t->pareto, w, XP_PARETO_MAX_WEIGHTS, &nw, err, sizeof err) != 0) {
        fprintf(stderr, "sparkiot: %s\n", err);
        return CLI_USAGE;
    }
    snprintf(dir, sizeof dir, "%s", a->out ? a->out : "");
    if (!a->out) snprintf(dir, sizeof dir, "pareto-%s-%s", stem, t->policy);
    for (size_t i = 0, off = 0; i < o->nsets && off < sizeof text; i++)
        off += (size_t)snprintf(text + off, sizeof text - off, "%s=%s\n", o->sets[i].key, o->sets[i].value);
    xp_pareto_opts p = {
        .train = *o,
        .weights = w,
        .nweights = nw,
        .out_dir = dir,
        .eval_seeds = a->quick ? 2 : 0,
        .overrides = text,
    };
    int rc = xp_pareto_run(&p, stderr, err, sizeof err);
    if (rc != 0) {
        fprintf(stderr, "%s%s\n", rc == XP_TRAIN_EINPUT ? "" : "sparkiot: ", err);
        return rc == XP_TRAIN_EINPUT ? CLI_USAGE : CLI_FAIL;
    }
    return CLI_OK;
}

int cli_cmd_train(int argc, char **argv) {
    train_args t = {0};
    int rc = take_own(&argc, argv, &t);
    cli_args a;
    if (rc == CLI_OK) rc = cli_args_parse(&a, argc, argv, 2);
    if (rc == CLI_OK)
        rc = cli_args_only(&a, "train", CLI_O_SEED | CLI_O_OUT | CLI_O_QUICK | CLI_O_VARIANT | CLI_O_SET);
    if (rc != CLI_OK) return rc;
    if (a.help) {
        fputs(train_help, stdout);
        return CLI_OK;
    }
    if (a.npos != 1 || !t.policy) {
        fputs(train_help, stderr);
        return CLI_USAGE;
    }
    if (strcmp(t.policy, "dqn") != 0 && strcmp(t.policy, "ppo") != 0) {
        fprintf(stderr, "sparkiot: --policy must be dqn or ppo, got '%s'\n", t.policy);
        return CLI_USAGE;
    }
    if (!t.episodes) t.episodes = a.quick ? 8 : 40;
    xp_set sets[XP_MAX_SETS];
    size_t nsets;
    if ((rc = gather_sets(&a, sets, &nsets)) != CLI_OK) return rc;
    const char *base = strrchr(a.pos[0], '/') ? strrchr(a.pos[0], '/') + 1 : a.pos[0];
    const char *dot = strrchr(base, '.');
    char stem[256], out[4096];
    snprintf(stem, sizeof stem, "%.*s", (int)(dot ? dot - base : (long)strlen(base)), base);
    snprintf(out, sizeof out, "%s", a.out ? a.out : "");
    if (!a.out) snprintf(out, sizeof out, "checkpoints/%s-%s.h5", stem, t.policy);
    xp_train_opts o = {
        .scenario = a.pos[0],
        .variant = a.variant,
        .sets = sets,
        .nsets = nsets,
        .algo = strcmp(t.policy, "dqn") == 0 ? XP_TRAIN_DQN : XP_TRAIN_PPO,
        .episodes = t.episodes,
        .out = out,
        .seed = a.has_seed ? a.seed : 1,
        .first_seed = XP_TRAIN_FIRST_SEED,
        .jobs = t.jobs ? t.jobs : xp_train_default_jobs(t.episodes),
        .progress = isatty(STDERR_FILENO),
    };
    if (t.pareto) return pareto(&a, &t, &o, stem);
    char err[4096];
    rc = xp_train(&o, err, sizeof err);
    if (rc != 0) {
        fprintf(stderr, "%s%s\n", rc == XP_TRAIN_EINPUT ? "" : "sparkiot: ", err);
        return rc == XP_TRAIN_EINPUT ? CLI_USAGE : CLI_FAIL;
    }
    char curve[4200];
    xp_train_curve_path(curve, sizeof curve, out);
    fprintf(stderr, "wrote %s and %s (%u worker%s)\n", out, curve, o.jobs, o.jobs > 1 ? "s" : "");
    return CLI_OK;
}
