/* `sparkiot train`: trains a learning allocator (DQN or PPO) on a scenario
 * and writes the checkpoint that `run` loads, with its learning curve. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli/args.h"
#include "cli/commands.h"
#include "experiments/train.h"

static const char *train_help =
    "usage: sparkiot train SCENARIO.yaml --policy dqn|ppo [--episodes N] [--out CKPT.h5] [--seed N]\n"
    "                      [--variant NAME] [--set key.path=value]...\n"
    "Trains a learning allocator on simulated episodes of the scenario (one whole run each, workload seeds\n"
    "1001, 1002, ...: held in; the scenario's own seeds stay held out for evaluation) and writes CKPT.h5\n"
    "(default checkpoints/<scenario file>-<policy>.h5) and its learning curve CKPT.curve.h5. --episodes\n"
    "defaults to 40; --seed (default 1) seeds the agent. The reward weights are allocator parameters:\n"
    "--set allocator.reward_cost=1 --set allocator.reward_slo=10. Evaluate with allocator.name: dqn|ppo and\n"
    "allocator.checkpoint: CKPT.h5.\n";

/* Takes --policy and --episodes out of argv (the shared parser does not
 * know them); CLI_USAGE after a message on a bad value. */
static int take_own(int *argc, char **argv, const char **policy, uint32_t *episodes) {
    int n = 2;
    for (int i = 2; i < *argc; i++) {
        int is_policy = !strcmp(argv[i], "--policy"), is_episodes = !strcmp(argv[i], "--episodes");
        if (!is_policy && !is_episodes) {
            argv[n++] = argv[i];
            continue;
        }
        if (i + 1 >= *argc) {
            fprintf(stderr, "sparkiot: %s needs a value\n", argv[i]);
            return CLI_USAGE;
        }
        const char *v = argv[++i];
        if (is_policy) {
            *policy = v;
            continue;
        }
        char *end;
        unsigned long e = strtoul(v, &end, 10);
        if (!*v || *end || v[0] == '-' || e < 1 || e > 1000000) {
            fprintf(stderr, "sparkiot: --episodes expects 1..1000000, got '%s'\n", v);
            return CLI_USAGE;
        }
        *episodes = (uint32_t)e;
    }
    *argc = n;
    return CLI_OK;
}

int cli_cmd_train(int argc, char **argv) {
    const char *policy = NULL;
    uint32_t episodes = 40;
    int rc = take_own(&argc, argv, &policy, &episodes);
    cli_args a;
    if (rc == CLI_OK) rc = cli_args_parse(&a, argc, argv, 2);
    if (rc != CLI_OK) return rc;
    if (a.help) {
        fputs(train_help, stdout);
        return CLI_OK;
    }
    if (a.npos != 1 || !policy) {
        fputs(train_help, stderr);
        return CLI_USAGE;
    }
    if (strcmp(policy, "dqn") != 0 && strcmp(policy, "ppo") != 0) {
        fprintf(stderr, "sparkiot: --policy must be dqn or ppo, got '%s'\n", policy);
        return CLI_USAGE;
    }
    if (a.jobs != 1) {
        fprintf(stderr, "sparkiot: train runs its episodes one after another; -j is not supported\n");
        return CLI_USAGE;
    }
    char out[4096];
    if (a.out) {
        snprintf(out, sizeof out, "%s", a.out);
    } else {
        const char *base = strrchr(a.pos[0], '/') ? strrchr(a.pos[0], '/') + 1 : a.pos[0];
        const char *dot = strrchr(base, '.');
        snprintf(out, sizeof out, "checkpoints/%.*s-%s.h5", (int)(dot ? dot - base : (long)strlen(base)),
                 base, policy);
    }
    xp_train_opts o = {
        .scenario = a.pos[0],
        .variant = a.variant,
        .sets = a.sets,
        .nsets = a.nsets,
        .algo = strcmp(policy, "dqn") == 0 ? XP_TRAIN_DQN : XP_TRAIN_PPO,
        .episodes = episodes,
        .out = out,
        .seed = a.has_seed ? a.seed : 1,
        .first_seed = XP_TRAIN_FIRST_SEED,
        .progress = isatty(STDERR_FILENO),
    };
    char err[4096];
    rc = xp_train(&o, err, sizeof err);
    if (rc != 0) {
        fprintf(stderr, "%s%s\n", rc == XP_TRAIN_EINPUT ? "" : "sparkiot: ", err);
        return rc == XP_TRAIN_EINPUT ? CLI_USAGE : CLI_FAIL;
    }
    char curve[4200];
    xp_train_curve_path(curve, sizeof curve, out);
    fprintf(stderr, "wrote %s and %s\n", out, curve);
    return CLI_OK;
}
