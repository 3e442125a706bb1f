/* Helpers shared by the result writer and reader (analysis/ only): the
 * /summary attribute list, the compound row types of /series and /batches,
 * and quiet HDF5 error handling. The schema itself is in docs/results.md. */
#ifndef AN_RESULTS_H5_H
#define AN_RESULTS_H5_H

#include <hdf5.h>
#include <stddef.h>

#include "analysis/results.h"

#define AN_RESULTS_SCHEMA_VERSION 1

typedef enum { AN_FIELD_U64, AN_FIELD_F64 } an_field_kind;

/* One attribute of /summary: its name and where it lives in eng_summary.
 * An optional attribute (one added after schema version 1 first shipped)
 * reads as 0 from a file written without it. */
typedef struct an_field {
    const char *name;
    size_t offset;
    an_field_kind kind;
    int optional;
} an_field;

extern const an_field an_results__summary_fields[];
extern const size_t an_results__nsummary_fields;

/* Memory types of eng_sample, eng_batch_row and eng_sync_sample rows; the
 * caller closes them. */
hid_t an_results__series_type(void);
hid_t an_results__batch_type(void);
hid_t an_results__sync_series_type(void);

/* Silences HDF5's automatic error printing between begin and end. */
typedef struct an_h5_quiet {
    H5E_auto2_t fn;
    void *data;
} an_h5_quiet;
void an_results__quiet_begin(an_h5_quiet *q);
void an_results__quiet_end(const an_h5_quiet *q);

/* The innermost message of the current HDF5 error stack ("" if none). */
void an_results__h5_error(char *buf, size_t len);

/* Compression filters and the row chunking every dataset uses. */
hid_t an_results__dataset_props(size_t rows);

/* Writer pieces (results_write.c): a scalar string attribute, a scalar
 * numeric attribute of native type t, and a histogram group `name` of loc
 * (documented in docs/results.md). 0 or -1. */
int an_results__attr_str(hid_t loc, const char *name, const char *v);
int an_results__attr_num(hid_t loc, const char *name, hid_t t, const void *v);
int an_results__write_hist(hid_t loc, const char *name, const eng_hist *h);

/* /prefetch (results_prefetch.c): written when m->prefetch_policy is set;
 * read back into out->prefetch_policy and the prefetch fields of out->s
 * (left empty and 0 when the file has none). 0 or -1 (read: with a message
 * naming the file). */
int an_results__write_prefetch(hid_t f, const eng_metrics *m);
int an_results__read_prefetch(hid_t f, const char *path, an_run_summary *out, char *err, size_t errlen);

#endif
