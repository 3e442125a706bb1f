/* What every figure shares (see fig_int.h): it collects the plotted numbers,
 * the plot commands and the caption in memory, then writes <name>.dat and
 * <name>.txt and pipes one script into gnuplot that renders the PNG and the
 * PDF from the same inline data block. gnuplot's messages go to
 * <name>.log, removed when rendering succeeds. */
#include <errno.h>
#include <math.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>

#include "analysis/fig_int.h"

int an_fig__open(an_fig *f, const an_fig_scenario *sc, const char *name, char *err, size_t errlen) {
    memset(f, 0, sizeof *f);
    f->sc = sc;
    f->name = name;
    f->dat = open_memstream(&f->data, &f->datalen);
    f->gp = open_memstream(&f->set, &f->setlen);
    f->plt = open_memstream(&f->plot, &f->plotlen);
    f->cap = open_memstream(&f->caption, &f->captionlen);
    if (f->dat && f->gp && f->plt && f->cap) return 0;
    an_fig__discard(f);
    snprintf(err, errlen, "%s: out of memory", name);
    return -1;
}

int an_fig__block(an_fig *f, const char *title) {
    if (f->blocks) fputs("\n\n", f->dat);
    fprintf(f->dat, "# %s\n", title);
    return f->blocks++;
}

static void close_streams(an_fig *f) {
    if (f->dat) fclose(f->dat);
    if (f->gp) fclose(f->gp);
    if (f->plt) fclose(f->plt);
    if (f->cap) fclose(f->cap);
    f->dat = f->gp = f->plt = f->cap = NULL;
}

void an_fig__discard(an_fig *f) {
    close_streams(f);
    free(f->data);
    free(f->set);
    free(f->plot);
    free(f->caption);
    f->data = f->set = f->plot = f->caption = NULL;
}

void an_fig__quote(FILE *out, const char *s) {
    fputc('\'', out);
    for (; *s; s++) {
        if (*s == '\'') fputc('\'', out);
        fputc(*s, out);
    }
    fputc('\'', out);
}

static int write_file(const char *path, const char *text, size_t len, char *err, size_t errlen) {
    FILE *out = fopen(path, "w");
    int ok = out && fwrite(text, 1, len, out) == len;
    if (out && fclose(out) != 0) ok = 0;
    if (!ok) snprintf(err, errlen, "cannot write %s: %s", path, strerror(errno));
    return ok ? 0 : -1;
}

static int nonempty(const char *path) {
    struct stat st;
    return stat(path, &st) == 0 && st.st_size > 0;
}

/* Runs the script through gnuplot, its messages into `log`. */
static int run_gnuplot(const an_fig *f, const char *base, const char *log, int width, int height, char *err,
                       size_t errlen) {
    char *cmd = NULL;
    size_t cmdlen = 0;
    FILE *c = open_memstream(&cmd, &cmdlen);
    if (!c) {
        snprintf(err, errlen, "%s: out of memory", base);
        return -1;
    }
    fputs("gnuplot 2>'", c);
    for (const char *s = log; *s; s++) {
        if (*s == '\'')
            fputs("'\\''", c);
        else
            fputc(*s, c);
    }
    fputs("'", c);
    fclose(c);
    /* a gnuplot that stops early must not kill us with SIGPIPE */
    struct sigaction ign = {.sa_handler = SIG_IGN}, old;
    sigemptyset(&ign.sa_mask);
    sigaction(SIGPIPE, &ign, &old);
    FILE *gp = popen(cmd, "w");
    free(cmd);
    if (!gp) {
        sigaction(SIGPIPE, &old, NULL);
        snprintf(err, errlen, "cannot start gnuplot: %s", strerror(errno));
        return -1;
    }
    int nl = f->datalen == 0 || f->data[f->datalen - 1] != '\n';
    fprintf(gp, "$DATA << EOD\n%s%sEOD\n", f->data, nl ? "\n" : "");
    static const char *const ext[] = {"png", "pdf"};
    for (size_t i = 0; i < 2; i++) {
        if (i == 0)
            fprintf(gp, "set terminal pngcairo size %d,%d noenhanced font 'Sans,10'\n", width, height);
        else
            fprintf(gp, "set terminal pdfcairo size %gin,%gin noenhanced font 'Sans,9'\n", width / 100.0,
                    height / 100.0);
        char out[4200];
        snprintf(out, sizeof out, "%s.%s", base, ext[i]);
        fputs("set output ", gp);
        an_fig__quote(gp, out);
        fprintf(gp, "\n%s\n%s\nunset output\n", f->set, f->plot);
    }
    int status = pclose(gp);
    sigaction(SIGPIPE, &old, NULL);
    if (status == -1 || !WIFEXITED(status) || WEXITSTATUS(status) != 0) {
        int code = status != -1 && WIFEXITED(status) ? WEXITSTATUS(status) : -1;
        if (code == 127)
            snprintf(err, errlen, "gnuplot not found: install gnuplot-nox (see scripts/install-deps.sh)");
        else
            snprintf(err, errlen, "gnuplot failed rendering %s (exit %d); its messages are in %s", base, code,
                     log);
        return -1;
    }
    for (size_t i = 0; i < 2; i++) {
        char out[4200];
        snprintf(out, sizeof out, "%s.%s", base, ext[i]);
        if (!nonempty(out)) {
            snprintf(err, errlen, "gnuplot wrote no %s; its messages are in %s", out, log);
            return -1;
        }
    }
    return 0;
}

