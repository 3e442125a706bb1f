/* The PPO allocator: the greedy (most probable) action of a policy network
 * trained by `sparkiot train --policy ppo` (policies/rl/ppo.h), loaded from
 * allocator.checkpoint. Each decision it moves the target by that action's
 * delta; features, actions, reward and parameters are shared with dqn
 * (alloc_rl.c). */
#include "policies/alloc_int.h"
#include "policies/alloc_rl.h"
#include "policies/rl/ppo.h"

static void *ppo_from_blob(const void *data, size_t len, char *err, size_t errlen) {
    return pol_rl_ppo_from_blob(data, len, POL_ALLOC_RL_FEATURES, POL_ALLOC_RL_ACTIONS, 1, 0, err, errlen);
}

static int ppo_act(void *agent, const float *x) {
    int a;
    pol_rl_ppo_act(agent, x, 1, &a);
    return a;
}

static void ppo_free_agent(void *agent) { pol_rl_ppo_free(agent); }

static const pol_alloc_rl_agent agent = {
    .algo = "ppo",
    .from_blob = ppo_from_blob,
    .act = ppo_act,
    .free = ppo_free_agent,
};

static void *ppo_init(const eng_alloc_opts *o, char *err, size_t errlen) {
    return pol_alloc_rl__init(&agent, o, err, errlen);
}

const eng_alloc_ops pol_alloc_ppo_ops = {
    .abi = ENG_ALLOC_ABI,
    .name = "ppo",
    .summary = "greedy policy of a PPO checkpoint (allocator.checkpoint; train with `sparkiot train`)",
    .param_names = pol_alloc_rl__param_names,
    .init = ppo_init,
    .decide = pol_alloc_rl__decide,
    .free = pol_alloc_rl__free,
};
