/* PPO of policies/rl: GAE against a hand computation, the clipped
 * surrogate's value and logit gradient against finite differences, learning
 * the bandit and the chain (known optimal policies), and checkpoints that
 * round-trip to identical action probabilities and are refused when
 * corrupt or of another shape. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>

#include <cmocka.h>
#include <math.h>
#include <string.h>

#include "policies/rl/dqn.h"
#include "policies/rl/ppo.h"

/* gamma 0.9, lambda 0.8; env 0 ends an episode at t = 1, env 1 does not.
 * env 0: A2 = 1 + 0.9*0.2 - 0.3 = 0.88; A1 = 1 - 0.4 = 0.6 (done);
 *        A0 = (1 + 0.9*0.4 - 0.5) + 0.72*0.6 = 1.292.
 * env 1: A2 = 0.88; A1 = (1 + 0.9*0.3 - 0.4) + 0.72*0.88 = 1.5036;
 *        A0 = 0.86 + 0.72*1.5036 = 1.942592. Returns R = A + V. */
static void test_gae(void **s) {
    const float reward[6] = {1, 1, 1, 1, 1, 1}, value[6] = {0.5f, 0.5f, 0.4f, 0.4f, 0.3f, 0.3f};
    const unsigned char done[6] = {0, 0, 1, 0, 0, 0};
    const float last[2] = {0.2f, 0.2f};
    float adv[6], ret[6];
    pol_rl_gae(reward, value, done, last, 3, 2, 0.9, 0.8, adv, ret);
    const double want[6] = {1.292, 1.942592, 0.6, 1.5036, 0.88, 0.88};
    for (int k = 0; k < 6; k++) {
        assert_float_equal(adv[k], want[k], 1e-6);
        assert_float_equal(ret[k], want[k] + value[k], 1e-6);
    }
}

/* At ratio 1 the surrogate is -A and its gradient is -A (onehot - p) / m;
 * a ratio beyond 1 + clip with A > 0 contributes the clipped value and no
 * gradient. */
static void test_policy_loss_by_hand(void **s) {
    float z[4] = {0, 0, 0, (float)log(3.0)}; /* p = (1/2, 1/2), (1/4, 3/4) */
    int act[2] = {0, 1};
    float old[2] = {(float)log(0.5), (float)log(0.5)}; /* ratios 1 and 1.5 */
    float adv[2] = {2, 1}, dz[4];
    double stats[2];
    double l = pol_rl_ppo_policy_loss(z, act, old, adv, 2, 2, 0.2, 0.0, dz, stats);
    assert_float_equal(l, (-2.0 - 1.2) / 2, 1e-6);
    assert_float_equal(dz[0], -2.0 * 0.5 / 2, 1e-6);
    assert_float_equal(dz[1], 2.0 * 0.5 / 2, 1e-6);
    assert_float_equal(dz[2], 0, 0);
    assert_float_equal(dz[3], 0, 0);
    assert_float_equal(stats[0], (log(2.0) + (0.25 * log(4.0) + 0.75 * log(4.0 / 3))) / 2, 1e-6);
    assert_float_equal(stats[1], 0.5, 0);
}

typedef struct loss_case {
    float z[6 * 3], old[6], adv[6];
    int act[6];
} loss_case;

static double loss_at(loss_case *c) {
    float dz[18];
    return pol_rl_ppo_policy_loss(c->z, c->act, c->old, c->adv, 6, 3, 0.2, 0.05, dz, NULL);
}

/* Six samples, with ratios inside and outside the clip range and
 * advantages of both signs, and an entropy bonus. */
static void test_policy_loss_gradient(void **s) {
    loss_case c = {
        .z = {0.1f, -0.3f, 0.5f, 1.0f, 0.2f, -1.0f, -0.5f, 0.4f, 0.0f, 0.3f, 0.3f, -0.2f, 2.0f, -1.0f, 0.0f,
              -0.7f, 0.9f, 0.1f},
        .act = {0, 1, 2, 0, 0, 1},
        .old = {-1.0f, -2.5f, -1.1f, -0.6f, -0.4f, -1.3f},
        .adv = {1.0f, -0.5f, 2.0f, -1.5f, 0.7f, -0.2f},
    };
    float dz[18];
    pol_rl_ppo_policy_loss(c.z, c.act, c.old, c.adv, 6, 3, 0.2, 0.05, dz, NULL);
    for (int i = 0; i < 18; i++) {
        float keep = c.z[i];
        c.z[i] = keep + 1e-3f;
        double up = loss_at(&c);
        c.z[i] = keep - 1e-3f;
        double down = loss_at(&c);
        c.z[i] = keep;
        assert_float_equal(dz[i], (up - down) / 2e-3, 1e-4 + 1e-2 * fabs(dz[i]));
    }
}

static void small_opts(pol_rl_ppo_opts *o) {
    pol_rl_ppo_defaults(o);
    o->n_hidden = 1;
    o->hidden[0] = 32;
    o->lr = 3e-3;
    o->n_steps = 32;
    o->batch_size = 64;
    o->n_epochs = 4;
    o->gamma = 0.9;
    o->ent_coef = 0.0;
}

