/* temperature — places each block by its predicted temperature, the chance
 * and the time of its next read, learned from the access history of its key
 * (the reducer: one reduce task reads all of a key's blocks at once) and of
 * its place in the window (how many reads it has had, n):
 *
 *   p(key, n)      = (blocks of the key read again after their n-th read + 1)
 *                    / (blocks of the key that had n reads + 1), from the
 *                    blocks dropped so far (an unknown key is expected back);
 *   epochs(key, n) = the times the key's blocks with n reads were read: the
 *                    batch's own reads for n = 0, the window results after;
 *   next read      = the last epoch + the running mean of the time between
 *                    epochs, stepped past now; wait = next read - now
 *                    (until the key has two epochs, the block's age stands
 *                    for the wait: a new block is hot, an old one cool).
 *
 * cold (p < cold_below) -> object store; else hot (wait <= hot_within) ->
 * memory, warm (wait <= warm_within) -> local SSD, cool -> remote service.
 * A block bound for memory or SSD whose executor may be released before
 * its next read — 1 - exp(-rate x wait) > max_loss_risk — goes to the
 * durable remote service instead; the release rate of an executor is
 * (releases + 1) / (ready executor-seconds + prior_lifetime), the releases
 * the driver has seen with a prior of one release per prior_lifetime (Spark
 * releases an idle executor after 60 s). After every batch each live block
 * is classified again and moves if it has cooled. Parameters (defaults):
 *   hot_within     2s     warm_within     30s
 *   cold_below     0.2    max_loss_risk   0.05
 *   learning_rate  0.2    (weight of a new interval in the running mean)
 *   prior_lifetime 60s */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "policies/shuffle_int.h"

#define READS 8 /* reads told apart; a block read more often counts as read READS - 1 times */

typedef struct key_hist {
    double had[READS];      /* dropped blocks that had at least n reads */
    double again[READS];    /* of those, read more than n times */
    rt_time_t epoch[READS]; /* the last time blocks with n reads were read (-1: never) */
    double period[READS];   /* running mean of the time between such reads, ns (0: unknown) */
} key_hist;

typedef struct temp_state {
    rt_time_t hot_within, warm_within, prior_lifetime;
    double cold_below, max_loss_risk, rate;
    key_hist *keys;
    uint32_t nkeys;
} temp_state;

static const char *const names[] = {"hot_within",    "warm_within",    "cold_below", "max_loss_risk",
                                    "learning_rate", "prior_lifetime", NULL};

#define DAY (86400 * RT_S)

static void *temp_init(const eng_shuffle_opts *o, char *err, size_t errlen) {
    temp_state s = {0};
    if (pol_shuffle__check(o, names, err, errlen) ||
        pol_shuffle__duration(o, "hot_within", 2 * RT_S, 0, DAY, &s.hot_within, err, errlen) ||
        pol_shuffle__duration(o, "warm_within", 30 * RT_S, s.hot_within, DAY, &s.warm_within, err, errlen) ||
        pol_shuffle__real(o, "cold_below", 0.2, 0, 1, &s.cold_below, err, errlen) ||
        pol_shuffle__real(o, "max_loss_risk", 0.05, 0, 1, &s.max_loss_risk, err, errlen) ||
        pol_shuffle__real(o, "learning_rate", 0.2, 1e-6, 1, &s.rate, err, errlen) ||
        pol_shuffle__duration(o, "prior_lifetime", 60 * RT_S, RT_MS, DAY, &s.prior_lifetime, err, errlen))
        return NULL;
    temp_state *st = malloc(sizeof *st);
    if (st) *st = s;
    return st;
}

static void temp_free(void *state) {
    temp_state *s = state;
    free(s->keys);
    free(s);
}

static key_hist *key_of(temp_state *s, uint32_t key) {
    if (key >= s->nkeys) {
        uint32_t n = key + 1;
        key_hist *k = realloc(s->keys, n * sizeof *k);
        if (!k) abort();
        memset(k + s->nkeys, 0, (n - s->nkeys) * sizeof *k);
        for (uint32_t i = s->nkeys; i < n; i++)
            for (int r = 0; r < READS; r++) k[i].epoch[r] = -1;
        s->keys = k;
        s->nkeys = n;
    }
    return &s->keys[key];
}

static uint32_t slot_of(uint32_t reads) { return reads < READS ? reads : READS - 1; }

static void temp_read(void *state, const eng_block_view *b, rt_time_t now) {
    temp_state *s = state;
    key_hist *k = key_of(s, b->reducer);
    uint32_t n = slot_of(b->reads);
    if (now <= k->epoch[n]) return; /* the same read of the key */
    if (k->epoch[n] >= 0) {
        double gap = (double)(now - k->epoch[n]);
        k->period[n] = k->period[n] > 0 ? (1 - s->rate) * k->period[n] + s->rate * gap : gap;
    }
    k->epoch[n] = now;
}

static void temp_drop(void *state, const eng_block_view *b, rt_time_t now) {
    key_hist *k = key_of(state, b->reducer);
    for (uint32_t n = 0; n <= slot_of(b->reads); n++) {
        k->had[n] += 1;
        if (b->reads > n) k->again[n] += 1;
    }
}

static eng_tier classify(temp_state *s, const eng_shuffle_obs *o, const eng_block_view *b) {
    key_hist *k = key_of(s, b->reducer);
    uint32_t n = slot_of(b->reads);
    double p = (k->again[n] + 1) / (k->had[n] + 1);
    if (p < s->cold_below) return ENG_TIER_OBJECT;
    rt_time_t wait = o->now - b->created;
    if (k->period[n] > 0) {
        rt_time_t period = (rt_time_t)k->period[n], next = k->epoch[n] + period;
        if (next < o->now) next += (o->now - next + period - 1) / period * period;
        wait = next - o->now;
    }
    if (wait > s->warm_within) return ENG_TIER_REMOTE;
    double rate = (o->releases + 1.0) / (o->ready_s + rt_to_s(s->prior_lifetime));
    double risk = 1 - exp(-rate * rt_to_s(wait));
    if (risk > s->max_loss_risk) return ENG_TIER_REMOTE;
    return wait <= s->hot_within ? ENG_TIER_MEMORY : ENG_TIER_LOCAL_SSD;
}

static eng_tier temp_place(void *state, const eng_shuffle_obs *o, const eng_block_view *b) {
    return classify(state, o, b);
}

static void temp_review(void *state, const eng_shuffle_obs *o, const eng_block_view *blocks, size_t n,
                        eng_tier *out) {
    for (size_t i = 0; i < n; i++) out[i] = classify(state, o, &blocks[i]);
}

const eng_shuffle_policy pol_shuffle_temperature_ops = {
    .abi = ENG_SHUFFLE_ABI,
    .name = "temperature",
    .summary = "predicted chance and time of each block's next read: hot memory, warm SSD, cool remote, cold "
               "object store",
    .param_names = names,
    .tiers = 1u << ENG_TIER_MEMORY | 1u << ENG_TIER_LOCAL_SSD | 1u << ENG_TIER_REMOTE | 1u << ENG_TIER_OBJECT,
    .init = temp_init,
    .free = temp_free,
    .place = temp_place,
    .read = temp_read,
    .drop = temp_drop,
    .review = temp_review,
};
