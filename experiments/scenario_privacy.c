/* The `privacy:` section of a scenario and the calibration file it charges
 * privacy work from (see scenario_privacy.h, docs/privacy.md):
 *
 *   privacy:
 *     aggregation: paillier   # or plain
 *     key_bits: 2048
 *     epsilon: 0.5            # per window release of one metric; 0: no noise
 *     clip: 200               # DP: |value| bound
 *     quantum: 0.01           # DP: resolution of the noisy sums
 *     costs: ../privacy_costs.yaml
 *     federated:              # present: federated learning of a detector
 *       combine: masked       # plain, masked or paillier
 *       rounds: 20
 *       epochs: 1
 *       epsilon: 0.5          # DP on the updates, per round; 0: none
 *
 * The section is read with its own schema table, so its messages name keys
 * relative to it. */
#include "experiments/scenario_privacy.h"

#include <errno.h>
#include <math.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "experiments/yaml_tree.h"

#define INF INFINITY

typedef struct section {
    eng_priv_run_opts o;
    char costs[1024];
} section;

static const char *const aggregations[] = {"plain", "paillier", NULL};
static const char *const combines[] = {"plain", "masked", "paillier", NULL};
_Static_assert(sizeof(eng_priv_aggregation) == sizeof(int) && sizeof(eng_priv_fl_combine) == sizeof(int),
               "enums are read as int");

/* `federated:` present: federated learning on. */
static int read_federated(xp_walk *w, const xp_field *f, const xp_ynode *key, const xp_ynode *val) {
    (void)f;
    (void)key;
    (void)val;
    ((section *)w->base)->o.fl.enabled = 1;
    return 0;
}

#define S(p, t, m, l, h, fl)                                                                                 \
    {                                                                                                        \
        .path = p, .type = t, .off = offsetof(section, m), .size = sizeof(((section *)0)->m), .lo = l,       \
        .hi = h, .flags = fl                                                                                 \
    }
static const xp_field section_table[] = {
    {.path = "aggregation",
     .type = XP_T_ENUM,
     .off = offsetof(section, o.aggregation),
     .names = aggregations},
    S("key_bits", XP_T_U32, o.key_bits, 512, 8192, 0),
    S("real_key_bits", XP_T_U32, o.real_key_bits, 0, 8192, 0),
    S("metrics", XP_T_U32, o.metrics, 1, ENG_PRIV_RUN_MAX_METRICS, 0),
    S("epsilon", XP_T_F64, o.epsilon, 0, INF, 0),
    S("clip", XP_T_F64, o.clip, 0, INF, XP_F_LO_OPEN),
    S("quantum", XP_T_F64, o.quantum, 0, INF, XP_F_LO_OPEN),
    S("plain_bytes", XP_T_SIZE, o.plain_bytes, 1, 1e6, 0),
    S("header_bytes", XP_T_SIZE, o.header_bytes, 0, 1e6, 0),
    S("costs", XP_T_STR, costs, 0, 0, 0),
    {.path = "federated", .type = XP_T_MAP, .hook = read_federated},
    {.path = "federated.combine",
     .type = XP_T_ENUM,
     .off = offsetof(section, o.fl.combine),
     .names = combines},
    S("federated.rounds", XP_T_U32, o.fl.rounds, 1, 100000, 0),
    S("federated.epochs", XP_T_U32, o.fl.epochs, 1, 100000, 0),
    S("federated.lr", XP_T_F64, o.fl.lr, 0, INF, XP_F_LO_OPEN),
    S("federated.window", XP_T_U32, o.fl.window, 2, 100000, 0),
    S("federated.stride", XP_T_U32, o.fl.stride, 1, 100000, 0),
    S("federated.test_share", XP_T_F64, o.fl.test_share, 0, 1, XP_F_LO_OPEN),
    S("federated.clip", XP_T_F64, o.fl.clip, 0, INF, XP_F_LO_OPEN),
    S("federated.epsilon", XP_T_F64, o.fl.epsilon, 0, 1, 0),
    S("federated.delta", XP_T_F64, o.fl.delta, 0, 1, XP_F_LO_OPEN),
};

/* What a calibration file holds. */
typedef struct calib {
    char measured[64], machine[512], command[512];
    eng_priv_costs size[2];               /* 2048, 3072 bits */
    double keygen_s[2], encrypt_pre_s[2]; /* recorded, not charged: keys are set up before a run */
    double geometric_s, mask_word_s, lr_step_s;
} calib;

#define C(p, t, m, fl)                                                                                       \
    {                                                                                                        \
        .path = p, .type = t, .off = offsetof(calib, m), .size = sizeof(((calib *)0)->m), .lo = 0,           \
        .hi = INF, .flags = fl                                                                               \
    }
