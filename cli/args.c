/* Option parsing shared by every sparkiot command. */
#include "cli/args.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int need_value(int i, int argc, const char *opt) {
    if (i + 1 < argc) return 0;
    fprintf(stderr, "sparkiot: %s needs a value\n", opt);
    return -1;
}

static int parse_u64(const char *s, const char *opt, uint64_t *out) {
    char *end;
    errno = 0;
    unsigned long long v = strtoull(s, &end, 10);
    if (errno || !*s || *end || s[0] == '-') {
        fprintf(stderr, "sparkiot: %s expects a non-negative integer, got '%s'\n", opt, s);
        return -1;
    }
    *out = v;
    return 0;
}

static int parse_set(cli_args *a, const char *kv) {
    const char *eq = strchr(kv, '=');
    if (!eq || eq == kv) {
        fprintf(stderr, "sparkiot: --set expects key.path=value, got '%s'\n", kv);
        return -1;
    }
    if (a->nsets == XP_MAX_SETS) {
        fprintf(stderr, "sparkiot: at most %d --set options\n", XP_MAX_SETS);
        return -1;
    }
    xp_set *s = &a->sets[a->nsets++];
    size_t klen = (size_t)(eq - kv);
    if (klen >= sizeof s->key || strlen(eq + 1) >= sizeof s->value) {
        fprintf(stderr, "sparkiot: --set '%s' is too long\n", kv);
        return -1;
    }
    memcpy(s->key, kv, klen);
    s->key[klen] = 0;
    snprintf(s->value, sizeof s->value, "%s", eq + 1);
    return 0;
}

/* "PORT" or "HOST:PORT" (no '/', digits after the last ':'): the value of a
 * --dashboard written as two arguments; anything else is the next argument
 * (a scenario file). */
static int looks_like_addr(const char *s) {
    const char *colon = strrchr(s, ':'), *p = colon ? colon + 1 : s;
    if (!*p || strchr(s, '/')) return 0;
    return strspn(p, "0123456789") == strlen(p);
}

int cli_args_parse(cli_args *a, int argc, char **argv, int first) {
    memset(a, 0, sizeof *a);
    a->jobs = 1;
    for (int i = first; i < argc; i++) {
        const char *o = argv[i];
        uint64_t v;
        if (!strcmp(o, "--help") || !strcmp(o, "-h")) {
            a->help = 1;
        } else if (!strcmp(o, "--json")) {
            a->json = 1;
            a->given |= CLI_O_JSON;
        } else if (!strcmp(o, "--quick")) {
            a->quick = 1;
            a->given |= CLI_O_QUICK;
        } else if (!strcmp(o, "--seed")) {
            if (need_value(i, argc, o) || parse_u64(argv[++i], o, &a->seed)) return CLI_USAGE;
            a->has_seed = 1;
            a->given |= CLI_O_SEED;
        } else if (!strcmp(o, "-j") || !strcmp(o, "--jobs")) {
            if (need_value(i, argc, o) || parse_u64(argv[++i], o, &v) || v < 1 || v > 256) {
                if (i < argc) fprintf(stderr, "sparkiot: %s expects 1..256\n", o);
                return CLI_USAGE;
            }
            a->jobs = (int)v;
            a->given |= CLI_O_JOBS;
        } else if (!strcmp(o, "--out")) {
            if (need_value(i, argc, o)) return CLI_USAGE;
            a->out = argv[++i];
            a->given |= CLI_O_OUT;
        } else if (!strcmp(o, "--variant")) {
            if (need_value(i, argc, o)) return CLI_USAGE;
            a->variant = argv[++i];
            a->given |= CLI_O_VARIANT;
        } else if (!strcmp(o, "--shard")) {
            if (need_value(i, argc, o)) return CLI_USAGE;
            a->shard = argv[++i];
            a->given |= CLI_O_SHARD;
        } else if (!strcmp(o, "--baseline")) {
            if (need_value(i, argc, o)) return CLI_USAGE;
            a->baseline = argv[++i];
            a->given |= CLI_O_BASELINE;
        } else if (!strcmp(o, "--dashboard") || !strncmp(o, "--dashboard=", 12)) {
            a->dashboard = 1;
            a->given |= CLI_O_DASHBOARD;
            a->dashboard_addr = o[11] == '=' ? o + 12 : NULL;
            if (!a->dashboard_addr && i + 1 < argc && looks_like_addr(argv[i + 1]))
                a->dashboard_addr = argv[++i];
        } else if (!strcmp(o, "--dashboard-exit")) {
            a->dashboard_exit = 1;
            a->given |= CLI_O_DASHBOARD;
        } else if (!strcmp(o, "--set")) {
            if (need_value(i, argc, o) || parse_set(a, argv[++i])) return CLI_USAGE;
            a->given |= CLI_O_SET;
        } else if (o[0] == '-' && o[1]) {
            fprintf(stderr, "sparkiot: unknown option '%s' (see --help)\n", o);
            return CLI_USAGE;
        } else if (a->npos < CLI_MAX_POS) {
            a->pos[a->npos++] = o;
        } else {
            fprintf(stderr, "sparkiot: too many arguments\n");
            return CLI_USAGE;
        }
    }
    if (a->dashboard_exit && !a->dashboard) {
        fprintf(stderr, "sparkiot: --dashboard-exit needs --dashboard\n");
        return CLI_USAGE;
    }
    return CLI_OK;
}

int cli_args_only(const cli_args *a, const char *cmd, unsigned allowed) {
    static const char *const names[] = {"--json",    "--quick", "--seed",     "-j",          "--out",
                                        "--variant", "--shard", "--baseline", "--dashboard", "--set"};
    for (unsigned k = 0; k < sizeof names / sizeof *names; k++)
        if ((a->given & ~allowed) >> k & 1u) {
            fprintf(stderr, "sparkiot %s: %s is not an option of this command (see sparkiot %s --help)\n",
                    cmd, names[k], cmd);
            return CLI_USAGE;
        }
    return CLI_OK;
}

void cli_args_sets_text(const cli_args *a, char *buf, size_t len) {
    size_t off = 0;
    buf[0] = 0;
    for (size_t i = 0; i < a->nsets && off < len; i++) {
        int n = snprintf(buf + off, len - off, "%s=%s\n", a->sets[i].key, a->sets[i].value);
        if (n < 0) break;
        off += (size_t)n;
    }
}
