/* Shuffle placement policies through their public interface: the
 * temperature policy classifies a scripted access pattern as its
 * description says it must, the age baseline follows age alone, the
 * one-tier policies place on their tier, and bad parameters are refused
 * with the parameter's name. The script, as the engine reads blocks (one
 * reduce task reads all of a key's blocks in its window at once): every
 * second from 0 to 119 s a micro-batch writes one block per key and reads
 * it 0.5 s later. Key 0's blocks are then read by the window results at
 * 10k + 0.5 s, three times each; key 1's are never read again; key 2's are
 * read once more, by the window result at 60.5 s or 120.5 s. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>

#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "policies/shuffle.h"

static eng_shuffle_opts opts(const char *policy) {
    eng_shuffle_opts o;
    eng_shuffle_defaults(&o);
    snprintf(o.policy, sizeof o.policy, "%s", policy);
    return o;
}

static void *start(const eng_shuffle_policy **pol, const eng_shuffle_opts *o) {
    char err[256];
    *pol = pol_shuffle_find(o->policy);
    assert_non_null(*pol);
    void *st = (*pol)->init(o, err, sizeof err);
    if (!st) fail_msg("%s", err);
    return st;
}

/* One read of the script: block `block` of `key`, its n-th read. */
typedef struct event {
    rt_time_t t;
    uint32_t key, block, n;
} event;

static int by_time(const void *a, const void *b) {
    const event *x = a, *y = b;
    return x->t < y->t ? -1 : x->t > y->t;
}

#define BLOCKS 120

/* Feeds the script's reads in time order, then drops every block. */
static void train(const eng_shuffle_policy *pol, void *st) {
    static event ev[BLOCKS * 7];
    static eng_block_view b[3][BLOCKS];
    size_t n = 0;
    for (uint32_t s = 0; s < BLOCKS; s++) {
        rt_time_t own = s * RT_S + RT_S / 2, first = (s / 10 + 1) * 10 * RT_S + RT_S / 2;
        for (uint32_t k = 0; k < 3; k++) {
            b[k][s] = (eng_block_view){
                .batch = s + 1, .reducer = k, .bytes = 1000, .created = s * RT_S, .last_read = -1};
            ev[n++] = (event){own, k, s, 0};
        }
        for (uint32_t i = 0; i < 3; i++) ev[n++] = (event){first + i * 10 * RT_S, 0, s, i + 1};
        ev[n++] = (event){(s / 60 + 1) * 60 * RT_S + RT_S / 2, 2, s, 1};
    }
    qsort(ev, n, sizeof *ev, by_time);
    for (size_t i = 0; i < n; i++) {
        eng_block_view *v = &b[ev[i].key][ev[i].block];
        assert_int_equal(v->reads, ev[i].n);
        pol->read(st, v, ev[i].t);
        v->reads++;
        v->last_read = ev[i].t;
    }
    for (uint32_t k = 0; k < 3; k++)
        for (uint32_t s = 0; s < BLOCKS; s++) pol->drop(st, &b[k][s], b[k][s].last_read);
}

static eng_tier classify(const eng_shuffle_policy *pol, void *st, const eng_shuffle_obs *o, uint32_t key,
                         rt_time_t created, uint32_t reads, rt_time_t last_read) {
    eng_block_view b = {.batch = 1,
                        .reducer = key,
                        .bytes = 1000,
                        .created = created,
                        .reads = reads,
                        .last_read = last_read,
                        .tier = ENG_TIER_MEMORY};
    eng_tier out;
    pol->review(st, o, &b, 1, &out);
    return out;
}

static void test_temperature_classifies_the_script(void **state) {
    eng_shuffle_opts o = opts("temperature");
    const eng_shuffle_policy *pol;
    void *st = start(&pol, &o);
    train(pol, st);
    const rt_time_t q = RT_S / 4;
    /* Executors are never released: no loss risk beyond the prior. */
    eng_shuffle_obs obs = {.now = 150 * RT_S + q, .releases = 0, .ready_s = 1e9};
    /* A block just written: its batch reads it within the second: hot. */
    eng_block_view fresh = {.batch = 151, .reducer = 0, .created = obs.now, .last_read = -1};
    assert_int_equal(pol->place(st, &obs, &fresh), ENG_TIER_MEMORY);
    /* Key 0 after its own read at 150.5 s, at 151.25 s: its next window
     * result is at 160.5 s, 9.25 s away: warm. */
    obs.now = 151 * RT_S + q;
    assert_int_equal(classify(pol, st, &obs, 0, 150 * RT_S, 1, 150 * RT_S + 2 * q), ENG_TIER_LOCAL_SSD);
    /* ... and at 160.25 s, a quarter second before that read: hot. */
    obs.now = 160 * RT_S + q;
    assert_int_equal(classify(pol, st, &obs, 0, 150 * RT_S, 1, 150 * RT_S + 2 * q), ENG_TIER_MEMORY);
    /* Key 0 after its fourth read: no block of key 0 was read a fifth time. */
    assert_int_equal(classify(pol, st, &obs, 0, 130 * RT_S, 4, 160 * RT_S + 2 * q), ENG_TIER_OBJECT);
    /* Key 1 after its one read: cold. */
    assert_int_equal(classify(pol, st, &obs, 1, 159 * RT_S, 1, 159 * RT_S + 2 * q), ENG_TIER_OBJECT);
    /* Key 2 after its own read, at 150.25 s: read again at 180.5 s, 30.25 s
     * away, past warm_within: cool. */
    obs.now = 150 * RT_S + q;
    assert_int_equal(classify(pol, st, &obs, 2, 149 * RT_S, 1, 149 * RT_S + 2 * q), ENG_TIER_REMOTE);
    /* The warm block of key 0 again, now that executors are released about
     * once per executor-minute: a 9.25 s wait risks 1 - exp(-9.25/60) = 14%
     * > 5% of losing it, so it goes to the durable remote service... */
    eng_shuffle_obs risky = {.now = 151 * RT_S + q, .releases = 1000, .ready_s = 60000};
    assert_int_equal(classify(pol, st, &risky, 0, 150 * RT_S, 1, 150 * RT_S + 2 * q), ENG_TIER_REMOTE);
    /* ... while a hot one (its read 0.25 s away: 0.4% risk) stays in memory. */
    risky.now = 160 * RT_S + q;
    assert_int_equal(classify(pol, st, &risky, 0, 150 * RT_S, 1, 150 * RT_S + 2 * q), ENG_TIER_MEMORY);
    pol->free(st);
}

