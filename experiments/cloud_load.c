/* Cloud profiles (see cloud_load.h): finding the file a scenario's `cloud:`
 * names, and reading it with its own schema table into eng_cloud. A profile
 * must state every price and rule it sets and where they come from
 * (`sources:`, `date:`); sections may flag themselves `assumption: true`. */
#include "experiments/cloud_load.h"

#include <dirent.h>
#include <errno.h>
#include <math.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "experiments/schema.h"
#include "experiments/units.h"

#define XP_MAX_PROFILES 64

/* What a profile file holds; only `c` leaves this file. The pool's
 * auto-pause delay is recorded for the reader and checked, but the cost
 * model does not bill it (docs/clouds.md). */
typedef struct profile {
    eng_cloud c;
    char provider[128], region[64], date[16];
    int assumption[3]; /* prices, billing, startup */
    rt_time_t auto_pause;
} profile;

static const char *const dists[] = {"fixed", "uniform", "lognormal", NULL};
/* The keys each startup distribution takes, in eng_startup_dist order:
 * the first fills startup_a, the second startup_b. */
static const char *const dist_keys[][2] = {{"value", NULL}, {"min", "max"}, {"median", "p95"}};
static const char *const dist_takes[] = {"value", "min and max", "median and p95"};
static const char *const startup_names[] = {"value", "min", "max", "median", "p95", NULL};

static int read_date(xp_walk *w, const xp_field *f, const xp_ynode *key, const xp_ynode *val) {
    const char *s = val->kind == XP_Y_SCALAR ? val->str : "";
    int y, m, d;
    char tail;
    if (strlen(s) != 10 || sscanf(s, "%4d-%2d-%2d%c", &y, &m, &d, &tail) != 3 || m < 1 || m > 12 || d < 1 ||
        d > 31) {
        char got[160];
        return xp_yaml__fail(w->err, w->errlen, w->origin, val, f->path,
                             "expected the date the prices were read, like 2026-11-01, got %s",
                             xp_yaml__what(val, got, sizeof got));
    }
    memcpy(((profile *)w->base)->date, s, 11);
    return 0;
}

static const char *const node_keys[] = {"name", "vcpu", "memory_gb", NULL};

static int bad_nodes(xp_walk *w, const xp_ynode *at) {
    char got[160];
    return xp_yaml__fail(
        w->err, w->errlen, w->origin, at, "nodes",
        "expected a list of 1 to %d node sizes like '- {name: small, vcpu: 4, memory_gb: 32}', "
        "smallest first, got %s",
        ENG_CLOUD_MAX_NODES, xp_yaml__what(at, got, sizeof got));
}

/* The value of `key` in a node size: vcpu a whole number >= 1, memory_gb a
 * number > 0. 0, or -1 when absent or malformed. */
static int node_value(const xp_ynode *item, const char *key, double *out) {
    const xp_ynode *v = xp_yaml__get(item, key);
    uint64_t mag;
    int neg;
    if (!v || v->kind != XP_Y_SCALAR || v->null) return -1;
    if (strcmp(key, "vcpu") != 0) return xp_units__number(v->str, out) || !(*out > 0) ? -1 : 0;
    if (xp_units__integer(v->str, &mag, &neg) || neg || mag == 0 || mag > UINT32_MAX) return -1;
    *out = (double)mag;
    return 0;
}

/* nodes: the provider's node sizes, into c.node_vcpu / c.node_mem_gb. */
static int read_nodes(xp_walk *w, const xp_field *f, const xp_ynode *key, const xp_ynode *val) {
    eng_cloud *c = &((profile *)w->base)->c;
    if (val->kind != XP_Y_SEQ || val->n == 0 || val->n > ENG_CLOUD_MAX_NODES) return bad_nodes(w, val);
    for (size_t i = 0; i < val->n; i++) {
        const xp_ynode *item = val->vals[i];
        if (item->kind != XP_Y_MAP) return bad_nodes(w, item);
        for (size_t k = 0; k < item->n; k++) {
            const char *name = item->keys[k]->str;
            int known = 0;
            for (const char *const *n = node_keys; *n; n++) known |= !strcmp(name, *n);
            char hint[128];
            xp_suggest__hint(hint, sizeof hint, name, node_keys);
            if (!known)
                return xp_yaml__fail(w->err, w->errlen, w->origin, item->keys[k], "nodes",
                                     "unknown key '%s' in a node size%s (known: name, vcpu, memory_gb)", name,
                                     hint);
        }
        double vcpu, mem;
        if (node_value(item, "vcpu", &vcpu) || node_value(item, "memory_gb", &mem))
            return xp_yaml__fail(w->err, w->errlen, w->origin, item, "nodes",
                                 "a node size needs vcpu (a whole number >= 1) and memory_gb (a number > 0)");
        c->node_vcpu[i] = (uint32_t)vcpu;
        c->node_mem_gb[i] = mem;
    }
    c->nnodes = (uint32_t)val->n;
    return 0;
}

#define INF INFINITY
#define P(p, t, m, l, h, fl, al)                                                                             \
    {                                                                                                        \
        .path = p, .type = t, .off = offsetof(profile, m), .size = sizeof(((profile *)0)->m), .lo = l,       \
        .hi = h, .flags = fl, .alias = al                                                                    \
    }