static pol_rl_ppo *train(pol_rl_env **envs, size_t obs_dim, uint64_t steps, double clip_vf) {
    char err[256];
    pol_rl_ppo_opts o;
    small_opts(&o);
    o.clip_range_vf = clip_vf;
    o.total_steps = steps;
    o.lr_anneal = 1;
    pol_rl_ppo *a = pol_rl_ppo_new(&o, obs_dim, 2, 4, 3, err, sizeof err);
    assert_non_null(a);
    assert_int_equal(pol_rl_ppo_learn(a, envs, steps), 0);
    assert_int_equal(pol_rl_ppo_steps(a), steps);
    return a;
}

static void test_ppo_bandit(void **s) {
    pol_rl_env *envs[4];
    for (int i = 0; i < 4; i++) envs[i] = pol_rl_bandit_new(0.2, 0.8, (unsigned long)i + 10);
    pol_rl_ppo *a = train(envs, 1, 4096, 0);
    float one = 1.0f, p[2];
    pol_rl_ppo_probs(a, &one, 1, p);
    assert_true(p[1] > 0.9);
    pol_rl_ppo_free(a);
    for (int i = 0; i < 4; i++) pol_rl_env_free(envs[i]);
}

static pol_rl_ppo *train_chain(double clip_vf) {
    pol_rl_env *envs[4];
    for (int i = 0; i < 4; i++) envs[i] = pol_rl_chain_new(5, 20, (unsigned long)i + 20);
    pol_rl_ppo *a = train(envs, 5, 4096, clip_vf);
    for (int i = 0; i < 4; i++) pol_rl_env_free(envs[i]);
    return a;
}

static void check_chain_optimal(pol_rl_ppo *a) {
    float states[3 * 5] = {0};
    for (int s = 1; s <= 3; s++) states[(s - 1) * 5 + s] = 1.0f;
    int act[3];
    pol_rl_ppo_act(a, states, 3, act);
    for (int s = 0; s < 3; s++) assert_int_equal(act[s], 1);
    pol_rl_env *eval[4];
    for (int i = 0; i < 4; i++) eval[i] = pol_rl_chain_new(5, 20, (unsigned long)i + 99);
    double mean;
    assert_int_equal(pol_rl_evaluate(eval, 4, pol_rl_ppo_policy(a), NULL, &mean), 0);
    assert_float_equal(mean, 1.0, 0);
    for (int i = 0; i < 4; i++) pol_rl_env_free(eval[i]);
}

static void test_ppo_chain(void **s) {
    pol_rl_ppo *a = train_chain(0);
    check_chain_optimal(a);
    pol_rl_ppo_free(a);
}

static void test_ppo_chain_clipped_value(void **s) {
    pol_rl_ppo *a = train_chain(0.2);
    check_chain_optimal(a);
    pol_rl_ppo_free(a);
}

static void test_ppo_checkpoint(void **s) {
    char err[256];
    pol_rl_ppo *a = train_chain(0);
    pol_nn_blob blob = {0};
    assert_int_equal(pol_rl_ppo_to_blob(a, &blob), 0);
    pol_rl_ppo *b = pol_rl_ppo_from_blob(blob.data, blob.len, 5, 2, 1, 77, err, sizeof err);
    assert_non_null(b);
    float states[5 * 5] = {0}, pa[10], pb[10];
    for (int k = 0; k < 5; k++) states[k * 5 + k] = 1.0f;
    pol_rl_ppo_probs(a, states, 5, pa);
    pol_rl_ppo_probs(b, states, 5, pb);
    assert_memory_equal(pa, pb, sizeof pa);
    int aa[5], ab[5];
    pol_rl_ppo_act(a, states, 5, aa);
    pol_rl_ppo_act(b, states, 5, ab);
    assert_memory_equal(aa, ab, sizeof aa);
    pol_rl_ppo_free(b);

    assert_null(pol_rl_ppo_from_blob(blob.data, blob.len, 5, 3, 1, 77, err, sizeof err));
    assert_string_equal(err, "ppo checkpoint was trained with 5 observations and 2 actions; "
                             "this environment has 5 and 3");
    assert_null(pol_rl_dqn_from_blob(blob.data, blob.len, 5, 2, 77, err, sizeof err));
    assert_string_equal(err, "not a dqn checkpoint (it has no 'dqn/obs_dim')");
    blob.data[blob.len - 1] ^= 0x80;
    assert_null(pol_rl_ppo_from_blob(blob.data, blob.len, 5, 2, 1, 77, err, sizeof err));
    assert_non_null(strstr(err, "corrupt"));
    pol_nn_blob_free(&blob);
    pol_rl_ppo_free(a);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_gae),
        cmocka_unit_test(test_policy_loss_by_hand),
        cmocka_unit_test(test_policy_loss_gradient),
        cmocka_unit_test(test_ppo_bandit),
        cmocka_unit_test(test_ppo_chain),
        cmocka_unit_test(test_ppo_chain_clipped_value),
        cmocka_unit_test(test_ppo_checkpoint),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
