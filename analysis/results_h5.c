/* The parts of the result-file schema both the writer and the reader need:
 * the /summary attribute list (one line per eng_summary field), the compound
 * row types, dataset properties, and HDF5 error-stack handling. */
#include "analysis/results_h5.h"

#include <stdio.h>
#include <string.h>

#include "engine/metrics.h"

#define U64(f)                                                                                               \
    { #f, offsetof(eng_summary, f), AN_FIELD_U64, 0 }
#define F64(f)                                                                                               \
    { #f, offsetof(eng_summary, f), AN_FIELD_F64, 0 }
#define OPT_U64(f)                                                                                           \
    { #f, offsetof(eng_summary, f), AN_FIELD_U64, 1 }
#define OPT_F64(f)                                                                                           \
    { #f, offsetof(eng_summary, f), AN_FIELD_F64, 1 }
const an_field an_results__summary_fields[] = {
    F64(cost_usd),
    F64(executor_hours),
    F64(latency_p50_ms),
    F64(latency_p95_ms),
    F64(latency_p99_ms),
    F64(latency_mean_ms),
    F64(latency_max_ms),
    F64(slo_ms),
    F64(slo_violation_share),
    U64(readings_in),
    U64(readings_out),
    U64(readings_filtered),
    U64(readings_queued),
    U64(readings_lost),
    U64(bus_records),
    U64(wan_bytes),
    U64(batches),
    F64(sim_seconds),
    F64(wall_seconds),
    OPT_F64(sync_p50_ms),
    OPT_F64(sync_p99_ms),
    OPT_F64(sync_up_p50_ms),
    OPT_F64(sync_up_p99_ms),
    OPT_F64(sync_down_p50_ms),
    OPT_F64(sync_down_p99_ms),
    OPT_F64(link_one_way_ms),
    OPT_U64(sync_updates),
    OPT_U64(sync_bytes),
    OPT_U64(sync_rounds),
    OPT_U64(sync_full_states),
    OPT_F64(sync_bytes_per_round),
    OPT_F64(sync_converge_s),
    OPT_U64(sync_divergent_keys_end),
    OPT_F64(sync_divergence_mean),
    OPT_U64(privacy_releases),
    OPT_U64(privacy_windows),
    OPT_U64(privacy_bytes),
    OPT_U64(privacy_encryptions),
    OPT_U64(privacy_additions),
    OPT_U64(privacy_decryptions),
    OPT_U64(privacy_noise_draws),
    OPT_F64(privacy_edge_cpu_s),
    OPT_F64(privacy_cloud_cpu_s),
    OPT_F64(privacy_usd),
    OPT_F64(privacy_latency_p50_ms),
    OPT_F64(privacy_latency_p99_ms),
    OPT_F64(privacy_epsilon),
    OPT_F64(privacy_epsilon_device),
    OPT_F64(privacy_count_true),
    OPT_F64(privacy_count_released),
    OPT_F64(privacy_sum_true),
    OPT_F64(privacy_sum_released),
    OPT_F64(privacy_count_rel_err),
    OPT_F64(privacy_sum_rel_err),
    OPT_U64(fl_rounds),
    OPT_U64(fl_samples),
    OPT_U64(fl_test_windows),
    OPT_U64(fl_test_positives),
    OPT_U64(fl_bytes),
    OPT_F64(fl_edge_cpu_s),
    OPT_F64(fl_cloud_cpu_s),
    OPT_F64(fl_usd),
    OPT_F64(fl_latency_s),
    OPT_F64(fl_epsilon),
    OPT_F64(fl_precision),
    OPT_F64(fl_recall),
    OPT_F64(fl_f1),
    OPT_F64(fl_central_precision),
    OPT_F64(fl_central_recall),
    OPT_F64(fl_central_f1),
    OPT_U64(shuffle_bytes_memory),
    OPT_U64(shuffle_bytes_local_ssd),
    OPT_U64(shuffle_bytes_remote_service),
    OPT_U64(shuffle_bytes_object_store),
    OPT_U64(recomputed_tasks),
    OPT_U64(shuffle_blocks_lost),
    OPT_U64(shuffle_moves),
    OPT_U64(shuffle_puts),
    OPT_U64(shuffle_gets),
    OPT_F64(shuffle_write_s),
    OPT_F64(shuffle_read_s),
    OPT_F64(recompute_s),
    OPT_F64(recompute_usd),
    OPT_F64(shuffle_storage_usd),
    OPT_F64(shuffle_request_usd),
    OPT_F64(shuffle_service_usd),
    OPT_U64(shuffle_digest),
    OPT_U64(window_digest),
    OPT_U64(detect_scored),
    OPT_U64(detect_tp),
    OPT_U64(detect_fp),
    OPT_U64(detect_fn),
    OPT_U64(detect_tn),
    OPT_U64(detect_windows),
    OPT_U64(detect_windows_hit),
    OPT_F64(detect_precision),
    OPT_F64(detect_recall),
    OPT_F64(detect_f1),
    OPT_F64(detect_nab_score),
};
#undef U64
#undef F64
#undef OPT_U64
#undef OPT_F64
const size_t an_results__nsummary_fields =
    sizeof an_results__summary_fields / sizeof an_results__summary_fields[0];

#define COL(t, T, name, field, h5t) H5Tinsert(t, name, HOFFSET(T, field), h5t)

hid_t an_results__series_type(void) {
    hid_t t = H5Tcreate(H5T_COMPOUND, sizeof(eng_sample));
    COL(t, eng_sample, "t_ns", t, H5T_NATIVE_INT64);
    COL(t, eng_sample, "in", in, H5T_NATIVE_UINT64);
    COL(t, eng_sample, "out", out, H5T_NATIVE_UINT64);
    COL(t, eng_sample, "backlog", backlog, H5T_NATIVE_UINT64);
    COL(t, eng_sample, "ready", ready, H5T_NATIVE_UINT32);
    COL(t, eng_sample, "pending", pending, H5T_NATIVE_UINT32);
    COL(t, eng_sample, "target", target, H5T_NATIVE_UINT32);
    COL(t, eng_sample, "cost_usd", cost_usd, H5T_NATIVE_DOUBLE);
    COL(t, eng_sample, "lat_p50_ms", lat_p50_ms, H5T_NATIVE_DOUBLE);
    COL(t, eng_sample, "lat_p95_ms", lat_p95_ms, H5T_NATIVE_DOUBLE);
    COL(t, eng_sample, "lat_p99_ms", lat_p99_ms, H5T_NATIVE_DOUBLE);
    COL(t, eng_sample, "slo_violations", slo_violations, H5T_NATIVE_UINT64);
    return t;
}

hid_t an_results__batch_type(void) {
    hid_t t = H5Tcreate(H5T_COMPOUND, sizeof(eng_batch_row));
    COL(t, eng_batch_row, "id", id, H5T_NATIVE_UINT64);
    COL(t, eng_batch_row, "trigger_ns", trigger, H5T_NATIVE_INT64);
    COL(t, eng_batch_row, "start_ns", start, H5T_NATIVE_INT64);
    COL(t, eng_batch_row, "end_ns", end, H5T_NATIVE_INT64);
    COL(t, eng_batch_row, "records", records, H5T_NATIVE_UINT64);
    COL(t, eng_batch_row, "readings", readings, H5T_NATIVE_UINT64);
    COL(t, eng_batch_row, "map_tasks", map_tasks, H5T_NATIVE_UINT32);
    COL(t, eng_batch_row, "reduce_tasks", reduce_tasks, H5T_NATIVE_UINT32);
    COL(t, eng_batch_row, "executors", executors, H5T_NATIVE_UINT32);
    COL(t, eng_batch_row, "shuffle_write_ns", shuffle_write, H5T_NATIVE_INT64);
    COL(t, eng_batch_row, "shuffle_read_ns", shuffle_read, H5T_NATIVE_INT64);
    COL(t, eng_batch_row, "recomputed", recomputed, H5T_NATIVE_UINT32);
    COL(t, eng_batch_row, "window", window, H5T_NATIVE_UINT32);
    return t;
}
hid_t an_results__sync_series_type(void) {
    hid_t t = H5Tcreate(H5T_COMPOUND, sizeof(eng_sync_sample));
    COL(t, eng_sync_sample, "t_ns", t, H5T_NATIVE_INT64);
    COL(t, eng_sync_sample, "divergent_keys", divergent_keys, H5T_NATIVE_UINT64);
    return t;
}
#undef COL

void an_results__quiet_begin(an_h5_quiet *q) {
    H5Eget_auto2(H5E_DEFAULT, &q->fn, &q->data);
    H5Eset_auto2(H5E_DEFAULT, NULL, NULL);
}

void an_results__quiet_end(const an_h5_quiet *q) { H5Eset_auto2(H5E_DEFAULT, q->fn, q->data); }

static herr_t take_innermost(unsigned n, const H5E_error2_t *e, void *buf) {
    char *out = buf;
    if (n == 0 && e->desc) snprintf(out, 256, "%s", e->desc);
    return 0;
}

void an_results__h5_error(char *buf, size_t len) {
    char inner[256] = "";
    H5Ewalk2(H5E_DEFAULT, H5E_WALK_UPWARD, take_innermost, inner);
    H5Eclear2(H5E_DEFAULT);
    snprintf(buf, len, "%s", inner);
}

hid_t an_results__dataset_props(size_t rows) {
    hid_t dcpl = H5Pcreate(H5P_DATASET_CREATE);
    hsize_t chunk = rows == 0 ? 1 : rows < 4096 ? rows : 4096;
    H5Pset_chunk(dcpl, 1, &chunk);
    if (H5Zfilter_avail(H5Z_FILTER_DEFLATE) > 0) {
        H5Pset_shuffle(dcpl);
        H5Pset_deflate(dcpl, 4);
    }
    return dcpl;
}
