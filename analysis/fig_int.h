/* The figure builder shared by the fig_*.c files (analysis/ only): data
 * blocks that go both inline into the gnuplot script and into <name>.dat,
 * plot commands rendered once per terminal (pngcairo, pdfcairo), the
 * caption file, and the choice of a time unit for time-series axes. */
#ifndef AN_FIG_INT_H
#define AN_FIG_INT_H

#include <stdio.h>

#include "analysis/figures.h"

typedef struct an_fig {
    const an_fig_scenario *sc;
    const char *name;
    char *data, *set, *plot, *caption; /* the memory streams' buffers */
    size_t datalen, setlen, plotlen, captionlen;
    FILE *dat;  /* data blocks: $DATA in the script, <name>.dat on disk */
    FILE *gp;   /* settings (axes, labels), without terminal and output */
    FILE *plt;  /* the plot command(s), run after the settings */
    FILE *cap;  /* the caption, <name>.txt */
    int blocks; /* data blocks so far; the k-th is `$DATA index k` */
} an_fig;

int an_fig__open(an_fig *f, const an_fig_scenario *sc, const char *name, char *err, size_t errlen);
/* Starts data block k (returned) titled `title`; write its rows to f->dat. */
int an_fig__block(an_fig *f, const char *title);
/* Writes <name>.dat and <name>.txt and renders <name>.png and <name>.pdf
 * at width x height pixels (PDF at 100 pixels per inch); releases f's
 * buffers whatever happens. */
int an_fig__render(an_fig *f, int width, int height, char *err, size_t errlen);
/* Releases f's buffers without writing anything. */
void an_fig__discard(an_fig *f);

/* A gnuplot single-quoted string literal of s (quotes doubled). */
void an_fig__quote(FILE *out, const char *s);

/* Allocates two histograms (*h to merge into, *one to read into; the
 * caller free()s both) and opens figure `name`; on failure nothing is left
 * to free. */
int an_fig__open_hists(an_fig *f, const an_fig_scenario *sc, const char *name, eng_hist **h, eng_hist **one,
                       char *err, size_t errlen);

/* Frees the histograms of an_fig__open_hists; discards f when rc is an
 * error or nothing was plotted. 1 if f is still to be rendered. */
int an_fig__end_hists(an_fig *f, eng_hist *h, eng_hist *one, int rc, int plotted);

/* Adds the CDF of h as a step curve titled `title`: a data block (with the
 * comment line `note` unless NULL) of (ms, cumulative share) rows — the
 * first non-empty bucket's lower edge at 0, then each non-empty bucket's
 * upper edge at its cumulative share, edges clamped to the observed
 * [min, max] — and its plot clause, a new dash pattern for each round of
 * gnuplot's 8 colours. */
void an_fig__cdf_curve(an_fig *f, const eng_hist *h, const char *title, const char *note);

/* Appends to `out` the caption's common part: scenario, file, baseline, and
 * for each row the seeds and result files (only the first run's when
 * first_only). */
void an_fig__caption_runs(FILE *out, const an_fig_scenario *sc, int first_only);

/* The time series of the lowest seed of each row of sc. */
typedef struct an_fig_series {
    eng_sample *rows;
    size_t n;
} an_fig_series;

/* Reads those series into a new array *s of sc->nrows (free it with
 * an_fig__free_series), picks the time axis unit for them (its name in
 * *uname, seconds per unit in *unit) and opens figure `name` (an_fig__open).
 * On failure nothing is left to free. */
int an_fig__open_series(an_fig *f, const an_fig_scenario *sc, const char *name, an_fig_series **s,
                        double *unit, const char **uname, char *err, size_t errlen);
void an_fig__free_series(an_fig_series *s, size_t n);

#endif
