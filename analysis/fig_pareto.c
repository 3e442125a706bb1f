/* Figure pareto: the reward-weight Pareto sweep (`sparkiot train --pareto`,
 * experiments/train_pareto.c). Each learned policy (variant
 * pareto-<algo>-slo<w>) and each other variant is one point at its mean
 * cost and mean latency p95 (left) or share of readings over the SLO
 * (right), with 95% CI bars both ways; the learned policies that no other
 * learned policy beats on both means are joined as their front. The numbers
 * are the table's. Written only for scenarios with pareto- variants. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "analysis/fig_int.h"

#define PREFIX "pareto-"

typedef struct point {
    const an_table_row *r;
    double w; /* reward_slo; NaN for a baseline */
} point;

static int learned(const an_table_row *r) { return !strncmp(r->variant, PREFIX, strlen(PREFIX)); }

static double weight_of(const an_table_row *r) {
    const char *slo = strstr(r->variant, "-slo");
    return slo ? strtod(slo + 4, NULL) : NAN;
}

static int by_weight(const void *a, const void *b) {
    double x = ((const point *)a)->w, y = ((const point *)b)->w;
    return (x > y) - (x < y);
}

static double mean(const point *p, an_metric m) { return p->r->stat[m].mean; }

/* Beaten: another learned point no worse on both means, better on one. */
static int dominated(const point *p, size_t n, size_t i, an_metric y) {
    double c = mean(&p[i], AN_M_COST_USD), l = mean(&p[i], y);
    for (size_t j = 0; j < n; j++) {
        double cj = mean(&p[j], AN_M_COST_USD), lj = mean(&p[j], y);
        if (j != i && cj <= c && lj <= l && (cj < c || lj < l)) return 1;
    }
    return 0;
}

static int by_cost(const void *a, const void *b) {
    double x = mean(a, AN_M_COST_USD), y = mean(b, AN_M_COST_USD);
    return (x > y) - (x < y);
}

static void rows(FILE *dat, const point *p, size_t n) {
    fprintf(dat,
            "# variant reward_slo cost_usd cost_ci95 latency_p95_ms p95_ci95 slo_share slo_ci95 seeds\n");
    for (size_t i = 0; i < n; i++) {
        const an_stat *s = p[i].r->stat;
        fprintf(dat, "\"%s\" %.10g %.10g %.10g %.10g %.10g %.10g %.10g %zu\n", p[i].r->variant, p[i].w,
                s[AN_M_COST_USD].mean, s[AN_M_COST_USD].half, s[AN_M_LAT_P95_MS].mean,
                s[AN_M_LAT_P95_MS].half, s[AN_M_SLO_SHARE].mean, s[AN_M_SLO_SHARE].half, p[i].r->nruns);
    }
}

/* The front of the n learned points on (cost, metric y) as block k. */
static int front(an_fig *f, const point *p, size_t n, an_metric y, const char *title) {
    point *fr = malloc((n ? n : 1) * sizeof *fr);
    if (!fr) return -1;
    size_t m = 0;
    for (size_t i = 0; i < n; i++)
        if (!dominated(p, n, i, y)) fr[m++] = p[i];
    qsort(fr, m, sizeof *fr, by_cost);
    int k = an_fig__block(f, title);
    rows(f->dat, fr, m);
    free(fr);
    return k;
}

/* One panel: x cost, y column ycol (value, CI half-width) of the blocks. */
static void panel(FILE *plt, int pts, int fr, int base, int ycol, const char *ylabel, int logy) {
    fprintf(plt, "set ylabel '%s'\n%s", ylabel,
            logy ? "set logscale y\n" : "unset logscale y\nset yrange [0:*]\n");
    const char *bars = "($4==$4?$4:0)";
    fprintf(plt,
            "plot $DATA index %d using 3:%d:%s:($%d==$%d?$%d:0) with xyerrorbars pt 7 lc rgb '#1f77b4' "
            "title 'learned, one per reward\\_slo', "
            "'' index %d using 3:%d with lines lw 2 lc rgb '#1f77b4' title 'front of the learned', "
            "'' index %d using 3:%d:(sprintf('w=%%g', $2)) with labels offset char 0,1 tc rgb '#1f77b4' "
            "notitle, "
            "'' index %d using 3:%d:%s:($%d==$%d?$%d:0) with xyerrorbars pt 5 lc rgb '#d62728' "
            "title 'baselines', "
            "'' index %d using 3:%d:1 with labels offset char 0,-1 tc rgb '#d62728' notitle\n",
            pts, ycol, bars, ycol + 1, ycol + 1, ycol + 1, fr, ycol, pts, ycol, base, ycol, bars, ycol + 1,
            ycol + 1, ycol + 1, base, ycol);
}

int an_fig_pareto(const an_fig_scenario *sc, char *err, size_t errlen) {
    size_t nl = 0, nb = 0;
    for (size_t i = 0; i < sc->nrows; i++) nl += learned(&sc->rows[i]);
    if (nl == 0) return 0;
    point *lp = calloc(nl, sizeof *lp), *bp = calloc(sc->nrows - nl + 1, sizeof *bp);
    an_fig f;
    if (!lp || !bp || an_fig__open(&f, sc, "pareto", err, errlen) != 0) {
        if (!lp || !bp) snprintf(err, errlen, "pareto figure: out of memory");
        free(lp);
        free(bp);
        return -1;
    }
    nl = 0;
    for (size_t i = 0; i < sc->nrows; i++) {
        const an_table_row *r = &sc->rows[i];
        if (learned(r))
            lp[nl++] = (point){r, weight_of(r)};
        else
            bp[nb++] = (point){r, NAN};
    }
    qsort(lp, nl, sizeof *lp, by_weight);
    int pts = an_fig__block(&f, "learned policies, by reward_slo");
    rows(f.dat, lp, nl);
    int base = an_fig__block(&f, "baselines");
    rows(f.dat, bp, nb);
    int fr_p95 = front(&f, lp, nl, AN_M_LAT_P95_MS, "front of the learned policies on cost and p95");
    int fr_slo = front(&f, lp, nl, AN_M_SLO_SHARE, "front of the learned policies on cost and SLO share");
    free(lp);
    free(bp);
    if (fr_p95 < 0 || fr_slo < 0) {
        an_fig__discard(&f);
        snprintf(err, errlen, "pareto figure: out of memory");
        return -1;
    }
    fprintf(f.gp, "set grid\nset key below\nset xlabel 'cost per run (USD)'\n");
    fputs("set multiplot layout 1,2\n", f.plt);
    panel(f.plt, pts, fr_p95, base, 5, "latency p95 (ms)", 1);
    panel(f.plt, pts, fr_slo, base, 7, "share of readings over the SLO", 0);
    fputs("unset multiplot\n", f.plt);
    fprintf(f.cap,
            "Pareto sweep over the reward's SLO weight: each learned policy (pareto-<algo>-slo<w>, trained "
            "with reward_slo = w on held-in seeds, evaluated on the held-out seeds below) and each "
            "baseline variant at its mean cost against its mean latency p95 (left, log scale) and its "
            "share of readings over the %g ms SLO (right); bars are 95%% confidence intervals over seeds "
            "(Student t; no bar: one seed). The line joins the learned policies that no other learned "
            "policy beats on both means. Data blocks: learned points, baselines, front (p95), front (SLO "
            "share).\n",
            sc->rows[0].runs[0].s.slo_ms);
    an_fig__caption_runs(f.cap, sc, 0);
    return an_fig__render(&f, 1400, 600, err, errlen);
}
