/* Shared setup of the allocator tests (tests/policies/test_alloc_*.c):
 * options as experiments/ would fill them from a scenario's `allocator:`
 * block, and instances made through the registry. Include after cmocka.h. */
#ifndef TEST_ALLOC_FIXTURE_H
#define TEST_ALLOC_FIXTURE_H

#include <stdio.h>
#include <string.h>

#include "policies/alloc.h"

static inline void fx_opts(eng_alloc_opts *o, const char *name, uint32_t min, uint32_t max,
                           uint32_t initial) {
    memset(o, 0, sizeof(*o));
    snprintf(o->name, sizeof(o->name), "%s", name);
    o->interval = RT_S;
    o->min_executors = min;
    o->max_executors = max;
    o->initial_executors = initial;
}

/* Adds key = v as if written at (line, col) of the scenario (0: no file). */
static inline void fx_param_at(eng_alloc_opts *o, const char *key, double v, int line, int col) {
    assert_true(o->nparams < ENG_MAX_PARAMS);
    eng_param *p = &o->params[o->nparams++];
    snprintf(p->key, sizeof(p->key), "%s", key);
    p->value = v;
    p->line = line;
    p->col = col;
}

static inline void fx_param(eng_alloc_opts *o, const char *key, double v) { fx_param_at(o, key, v, 0, 0); }

/* The allocator named by o->name, initialised; fails the test on error. */
static inline void *fx_init(const eng_alloc_opts *o) {
    const eng_alloc_ops *ops = pol_alloc_find(o->name);
    assert_non_null(ops);
    char err[512] = "";
    void *st = ops->init(o, err, sizeof(err));
    if (!st) fail_msg("%s", err);
    return st;
}

/* The message init writes for options it must refuse. */
static inline const char *fx_init_error(const eng_alloc_opts *o) {
    static char err[512];
    err[0] = '\0';
    const eng_alloc_ops *ops = pol_alloc_find(o->name);
    assert_non_null(ops);
    assert_null(ops->init(o, err, sizeof(err)));
    assert_true(err[0] != '\0');
    return err;
}

static inline uint32_t fx_decide(const eng_alloc_opts *o, void *st, const eng_alloc_obs *obs) {
    eng_alloc_decision d = {0};
    pol_alloc_find(o->name)->decide(st, obs, &d);
    return d.target;
}

static inline void fx_free(const eng_alloc_opts *o, void *st) { pol_alloc_find(o->name)->free(st); }

#endif
