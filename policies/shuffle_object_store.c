/* object_store — the fully disaggregated serverless default: every block is
 * written to the object store (one PUT per map task and store, one GET per
 * block read), durable and paid per request and per GiB-month. No
 * parameters. */
#include "policies/shuffle_int.h"

const eng_shuffle_policy pol_shuffle_object_store_ops = POL_SHUFFLE_ONE_TIER(
    "object_store", "the object store (S3, GCS, ADLS): the disaggregated serverless default",
    ENG_TIER_OBJECT);
