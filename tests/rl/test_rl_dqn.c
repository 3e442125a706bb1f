/* DQN of policies/rl on problems with known answers: on the two-armed
 * bandit its Q-values approach the arms' pay-out rates (one-step episodes:
 * Q(a) = p_a) and it prefers the better arm; on the chain it learns the
 * optimal policy (right everywhere) and Q*(s, right) = gamma^(steps left - 1).
 * Checkpoints round-trip to identical Q-values and are refused when corrupt,
 * of another algorithm or of another shape. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>

#include <cmocka.h>
#include <math.h>
#include <string.h>

#include "policies/rl/dqn.h"
#include "policies/rl/ppo.h"

static void small_opts(pol_rl_dqn_opts *o, uint64_t total) {
    pol_rl_dqn_defaults(o);
    o->n_hidden = 1;
    o->hidden[0] = 32;
    o->lr = 3e-3;
    o->buffer_size = 5000;
    o->learning_starts = 200;
    o->batch_size = 32;
    o->train_freq = 1;
    o->target_update_interval = 100;
    o->exploration_fraction = 0.5;
    o->eps_final = 0.05;
    o->total_steps = total;
}

static void test_dqn_bandit(void **s) {
    char err[256];
    pol_rl_dqn_opts o;
    small_opts(&o, 3000);
    pol_rl_env *env = pol_rl_bandit_new(0.2, 0.8, 1);
    pol_rl_dqn *a = pol_rl_dqn_new(&o, 1, 2, 1, err, sizeof err);
    assert_non_null(a);
    assert_int_equal(pol_rl_dqn_learn(a, env, 3000), 0);
    assert_int_equal(pol_rl_dqn_steps(a), 3000);
    float one = 1.0f, q[2];
    int act;
    pol_rl_dqn_q_values(a, &one, 1, q);
    pol_rl_dqn_act(a, &one, 1, &act);
    assert_int_equal(act, 1);
    assert_float_equal(q[0], 0.2, 0.15);
    assert_float_equal(q[1], 0.8, 0.15);
    pol_rl_dqn_free(a);
    pol_rl_env_free(env);
}

static pol_rl_dqn *train_chain(int double_q) {
    char err[256];
    pol_rl_dqn_opts o;
    small_opts(&o, 4000);
    o.gamma = 0.9;
    o.double_q = double_q;
    pol_rl_env *env = pol_rl_chain_new(5, 20, 2);
    pol_rl_dqn *a = pol_rl_dqn_new(&o, 5, 2, 2, err, sizeof err);
    assert_non_null(a);
    assert_int_equal(pol_rl_dqn_learn(a, env, 4000), 0);
    pol_rl_env_free(env);
    return a;
}

static void check_chain_optimal(pol_rl_dqn *a) {
    float states[3 * 5] = {0}, q[3 * 2];
    for (int s = 1; s <= 3; s++) states[(s - 1) * 5 + s] = 1.0f;
    int act[3];
    pol_rl_dqn_act(a, states, 3, act);
    pol_rl_dqn_q_values(a, states, 3, q);
    for (int s = 1; s <= 3; s++) {
        assert_int_equal(act[s - 1], 1);
        assert_float_equal(q[(s - 1) * 2 + 1], pow(0.9, 3 - s), 0.1);
    }
    assert_float_equal(q[0], 0.1, 0.1); /* state 1, left: the small terminal reward */
}

static void test_dqn_chain(void **s) {
    pol_rl_dqn *a = train_chain(0);
    check_chain_optimal(a);
    pol_rl_dqn_free(a);
}

static void test_double_dqn_chain(void **s) {
    pol_rl_dqn *a = train_chain(1);
    check_chain_optimal(a);
    pol_rl_dqn_free(a);
}

static void test_dqn_checkpoint(void **s) {
    char err[256];
    pol_rl_dqn *a = train_chain(0);
    pol_nn_blob blob = {0};
    assert_int_equal(pol_rl_dqn_to_blob(a, &blob), 0);
    pol_rl_dqn *b = pol_rl_dqn_from_blob(blob.data, blob.len, 5, 2, 9, err, sizeof err);
    assert_non_null(b);
    assert_int_equal(pol_rl_dqn_steps(b), pol_rl_dqn_steps(a));
    float states[5 * 5] = {0}, qa[10], qb[10];
    for (int k = 0; k < 5; k++) states[k * 5 + k] = 1.0f;
    pol_rl_dqn_q_values(a, states, 5, qa);
    pol_rl_dqn_q_values(b, states, 5, qb);
    assert_memory_equal(qa, qb, sizeof qa);
    int aa[5], ab[5];
    pol_rl_dqn_act(a, states, 5, aa);
    pol_rl_dqn_act(b, states, 5, ab);
    assert_memory_equal(aa, ab, sizeof aa);
    pol_rl_dqn_free(b);

    assert_null(pol_rl_dqn_from_blob(blob.data, blob.len, 4, 2, 9, err, sizeof err));
    assert_string_equal(err, "dqn checkpoint was trained with 5 observations and 2 actions; "
                             "this environment has 4 and 2");
    assert_null(pol_rl_ppo_from_blob(blob.data, blob.len, 5, 2, 1, 9, err, sizeof err));
    assert_string_equal(err, "not a ppo checkpoint (it has no 'ppo/obs_dim')");
    blob.data[blob.len / 2] ^= 1;
    assert_null(pol_rl_dqn_from_blob(blob.data, blob.len, 5, 2, 9, err, sizeof err));
    assert_non_null(strstr(err, "corrupt"));
    blob.data[blob.len / 2] ^= 1;
    assert_null(pol_rl_dqn_from_blob(blob.data, blob.len - 10, 5, 2, 9, err, sizeof err));
    assert_non_null(strstr(err, "corrupt"));
    pol_nn_blob_free(&blob);
    pol_rl_dqn_free(a);
}

static void test_dqn_bad_options(void **s) {
    char err[256];
    pol_rl_dqn_opts o;
    pol_rl_dqn_defaults(&o);
    o.tau = 0;
    assert_null(pol_rl_dqn_new(&o, 4, 2, 1, err, sizeof err));
    assert_string_equal(err, "dqn: tau must be in (0, 1]");
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_dqn_bandit),       cmocka_unit_test(test_dqn_chain),
        cmocka_unit_test(test_double_dqn_chain), cmocka_unit_test(test_dqn_checkpoint),
        cmocka_unit_test(test_dqn_bad_options),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
