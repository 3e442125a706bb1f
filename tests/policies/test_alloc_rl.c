/* The learning allocators (dqn, ppo): the feature vector of a scripted
 * observation against hand-computed values, the reward, the target levels
 * with their rounding and clamping, the checkpoint reader's contract
 * (missing, unreadable, other features, other algorithm: refused with the
 * file named), greedy decisions equal to the agent's own argmax, and the
 * learner hook of training runs. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>

#include <cmocka.h>
#include <math.h>

#include "policies/alloc_rl.h"
#include "policies/rl/dqn.h"
#include "policies/rl/ppo.h"
#include "tests/policies/alloc_fixture.h"

/* 1000 records/s in, 800 out, 3 ready executors of 4 slots, 2 s trigger,
 * 5 s SLO, 06:00. */
static eng_alloc_obs scripted(void) {
    return (eng_alloc_obs){
        .now = 600 * RT_S,
        .time_of_day = 6 * 3600 * RT_S,
        .interval = 15 * RT_S,
        .input_rate = 1000,
        .processed_rate = 800,
        .backlog = 2400,
        .pending_tasks = 7,
        .trigger = 2 * RT_S,
        .avg_batch_time = 1500 * RT_MS,
        .latency_p50_ms = 2500,
        .latency_p95_ms = 60000,
        .slo_ms = 5000,
        .ready = 3,
        .pending = 1,
        .slots_per_executor = 4,
        .utilisation = 0.6,
        .cost_rate_usd_h = 1.21,
        .min_executors = 1,
        .max_executors = 16,
        .slo_share = 0.25,
    };
}

static void test_features_by_hand(void **unused) {
    eng_alloc_obs o = scripted();
    float x[POL_ALLOC_RL_FEATURES];
    pol_alloc_rl_features(&o, x);
    const double want[POL_ALLOC_RL_FEATURES] = {
        log(1001.0),         /* input rate */
        log(801.0),          /* processed rate */
        log(2401.0),         /* backlog */
        log(8.0),            /* pending tasks */
        log(1 + 1000 / 12.), /* 1000 records/s over 3 x 4 slots */
        0.75,                /* 1.5 s batches every 2 s */
        0.5,                 /* p50 2.5 s of 5 s */
        10,                  /* p95 60 s of 5 s = 12, capped at 10 */
        0.25,                /* share over the SLO */
        3 / 16.,             /* ready of max */
        1 / 16.,             /* pending of max */
        0.6,                 /* utilisation */
        1.21,                /* USD/h */
        1,                   /* sin(2 pi 6 h / 24 h) */
        0,                   /* cos */
    };
    for (size_t i = 0; i < POL_ALLOC_RL_FEATURES; i++) assert_float_equal(x[i], want[i], 1e-5);
    /* No trigger: batch time over the decision interval; no ready executor:
     * the load is counted against one slot. */
    o.trigger = 0;
    o.ready = 0;
    pol_alloc_rl_features(&o, x);
    assert_float_equal(x[POL_ALLOC_RL_F_BATCH_TIME], 0.1, 1e-6);
    assert_float_equal(x[POL_ALLOC_RL_F_LOAD_PER_SLOT], log(1001.0), 1e-5);
}

static void test_reward_and_actions(void **unused) {
    eng_alloc_obs o = scripted();
    assert_float_equal(pol_alloc_rl_reward(&o, 1, 10), -(1.21 + 2.5), 1e-12);
    assert_float_equal(pol_alloc_rl_reward(&o, 2, 0), -2.42, 1e-12);
    /* Levels of 16: with max 16 the counts themselves; with max 40 rounded
     * up (2.5 -> 3, 7.5 -> 8, 12.5 -> 13); a minimum of 4 lifts the low ones. */
    const uint32_t of16[POL_ALLOC_RL_ACTIONS] = {1, 2, 3, 4, 5, 6, 8, 10, 12, 16};
    const uint32_t of40[POL_ALLOC_RL_ACTIONS] = {3, 5, 8, 10, 13, 15, 20, 25, 30, 40};
    const uint32_t min4[POL_ALLOC_RL_ACTIONS] = {4, 4, 4, 4, 5, 6, 8, 10, 12, 16};
    for (int a = 0; a < POL_ALLOC_RL_ACTIONS; a++) {
        assert_int_equal(pol_alloc_rl_target(a, 1, 16), of16[a]);
        assert_int_equal(pol_alloc_rl_target(a, 1, 40), of40[a]);
        assert_int_equal(pol_alloc_rl_target(a, 4, 16), min4[a]);
    }
    char sig[1024];
    pol_alloc_rl_signature(sig, sizeof sig);
    assert_string_equal(sig,
                        "features=input_rate,processed_rate,backlog,pending_tasks,load_per_slot,batch_time,"
                        "latency_p50,latency_p95,slo_share,ready,pending,utilisation,cost_rate,time_sin,"
                        "time_cos;levels=1,2,3,4,5,6,8,10,12,16/16");
}

/* The reader the tests install: serves `served` for "good.h5" (with the
 * current signature or `served_sig`), refuses any other file. */
static pol_nn_blob served;
static const char *served_sig;

static int test_reader(const char *path, pol_nn_blob *blob, char *sig, size_t siglen, char *err,
                       size_t errlen) {
    if (strcmp(path, "good.h5") != 0) {
        snprintf(err, errlen, "%s: cannot open: No such file or directory", path);
        return -1;
    }
    blob->data = malloc(served.len);
    assert_non_null(blob->data);
    memcpy(blob->data, served.data, served.len);
    blob->len = blob->cap = served.len;
    if (served_sig)
        snprintf(sig, siglen, "%s", served_sig);
    else
        pol_alloc_rl_signature(sig, siglen);
    return 0;
}