#define REQ XP_F_REQUIRED

static const xp_field table[] = {
    P("name", XP_T_NAME, c.name, 0, 0, REQ, NULL),
    P("provider", XP_T_STR, provider, 0, 0, REQ, NULL),
    P("region", XP_T_STR, region, 0, 0, REQ, NULL),
    {.path = "date", .type = XP_T_HOOK, .flags = REQ, .hook = read_date},
    {.path = "sources", .type = XP_T_STRLIST, .flags = REQ},
    {.path = "prices", .type = XP_T_MAP, .flags = REQ},
    P("prices.vcpu_hour_usd", XP_T_F64, c.vcpu_hour_usd, 0, INF, REQ, "cloud.vcpu_hour_usd"),
    P("prices.gb_hour_usd", XP_T_F64, c.gb_hour_usd, 0, INF, REQ, "cloud.gb_hour_usd"),
    P("prices.egress_gb_usd", XP_T_F64, c.egress_gb_usd, 0, INF, REQ, "cloud.egress_gb_usd"),
    P("prices.object_storage_gb_month_usd", XP_T_F64, c.object_gb_month_usd, 0, INF, 0, NULL),
    P("prices.shuffle_storage_gb_month_usd", XP_T_F64, c.shuffle_gb_month_usd, 0, INF, 0, NULL),
    P("prices.object_put_1000_usd", XP_T_F64, c.object_put_1000_usd, 0, INF, 0, NULL),
    P("prices.object_get_1000_usd", XP_T_F64, c.object_get_1000_usd, 0, INF, 0, NULL),
    {.path = "prices.memory_tier", .type = XP_T_MAP, .alias = "cloud.memory_tier"},
    P("prices.memory_tier.gb_per_vcpu", XP_T_F64, c.mem_tier_gb_per_vcpu, 0, INF, REQ | XP_F_LO_OPEN, NULL),
    P("prices.memory_tier.over_gb_hour_usd", XP_T_F64, c.gb_hour_over_usd, 0, INF, REQ, NULL),
    P("prices.assumption", XP_T_BOOL, assumption[0], 0, 0, 0, NULL),
    {.path = "billing", .type = XP_T_MAP, .flags = REQ},
    P("billing.minimum", XP_T_DUR, c.billing_minimum, 0, INF, REQ, "cloud.billing.minimum"),
    P("billing.granularity", XP_T_DUR, c.billing_granularity, 0, INF, REQ | XP_F_LO_OPEN,
      "cloud.billing.granularity"),
    P("billing.auto_pause", XP_T_DUR, auto_pause, 0, INF, 0, NULL),
    P("billing.assumption", XP_T_BOOL, assumption[1], 0, 0, 0, NULL),
    {.path = "nodes", .type = XP_T_HOOK, .hook = read_nodes, .alias = "cloud.nodes"},
    {.path = "startup", .type = XP_T_MAP, .flags = REQ, .alias = "cloud.startup"},
    {.path = "startup.dist",
     .type = XP_T_ENUM,
     .off = offsetof(profile, c.startup),
     .flags = REQ,
     .names = dists},
    P("startup.value", XP_T_DUR, c.startup_a, 0, INF, 0, NULL),
    P("startup.min", XP_T_DUR, c.startup_a, 0, INF, 0, NULL),
    P("startup.max", XP_T_DUR, c.startup_b, 0, INF, 0, NULL),
    P("startup.median", XP_T_DUR, c.startup_a, 0, INF, XP_F_LO_OPEN, NULL),
    P("startup.p95", XP_T_DUR, c.startup_b, 0, INF, XP_F_LO_OPEN, NULL),
    P("startup.assumption", XP_T_BOOL, assumption[2], 0, 0, 0, NULL),
};

_Static_assert(sizeof(eng_startup_dist) == sizeof(int), "enums are read as int");

/* The startup section holds exactly the keys its distribution takes. */
static int check_startup(xp_walk *w, const profile *p) {
    const xp_ynode *st = xp_yaml__get(w->root, "startup");
    const char *const *want = dist_keys[p->c.startup];
    const char *dist = dists[p->c.startup];
    for (const char *const *k = startup_names; *k; k++) {
        const xp_ynode *key = xp_yaml__key(st, *k);
        char path[32];
        snprintf(path, sizeof path, "startup.%s", *k);
        if (key && strcmp(*k, want[0]) != 0 && !(want[1] && !strcmp(*k, want[1])))
            return xp_yaml__fail(w->err, w->errlen, w->origin, key, path, "not used by dist %s (it takes %s)",
                                 dist, dist_takes[p->c.startup]);
    }
    for (int j = 0; j < 2 && want[j]; j++)
        if (!xp_yaml__get(st, want[j]))
            return xp_yaml__fail(w->err, w->errlen, w->origin, xp_yaml__at(w->root, "startup"), "startup",
                                 "dist %s needs %s", dist, dist_takes[p->c.startup]);
    return 0;
}

