/* Replay ring, running observation normalisation and lockstep evaluation
 * of policies/rl against hand-computed values. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>

#include <cmocka.h>
#include <gsl/gsl_rng.h>
#include <math.h>

#include "policies/rl/eval.h"
#include "policies/rl/obsnorm.h"
#include "policies/rl/replay.h"

/* Capacity 3, five pushes: transitions 2, 3, 4 remain (each stored with
 * obs = (i, -i), action i, reward i/10, next = obs + 1, terminal on odd). */
static void test_replay_ring(void **s) {
    pol_rl_replay *r = pol_rl_replay_new(3, 2);
    for (int i = 0; i < 5; i++) {
        float o[2] = {(float)i, (float)-i}, n[2] = {(float)i + 1, (float)-i + 1};
        pol_rl_replay_push(r, o, i, i / 10.0, n, i % 2);
    }
    assert_int_equal(r->size, 3);
    gsl_rng *rng = gsl_rng_alloc(gsl_rng_mt19937);
    enum { B = 600 };
    float obs[B * 2], next[B * 2], rew[B];
    int32_t act[B];
    uint8_t term[B];
    pol_rl_batch b = {obs, next, rew, act, term};
    pol_rl_replay_sample(r, B, rng, &b);
    int seen[5] = {0};
    for (int k = 0; k < B; k++) {
        int i = act[k];
        assert_true(i >= 2 && i <= 4);
        seen[i]++;
        assert_float_equal(obs[2 * k], i, 0);
        assert_float_equal(obs[2 * k + 1], -i, 0);
        assert_float_equal(next[2 * k], i + 1, 0);
        assert_float_equal(rew[k], i / 10.0, 1e-7);
        assert_int_equal(term[k], i % 2);
    }
    for (int i = 2; i <= 4; i++) assert_true(seen[i] > B / 3 - 60 && seen[i] < B / 3 + 60);
    gsl_rng_free(rng);
    pol_rl_replay_free(r);
}

/* Feeding 1, 2, 3, 4 in two batches gives mean 2.5 and variance 1.25 (the
 * initial count of 1e-4 shifts them by about 1e-4); normalising 2.5 + 1.25^0.5
 * gives about 1, and large values are clipped. */
static void test_obsnorm(void **s) {
    pol_rl_obsnorm n;
    pol_rl_obsnorm_init(&n, 1, 5.0);
    float a[2] = {1, 2}, b[2] = {3, 4};
    pol_rl_obsnorm_update(&n, a, 2);
    pol_rl_obsnorm_update(&n, b, 2);
    assert_float_equal(n.mean[0], 2.5, 1e-4);
    assert_float_equal(n.var[0], 1.25, 1e-3);
    float x[2] = {(float)(2.5 + sqrt(1.25)), 1000}, y[2];
    pol_rl_obsnorm_apply(&n, x, 2, y);
    assert_float_equal(y[0], 1.0, 1e-3);
    assert_float_equal(y[1], 5.0, 0);
}

static void always(void *self, const float *obs, size_t n, int *actions) {
    for (size_t i = 0; i < n; i++) actions[i] = *(int *)self;
}

/* Always-right on the chain of 6 returns 1 on every episode; always-left
 * 0.1; the bandit's good arm 0.8 on average over many episodes. */
static void test_evaluate(void **s) {
    pol_rl_env *envs[4];
    for (int i = 0; i < 4; i++) envs[i] = pol_rl_chain_new(6, 20, (unsigned long)i);
    int right = 1, left = 0;
    double ret[4], mean;
    assert_int_equal(pol_rl_evaluate(envs, 4, (pol_rl_policy){always, &right}, ret, &mean), 0);
    assert_float_equal(mean, 1.0, 1e-12);
    assert_int_equal(pol_rl_evaluate(envs, 4, (pol_rl_policy){always, &left}, ret, &mean), 0);
    assert_float_equal(mean, 0.1, 1e-12);
    for (int i = 0; i < 4; i++) pol_rl_env_free(envs[i]);
    enum { N = 2000 };
    pol_rl_env *bandits[N];
    for (int i = 0; i < N; i++) bandits[i] = pol_rl_bandit_new(0.2, 0.8, (unsigned long)i + 1);
    assert_int_equal(pol_rl_evaluate(bandits, N, (pol_rl_policy){always, &right}, NULL, &mean), 0);
    assert_float_equal(mean, 0.8, 4 * sqrt(0.16 / N));
    for (int i = 0; i < N; i++) pol_rl_env_free(bandits[i]);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_replay_ring),
        cmocka_unit_test(test_obsnorm),
        cmocka_unit_test(test_evaluate),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
