/* `inspect`: reads a result file's /meta and /summary through the reader and
 * prints them. The key table below drives both the text and the JSON form,
 * so a new key is one line. */
#include "analysis/inspect.h"

#include <jansson.h>
#include <stdint.h>
#include <string.h>

#include "analysis/results.h"

typedef enum { K_STR, K_U64, K_F64 } key_kind;

typedef struct key {
    const char *group; /* JSON sub-object, or NULL for the top level */
    const char *name;
    const char *label; /* the text form's label, with the unit */
    key_kind kind;
    size_t offset; /* in an_run_summary */
} key;

#define AT(f) offsetof(an_run_summary, f)
static const key keys[] = {
    {NULL, "scenario", "scenario", K_STR, AT(scenario)},
    {NULL, "scenario_path", "scenario file", K_STR, AT(scenario_path)},
    {NULL, "scenario_sha256", "scenario sha256", K_STR, AT(scenario_sha256)},
    {NULL, "variant", "variant", K_STR, AT(variant)},
    {NULL, "seed", "seed", K_U64, AT(seed)},
    {NULL, "version", "sparkiot version", K_STR, AT(version)},
    {NULL, "backend", "backend", K_STR, AT(backend)},
    {NULL, "allocator", "allocator", K_STR, AT(allocator)},
    {NULL, "cloud", "cloud", K_STR, AT(cloud)},
    {NULL, "cost_usd", "cost (USD)", K_F64, AT(s.cost_usd)},
    {NULL, "executor_hours", "executor time (h)", K_F64, AT(s.executor_hours)},
    {"latency_ms", "p50", "latency p50 (ms)", K_F64, AT(s.latency_p50_ms)},
    {"latency_ms", "p95", "latency p95 (ms)", K_F64, AT(s.latency_p95_ms)},
    {"latency_ms", "p99", "latency p99 (ms)", K_F64, AT(s.latency_p99_ms)},
    {"latency_ms", "mean", "latency mean (ms)", K_F64, AT(s.latency_mean_ms)},
    {"latency_ms", "max", "latency max (ms)", K_F64, AT(s.latency_max_ms)},
    {NULL, "slo_ms", "SLO (ms)", K_F64, AT(s.slo_ms)},
    {NULL, "slo_violation_share", "share over the SLO", K_F64, AT(s.slo_violation_share)},
    {"records", "in", "readings in", K_U64, AT(s.readings_in)},
    {"records", "filtered", "readings filtered at the edge", K_U64, AT(s.readings_filtered)},
    {"records", "out", "readings out", K_U64, AT(s.readings_out)},
    {"records", "queued", "readings queued at the end", K_U64, AT(s.readings_queued)},
    {"records", "lost", "readings lost", K_U64, AT(s.readings_lost)},
    {NULL, "bus_records", "bus records", K_U64, AT(s.bus_records)},
    {NULL, "wan_bytes", "edge-to-cloud bytes", K_U64, AT(s.wan_bytes)},
    {NULL, "batches", "micro-batches", K_U64, AT(s.batches)},
    {NULL, "sim_seconds", "covered time (s)", K_F64, AT(s.sim_seconds)},
    {NULL, "wall_seconds", "run time (wall s)", K_F64, AT(s.wall_seconds)},
    {"prefetch", "policy", "prefetch policy", K_STR, AT(prefetch_policy)},
    {"prefetch", "hit_rate", "edge read hit rate", K_F64, AT(s.prefetch_hit_rate)},
    {"prefetch", "oracle_hit_rate", "edge read hit rate, oracle", K_F64, AT(s.prefetch_oracle_hit_rate)},
    {"prefetch", "oracle_demand_hit_rate", "edge read hit rate, MIN", K_F64,
     AT(s.prefetch_oracle_demand_hit_rate)},
    {"prefetch", "read_p50_ms", "edge read p50 (ms)", K_F64, AT(s.prefetch_read_p50_ms)},
    {"prefetch", "read_p99_ms", "edge read p99 (ms)", K_F64, AT(s.prefetch_read_p99_ms)},
    {"prefetch", "reads", "edge reads", K_U64, AT(s.prefetch_reads)},
    {"prefetch", "hits", "edge read hits", K_U64, AT(s.prefetch_hits)},
    {"prefetch", "misses", "edge read misses", K_U64, AT(s.prefetch_misses)},
    {"prefetch", "late", "hits waiting for a prefetch", K_U64, AT(s.prefetch_late)},
    {"prefetch", "bytes", "edge read bytes (WAN)", K_U64, AT(s.prefetch_bytes)},
    {"prefetch", "prefetched_bytes", "prefetched bytes", K_U64, AT(s.prefetch_prefetched_bytes)},
    {"prefetch", "wasted_bytes", "prefetched bytes never read", K_U64, AT(s.prefetch_wasted_bytes)},
    {"prefetch", "budget_bytes", "edge cache budget (bytes)", K_U64, AT(s.prefetch_budget_bytes)},
    {"prefetch", "peak_bytes", "edge cache peak (bytes)", K_U64, AT(s.prefetch_peak_bytes)},
    {"sync_ms", "p50", "sync visibility p50 (ms)", K_F64, AT(s.sync_p50_ms)},
    {"sync_ms", "p99", "sync visibility p99 (ms)", K_F64, AT(s.sync_p99_ms)},
    {NULL, "link_one_way_ms", "one-way link latency (ms)", K_F64, AT(s.link_one_way_ms)},
    {"sync_up_ms", "p50", "sync edge->cloud p50 (ms)", K_F64, AT(s.sync_up_p50_ms)},
    {"sync_up_ms", "p99", "sync edge->cloud p99 (ms)", K_F64, AT(s.sync_up_p99_ms)},
    {"sync_down_ms", "p50", "sync cloud->edge p50 (ms)", K_F64, AT(s.sync_down_p50_ms)},
    {"sync_down_ms", "p99", "sync cloud->edge p99 (ms)", K_F64, AT(s.sync_down_p99_ms)},
    {"sync", "updates", "synced updates", K_U64, AT(s.sync_updates)},
    {"sync", "bytes", "sync bytes", K_U64, AT(s.sync_bytes)},
    {"sync", "rounds", "sync rounds", K_U64, AT(s.sync_rounds)},
    {"sync", "full_states", "full-state rounds", K_U64, AT(s.sync_full_states)},
    {"sync", "bytes_per_round", "sync bytes per round", K_F64, AT(s.sync_bytes_per_round)},
    {"sync", "converge_s", "converge after heal (s)", K_F64, AT(s.sync_converge_s)},
    {"sync", "divergent_keys_end", "divergent keys at the end", K_U64, AT(s.sync_divergent_keys_end)},
    {"sync", "divergence_mean", "divergent keys (mean)", K_F64, AT(s.sync_divergence_mean)},
    {"privacy", "releases", "privacy releases (site x window)", K_U64, AT(s.privacy_releases)},
    {"privacy", "windows", "privacy windows totalled", K_U64, AT(s.privacy_windows)},
    {"privacy", "bytes", "privacy bytes edge->cloud", K_U64, AT(s.privacy_bytes)},
    {"privacy", "encryptions", "Paillier encryptions", K_U64, AT(s.privacy_encryptions)},
    {"privacy", "additions", "homomorphic additions", K_U64, AT(s.privacy_additions)},
    {"privacy", "decryptions", "Paillier decryptions", K_U64, AT(s.privacy_decryptions)},
    {"privacy", "noise_draws", "DP noise draws", K_U64, AT(s.privacy_noise_draws)},
    {"privacy", "edge_cpu_s", "privacy CPU at the edges (s)", K_F64, AT(s.privacy_edge_cpu_s)},
    {"privacy", "cloud_cpu_s", "privacy CPU in the cloud (s)", K_F64, AT(s.privacy_cloud_cpu_s)},
    {"privacy", "usd", "privacy cloud CPU (USD)", K_F64, AT(s.privacy_usd)},
    {"privacy", "latency_p50_ms", "privacy totals latency p50 (ms)", K_F64, AT(s.privacy_latency_p50_ms)},
    {"privacy", "latency_p99_ms", "privacy totals latency p99 (ms)", K_F64, AT(s.privacy_latency_p99_ms)},
    {"privacy", "epsilon", "DP epsilon per release", K_F64, AT(s.privacy_epsilon)},
    {"privacy", "epsilon_device", "DP epsilon per device (run)", K_F64, AT(s.privacy_epsilon_device)},
    {"privacy", "count_true", "released counts, exact", K_F64, AT(s.privacy_count_true)},
    {"privacy", "count_released", "released counts", K_F64, AT(s.privacy_count_released)},
    {"privacy", "sum_true", "released sums, exact", K_F64, AT(s.privacy_sum_true)},
    {"privacy", "sum_released", "released sums", K_F64, AT(s.privacy_sum_released)},
    {"privacy", "count_rel_err", "count error / count (all windows)", K_F64, AT(s.privacy_count_rel_err)},
    {"privacy", "sum_rel_err", "sum error / sum (all windows)", K_F64, AT(s.privacy_sum_rel_err)},
    {"privacy", "fl_rounds", "FL rounds", K_U64, AT(s.fl_rounds)},
    {"privacy", "fl_samples", "FL training windows", K_U64, AT(s.fl_samples)},
    {"privacy", "fl_test_windows", "FL held-out windows", K_U64, AT(s.fl_test_windows)},
    {"privacy", "fl_test_positives", "FL held-out anomalous windows", K_U64, AT(s.fl_test_positives)},
    {"privacy", "fl_bytes", "FL bytes (models and updates)", K_U64, AT(s.fl_bytes)},
    {"privacy", "fl_edge_cpu_s", "FL CPU at the edges (s)", K_F64, AT(s.fl_edge_cpu_s)},
    {"privacy", "fl_cloud_cpu_s", "FL CPU in the cloud (s)", K_F64, AT(s.fl_cloud_cpu_s)},
    {"privacy", "fl_usd", "FL cloud CPU (USD)", K_F64, AT(s.fl_usd)},
    {"privacy", "fl_latency_s", "FL training time (s)", K_F64, AT(s.fl_latency_s)},
    {"privacy", "fl_epsilon", "FL DP epsilon (all rounds)", K_F64, AT(s.fl_epsilon)},
    {"privacy", "fl_precision", "FL detector precision", K_F64, AT(s.fl_precision)},
    {"privacy", "fl_recall", "FL detector recall", K_F64, AT(s.fl_recall)},
    {"privacy", "fl_f1", "FL detector F1", K_F64, AT(s.fl_f1)},
    {"privacy", "central_precision", "centralised precision", K_F64, AT(s.fl_central_precision)},
    {"privacy", "central_recall", "centralised recall", K_F64, AT(s.fl_central_recall)},
    {"privacy", "central_f1", "centralised F1", K_F64, AT(s.fl_central_f1)},
    {"shuffle_bytes", "memory", "shuffle bytes to memory", K_U64, AT(s.shuffle_bytes_memory)},
    {"shuffle_bytes", "local_ssd", "shuffle bytes to local SSD", K_U64, AT(s.shuffle_bytes_local_ssd)},
    {"shuffle_bytes", "remote_service", "shuffle bytes to remote service", K_U64,
     AT(s.shuffle_bytes_remote_service)},
    {"shuffle_bytes", "object_store", "shuffle bytes to object store", K_U64,
     AT(s.shuffle_bytes_object_store)},
    {NULL, "recomputed_tasks", "map tasks recomputed", K_U64, AT(s.recomputed_tasks)},
    {"shuffle", "blocks_lost", "shuffle blocks lost", K_U64, AT(s.shuffle_blocks_lost)},
    {"shuffle", "moves", "shuffle blocks moved", K_U64, AT(s.shuffle_moves)},
    {"shuffle", "puts", "object store PUTs", K_U64, AT(s.shuffle_puts)},
    {"shuffle", "gets", "object store GETs", K_U64, AT(s.shuffle_gets)},
    {"shuffle", "write_s", "shuffle write time (task s)", K_F64, AT(s.shuffle_write_s)},
    {"shuffle", "read_s", "shuffle read time (task s)", K_F64, AT(s.shuffle_read_s)},
    {"shuffle", "recompute_s", "recomputation (slot s)", K_F64, AT(s.recompute_s)},
    {"shuffle", "recompute_usd", "recomputation share (USD)", K_F64, AT(s.recompute_usd)},
    {"shuffle", "storage_usd", "shuffle storage (USD)", K_F64, AT(s.shuffle_storage_usd)},
    {"shuffle", "request_usd", "object requests (USD)", K_F64, AT(s.shuffle_request_usd)},
    {"shuffle", "service_usd", "shuffle service hosts (USD)", K_F64, AT(s.shuffle_service_usd)},
    {"detection", "precision", "detection precision", K_F64, AT(s.detect_precision)},
    {"detection", "recall", "detection recall", K_F64, AT(s.detect_recall)},
    {"detection", "f1", "detection F1", K_F64, AT(s.detect_f1)},
    {"detection", "nab_score", "detection NAB score", K_F64, AT(s.detect_nab_score)},
    {"detection", "scored", "readings scored", K_U64, AT(s.detect_scored)},
    {"detection", "tp", "true positives", K_U64, AT(s.detect_tp)},
    {"detection", "fp", "false positives", K_U64, AT(s.detect_fp)},
    {"detection", "fn", "false negatives", K_U64, AT(s.detect_fn)},
    {"detection", "tn", "true negatives", K_U64, AT(s.detect_tn)},
    {"detection", "windows", "anomaly windows", K_U64, AT(s.detect_windows)},
    {"detection", "windows_hit", "anomaly windows detected", K_U64, AT(s.detect_windows_hit)},
};
#undef AT

