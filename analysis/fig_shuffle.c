/* Figure shuffle_tiers: where each variant's shuffle data went — bytes
 * written to executor memory, local SSD, the remote shuffle service and the
 * object store (placed, spilled or moved there), mean over seeds, stacked
 * per variant. Drawn for scenarios where some run used a tier other than
 * memory (tiering is in play); elsewhere every byte is in memory. */
#include <math.h>
#include <stdlib.h>

#include "analysis/fig_int.h"

enum { TIERS = 4 };
static const char *const tier_names[TIERS] = {"executor memory", "local SSD", "remote shuffle service",
                                              "object store"};

static void tier_bytes(const eng_summary *s, double *b) {
    b[0] = (double)s->shuffle_bytes_memory;
    b[1] = (double)s->shuffle_bytes_local_ssd;
    b[2] = (double)s->shuffle_bytes_remote_service;
    b[3] = (double)s->shuffle_bytes_object_store;
}

/* A byte unit for values up to max: its name and bytes per unit. */
static const char *byte_unit(double max, double *per) {
    static const char *const names[] = {"bytes", "KiB", "MiB", "GiB", "TiB"};
    int i = 0;
    for (*per = 1; i < 4 && max >= 1024 * *per; i++) *per *= 1024;
    return names[i];
}

int an_fig_shuffle_tiers(const an_fig_scenario *sc, char *err, size_t errlen) {
    int tiered = 0;
    double top = 0, (*mean)[TIERS] = calloc(sc->nrows, sizeof *mean);
    if (!mean) {
        snprintf(err, errlen, "shuffle_tiers: out of memory");
        return -1;
    }
    for (size_t i = 0; i < sc->nrows; i++) {
        const an_table_row *r = &sc->rows[i];
        double b[TIERS], total = 0;
        for (size_t j = 0; j < r->nruns; j++) {
            tier_bytes(&r->runs[j].s, b);
            for (int t = 0; t < TIERS; t++) mean[i][t] += b[t] / (double)r->nruns;
            tiered |= b[1] + b[2] + b[3] > 0;
        }
        for (int t = 0; t < TIERS; t++) total += mean[i][t];
        top = fmax(top, total);
    }
    an_fig f;
    if (!tiered || an_fig__open(&f, sc, "shuffle_tiers", err, errlen) != 0) {
        free(mean);
        return tiered ? -1 : 0;
    }
    double per;
    const char *unit = byte_unit(top, &per);
    an_fig__block(&f, "shuffle bytes written per tier, mean over seeds");
    fprintf(f.dat, "# index variant memory local_ssd remote_service object_store (%s) seeds\n", unit);
    for (size_t i = 0; i < sc->nrows; i++) {
        fprintf(f.dat, "%zu \"%s\"", i, sc->rows[i].variant);
        for (int t = 0; t < TIERS; t++) fprintf(f.dat, " %.10g", mean[i][t] / per);
        fprintf(f.dat, " %zu\n", sc->rows[i].nruns);
    }
    free(mean);
    fprintf(f.gp,
            "set grid ytics\nset style data histograms\nset style histogram rowstacked\nset rmargin 10\n"
            "set style fill solid 0.7 border -1\nset boxwidth 0.6\nset xtics rotate by -30\n"
            "set yrange [0:*]\nset key above\nset xlabel 'variant'\n"
            "set ylabel 'shuffle data written (%s)'\n",
            unit);
    for (int t = 0; t < TIERS; t++) {
        fprintf(f.plt, "%s $DATA index 0 using %d%s title ", t ? "," : "plot", t + 3, t ? "" : ":xtic(2)");
        an_fig__quote(f.plt, tier_names[t]);
    }
    fprintf(f.cap,
            "Shuffle bytes written to each storage tier per variant (%s; placed there by a map task, "
            "spilled there when a faster tier was full, or moved there as blocks cooled), mean over the "
            "seeds of a variant, stacked.\n",
            unit);
    an_fig__caption_runs(f.cap, sc, 0);
    return an_fig__render(&f, 900, 560, err, errlen);
}
