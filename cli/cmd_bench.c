/* `sparkiot bench sim`: the simulator's own speed on the reference scenario
 * (experiments/scenarios/bench_sim.yaml: devices each sending every 10 s,
 * 100 edge sites, 600 simulated seconds, 1 s trigger) at 10^4, 10^5 and 10^6
 * devices. One simulation per process; peak RSS is the child's.
 * `sparkiot bench privacy` is in bench_privacy.c, `sparkiot bench live` in
 * bench_live.c. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <unistd.h>

#include "analysis/results.h"
#include "cli/args.h"
#include "cli/bench_live.h"
#include "cli/bench_privacy.h"
#include "cli/commands.h"
#include "engine/tmp.h"
#include "experiments/runner.h"

static const char *bench_help =
    "usage: sparkiot bench sim [--set key.path=value]... [--quick]\n"
    "Runs experiments/scenarios/bench_sim.yaml at 10,000, 100,000 and 1,000,000 devices (--quick: the\n"
    "first two) and prints one line per size:\n"
    "devices=<n> records=<n> wall_s=<x> records_per_s=<x> peak_rss_mb=<x>\n";

static int bench_one(const cli_args *a, const char *scenario, uint32_t devices, const char *tmpdir) {
    xp_set sets[XP_MAX_SETS + 1];
    memcpy(sets, a->sets, a->nsets * sizeof *sets);
    size_t n = a->nsets;
    snprintf(sets[n].key, sizeof sets[n].key, "workload.devices_per_site");
    snprintf(sets[n].value, sizeof sets[n].value, "%u", devices / 100);
    n++;
    char err[2048];
    xp_scenario *s = xp_scenario_load(scenario, NULL, sets, n, err, sizeof err);
    if (!s) {
        fprintf(stderr, "%s\n", err);
        return CLI_USAGE;
    }
    uint32_t total = s->workload.devices_per_site * s->topo.sites;
    char path[4200];
    snprintf(path, sizeof path, "%s/bench-%u.h5", tmpdir, total);
    int rc = xp_run_one(s, "default", s->seed, "", path, 0, err, sizeof err);
    xp_scenario_free(s);
    if (rc != 0) {
        fprintf(stderr, "sparkiot: %s\n", err);
        return CLI_FAIL;
    }
    an_run_summary sum;
    rc = an_results_read_summary(path, &sum, err, sizeof err);
    unlink(path);
    if (rc != 0) {
        fprintf(stderr, "sparkiot: %s\n", err);
        return CLI_FAIL;
    }
    struct rusage ru;
    getrusage(RUSAGE_CHILDREN, &ru);
    double wall = sum.s.wall_seconds;
    printf("devices=%u records=%llu wall_s=%.3f records_per_s=%.0f peak_rss_mb=%.1f\n", total,
           (unsigned long long)sum.s.readings_in, wall, wall > 0 ? (double)sum.s.readings_in / wall : 0.0,
           ru.ru_maxrss / 1024.0);
    fflush(stdout);
    return CLI_OK;
}

int cli_cmd_bench(int argc, char **argv) {
    cli_args a;
    int rc = cli_args_parse(&a, argc, argv, 2);
    if (rc) return rc;
    if (a.help) {
        printf("%s\n%s\n%s", bench_help, cli_bench_privacy_help, cli_bench_live_help);
        return CLI_OK;
    }
    int privacy = a.npos == 1 && !strcmp(a.pos[0], "privacy"),
        live = a.npos == 1 && !strcmp(a.pos[0], "live");
    if ((rc = cli_args_only(&a, "bench",
                            privacy ? CLI_O_SEED | CLI_O_QUICK | CLI_O_OUT : CLI_O_QUICK | CLI_O_SET)))
        return rc;
    if (privacy) return cli_bench_privacy(&a);
    if (live) return cli_bench_live(&a);
    if (a.npos != 1 || strcmp(a.pos[0], "sim") != 0) {
        fprintf(stderr, "%s\n%s\n%s", bench_help, cli_bench_privacy_help, cli_bench_live_help);
        return CLI_USAGE;
    }
    const char *src = getenv("SPARKIOT_SOURCE_DIR");
    char scenario[4096];
    snprintf(scenario, sizeof scenario, "%s/experiments/scenarios/bench_sim.yaml", src ? src : ".");
    char tmpdir[4096];
    if (eng_tmp_path(tmpdir, sizeof tmpdir, "sparkiot-bench-XXXXXX") != 0 || !mkdtemp(tmpdir)) {
        perror("sparkiot: mkdtemp");
        return CLI_FAIL;
    }
    static const uint32_t sizes[] = {10000, 100000, 1000000};
    size_t nsizes = a.quick ? 2 : 3;
    for (size_t i = 0; i < nsizes && rc == CLI_OK; i++) rc = bench_one(&a, scenario, sizes[i], tmpdir);
    rmdir(tmpdir);
    return rc;
}
