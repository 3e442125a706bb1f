/* The DQN allocator: the greedy policy of a Q-network trained by `sparkiot
 * train --policy dqn` (policies/rl/dqn.h), loaded from allocator.checkpoint.
 * Each decision it takes the action of highest Q-value for the features of
 * the observation and moves the target by that action's delta; features,
 * actions, reward and parameters are shared with ppo (alloc_rl.c). */
#include "policies/alloc_int.h"
#include "policies/alloc_rl.h"
#include "policies/rl/dqn.h"

static void *dqn_from_blob(const void *data, size_t len, char *err, size_t errlen) {
    return pol_rl_dqn_from_blob(data, len, POL_ALLOC_RL_FEATURES, POL_ALLOC_RL_ACTIONS, 0, err, errlen);
}

static int dqn_act(void *agent, const float *x) {
    int a;
    pol_rl_dqn_act(agent, x, 1, &a);
    return a;
}

static void dqn_free_agent(void *agent) { pol_rl_dqn_free(agent); }

static const pol_alloc_rl_agent agent = {
    .algo = "dqn",
    .from_blob = dqn_from_blob,
    .act = dqn_act,
    .free = dqn_free_agent,
};

static void *dqn_init(const eng_alloc_opts *o, char *err, size_t errlen) {
    return pol_alloc_rl__init(&agent, o, err, errlen);
}

const eng_alloc_ops pol_alloc_dqn_ops = {
    .abi = ENG_ALLOC_ABI,
    .name = "dqn",
    .summary = "greedy policy of a DQN checkpoint (allocator.checkpoint; train with `sparkiot train`)",
    .param_names = pol_alloc_rl__param_names,
    .init = dqn_init,
    .decide = pol_alloc_rl__decide,
    .free = pol_alloc_rl__free,
};