/* The detection keys appear only when a detector scored labelled readings. */
static int shown(const key *k, const an_run_summary *s) {
    return !k->group || strcmp(k->group, "detection") != 0 || s->s.detect_tp + s->s.detect_fn > 0;
}

static json_t *key_json(const key *k, const void *field) {
    switch (k->kind) {
    case K_STR:
        return json_string((const char *)field);
    case K_U64: {
        uint64_t v = *(const uint64_t *)field;
        if (v <= INT64_MAX) return json_integer((json_int_t)v);
        char buf[32];
        snprintf(buf, sizeof buf, "%llu", (unsigned long long)v);
        return json_string(buf); /* beyond JSON's safe integers: kept exact as text */
    }
    case K_F64:
        return json_real(*(const double *)field);
    }
    return json_null();
}

static int print_json(const an_run_summary *s, FILE *out) {
    json_t *root = json_object();
    for (size_t i = 0; i < sizeof keys / sizeof keys[0]; i++) {
        const key *k = &keys[i];
        if (!shown(k, s)) continue;
        json_t *obj = root;
        if (k->group) {
            obj = json_object_get(root, k->group);
            if (!obj) {
                obj = json_object();
                json_object_set_new(root, k->group, obj);
            }
        }
        json_object_set_new(obj, k->name, key_json(k, (const char *)s + k->offset));
    }
    int rc = json_dumpf(root, out, JSON_INDENT(2) | JSON_REAL_PRECISION(17));
    json_decref(root);
    fputc('\n', out);
    return rc;
}

static void print_text(const char *path, const an_run_summary *s, FILE *out) {
    fprintf(out, "%-30s %s\n", "file", path);
    for (size_t i = 0; i < sizeof keys / sizeof keys[0]; i++) {
        const key *k = &keys[i];
        if (!shown(k, s)) continue;
        const void *field = (const char *)s + k->offset;
        fprintf(out, "%-30s ", k->label);
        switch (k->kind) {
        case K_STR:
            fprintf(out, "%s\n", (const char *)field);
            break;
        case K_U64:
            fprintf(out, "%llu\n", (unsigned long long)*(const uint64_t *)field);
            break;
        case K_F64:
            fprintf(out, "%.6g\n", *(const double *)field);
            break;
        }
    }
}

int an_inspect_print(const char *path, int json, FILE *out, char *err, size_t errlen) {
    an_run_summary s;
    if (an_results_read_summary(path, &s, err, errlen) != 0) return -1;
    if (!json) {
        print_text(path, &s, out);
        return 0;
    }
    if (print_json(&s, out) != 0) {
        snprintf(err, errlen, "%s: cannot write the JSON summary", path);
        return -1;
    }
    return 0;
}
