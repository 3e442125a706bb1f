/* The environments of policies/rl against hand computation: CartPole's
 * Euler step (Gym's equations), its termination and 500-step truncation and
 * its reset distribution; the bandit's pay-out rates; the chain's rewards. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>

#include <cmocka.h>
#include <math.h>

#include "policies/rl/env.h"

/* From rest, pushing right: total mass 1.1, temp = 10/1.1,
 * theta_acc = -temp / (0.5 (4/3 - 0.1/1.1)) = -14.634146...,
 * x_acc = temp - 0.05 theta_acc / 1.1 = 9.756097...; one Euler step of 0.02 s
 * changes only the velocities. */
static void test_cartpole_step_from_rest(void **s) {
    pol_rl_env *e = pol_rl_cartpole_new(1);
    float obs[4];
    pol_rl_cartpole_set_state(e, (double[]){0, 0, 0, 0}, obs);
    pol_rl_step st;
    assert_int_equal(pol_rl_env_step(e, 1, obs, &st), 0);
    double temp = 10.0 / 1.1, tacc = -temp / (0.5 * (4.0 / 3.0 - 0.1 / 1.1)), xacc = temp - 0.05 * tacc / 1.1;
    assert_float_equal(tacc, -14.634146341463415, 1e-12);
    assert_float_equal(obs[0], 0.0, 0);
    assert_float_equal(obs[1], 0.02 * xacc, 1e-7);
    assert_float_equal(obs[2], 0.0, 0);
    assert_float_equal(obs[3], 0.02 * tacc, 1e-7);
    assert_float_equal(st.reward, 1.0, 0);
    assert_false(st.terminated || st.truncated);
    pol_rl_env_free(e);
}

/* A general state: expected values are Gym's cartpole.py equations evaluated
 * in double precision for (0.01, -0.02, 0.03, 0.04), action 1. */
static void test_cartpole_step_general(void **s) {
    pol_rl_env *e = pol_rl_cartpole_new(1);
    float obs[4];
    pol_rl_cartpole_set_state(e, (double[]){0.01, -0.02, 0.03, 0.04}, obs);
    pol_rl_step st;
    assert_int_equal(pol_rl_env_step(e, 1, obs, &st), 0);
    const double want[4] = {0.009600000000000001, 0.17467919574755525, 0.030799999999999998,
                            -0.2430687179600081};
    for (int i = 0; i < 4; i++) assert_float_equal(obs[i], want[i], 1e-7);
    pol_rl_env_free(e);
}

/* Beyond 12 degrees (0.20944 rad) or 2.4 m the episode terminates. */
static void test_cartpole_limits(void **s) {
    pol_rl_env *e = pol_rl_cartpole_new(1);
    float obs[4];
    pol_rl_step st;
    pol_rl_cartpole_set_state(e, (double[]){0, 0, 0.2, 1.0}, obs);
    assert_int_equal(pol_rl_env_step(e, 1, obs, &st), 0);
    assert_true(st.terminated && !st.truncated);
    pol_rl_cartpole_set_state(e, (double[]){0, 0, 0.2, 0.0}, obs);
    assert_int_equal(pol_rl_env_step(e, 1, obs, &st), 0);
    assert_false(st.terminated);
    pol_rl_cartpole_set_state(e, (double[]){2.39, 1.0, 0, 0}, obs);
    assert_int_equal(pol_rl_env_step(e, 1, obs, &st), 0);
    assert_true(st.terminated);
    pol_rl_cartpole_set_state(e, (double[]){-2.39, -1.0, 0, 0}, obs);
    assert_int_equal(pol_rl_env_step(e, 0, obs, &st), 0);
    assert_true(st.terminated);
    pol_rl_env_free(e);
}

/* A PD controller on the pole and cart keeps it up; the episode is
 * truncated (not terminated) at exactly step 500 with return 500. */
