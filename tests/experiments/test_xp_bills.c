/* The three provider profiles of experiments/clouds/, read by the profile
 * loader and priced by the engine's cost model, against bills worked out by
 * hand from each provider's published rules for one executor timeline:
 *   A  4 vCPU, 16 GB, held 30 s      (shorter than every minimum)
 *   B  4 vCPU, 16 GB, held 600.5 s   (granularity)
 *   C  8 vCPU, 80 GB, held 1 h       (memory beyond 8 GB per vCPU; no 8 vCPU node holds 80 GB) */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>

#include <cmocka.h>
#include <math.h>
#include <stdio.h>

#include "engine/cost.h"
#include "experiments/cloud_load.h"

typedef struct leg {
    uint32_t vcpu;
    double mem_gb;
    rt_time_t from, to;
} leg;

static const leg timeline[3] = {
    {4, 16, 0, 30 * RT_S},
    {4, 16, 100 * RT_S, 700500 * RT_MS},
    {8, 80, 0, 3600 * RT_S},
};

static void load(const char *name, eng_cloud *c) {
    char file[4096], err[2048];
    if (xp_cloud__load(name, XP_SOURCE_DIR "/experiments/scenarios/any.yaml", c, file, sizeof file, err,
                       sizeof err) != 0)
        fail_msg("%s", err);
}

/* Checks each leg's bill and the total against the hand-computed USD. */
static void check_bills(const char *name, const double want[3]) {
    eng_cloud c;
    load(name, &c);
    double total = 0, want_total = 0;
    for (int i = 0; i < 3; i++) {
        const leg *l = &timeline[i];
        double usd = eng_cost_usd(&c, l->vcpu, l->mem_gb, eng_cost_billed(&c, l->from, l->to));
        if (fabs(usd - want[i]) > 1e-9)
            fail_msg("%s leg %c: %.10f USD, want %.10f", name, 'A' + i, usd, want[i]);
        total += usd;
        want_total += want[i];
    }
    assert_true(fabs(total - want_total) < 1e-9);
}

/* AWS EMR Serverless: $0.052624 per vCPU-hour, $0.0057785 per GB-hour,
 * per second, 1 min minimum. 4 vCPU + 16 GB = 0.210496 + 0.092456 =
 * $0.302952/h. A: 60 s -> 0.302952 / 60 = 0.0050492. B: 601 s ->
 * 0.302952 x 601 / 3600 = 0.0505761533. C: 8 x 0.052624 + 80 x 0.0057785 =
 * 0.420992 + 0.46228 = $0.883272 for the hour. Total 0.9388973533. */
static void test_aws_emr_serverless(void **unused) {
    const double want[3] = {0.302952 / 60, 0.302952 * 601 / 3600, 0.883272};
    check_bills("aws_emr_serverless", want);
}

/* GCP Dataproc Serverless: $0.06 per DCU-hour; a vCPU is 0.6 DCU, a GB 0.1
 * DCU up to 8 GB per vCPU and 0.2 DCU beyond; per second, 1 min minimum.
 * 4 vCPU + 16 GB = 2.4 + 1.6 = 4 DCU = $0.24/h. A: 60 s -> 0.004.
 * B: 601 s -> 0.24 x 601 / 3600 = 0.0400666667. C: 8 x 0.6 + 64 x 0.1 +
 * 16 x 0.2 = 14.4 DCU = $0.864 for the hour. Total 0.9080666667. */
static void test_gcp_dataproc_serverless(void **unused) {
    const double want[3] = {0.004, 0.24 * 601 / 3600, 0.864};
    check_bills("gcp_dataproc_serverless", want);
    eng_cloud c;
    load("gcp_dataproc_serverless", &c);
    /* the default executor is 4 DCU: 4 DCU-hours per hour */
    assert_true(fabs(eng_cost_rate_usd_h(&c, 4, 16) / 0.06 - 4.0) < 1e-12);
    assert_true(c.egress_gb_usd == 0.12);
}

/* Azure Synapse Spark, memory optimised: $0.143 per vCore-hour of the node,
 * memory included, billed per minute. 4 vCPU / 16 GB fits a Small node (4
 * vCores, 32 GB): $0.572/h. A: 1 min -> 0.572 / 60 = 0.0095333333.
 * B: 600.5 s -> 11 min -> 0.572 x 11 / 60 = 0.1048666667. C: 80 GB does not
 * fit a Medium node (8 vCores, 64 GB), so a Large one (16 vCores, 128 GB):
 * 16 x 0.143 = $2.288 for the hour. Total 2.4024. */
static void test_azure_synapse_spark(void **unused) {
    const double want[3] = {0.572 / 60, 0.572 * 11 / 60, 2.288};
    check_bills("azure_synapse_spark", want);
    eng_cloud c;
    load("azure_synapse_spark", &c);
    assert_int_equal(c.nnodes, 5);
    assert_true(c.egress_gb_usd == 0.087);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_aws_emr_serverless),
        cmocka_unit_test(test_gcp_dataproc_serverless),
        cmocka_unit_test(test_azure_synapse_spark),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