#define REQ XP_F_REQUIRED
#define SIZE(k, i)                                                                                           \
    {.path = "paillier_" #k, .type = XP_T_MAP, .flags = REQ},                                                \
        C("paillier_" #k ".ciphertext_bytes", XP_T_SIZE, size[i].ciphertext_bytes, REQ),                     \
        C("paillier_" #k ".keygen_s", XP_T_F64, keygen_s[i], REQ),                                           \
        C("paillier_" #k ".encode_s", XP_T_F64, size[i].encode_s, REQ),                                      \
        C("paillier_" #k ".encrypt_s", XP_T_F64, size[i].encrypt_s, REQ),                                    \
        C("paillier_" #k ".encrypt_pre_s", XP_T_F64, encrypt_pre_s[i], REQ),                                 \
        C("paillier_" #k ".add_s", XP_T_F64, size[i].add_s, REQ),                                            \
        C("paillier_" #k ".decrypt_s", XP_T_F64, size[i].decrypt_s, REQ)
static const xp_field calib_table[] = {
    C("measured", XP_T_STR, measured, REQ),
    C("machine", XP_T_STR, machine, REQ),
    C("command", XP_T_STR, command, REQ),
    SIZE(2048, 0),
    SIZE(3072, 1),
    {.path = "dp", .type = XP_T_MAP, .flags = REQ},
    C("dp.geometric_s", XP_T_F64, geometric_s, REQ),
    {.path = "mask", .type = XP_T_MAP, .flags = REQ},
    C("mask.word_s", XP_T_F64, mask_word_s, REQ),
    {.path = "logreg", .type = XP_T_MAP, .flags = REQ},
    C("logreg.step_s", XP_T_F64, lr_step_s, REQ),
};

int xp_privacy__load_costs(const char *path, uint32_t bits, eng_priv_costs *c, char *err, size_t errlen) {
    xp_ynode *root = xp_yaml__load(path, NULL, err, errlen);
    if (!root) return -1;
    calib k;
    memset(&k, 0, sizeof k);
    xp_walk w = {.origin = path,
                 .root = root,
                 .base = &k,
                 .table = calib_table,
                 .n = sizeof calib_table / sizeof calib_table[0],
                 .err = err,
                 .errlen = errlen};
    int rc = xp_schema__walk(&w);
    xp_yaml__free(root);
    if (rc) return -1;
    if (bits != 2048 && bits != 3072) {
        snprintf(err, errlen, "%s: no costs for %u-bit keys (the calibration has 2048 and 3072)", path, bits);
        return -1;
    }
    *c = k.size[bits == 3072];
    c->key_bits = bits;
    c->geometric_s = k.geometric_s;
    c->mask_word_s = k.mask_word_s;
    c->lr_step_s = k.lr_step_s;
    return 0;
}

static const char *source_dir(void) {
    const char *env = getenv("SPARKIOT_SOURCE_DIR");
    return env && *env ? env : SPARKIOT_SOURCE_DIR;
}

/* The calibration file `ref` names, as the scenario at `scenario` sees it. */
static void resolve(const char *ref, const char *scenario, char *file, size_t len) {
    if (!*ref) {
        snprintf(file, len, "%s/experiments/privacy_costs.yaml", source_dir());
        return;
    }
    const char *slash = strrchr(scenario, '/');
    if (ref[0] == '/' || !slash)
        snprintf(file, len, "%s", ref);
    else
        snprintf(file, len, "%.*s/%s", (int)(slash - scenario), scenario, ref);
}

int xp_scenario__read_privacy(xp_walk *w, const xp_field *f, const xp_ynode *key, const xp_ynode *val) {
    (void)key;
    xp_scenario *s = w->base;
    section sec;
    memset(&sec, 0, sizeof sec);
    eng_priv_run_defaults(&sec.o);
    sec.o.metrics = s->workload.metrics;
    char got[160];
    if (val->kind != XP_Y_MAP)
        return xp_yaml__fail(w->err, w->errlen, w->origin, val, f->path,
                             "expected a section like {aggregation: paillier, key_bits: 2048}, got %s",
                             xp_yaml__what(val, got, sizeof got));
    xp_walk sub = {.origin = w->origin,
                   .root = val,
                   .base = &sec,
                   .table = section_table,
                   .n = sizeof section_table / sizeof section_table[0],
                   .err = w->err,
                   .errlen = w->errlen};
    if (xp_schema__walk(&sub)) return -1;
    if (s->edge.mode != ENG_EDGE_AGGREGATE && s->edge.flush == 0)
        return xp_yaml__fail(w->err, w->errlen, w->origin, val, f->path,
                             "the privacy path releases window totals: it needs edge.mode aggregate or "
                             "edge.flush > 0");
    if (!s->replay && sec.o.metrics < s->workload.metrics)
        return xp_yaml__fail(w->err, w->errlen, w->origin, val, "privacy.metrics",
                             "%u, but the workload has %u metrics", sec.o.metrics, s->workload.metrics);
    resolve(sec.costs, s->path, s->privacy_costs, sizeof s->privacy_costs);
    if (access(s->privacy_costs, R_OK) != 0)
        return xp_yaml__fail(w->err, w->errlen, w->origin, val, "privacy.costs", "cannot read '%s': %s",
                             s->privacy_costs, strerror(errno));
    char msg[1024];
    if (xp_privacy__load_costs(s->privacy_costs, sec.o.key_bits, &sec.o.costs, msg, sizeof msg))
        return xp_yaml__fail(w->err, w->errlen, w->origin, val, "privacy", "%s", msg);
    if (eng_priv_run_check(&sec.o, msg, sizeof msg))
        return xp_yaml__fail(w->err, w->errlen, w->origin, val, "privacy", "%s", msg);
    s->privacy = sec.o;
    s->privacy_enabled = 1;
    return 0;
}