int an_fig__render(an_fig *f, int width, int height, char *err, size_t errlen) {
    close_streams(f);
    char base[4096], path[4200], log[4200];
    snprintf(base, sizeof base, "%s/%s", f->sc->dir, f->name);
    snprintf(log, sizeof log, "%s.log", base);
    int rc = -1;
    if (!f->data || !f->set || !f->plot || !f->caption) {
        snprintf(err, errlen, "%s: out of memory", base);
        goto done;
    }
    snprintf(path, sizeof path, "%s.dat", base);
    if (write_file(path, f->data, f->datalen, err, errlen) != 0) goto done;
    snprintf(path, sizeof path, "%s.txt", base);
    if (write_file(path, f->caption, f->captionlen, err, errlen) != 0) goto done;
    if (run_gnuplot(f, base, log, width, height, err, errlen) != 0) goto done;
    remove(log);
    rc = 0;
done:
    an_fig__discard(f);
    return rc;
}

int an_fig__open_hists(an_fig *f, const an_fig_scenario *sc, const char *name, eng_hist **h, eng_hist **one,
                       char *err, size_t errlen) {
    *h = malloc(sizeof **h);
    *one = malloc(sizeof **one);
    if (*h && *one && an_fig__open(f, sc, name, err, errlen) == 0) return 0;
    if (!*h || !*one) snprintf(err, errlen, "%s: out of memory", name);
    free(*h);
    free(*one);
    return -1;
}

int an_fig__end_hists(an_fig *f, eng_hist *h, eng_hist *one, int rc, int plotted) {
    free(h);
    free(one);
    if (rc == 0 && plotted) return 1;
    an_fig__discard(f);
    return 0;
}

void an_fig__cdf_curve(an_fig *f, const eng_hist *h, const char *title, const char *note) {
    int k = an_fig__block(f, title);
    if (note) fprintf(f->dat, "# %s\n", note);
    double min_ms = (double)h->min / 1e6, max_ms = (double)h->max / 1e6;
    uint64_t cum = 0;
    for (size_t i = 0; i < ENG_HIST_BUCKETS; i++) {
        if (!h->count[i]) continue;
        if (!cum) fprintf(f->dat, "%.10g 0\n", fmin(fmax(eng_hist_bucket_lo(i) / 1e6, min_ms), max_ms));
        cum += h->count[i];
        double hi = fmin(fmax(eng_hist_bucket_lo(i + 1) / 1e6, min_ms), max_ms);
        fprintf(f->dat, "%.10g %.10g\n", hi, (double)cum / (double)h->n);
    }
    fprintf(f->plt, "%s $DATA index %d using 1:2 with steps lw 2 lc %d dt %d title ", k ? "," : "plot", k,
            k % 8 + 1, k / 8 + 1);
    an_fig__quote(f->plt, title);
}

void an_fig__caption_runs(FILE *out, const an_fig_scenario *sc, int first_only) {
    const an_run_summary *r0 = &sc->rows[0].runs[0];
    fprintf(out, "Scenario %s (file %s, sha256 %.12s...)", r0->scenario, r0->scenario_path,
            r0->scenario_sha256);
    if (sc->table->baseline[0]) fprintf(out, "; baseline variant %s", sc->table->baseline);
    fprintf(out, ".\n%s:\n", first_only ? "Runs shown (the lowest seed of each variant)" : "Runs (seeds)");
    for (size_t i = 0; i < sc->nrows; i++) {
        const an_table_row *r = &sc->rows[i];
        size_t n = first_only ? 1 : r->nruns;
        fprintf(out, "- %s: seed%s", r->variant, n > 1 ? "s" : "");
        for (size_t j = 0; j < n; j++)
            fprintf(out, "%s %llu", j ? "," : "", (unsigned long long)r->runs[j].seed);
        fprintf(out, "; file%s", n > 1 ? "s" : "");
        for (size_t j = 0; j < n; j++) fprintf(out, "%s %s", j ? "," : "", r->paths[j]);
        fputc('\n', out);
    }
}

/* The lowest seed's series of each row, and the latest sample time (s). */
static int load_series(const an_fig_scenario *sc, an_fig_series **out, double *max_s, char *err,
                       size_t errlen) {
    an_fig_series *s = calloc(sc->nrows, sizeof *s);
    if (!s) {
        snprintf(err, errlen, "out of memory reading time series");
        return -1;
    }
    *max_s = 0;
    for (size_t i = 0; i < sc->nrows; i++) {
        if (an_results_read_series(sc->rows[i].paths[0], &s[i].rows, &s[i].n, err, errlen) != 0) {
            an_fig__free_series(s, i);
            return -1;
        }
        if (s[i].n) *max_s = fmax(*max_s, rt_to_s(s[i].rows[s[i].n - 1].t));
    }
    *out = s;
    return 0;
}

void an_fig__free_series(an_fig_series *s, size_t n) {
    for (size_t i = 0; i < n && s; i++) free(s[i].rows);
    free(s);
}

/* A time unit for axes spanning max_s seconds: its name and seconds per unit. */
static const char *time_unit(double max_s, double *per_unit) {
    if (max_s > 2 * 3600.0) {
        *per_unit = 3600.0;
        return "h";
    }
    if (max_s > 600.0) {
        *per_unit = 60.0;
        return "min";
    }
    *per_unit = 1.0;
    return "s";
}

int an_fig__open_series(an_fig *f, const an_fig_scenario *sc, const char *name, an_fig_series **s,
                        double *unit, const char **uname, char *err, size_t errlen) {
    double max_s;
    if (load_series(sc, s, &max_s, err, errlen) != 0) return -1;
    *uname = time_unit(max_s, unit);
    if (an_fig__open(f, sc, name, err, errlen) == 0) return 0;
    an_fig__free_series(*s, sc->nrows);
    return -1;
}
