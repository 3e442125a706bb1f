/* The oracle's schedule (policies/alloc_oracle.c): given how many executors
 * must be ready during each decision interval, the cheapest times to request
 * and release executors, when a request is ready `lead` intervals later and
 * each executor is billed from request to release with the cloud's minimum
 * and granularity.
 *
 * Executors are interchangeable and billed one by one, so the schedule is
 * built in layers: layer k is the k-th executor, needed during the intervals
 * whose need is at least k. A layer's demand falls into runs of consecutive
 * intervals; one lifetime (request at decision a, release at decision b,
 * held during intervals a..b-1) covers runs r..q when it is requested `lead`
 * intervals before run r starts and released when run q ends — requesting
 * earlier or releasing later only costs more. Dynamic programming over the
 * runs finds, per layer, the cheapest set of lifetimes:
 *   G[0] = 0;  G[q + 1] = min over r <= q of G[r] + bill(end of run q + 1 - (start of run r - lead))
 * so a gap between runs is bridged exactly when holding the executor through
 * it costs less than a release and a new request (which pays the startup
 * lead again, and the billing minimum). Layers up to `initial` start held at
 * decision 0 (the pool's initial request); their first lifetime starts there
 * and may end at decision 1. Demand before a layer can first be ready
 * (interval lead, or 1 + lead for layers requested at a decision) cannot be
 * met by any schedule and is left out. Cost O(runs^2) per layer. */
#include <float.h>
#include <stdlib.h>

#include "policies/alloc_oracle.h"

typedef struct run {
    size_t s, e; /* first and last interval */
} run;

typedef struct plan_ctx {
    const pol_oracle_bill *bill;
    size_t n, lead;
} plan_ctx;

/* Billed ns of a lifetime from decision a to decision b (b = n: the end). */
static double bill_of(const plan_ctx *c, size_t a, size_t b) {
    const pol_oracle_bill *p = c->bill;
    rt_time_t from = (rt_time_t)a * p->interval;
    rt_time_t to = b >= c->n ? p->end : (rt_time_t)b * p->interval;
    rt_time_t held = to > from ? to - from : 0;
    if (held < p->minimum) held = p->minimum;
    return (double)((held + p->granularity - 1) / p->granularity * p->granularity);
}

/* Runs of layer k's reachable demand, from interval `first` on. */
static size_t runs_of(const uint32_t *need, size_t n, uint32_t k, size_t first, run *out) {
    size_t nr = 0;
    for (size_t i = first; i < n; i++) {
        if (need[i] < k) continue;
        if (nr > 0 && out[nr - 1].e + 1 == i)
            out[nr - 1].e = i;
        else
            out[nr++] = (run){i, i};
    }
    return nr;
}

/* Adds the cheapest lifetimes of layer k to held[]. `initial`: the layer
 * starts held at decision 0. G and from are scratch of nr + 1 entries. */
static void plan_layer(const plan_ctx *c, const run *r, size_t nr, int initial, double *G, size_t *from,
                       uint32_t *held) {
    size_t n = c->n, lead = c->lead;
    /* The initial lifetime [0, b): b = 1 covers the runs ending before
     * interval 1, else it ends with some run q; runs starting before 1 + lead
     * can only be covered by it. */
    size_t forced = 0;
    while (initial && forced < nr && r[forced].s < 1 + lead) forced++;
    for (size_t q = 0; q <= nr; q++) G[q] = DBL_MAX;
    if (!initial) G[0] = 0;
    for (size_t q = 0; initial && q <= nr; q++) {
        if (q < forced) continue;
        size_t b = q == 0 ? 1 : r[q - 1].e + 1;
        if (q == 0 && nr > 0 && r[0].e < 1) continue;
        G[q] = bill_of(c, 0, b);
        from[q] = SIZE_MAX; /* the initial lifetime */
    }
    for (size_t q = 0; q < nr; q++)
        for (size_t k = 0; k <= q; k++) {
            if (G[k] == DBL_MAX || k < forced) continue;
            double cost = G[k] + bill_of(c, r[k].s - lead, r[q].e + 1);
            if (cost < G[q + 1]) G[q + 1] = cost, from[q + 1] = k;
        }
    for (size_t q = nr; q > 0 || (initial && q == 0);) {
        size_t a, b = q == 0 ? 1 : r[q - 1].e + 1, k = from[q];
        a = k == SIZE_MAX ? 0 : r[k].s - lead;
        for (size_t i = a; i < b && i < n; i++) held[i]++;
        if (k == SIZE_MAX) break;
        q = k;
    }
}

int pol_oracle__plan(const uint32_t *need, size_t n, uint32_t initial, size_t lead,
                     const pol_oracle_bill *bill, uint32_t *held) {
    uint32_t layers = initial;
    for (size_t i = 0; i < n; i++) {
        held[i] = 0;
        if (need[i] > layers) layers = need[i];
    }
    run *r = malloc((n / 2 + 1) * sizeof *r);
    double *G = malloc((n / 2 + 2) * sizeof *G);
    size_t *from = malloc((n / 2 + 2) * sizeof *from);
    if (!r || !G || !from) {
        free(r), free(G), free(from);
        return -1;
    }
    plan_ctx c = {bill, n, lead};
    for (uint32_t k = 1; k <= layers; k++) {
        int init = k <= initial;
        size_t nr = runs_of(need, n, k, init ? lead : 1 + lead, r);
        plan_layer(&c, r, nr, init, G, from, held);
    }
    free(r), free(G), free(from);
    return 0;
}
