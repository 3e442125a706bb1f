/* The /prefetch group of a result file (docs/results.md): what the edges'
 * reads of cloud state measured (engine/prefetch.h) — the policy, the
 * counts, bytes and latency quantiles as attributes, the oracle bounds, and
 * /prefetch/read_histogram, every read's latency. Written by
 * results_write.c when the run had a prefetch section, read back by
 * results_read.c into the run's summary for `inspect` and the tables. */
#include <stdio.h>
#include <stdlib.h>

#include "analysis/results_h5.h"

typedef struct pf_field {
    const char *name; /* the attribute; eng_summary's field is prefetch_<name> */
    size_t offset;
    an_field_kind kind;
} pf_field;

#define U64(a, f)                                                                                            \
    { a, offsetof(eng_summary, f), AN_FIELD_U64 }
#define F64(a, f)                                                                                            \
    { a, offsetof(eng_summary, f), AN_FIELD_F64 }
static const pf_field fields[] = {
    U64("reads", prefetch_reads),
    U64("hits", prefetch_hits),
    U64("misses", prefetch_misses),
    U64("late", prefetch_late),
    F64("hit_rate", prefetch_hit_rate),
    F64("read_p50_ms", prefetch_read_p50_ms),
    F64("read_p99_ms", prefetch_read_p99_ms),
    U64("bytes", prefetch_bytes),
    U64("demand_bytes", prefetch_demand_bytes),
    U64("prefetched_bytes", prefetch_prefetched_bytes),
    U64("wasted_bytes", prefetch_wasted_bytes),
    U64("budget_bytes", prefetch_budget_bytes),
    U64("peak_bytes", prefetch_peak_bytes),
    F64("oracle_hit_rate", prefetch_oracle_hit_rate),
    F64("oracle_demand_hit_rate", prefetch_oracle_demand_hit_rate),
};
#undef U64
#undef F64
#define NFIELDS (sizeof fields / sizeof fields[0])

static hid_t native(an_field_kind k) { return k == AN_FIELD_U64 ? H5T_NATIVE_UINT64 : H5T_NATIVE_DOUBLE; }

int an_results__write_prefetch(hid_t f, const eng_metrics *m) {
    if (!m->prefetch_policy[0]) return 0;
    hid_t g = H5Gcreate2(f, "prefetch", H5P_DEFAULT, H5P_DEFAULT, H5P_DEFAULT);
    if (g < 0) return -1;
    int rc = an_results__attr_str(g, "policy", m->prefetch_policy);
    for (size_t i = 0; i < NFIELDS; i++)
        rc |= an_results__attr_num(g, fields[i].name, native(fields[i].kind),
                                   (const char *)&m->summary + fields[i].offset);
    if (rc == 0) rc = an_results__write_hist(g, "read_histogram", &m->prefetch_read);
    H5Gclose(g);
    return rc;
}

/* The policy name, a variable-length string as the writer stores it. */
static int read_policy(hid_t g, char *buf, size_t len) {
    hid_t a = H5Aopen(g, "policy", H5P_DEFAULT);
    if (a < 0) return -1;
    hid_t t = H5Tcopy(H5T_C_S1);
    H5Tset_size(t, H5T_VARIABLE);
    H5Tset_cset(t, H5T_CSET_UTF8);
    char *s = NULL;
    int rc = H5Aread(a, t, &s) >= 0 ? 0 : -1;
    if (rc == 0) snprintf(buf, len, "%s", s ? s : "");
    if (s) H5free_memory(s);
    H5Tclose(t);
    H5Aclose(a);
    return rc;
}

int an_results__read_prefetch(hid_t f, const char *path, an_run_summary *out, char *err, size_t errlen) {
    if (H5Lexists(f, "prefetch", H5P_DEFAULT) <= 0) {
        H5Eclear2(H5E_DEFAULT);
        return 0;
    }
    hid_t g = H5Gopen2(f, "prefetch", H5P_DEFAULT);
    const char *bad = "the group";
    int rc = g < 0 ? -1 : 0;
    if (rc == 0 && read_policy(g, out->prefetch_policy, sizeof out->prefetch_policy) != 0) {
        rc = -1;
        bad = "attribute policy";
    }
    for (size_t i = 0; i < NFIELDS && rc == 0; i++) {
        hid_t a = H5Aopen(g, fields[i].name, H5P_DEFAULT);
        rc = a >= 0 && H5Aread(a, native(fields[i].kind), (char *)&out->s + fields[i].offset) >= 0 ? 0 : -1;
        if (a >= 0) H5Aclose(a);
        if (rc) bad = fields[i].name;
    }
    if (g >= 0) H5Gclose(g);
    if (rc) {
        H5Eclear2(H5E_DEFAULT);
        snprintf(err, errlen, "%s: cannot read /prefetch: %s", path, bad);
    }
    return rc;
}
