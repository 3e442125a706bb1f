/* `sparkiot bench privacy`: Paillier key generation, encryption (plain and
 * with precomputed randomness), CRT decryption and homomorphic addition at
 * 2048 and 3072 bits, the key sizes an encrypted-aggregation deployment
 * would use (the unit tests use small keys). Rates are per CPU-second of
 * this process, so they read as "per core" even on a shared machine; the
 * first line records the machine's load for context. */
#include <stdio.h>
#include <stdlib.h>
#include <time.h>
#include <unistd.h>

#include "cli/bench_privacy.h"
#include "engine/privacy/paillier.h"

const char *cli_bench_privacy_help =
    "usage: sparkiot bench privacy [--quick] [--seed N] [--out FILE.yaml]\n"
    "Times Paillier at 2048 and 3072 bits on one core and prints, after a line with the load average:\n"
    "paillier bits=<n> keygen_s=<x> enc_per_s=<x> enc_pre_per_s=<x> dec_per_s=<x> add_per_s=<x>\n"
    "keygen_s is the mean CPU time of 3 key generations (--quick: 1); the rates are operations per\n"
    "CPU-second over at least 1 s (--quick: 0.2 s), except enc_pre_per_s, which encrypts once with each\n"
    "of 256 precomputed values (--quick: 64; precomputing them is not timed). Plaintexts are reals in\n"
    "[-1000, 1000] at the default fixed-point scale 2^32. Keys come from /dev/urandom, or from N with\n"
    "--seed. With --out FILE it also times the other privacy operations (fixed-point encoding, a\n"
    "geometric-mechanism draw, a pairwise-mask word, a logistic-regression SGD step) and writes every\n"
    "per-operation CPU cost, with the date, machine and command, to FILE: the calibration that\n"
    "simulations charge privacy work from (experiments/privacy_costs.yaml, docs/privacy.md).\n";

#define NPLAIN 64

typedef struct cfg {
    double min_s;
    int keygens;
    size_t pool;
} cfg;

double cli_bench_privacy_cpu_now(void) {
    struct timespec t;
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &t);
    return (double)t.tv_sec + 1e-9 * (double)t.tv_nsec;
}

/* The operations a timed loop runs: op i of a kind on shared state. */
typedef enum { OP_ENC, OP_DEC, OP_ADD, OP_ENCODE } op_kind;

typedef struct state {
    const eng_priv_pai_sk *sk;
    const eng_priv_pai_pk *pk;
    eng_priv_rng *rng;
    mpz_t m[NPLAIN];
    mpz_t c, acc, out;
} state;

static int run_op(state *s, op_kind k, size_t i) {
    switch (k) {
    case OP_ENC:
        return eng_priv_pai_encrypt(s->pk, s->m[i % NPLAIN], s->rng, s->out);
    case OP_DEC:
        return eng_priv_pai_decrypt(s->sk, s->c, s->out);
    case OP_ENCODE:
        return eng_priv_pai_encode(s->pk, (double)i - 500.5, ENG_PRIV_PAI_SCALE, 1, s->out);
    default:
        eng_priv_pai_add(s->pk, s->acc, s->acc, s->c);
        return 0;
    }
}

/* Operations per CPU-second of kind k, over batches until min_s elapsed. */
static double rate(state *s, op_kind k, double min_s) {
    size_t n = 0;
    double t0 = cli_bench_privacy_cpu_now(), t;
    do {
        for (int j = 0; j < 16; j++, n++)
            if (run_op(s, k, n)) return 0;
    } while ((t = cli_bench_privacy_cpu_now() - t0) < min_s);
    return (double)n / t;
}

static double pooled_rate(state *s, size_t count) {
    eng_priv_pai_pool *pool = eng_priv_pai_pool_new(s->pk, count, s->rng);
    if (!pool) return 0;
    double t0 = cli_bench_privacy_cpu_now();
    for (size_t i = 0; i < count; i++)
        if (eng_priv_pai_encrypt_pool(pool, s->m[i % NPLAIN], s->out)) break;
    double t = cli_bench_privacy_cpu_now() - t0;
    size_t used = count - eng_priv_pai_pool_left(pool);
    eng_priv_pai_pool_free(pool);
    return used == count && t > 0 ? (double)count / t : 0;
}