static pol_rl_dqn *serve_dqn(void) {
    pol_rl_dqn_opts d;
    pol_rl_dqn_defaults(&d);
    char err[256];
    pol_rl_dqn *a = pol_rl_dqn_new(&d, POL_ALLOC_RL_FEATURES, POL_ALLOC_RL_ACTIONS, 7, err, sizeof err);
    assert_non_null(a);
    pol_nn_blob_free(&served);
    served = (pol_nn_blob){0};
    assert_int_equal(pol_rl_dqn_to_blob(a, &served), 0);
    served_sig = NULL;
    pol_alloc_rl_set_reader(test_reader);
    return a;
}

static void test_checkpoint_refusals(void **unused) {
    pol_rl_dqn *a = serve_dqn();
    eng_alloc_opts o;
    fx_opts(&o, "dqn", 1, 16, 4);
    assert_string_equal(
        fx_init_error(&o),
        "allocator dqn: no checkpoint: set allocator.checkpoint to a file written by `sparkiot train`");
    snprintf(o.checkpoint, sizeof o.checkpoint, "missing.h5");
    assert_string_equal(fx_init_error(&o),
                        "allocator dqn: missing.h5: cannot open: No such file or directory");
    snprintf(o.checkpoint, sizeof o.checkpoint, "good.h5");
    served_sig = "features=input_rate;levels=1,2/16";
    assert_non_null(
        strstr(fx_init_error(&o), "checkpoint 'good.h5' was trained for other features or actions"));
    served_sig = NULL;
    fx_opts(&o, "ppo", 1, 16, 4);
    snprintf(o.checkpoint, sizeof o.checkpoint, "good.h5");
    assert_string_equal(
        fx_init_error(&o),
        "allocator ppo: checkpoint 'good.h5': not a ppo checkpoint (it has no 'ppo/obs_dim')");
    fx_param_at(&o, "reward_slo", -1, 9, 5);
    assert_non_null(
        strstr(fx_init_error(&o), "parameter 'reward_slo' must be in [0, inf), got -1 (line 9, column 5)"));
    pol_alloc_rl_set_reader(NULL);
    fx_opts(&o, "dqn", 1, 16, 4);
    snprintf(o.checkpoint, sizeof o.checkpoint, "good.h5");
    assert_string_equal(fx_init_error(&o),
                        "allocator dqn: checkpoint 'good.h5': this program cannot read checkpoints");
    pol_rl_dqn_free(a);
}

/* Greedy decisions are the level of the agent's argmax, decision after
 * decision. */
static void test_greedy_decisions_follow_the_agent(void **unused) {
    pol_rl_dqn *a = serve_dqn();
    eng_alloc_opts o;
    fx_opts(&o, "dqn", 1, 16, 4);
    snprintf(o.checkpoint, sizeof o.checkpoint, "good.h5");
    void *st = fx_init(&o);
    eng_alloc_obs obs = scripted();
    for (int k = 0; k < 6; k++) {
        obs.input_rate = 300.0 * k;
        obs.ready = (uint32_t)k;
        float x[POL_ALLOC_RL_FEATURES];
        pol_alloc_rl_features(&obs, x);
        int act;
        pol_rl_dqn_act(a, x, 1, &act);
        assert_int_equal(fx_decide(&o, st, &obs), pol_alloc_rl_target(act, 1, 16));
    }
    fx_free(&o, st);
    pol_rl_dqn_free(a);
}

typedef struct {
    int calls;
    double reward;
    float x[POL_ALLOC_RL_FEATURES];
    int answer;
} fake_learner;

static int fake_act(void *ctx, const eng_alloc_obs *obs, const float *x, size_t n, double reward) {
    fake_learner *l = ctx;
    assert_int_equal(n, POL_ALLOC_RL_FEATURES);
    l->calls++;
    l->reward = reward;
    memcpy(l->x, x, sizeof l->x);
    return l->answer;
}

static void test_learner_chooses_in_training(void **unused) {
    fake_learner l = {.answer = 7};
    eng_alloc_learner learner = {.act = fake_act, .ctx = &l};
    eng_alloc_opts o;
    fx_opts(&o, "ppo", 1, 16, 4);
    fx_param(&o, "reward_cost", 2);
    fx_param(&o, "reward_slo", 4);
    o.learner = &learner;
    void *st = fx_init(&o);
    eng_alloc_obs obs = scripted();
    assert_int_equal(fx_decide(&o, st, &obs), 10); /* action 7: level 10 of 16 */
    assert_float_equal(l.reward, -(2 * 1.21 + 4 * 0.25), 1e-12);
    float x[POL_ALLOC_RL_FEATURES];
    pol_alloc_rl_features(&obs, x);
    assert_memory_equal(l.x, x, sizeof x);
    l.answer = -1; /* hold */
    assert_int_equal(fx_decide(&o, st, &obs), 10);
    l.answer = 0;
    assert_int_equal(fx_decide(&o, st, &obs), 1);
    assert_int_equal(l.calls, 3);
    fx_free(&o, st);
}

static int teardown(void **unused) {
    pol_nn_blob_free(&served);
    pol_alloc_rl_set_reader(NULL);
    return 0;
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_features_by_hand),
        cmocka_unit_test(test_reward_and_actions),
        cmocka_unit_test(test_checkpoint_refusals),
        cmocka_unit_test(test_greedy_decisions_follow_the_agent),
        cmocka_unit_test(test_learner_chooses_in_training),
    };
    return cmocka_run_group_tests(tests, NULL, teardown);
}