/* Before any history, a block's age stands for its wait: new blocks are
 * hot, old ones (past warm_within) go to the remote service. */
static void test_temperature_without_history(void **state) {
    eng_shuffle_opts o = opts("temperature");
    const eng_shuffle_policy *pol;
    void *st = start(&pol, &o);
    eng_shuffle_obs obs = {.now = 40 * RT_S, .releases = 0, .ready_s = 1e9};
    assert_int_equal(classify(pol, st, &obs, 5, 40 * RT_S, 0, -1), ENG_TIER_MEMORY);
    assert_int_equal(classify(pol, st, &obs, 5, 30 * RT_S, 1, 31 * RT_S), ENG_TIER_LOCAL_SSD);
    assert_int_equal(classify(pol, st, &obs, 5, 0, 2, 31 * RT_S), ENG_TIER_REMOTE);
    pol->free(st);
}

static void test_age_follows_age_only(void **state) {
    eng_shuffle_opts o = opts("age");
    const eng_shuffle_policy *pol;
    void *st = start(&pol, &o);
    train(pol, st); /* history changes nothing */
    eng_shuffle_obs obs = {.now = 100 * RT_S};
    eng_block_view b = {.created = 100 * RT_S, .last_read = -1};
    assert_int_equal(pol->place(st, &obs, &b), ENG_TIER_MEMORY);
    rt_time_t ages[] = {0, 4 * RT_S, 5 * RT_S, 19 * RT_S, 20 * RT_S, 59 * RT_S, 60 * RT_S};
    eng_tier want[] = {ENG_TIER_MEMORY, ENG_TIER_MEMORY, ENG_TIER_LOCAL_SSD, ENG_TIER_LOCAL_SSD,
                       ENG_TIER_REMOTE, ENG_TIER_REMOTE, ENG_TIER_OBJECT};
    for (int i = 0; i < 7; i++)
        for (uint32_t key = 0; key < 3; key++)
            assert_int_equal(classify(pol, st, &obs, key, 100 * RT_S - ages[i], key, 99 * RT_S), want[i]);
    pol->free(st);
}

static void test_one_tier_policies(void **state) {
    const char *names[] = {"memory_only", "local_disk", "remote_service", "object_store"};
    eng_tier tiers[] = {ENG_TIER_MEMORY, ENG_TIER_LOCAL_SSD, ENG_TIER_REMOTE, ENG_TIER_OBJECT};
    for (int i = 0; i < 4; i++) {
        eng_shuffle_opts o = opts(names[i]);
        const eng_shuffle_policy *pol;
        void *st = start(&pol, &o);
        eng_shuffle_obs obs = {.now = RT_S};
        eng_block_view b = {.created = 0, .last_read = -1};
        assert_int_equal(pol->place(st, &obs, &b), tiers[i]);
        assert_true(pol->tiers == 1u << tiers[i]);
        assert_null(pol->review);
        pol->free(st);
    }
}

static void test_bad_parameters(void **state) {
    char err[256];
    eng_shuffle_opts o = opts("temperature");
    o.params[0] = (eng_param){"hot_withn", 1e9, 3, 5};
    o.nparams = 1;
    assert_null(pol_shuffle_find("temperature")->init(&o, err, sizeof err));
    assert_non_null(
        strstr(err, "shuffle policy temperature: unknown parameter 'hot_withn' (line 3, column 5)"));
    assert_non_null(strstr(err, "hot_within"));
    o.params[0] = (eng_param){"cold_below", 1.5, 0, 0};
    assert_null(pol_shuffle_find("temperature")->init(&o, err, sizeof err));
    assert_string_equal(err, "shuffle policy temperature: cold_below must be in [0, 1], got 1.5");
    o = opts("age");
    o.params[0] = (eng_param){"ssd_for", 1e9, 0, 0}; /* below memory_for's 5 s */
    o.nparams = 1;
    assert_null(pol_shuffle_find("age")->init(&o, err, sizeof err));
    assert_non_null(strstr(err, "shuffle policy age: ssd_for must be in [5s,"));
    o = opts("memory_only");
    o.params[0] = (eng_param){"x", 1, 0, 0};
    o.nparams = 1;
    assert_null(pol_shuffle_find("memory_only")->init(&o, err, sizeof err));
    assert_string_equal(err, "shuffle policy memory_only: unknown parameter 'x'; known: none");
    assert_null(pol_shuffle_find("hot"));
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_temperature_classifies_the_script),
        cmocka_unit_test(test_temperature_without_history),
        cmocka_unit_test(test_age_follows_age_only),
        cmocka_unit_test(test_one_tier_policies),
        cmocka_unit_test(test_bad_parameters),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
