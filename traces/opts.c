/* The replay's options (replay.h): documented defaults and the checks that
 * tie fields together; experiments/ fills the struct from a scenario's
 * workload.trace section. */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "traces/replay.h"

void tr_opts_defaults(tr_opts *o) {
    memset(o, 0, sizeof *o);
    o->format = TR_FMT_AUTO;
    o->speedup = 1;
    o->start = TR_NO_START;
    o->end = TR_NO_END;
    o->columns.time_format = TR_TIME_ISO8601;
}

static int fail(char *err, size_t errlen, const char *msg) {
    snprintf(err, errlen, "%s", msg);
    return TR_ERR_OPTS;
}

int tr_opts_check(const tr_opts *o, char *err, size_t errlen) {
    const tr_colmap *c = &o->columns;
    int generic = o->format == TR_FMT_CSV || o->format == TR_FMT_JSONL;
    if (!o->path[0]) return fail(err, errlen, "path: no trace file given");
    if ((unsigned)o->format > TR_FMT_JSONL)
        return fail(err, errlen, "format must be auto, nab, uci, csv or jsonl");
    if (!(o->speedup > 0) || !isfinite(o->speedup)) return fail(err, errlen, "speedup must be > 0");
    if (o->start != TR_NO_START && o->end != TR_NO_END && o->end <= o->start)
        return fail(err, errlen, "end must be after start");
    if (o->phase < 0) return fail(err, errlen, "phase must be >= 0");
    if (!(o->value_jitter >= 0) || !isfinite(o->value_jitter))
        return fail(err, errlen, "value_jitter must be >= 0");
    if (o->label_key[0] && !o->labels[0])
        return fail(err, errlen, "label_key names an entry of a labels file, but labels is not given");
    if ((unsigned)c->time_format > TR_TIME_EPOCH_MS)
        return fail(err, errlen, "columns.time_format must be iso8601, epoch_s or epoch_ms");
    if (c->nvalues > TR_MAX_VALUES) return fail(err, errlen, "columns.values: too many value columns");
    if (generic && !c->time[0])
        return fail(err, errlen, "columns.time: the csv and jsonl formats need the time column's name");
    if (generic && c->nvalues == 0)
        return fail(err, errlen, "columns.values: the csv and jsonl formats need at least one value column");
    return 0;
}
