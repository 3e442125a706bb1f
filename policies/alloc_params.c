/* Allocator parameters: the `allocator:` block of a scenario arrives as
 * key/value pairs (eng_alloc_opts, filled by experiments/) and each variant's
 * init reads them here. Unknown keys are rejected with the closest known
 * name (Levenshtein distance) and the full list; out-of-range values are
 * rejected with the accepted range and the place they were written. */
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "policies/alloc_int.h"

static const eng_param *find(const eng_alloc_opts *o, const char *key) {
    for (size_t i = 0; i < o->nparams; i++)
        if (strcmp(o->params[i].key, key) == 0) return &o->params[i];
    return NULL;
}

double pol_param_get(const eng_alloc_opts *o, const char *key, double dflt) {
    const eng_param *p = find(o, key);
    return p ? p->value : dflt;
}

/* Appends printf output to the message in err (truncating silently). */
static void append(char *err, size_t errlen, const char *fmt, ...) {
    size_t n = errlen ? strnlen(err, errlen) : 0;
    if (n + 1 >= errlen) return;
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(err + n, errlen - n, fmt, ap);
    va_end(ap);
}

static void where(const eng_param *p, char *err, size_t errlen) {
    if (p && p->line > 0) append(err, errlen, " (line %d, column %d)", p->line, p->col);
}

/* Edit distance between a and b (insertions, deletions, substitutions). */
static size_t levenshtein(const char *a, const char *b) {
    size_t la = strlen(a), lb = strlen(b);
    size_t row[sizeof(((eng_param *)0)->key) + 1];
    if (lb >= sizeof(row) / sizeof(row[0])) return la > lb ? la : lb;
    for (size_t j = 0; j <= lb; j++) row[j] = j;
    for (size_t i = 1; i <= la; i++) {
        size_t diag = row[0];
        row[0] = i;
        for (size_t j = 1; j <= lb; j++) {
            size_t up = row[j];
            size_t best = diag + (a[i - 1] != b[j - 1]);
            if (up + 1 < best) best = up + 1;
            if (row[j - 1] + 1 < best) best = row[j - 1] + 1;
            row[j] = best;
            diag = up;
        }
    }
    return row[lb];
}

static int known(const char *key, const char *const *names) {
    for (size_t i = 0; names[i]; i++)
        if (strcmp(key, names[i]) == 0) return 1;
    return 0;
}

static void unknown_message(const eng_alloc_opts *o, const eng_param *p, const char *const *names, char *err,
                            size_t errlen) {
    const char *best = NULL;
    size_t best_d = 0;
    for (size_t i = 0; names[i]; i++) {
        size_t d = levenshtein(p->key, names[i]);
        if (!best || d < best_d) best = names[i], best_d = d;
    }
    snprintf(err, errlen, "allocator %s: unknown parameter '%s'", o->name, p->key);
    where(p, err, errlen);
    /* A suggestion only when at most a third of the longer name differs. */
    size_t longer = best ? (strlen(best) > strlen(p->key) ? strlen(best) : strlen(p->key)) : 0;
    if (best && 3 * best_d <= longer)
        append(err, errlen, "; did you mean '%s'? Known:", best);
    else
        append(err, errlen, "; known:");
    if (!names[0]) append(err, errlen, " none");
    for (size_t i = 0; names[i]; i++) append(err, errlen, "%s %s", i ? "," : "", names[i]);
}

int pol_params_check(const eng_alloc_opts *o, const char *const *names, char *err, size_t errlen) {
    for (size_t i = 0; i < o->nparams; i++) {
        const eng_param *p = &o->params[i];
        if (!known(p->key, names)) {
            unknown_message(o, p, names, err, errlen);
            return -1;
        }
        if (find(o, p->key) != p) {
            snprintf(err, errlen, "allocator %s: parameter '%s' given twice", o->name, p->key);
            where(p, err, errlen);
            return -1;
        }
    }
    return 0;
}

int pol_alloc__check_opts(const eng_alloc_opts *o, const char *const *names, char *err, size_t errlen) {
    if (pol_params_check(o, names, err, errlen) < 0) return -1;
    if (o->min_executors > o->max_executors) {
        snprintf(err, errlen, "allocator %s: min_executors (%u) exceeds max_executors (%u)", o->name,
                 o->min_executors, o->max_executors);
        return -1;
    }
    return 0;
}

/* Checks lo <= v <= hi (strict where `open` says), writing the range in the
 * parameter's unit (values are divided by `scale` for display). */
static int in_range(const eng_alloc_opts *o, const char *key, double v, double lo, double hi, unsigned open,
                    double scale, const char *unit, char *err, size_t errlen) {
    int lo_ok = (open & POL_OPEN_LO) ? v > lo : v >= lo;
    int hi_ok = (open & POL_OPEN_HI) ? v < hi : v <= hi;
    if (isfinite(v) && lo_ok && hi_ok) return 0;
    snprintf(err, errlen, "allocator %s: parameter '%s' must be in %c%g, %g%c%s, got %g%s", o->name, key,
             (open & POL_OPEN_LO) ? '(' : '[', lo / scale, hi / scale, (open & POL_OPEN_HI) ? ')' : ']', unit,
             v / scale, unit);
    where(find(o, key), err, errlen);
    return -1;
}

int pol_alloc__real(const eng_alloc_opts *o, const char *key, double dflt, double lo, double hi,
                    unsigned open, double *out, char *err, size_t errlen) {
    double v = pol_param_get(o, key, dflt);
    if (in_range(o, key, v, lo, hi, open, 1.0, "", err, errlen) < 0) return -1;
    *out = v;
    return 0;
}

int pol_alloc__duration(const eng_alloc_opts *o, const char *key, rt_time_t dflt, rt_time_t lo, rt_time_t hi,
                        unsigned open, rt_time_t *out, char *err, size_t errlen) {
    double v = pol_param_get(o, key, (double)dflt);
    if (in_range(o, key, v, (double)lo, (double)hi, open, 1e9, " s", err, errlen) < 0) return -1;
    *out = (rt_time_t)llround(v);
    return 0;
}

int pol_alloc__count(const eng_alloc_opts *o, const char *key, uint32_t dflt, uint32_t lo, uint32_t hi,
                     uint32_t *out, char *err, size_t errlen) {
    const eng_param *p = find(o, key);
    double v = p ? p->value : (double)dflt;
    if (!(isfinite(v) && v == floor(v) && v >= lo && v <= hi)) {
        snprintf(err, errlen, "allocator %s: parameter '%s' must be a whole number in [%u, %u], got %g",
                 o->name, key, lo, hi, v);
        where(p, err, errlen);
        return -1;
    }
    *out = (uint32_t)v;
    return 0;
}

void *pol_alloc__state(const eng_alloc_opts *o, size_t size, char *err, size_t errlen) {
    void *s = calloc(1, size);
    if (!s) snprintf(err, errlen, "allocator %s: out of memory", o->name);
    return s;
}
