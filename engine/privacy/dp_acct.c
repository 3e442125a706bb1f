/* The privacy accountant: every differentially private release (a noisy
 * count, a noisy model update) charges its (ε, δ) here first and is refused
 * when the total would pass the budget. dp.h states the composition rule. */
#include <math.h>
#include <stdlib.h>

#include "engine/privacy/dp.h"

#define SLACK 1e-9

int eng_priv_acct_init(eng_priv_acct *a, double eps, double delta) {
    if (!isfinite(eps) || eps <= 0 || !(delta >= 0 && delta < 1)) return ENG_PRIV_EINVAL;
    *a = (eng_priv_acct){.eps_budget = eps, .delta_budget = delta};
    return ENG_PRIV_OK;
}

void eng_priv_acct_free(eng_priv_acct *a) {
    free(a->log);
    a->log = NULL;
    a->nlog = a->cap = 0;
}

int eng_priv_acct_charge(eng_priv_acct *a, double eps, double delta) {
    if (!isfinite(eps) || eps <= 0 || !(delta >= 0 && delta < 1)) return ENG_PRIV_EINVAL;
    double e = a->eps_spent + eps, d = a->delta_spent + delta;
    if (e > a->eps_budget * (1 + SLACK) || d > a->delta_budget * (1 + SLACK)) return ENG_PRIV_EBUDGET;
    if (a->nlog == a->cap) {
        size_t cap = a->cap ? 2 * a->cap : 8;
        eng_priv_release *log = realloc(a->log, cap * sizeof *log);
        if (!log) return ENG_PRIV_ENOMEM;
        a->log = log;
        a->cap = cap;
    }
    a->log[a->nlog++] = (eng_priv_release){eps, delta};
    a->eps_spent = e;
    a->delta_spent = d;
    return ENG_PRIV_OK;
}