static int bench_size(uint32_t bits, const cfg *cf, eng_priv_rng *rng, cli_priv_rates *out) {
    eng_priv_pai_sk *sk = NULL;
    double keygen = 0;
    for (int i = 0; i < cf->keygens; i++) {
        eng_priv_pai_sk_free(sk);
        double t0 = cli_bench_privacy_cpu_now();
        if (eng_priv_pai_keygen(bits, rng, &sk)) return 1;
        keygen += cli_bench_privacy_cpu_now() - t0;
    }
    state s = {.sk = sk, .pk = eng_priv_pai_sk_pk(sk), .rng = rng};
    mpz_inits(s.c, s.acc, s.out, NULL);
    int rc = 0;
    for (int i = 0; i < NPLAIN; i++) {
        mpz_init(s.m[i]);
        double x = 2000 * eng_priv_rng_open01(rng) - 1000;
        rc |= eng_priv_pai_encode(s.pk, x, ENG_PRIV_PAI_SCALE, 1, s.m[i]);
    }
    rc |= eng_priv_pai_encrypt(s.pk, s.m[0], rng, s.c);
    rc |= eng_priv_pai_encrypt(s.pk, s.m[1], rng, s.acc);
    double enc = rate(&s, OP_ENC, cf->min_s);
    double pre = pooled_rate(&s, cf->pool);
    double dec = rate(&s, OP_DEC, cf->min_s);
    double add = rate(&s, OP_ADD, cf->min_s);
    double encode = rate(&s, OP_ENCODE, cf->min_s);
    rc |= enc == 0 || pre == 0 || dec == 0 || add == 0 || encode == 0;
    *out =
        (cli_priv_rates){bits, keygen / cf->keygens, enc, pre, dec, add, encode, eng_priv_pai_ct_size(s.pk)};
    if (!rc)
        printf("paillier bits=%u keygen_s=%.3f enc_per_s=%.1f enc_pre_per_s=%.0f dec_per_s=%.1f "
               "add_per_s=%.0f\n",
               bits, keygen / cf->keygens, enc, pre, dec, add);
    fflush(stdout);
    for (int i = 0; i < NPLAIN; i++) mpz_clear(s.m[i]);
    mpz_clears(s.c, s.acc, s.out, NULL);
    eng_priv_pai_sk_free(sk);
    return rc;
}

static void print_load(void) {
    double l1 = -1, l5 = -1, l15 = -1;
    FILE *f = fopen("/proc/loadavg", "r");
    if (f) {
        if (fscanf(f, "%lf %lf %lf", &l1, &l5, &l15) != 3) l1 = l5 = l15 = -1;
        fclose(f);
    }
    printf("machine cpus_online=%ld loadavg=%.2f,%.2f,%.2f\n", sysconf(_SC_NPROCESSORS_ONLN), l1, l5, l15);
}

int cli_bench_privacy(const cli_args *a) {
    eng_priv_rng rng;
    if (a->has_seed) {
        eng_priv_rng_seed(&rng, a->seed);
    } else if (eng_priv_rng_os(&rng)) {
        fprintf(stderr, "sparkiot: cannot read /dev/urandom\n");
        return CLI_FAIL;
    }
    cfg cf = a->quick ? (cfg){0.2, 1, 64} : (cfg){1.0, 3, 256};
    print_load();
    static const uint32_t sizes[CLI_PRIV_SIZES] = {2048, 3072};
    cli_priv_rates rates[CLI_PRIV_SIZES];
    for (size_t i = 0; i < CLI_PRIV_SIZES; i++)
        if (bench_size(sizes[i], &cf, &rng, &rates[i])) {
            fprintf(stderr, "sparkiot: Paillier benchmark failed at %u bits\n", sizes[i]);
            eng_priv_rng_wipe(&rng);
            return CLI_FAIL;
        }
    int rc = a->out ? cli_bench_privacy_calibrate(a->out, rates, cf.min_s, &rng) : CLI_OK;
    eng_priv_rng_wipe(&rng);
    return rc;
}
