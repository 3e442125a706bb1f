/* The live recorder (see live/recorder.h): readings collect in a buffer
 * under a mutex; when the newest device time has moved half a hold since
 * the last cut, the buffer is sorted by (ts, device, seq) and every row
 * older than newest - hold is written. */
#include "live/recorder.h"

#include <errno.h>
#include <inttypes.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct live_recorder {
    pthread_mutex_t mu;
    FILE *f;
    char path[512];
    int64_t epoch0;
    rt_time_t hold;
    eng_batch buf;
    rt_time_t newest, cut; /* rows before `cut` are written; later arrivals before it are late */
    int failed;            /* a write failed (errno kept in err) */
    int err;
    live_recorder_stats st;
};

live_recorder *live_recorder_open(const char *path, int64_t epoch0, rt_time_t hold, char *err,
                                  size_t errlen) {
    live_recorder *rec = calloc(1, sizeof *rec);
    if (!rec) {
        snprintf(err, errlen, "out of memory");
        return NULL;
    }
    if (!(rec->f = fopen(path, "w")) || fputs("device,seq,ts,metric,value,label\n", rec->f) < 0) {
        snprintf(err, errlen, "cannot write the recording %s: %s", path, strerror(errno));
        if (rec->f) fclose(rec->f);
        free(rec);
        return NULL;
    }
    snprintf(rec->path, sizeof rec->path, "%s", path);
    rec->epoch0 = epoch0;
    rec->hold = hold;
    rec->newest = rec->cut = INT64_MIN;
    eng_batch_init(&rec->buf);
    pthread_mutex_init(&rec->mu, NULL);
    return rec;
}

static void write_row(live_recorder *rec, const eng_rec *r) {
    int64_t ns = rec->epoch0 + r->ts;
    int64_t s = ns >= 0 ? ns / RT_S : -((-ns + RT_S - 1) / RT_S);
    if (fprintf(rec->f, "%u,%u,%" PRId64 ".%09" PRId64 ",%u,%.17g,%d\n", r->device, r->seq, s, ns - s * RT_S,
                r->metric, r->value, (r->flags & ENG_REC_ANOMALY) != 0) < 0 &&
        !rec->failed) {
        rec->failed = 1;
        rec->err = errno;
    }
    rec->st.written++;
}

/* Sorts the buffer and writes the rows before `upto`. */
static void flush_before(live_recorder *rec, rt_time_t upto) {
    eng_batch_sort(&rec->buf);
    size_t k = 0;
    while (k < rec->buf.n && rec->buf.r[k].ts < upto) write_row(rec, &rec->buf.r[k++]);
    memmove(rec->buf.r, rec->buf.r + k, (rec->buf.n - k) * sizeof *rec->buf.r);
    rec->buf.n -= k;
    rec->cut = upto;
}

void live_recorder_add(live_recorder *rec, const eng_rec *r, size_t n) {
    pthread_mutex_lock(&rec->mu);
    for (size_t i = 0; i < n; i++) {
        if (r[i].ts < rec->cut) {
            rec->st.late++;
            continue;
        }
        eng_batch_push(&rec->buf, &r[i]);
        if (r[i].ts > rec->newest) rec->newest = r[i].ts;
    }
    if (rec->newest != INT64_MIN &&
        (rec->cut == INT64_MIN || rec->newest - rec->hold - rec->cut >= rec->hold / 2))
        flush_before(rec, rec->newest - rec->hold);
    pthread_mutex_unlock(&rec->mu);
}

int live_recorder_close(live_recorder *rec, live_recorder_stats *st, char *err, size_t errlen) {
    if (!rec) return 0;
    flush_before(rec, INT64_MAX);
    if (st) *st = rec->st;
    int rc = 0;
    if (fclose(rec->f) != 0 && !rec->failed) {
        rec->failed = 1;
        rec->err = errno;
    }
    if (rec->failed) {
        snprintf(err, errlen, "writing the recording %s: %s", rec->path, strerror(rec->err));
        rc = -1;
    }
    eng_batch_free(&rec->buf);
    pthread_mutex_destroy(&rec->mu);
    free(rec);
    return rc;
}
