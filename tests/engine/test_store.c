/* Shuffle storage bookkeeping (engine/store.h): a server's capacity
 * accounting never goes negative or over under a long random sequence of
 * takes and gives (checked against a plain model of the same sequence);
 * the memory tier's size follows Spark's unified memory; and the storage
 * bill — object store requests and GiB-months, shuffle disk GiB-months and
 * the remote shuffle service hosts — matches hand computations with the
 * AWS and GCP prices of experiments/clouds/. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>

#include <cmocka.h>
#include <gsl/gsl_rng.h>
#include <math.h>

#include "engine/cost.h"
#include "engine/store.h"

#define GIB 1073741824.0

static void test_space_never_negative_or_over(void **state) {
    gsl_rng *r = gsl_rng_alloc(gsl_rng_mt19937);
    gsl_rng_set(r, 7);
    const uint64_t cap = 1000000;
    eng_store_space s;
    eng_store_space_init(&s, cap);
    uint64_t held[64] = {0}, model = 0;
    size_t n = 0, refused = 0;
    for (int step = 0; step < 100000; step++) {
        if (n < 64 && (n == 0 || gsl_rng_uniform(r) < 0.55)) {
            uint64_t bytes = gsl_rng_uniform_int(r, 200000);
            int fits = model + bytes <= cap;
            int rc = eng_store_space_take(&s, bytes);
            assert_int_equal(rc, fits ? 0 : -1);
            if (fits) {
                held[n++] = bytes;
                model += bytes;
            } else {
                refused++;
            }
        } else {
            size_t i = gsl_rng_uniform_int(r, n);
            eng_store_space_give(&s, held[i]);
            model -= held[i];
            held[i] = held[--n];
        }
        assert_true(s.used == model);
        assert_true(s.used <= s.capacity);
    }
    while (n) eng_store_space_give(&s, held[--n]);
    assert_true(s.used == 0);
    assert_true(refused > 0); /* the sequence did run into the capacity */
    gsl_rng_free(r);
}

static void test_space_exact_fit_and_unbounded(void **state) {
    eng_store_space s;
    eng_store_space_init(&s, 100);
    assert_int_equal(eng_store_space_take(&s, 60), 0);
    assert_int_equal(eng_store_space_take(&s, 41), -1);
    assert_int_equal(eng_store_space_take(&s, 40), 0); /* exactly full */
    assert_int_equal(eng_store_space_take(&s, 1), -1);
    assert_true(s.used == 100);
    eng_store_space_init(&s, UINT64_MAX);
    assert_int_equal(eng_store_space_take(&s, UINT64_MAX - 1), 0);
    assert_int_equal(eng_store_space_take(&s, 1), 0);
    assert_int_equal(eng_store_space_take(&s, 1), -1);
}

/* Spark's unified memory: (heap - 300 MB) x spark.memory.fraction (0.6). */
static void test_tier_capacities(void **state) {
    eng_store_opts o;
    eng_store_defaults(&o);
    assert_true(eng_store_capacity(&o, ENG_TIER_MEMORY, 16) == (uint64_t)(0.6 * 15.7e9));
    assert_true(eng_store_capacity(&o, ENG_TIER_LOCAL_SSD, 16) == 20000000000ULL);
    assert_true(eng_store_capacity(&o, ENG_TIER_REMOTE, 16) == 500000000000ULL);
    assert_true(eng_store_capacity(&o, ENG_TIER_OBJECT, 16) == UINT64_MAX);
    char err[256];
    assert_int_equal(eng_store_check(&o, err, sizeof err), 0);
    o.tier[ENG_TIER_LOCAL_SSD].capacity_gb = 0;
    assert_int_equal(eng_store_check(&o, err, sizeof err), -1);
    assert_string_equal(err, "shuffle.tiers.local_ssd.capacity_gb must be > 0");
}

/* AWS: S3 Standard $0.023 per GB-month, PUT $0.005 and GET $0.0004 per
 * 1000. 1200 PUTs and 30 000 GETs: 1200 x 0.005 / 1000 + 30000 x 0.0004 /
 * 1000 = 0.006 + 0.012 = $0.018. 2 GiB held for 73 hours (a tenth of the
 * 730-hour month) then 1 GiB for another 73 hours: 0.3 GiB-months x 0.023
 * = $0.0069. Memory costs nothing beyond the executor; no service. */
static void test_object_store_bill(void **state) {
    eng_cloud c;
    eng_cloud_defaults(&c);
    eng_store_bill b;
    eng_store_bill_init(&b);
    rt_time_t h73 = 73 * 3600 * RT_S;
    eng_store_bill_hold(&b, ENG_TIER_OBJECT, (int64_t)(2 * GIB), 0);
    eng_store_bill_hold(&b, ENG_TIER_MEMORY, 1000000, 0);
    eng_store_bill_hold(&b, ENG_TIER_OBJECT, -(int64_t)GIB, h73);
    b.puts = 1200;
    b.gets = 30000;
    eng_store_cost cost;
    eng_store_bill_cost(&b, &c, 2 * h73, 0, 4, 16, &cost);
    assert_true(fabs(cost.requests - 0.018) < 1e-12);
    assert_true(fabs(cost.storage - 0.0069) < 1e-12);
    assert_true(cost.service == 0);
    assert_true(b.written[ENG_TIER_OBJECT] == (uint64_t)(2 * GIB));
    assert_true(b.written[ENG_TIER_MEMORY] == 1000000);
    assert_true(b.held[ENG_TIER_OBJECT] == (uint64_t)GIB);
}

/* GCP: shuffle storage $0.040 per GB-month on executors' disks: 5 GiB for
 * the whole 730-hour month = $0.20. Two service hosts of 4 vCPU / 16 GB
 * for half an hour at the AWS executor rate, 4 x 0.052624 + 16 x
 * 0.0057785 = $0.302952/h: 2 x 0.5 x 0.302952 = $0.302952. */
static void test_disk_and_service_bill(void **state) {
    eng_cloud gcp;
    eng_cloud_defaults(&gcp);
    gcp.shuffle_gb_month_usd = 0.04;
    eng_store_bill b;
    eng_store_bill_init(&b);
    eng_store_bill_hold(&b, ENG_TIER_LOCAL_SSD, (int64_t)(5 * GIB), 0);
    eng_store_cost cost;
    eng_store_bill_cost(&b, &gcp, 730 * 3600 * RT_S, 0, 4, 16, &cost);
    assert_true(fabs(cost.storage - 0.20) < 1e-12);
    eng_cloud aws;
    eng_cloud_defaults(&aws);
    eng_store_bill_init(&b);
    eng_store_bill_cost(&b, &aws, 1800 * RT_S, 2, 4, 16, &cost);
    assert_true(fabs(cost.service - 0.302952) < 1e-12);
    assert_true(cost.storage == 0 && cost.requests == 0);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_space_never_negative_or_over),
        cmocka_unit_test(test_space_exact_fit_and_unbounded),
        cmocka_unit_test(test_tier_capacities),
        cmocka_unit_test(test_object_store_bill),
        cmocka_unit_test(test_disk_and_service_bill),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