static void test_cartpole_truncation(void **s) {
    pol_rl_env *e = pol_rl_cartpole_new(3);
    float obs[4];
    pol_rl_step st = {0};
    assert_int_equal(pol_rl_env_reset(e, obs), 0);
    int steps = 0;
    double ret = 0;
    while (!st.terminated && !st.truncated) {
        double u = obs[2] + 0.5 * obs[3] + 0.05 * obs[0] + 0.1 * obs[1];
        assert_int_equal(pol_rl_env_step(e, u > 0, obs, &st), 0);
        steps++;
        ret += st.reward;
    }
    assert_int_equal(steps, 500);
    assert_true(st.truncated && !st.terminated);
    assert_float_equal(ret, 500, 0);
    pol_rl_env_free(e);
}

/* Reset draws every state variable uniformly in [-0.05, 0.05]: all inside,
 * mean near 0, variance near 0.1^2/12; the same seed repeats the draws. */
static void test_cartpole_reset(void **s) {
    pol_rl_env *a = pol_rl_cartpole_new(9), *b = pol_rl_cartpole_new(9);
    enum { N = 4000 };
    double sum = 0, sq = 0;
    for (int k = 0; k < N; k++) {
        float oa[4], ob[4];
        pol_rl_env_reset(a, oa);
        pol_rl_env_reset(b, ob);
        assert_memory_equal(oa, ob, sizeof oa);
        for (int i = 0; i < 4; i++) {
            assert_true(fabsf(oa[i]) <= 0.05f);
            sum += oa[i];
            sq += (double)oa[i] * oa[i];
        }
    }
    assert_float_equal(sum / (4 * N), 0.0, 0.002);
    assert_float_equal(sq / (4 * N), 0.01 / 12, 0.0001);
    pol_rl_env_free(a);
    pol_rl_env_free(b);
}

/* Arms paying with probability 0.2 and 0.8: one-step episodes, rates
 * within 4 standard errors over 2000 pulls each. */
static void test_bandit(void **s) {
    pol_rl_env *e = pol_rl_bandit_new(0.2, 0.8, 5);
    assert_int_equal(pol_rl_env_obs_dim(e), 1);
    assert_int_equal(pol_rl_env_n_actions(e), 2);
    double pay[2] = {0, 0};
    for (int k = 0; k < 4000; k++) {
        float obs[1];
        pol_rl_step st;
        pol_rl_env_reset(e, obs);
        assert_float_equal(obs[0], 1.0, 0);
        pol_rl_env_step(e, k % 2, obs, &st);
        assert_true(st.terminated);
        pay[k % 2] += st.reward;
    }
    double se = sqrt(0.16 / 2000);
    assert_float_equal(pay[0] / 2000, 0.2, 4 * se);
    assert_float_equal(pay[1] / 2000, 0.8, 4 * se);
    pol_rl_env_free(e);
}

/* Chain of 5: start in state 1; right three times pays 1, left once pays
 * 0.1; dithering is truncated at max_steps with nothing. */
static void test_chain(void **s) {
    pol_rl_env *e = pol_rl_chain_new(5, 6, 1);
    float obs[5];
    pol_rl_step st;
    assert_int_equal(pol_rl_env_obs_dim(e), 5);
    pol_rl_env_reset(e, obs);
    assert_float_equal(obs[1], 1.0, 0);
    for (int k = 0; k < 3; k++) {
        pol_rl_env_step(e, 1, obs, &st);
        assert_int_equal(st.terminated, k == 2);
        assert_float_equal(st.reward, k == 2 ? 1.0 : 0.0, 0);
    }
    assert_float_equal(obs[4], 1.0, 0);
    pol_rl_env_reset(e, obs);
    pol_rl_env_step(e, 0, obs, &st);
    assert_true(st.terminated);
    assert_float_equal(st.reward, 0.1, 0);
    pol_rl_env_reset(e, obs);
    for (int k = 0; k < 6; k++) pol_rl_env_step(e, (k + 1) % 2, obs, &st);
    assert_true(st.truncated && !st.terminated);
    assert_float_equal(st.reward, 0.0, 0);
    pol_rl_env_free(e);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_cartpole_step_from_rest),
        cmocka_unit_test(test_cartpole_step_general),
        cmocka_unit_test(test_cartpole_limits),
        cmocka_unit_test(test_cartpole_truncation),
        cmocka_unit_test(test_cartpole_reset),
        cmocka_unit_test(test_bandit),
        cmocka_unit_test(test_chain),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