static int ends_with(const char *s, const char *suffix) {
    size_t n = strlen(s), k = strlen(suffix);
    return n >= k && !strcmp(s + n - k, suffix);
}

static int is_path(const char *ref) {
    return strchr(ref, '/') || ends_with(ref, ".yaml") || ends_with(ref, ".yml");
}

static void dir_of(const char *path, char *dir, size_t len) {
    const char *slash = strrchr(path, '/');
    if (!slash)
        snprintf(dir, len, ".");
    else if (slash == path)
        snprintf(dir, len, "/");
    else
        snprintf(dir, len, "%.*s", (int)(slash - path), path);
}

static int by_name(const void *a, const void *b) {
    return strcmp(*(const char *const *)a, *(const char *const *)b);
}

/* Every <name>.yaml in the folders, sorted, into names (NULL-terminated). */
static void list_profiles(const char *const dirs[2], char store[][64], const char **names) {
    size_t n = 0;
    for (int d = 0; d < 2; d++) {
        DIR *dir = opendir(dirs[d]);
        if (!dir) continue;
        for (struct dirent *e; (e = readdir(dir)) && n < XP_MAX_PROFILES;) {
            size_t k = strlen(e->d_name);
            if (k <= 5 || k - 5 >= 64 || !ends_with(e->d_name, ".yaml")) continue;
            snprintf(store[n], 64, "%.*s", (int)(k - 5), e->d_name);
            int dup = 0;
            for (size_t i = 0; i < n; i++) dup |= !strcmp(names[i], store[n]);
            if (!dup) names[n] = store[n], n++;
        }
        closedir(dir);
    }
    qsort(names, n, sizeof *names, by_name);
    names[n] = NULL;
}

static const char *source_dir(void) {
    const char *env = getenv("SPARKIOT_SOURCE_DIR");
    return env && *env ? env : SPARKIOT_SOURCE_DIR;
}

static int resolve(const char *ref, const char *scenario, char *file, size_t len, char *err, size_t errlen) {
    char here[4096], dirs[2][4096];
    dir_of(scenario, here, sizeof here);
    int abs = ref[0] == '/';
    if (is_path(ref)) {
        int k = snprintf(file, len, "%s%s%s", abs ? "" : here, abs ? "" : "/", ref);
        if (k >= 0 && (size_t)k < len && access(file, R_OK) == 0) return 0;
        snprintf(err, errlen, "cannot read cloud profile '%s': %s", file,
                 k >= 0 && (size_t)k < len ? strerror(errno) : "path too long");
        return -1;
    }
    int k0 = snprintf(dirs[0], sizeof dirs[0], "%s/../clouds", here);
    int k1 = snprintf(dirs[1], sizeof dirs[1], "%s/experiments/clouds", source_dir());
    if (k0 < 0 || k1 < 0 || (size_t)k0 >= sizeof dirs[0] || (size_t)k1 >= sizeof dirs[1]) {
        snprintf(err, errlen, "cloud profile folder path too long");
        return -1;
    }
    for (int d = 0; d < 2; d++) {
        int k = snprintf(file, len, "%s/%s.yaml", dirs[d], ref);
        if (k >= 0 && (size_t)k < len && access(file, R_OK) == 0) return 0;
    }
    char store[XP_MAX_PROFILES][64], list[512], hint[128];
    const char *names[XP_MAX_PROFILES + 1];
    list_profiles((const char *const[2]){dirs[0], dirs[1]}, store, names);
    xp_suggest__hint(hint, sizeof hint, ref, names);
    xp_suggest__join(list, sizeof list, names);
    snprintf(err, errlen, "unknown cloud profile '%s'%s (known: %s; looked in %s and %s)", ref, hint,
             names[0] ? list : "none", dirs[0], dirs[1]);
    return -1;
}

int xp_cloud__load(const char *ref, const char *scenario, eng_cloud *c, char *file, size_t filelen, char *err,
                   size_t errlen) {
    if (resolve(ref, scenario, file, filelen, err, errlen)) return XP_CLOUD_UNKNOWN;
    xp_ynode *root = xp_yaml__load(file, NULL, err, errlen);
    if (!root) return XP_CLOUD_INVALID;
    profile p;
    memset(&p, 0, sizeof p);
    p.c.object_put_1000_usd = p.c.object_get_1000_usd = -1; /* unknown unless given */
    xp_walk w = {.origin = file,
                 .root = root,
                 .base = &p,
                 .table = table,
                 .n = sizeof table / sizeof table[0],
                 .err = err,
                 .errlen = errlen};
    int rc = xp_schema__walk(&w) || check_startup(&w, &p);
    if (!rc && !is_path(ref) && strcmp(p.c.name, ref) != 0)
        rc = xp_yaml__fail(err, errlen, file, xp_yaml__get(root, "name"), "name",
                           "'%s' differs from the file name '%s.yaml'; a profile is called by its file name",
                           p.c.name, ref);
    char msg[512];
    if (!rc && eng_cloud_check(&p.c, msg, sizeof msg)) rc = xp_schema__relocate(&w, "", msg);
    xp_yaml__free(root);
    if (rc) return XP_CLOUD_INVALID;
    *c = p.c;
    return 0;
}
