/* `sparkiot bench privacy --out FILE`: the calibration file simulations
 * charge privacy work from. Besides the Paillier rates the benchmark has
 * just measured, it times the other privacy operations a scenario charges
 * (a geometric-mechanism draw, one 64-bit word of a pairwise mask, one SGD
 * step of the federated logistic regression) and writes every cost as CPU
 * seconds per operation, with the date, the machine and the command, in the
 * format experiments/ reads (docs/privacy.md, "Calibration"). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/utsname.h>
#include <time.h>
#include <unistd.h>

#include "cli/bench_privacy.h"
#include "engine/privacy/dp.h"
#include "engine/privacy/fedavg.h"
#include "engine/privacy/mask.h"

#define MASK_WORDS 4096
#define LR_SAMPLES 1024

/* CPU seconds per unit of `work`, which does `units` units per call,
 * over calls until min_s elapsed. */
typedef void (*work_fn)(void *ctx);
static double per_unit(work_fn work, void *ctx, double units, double min_s) {
    size_t calls = 0;
    double t0 = cli_bench_privacy_cpu_now(), t;
    do {
        work(ctx);
        calls++;
    } while ((t = cli_bench_privacy_cpu_now() - t0) < min_s);
    return t / ((double)calls * units);
}

typedef struct ops {
    eng_priv_rng *rng;
    int64_t sink;
    eng_priv_seed seed;
    uint64_t words[MASK_WORDS];
    double X[LR_SAMPLES * ENG_PRIV_FEATURES], y[LR_SAMPLES], w[ENG_PRIV_FEATURES + 1];
} ops;

static void geometric(void *ctx) {
    ops *o = ctx;
    for (int i = 0; i < 256; i++) o->sink += eng_priv_dp_geometric_noise(0.5, o->rng);
}

static void mask(void *ctx) {
    ops *o = ctx;
    eng_priv_mask_stream_apply(&o->seed, 7, 1, o->words, MASK_WORDS);
}

static void lr_epoch(void *ctx) {
    ops *o = ctx;
    eng_priv_lr_opts lo;
    eng_priv_lr_defaults(&lo);
    if (eng_priv_lr_train(o->w, ENG_PRIV_FEATURES, o->X, o->y, LR_SAMPLES, &lo, o->rng)) abort();
}

static void machine(char *buf, size_t len) {
    char model[128] = "unknown CPU", line[256];
    FILE *f = fopen("/proc/cpuinfo", "r");
    while (f && fgets(line, sizeof line, f)) {
        char *colon = strchr(line, ':');
        if (strncmp(line, "model name", 10) || !colon) continue;
        snprintf(model, sizeof model, "%s", colon + 2);
        model[strcspn(model, "\n")] = '\0';
        break;
    }
    if (f) fclose(f);
    struct utsname u;
    double load[3] = {-1, -1, -1};
    f = fopen("/proc/loadavg", "r");
    if (f) {
        if (fscanf(f, "%lf %lf %lf", &load[0], &load[1], &load[2]) != 3) load[0] = -1;
        fclose(f);
    }
    snprintf(buf, len, "%s, %s, %ld CPUs online, load average %.2f %.2f %.2f", uname(&u) ? "?" : u.machine,
             model, sysconf(_SC_NPROCESSORS_ONLN), load[0], load[1], load[2]);
}

static void write_size(FILE *f, const cli_priv_rates *r) {
    fprintf(f,
            "paillier_%u:\n"
            "  ciphertext_bytes: %zu     # serialised, header included (docs/privacy.md, byte formats)\n"
            "  keygen_s: %.6g\n"
            "  encode_s: %.6g           # a real to a fixed-point plaintext\n"
            "  encrypt_s: %.6g          # with fresh randomness (r^n mod n^2 included)\n"
            "  encrypt_pre_s: %.6g      # with precomputed randomness\n"
            "  add_s: %.6g              # homomorphic addition (one multiplication mod n^2)\n"
            "  decrypt_s: %.6g          # CRT decryption\n",
            r->bits, r->ct_bytes, r->keygen_s, 1 / r->encode, 1 / r->enc, 1 / r->enc_pre, 1 / r->add,
            1 / r->dec);
}

int cli_bench_privacy_calibrate(const char *path, const cli_priv_rates rates[CLI_PRIV_SIZES], double min_s,
                                eng_priv_rng *rng) {
    ops *o = calloc(1, sizeof *o);
    if (!o) return 1;
    o->rng = rng;
    eng_priv_rng_bytes(rng, o->seed.b, sizeof o->seed.b);
    for (size_t i = 0; i < LR_SAMPLES; i++) {
        o->y[i] = (double)(i & 1);
        for (size_t k = 0; k < ENG_PRIV_FEATURES; k++)
            o->X[i * ENG_PRIV_FEATURES + k] = o->y[i] + eng_priv_rng_open01(rng) - 0.5;
    }
    double geo = per_unit(geometric, o, 256, min_s);
    double word = per_unit(mask, o, MASK_WORDS, min_s);
    double step = per_unit(lr_epoch, o, LR_SAMPLES, min_s);
    free(o);
    FILE *f = fopen(path, "w");
    if (!f) {
        perror(path);
        return 1;
    }
    char when[32], where[512];
    time_t now = time(NULL);
    strftime(when, sizeof when, "%Y-%m-%dT%H:%M:%SZ", gmtime(&now));
    machine(where, sizeof where);
    fprintf(f,
            "# Per-operation CPU costs of the privacy mechanisms, in CPU seconds of one core of\n"
            "# the machine below. Simulations charge privacy work from this file\n"
            "# (privacy.costs in a scenario; docs/privacy.md, \"Calibration\").\n"
            "measured: \"%s\"\n"
            "machine: \"%s\"\n"
            "command: \"sparkiot bench privacy --out %s\"\n",
            when, where, path);
    for (size_t i = 0; i < CLI_PRIV_SIZES; i++) write_size(f, &rates[i]);
    fprintf(f,
            "dp:\n"
            "  geometric_s: %.6g        # one two-sided geometric draw\n"
            "mask:\n"
            "  word_s: %.6g             # one 64-bit word of one pairwise ChaCha20 mask stream\n"
            "logreg:\n"
            "  step_s: %.6g             # one SGD step on one sample of %d features\n",
            geo, word, step, ENG_PRIV_FEATURES);
    int bad = ferror(f);
    bad |= fclose(f) != 0;
    if (bad) {
        fprintf(stderr, "sparkiot: cannot write %s\n", path);
        return 1;
    }
    printf("calibration written to %s\n", path);
    return 0;
}
