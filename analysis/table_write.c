/* Writing the summary table (table.c builds it): one Markdown table per
 * scenario, "mean ± 95% CI half-width" per cell, and a CSV with the means
 * and half-widths in separate columns for further analysis. */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "analysis/table.h"

/* "mean ± half" with the half-width to two significant digits and the mean
 * to the same decimals; "± n/a" when the interval cannot be estimated. */
static void fmt_stat(char *buf, size_t len, an_stat s) {
    if (isnan(s.mean)) {
        snprintf(buf, len, "n/a");
    } else if (isnan(s.half)) {
        snprintf(buf, len, "%.4g ± n/a", s.mean);
    } else if (s.half == 0) {
        snprintf(buf, len, "%.4g ± 0", s.mean);
    } else {
        int d = 1 - (int)floor(log10(s.half));
        if (d < 0) d = 0;
        if (d > 12) d = 12;
        snprintf(buf, len, "%.*f ± %.*f", d, s.mean, d, s.half);
    }
}

static const char *method_name(an_ratio_method m) {
    switch (m) {
    case AN_RATIO_PAIRED:
        return "paired";
    case AN_RATIO_DELTA:
        return "delta";
    case AN_RATIO_NONE:
        break;
    }
    return "none";
}

/* Which columns the section of rows [first, first + n) shows: every
 * metric some run of the section holds. */
static void md_columns(const an_table_row *first, size_t n, int *shown) {
    for (int m = 0; m < AN_M_COUNT; m++) {
        shown[m] = 0;
        for (size_t i = 0; i < n && !shown[m]; i++)
            for (size_t k = 0; k < first[i].nruns && !shown[m]; k++)
                shown[m] = an_table_metric_present((an_metric)m, &first[i].runs[k]);
    }
}

static void md_header(const an_table *t, const an_table_row *first, const int *shown, FILE *out) {
    const an_run_summary *r = &first->runs[0];
    fprintf(out, "### %s\n\n", first->scenario);
    fprintf(out, "Scenario file `%s` (sha256 %.12s…)", r->scenario_path, r->scenario_sha256);
    if (t->baseline[0]) fprintf(out, "; baseline variant `%s`", t->baseline);
    fprintf(out, ". Mean ± half-width of the 95%% confidence interval over seeds (Student t); "
                 "n/a where a single seed gives no interval.\n\n| variant | seeds |");
    for (int m = 0; m < AN_M_COUNT; m++)
        if (shown[m]) fprintf(out, " %s |", an_table_metric_title((an_metric)m));
    fprintf(out, "\n|---|---:|");
    for (int m = 0; m < AN_M_COUNT; m++)
        if (shown[m]) fprintf(out, "---:|");
    fputc('\n', out);
}

int an_table_write_md(const an_table *t, FILE *out) {
    int shown[AN_M_COUNT];
    for (size_t i = 0; i < t->nrows; i++) {
        const an_table_row *r = &t->rows[i];
        if (i == 0 || strcmp(t->rows[i - 1].scenario, r->scenario) != 0) {
            size_t n = 1;
            while (i + n < t->nrows && !strcmp(t->rows[i + n].scenario, r->scenario)) n++;
            md_columns(r, n, shown);
            if (i) fputc('\n', out);
            md_header(t, r, shown, out);
        }
        fprintf(out, "| %s | %zu |", r->variant, r->nruns);
        for (int m = 0; m < AN_M_COUNT; m++) {
            if (!shown[m]) continue;
            char cell[96];
            fmt_stat(cell, sizeof cell, r->stat[m]);
            fprintf(out, " %s%s |", cell,
                    m == AN_M_COST_RATIO && r->ratio_method == AN_RATIO_DELTA ? " (Δ)" : "");
        }
        fputc('\n', out);
    }
    int delta = 0;
    for (size_t i = 0; i < t->nrows; i++) delta |= t->rows[i].ratio_method == AN_RATIO_DELTA;
    if (delta)
        fprintf(out,
                "\n(Δ) seeds differ from the baseline's: ratio of means, interval by the delta method.\n");
    if (t->nnotes) fprintf(out, "\nNotes:\n");
    for (size_t i = 0; i < t->nnotes; i++) fprintf(out, "- %s\n", t->notes[i]);
    return ferror(out) ? -1 : 0;
}

static void csv_num(FILE *out, double v) {
    if (isnan(v))
        fprintf(out, ",NA");
    else
        fprintf(out, ",%.10g", v);
}

/* A CSV field, quoted when it holds a comma, quote or newline. */
static void csv_str(FILE *out, const char *s) {
    if (!strpbrk(s, ",\"\n")) {
        fputs(s, out);
        return;
    }
    fputc('"', out);
    for (; *s; s++) {
        if (*s == '"') fputc('"', out);
        fputc(*s, out);
    }
    fputc('"', out);
}

int an_table_write_csv(const an_table *t, FILE *out) {
    fprintf(out, "scenario,variant,seeds");
    for (int m = 0; m < AN_M_COUNT; m++) {
        const char *k = an_table_metric_key((an_metric)m);
        fprintf(out, ",%s,%s_ci95", k, k);
    }
    fprintf(out, ",cost_x_baseline_method,baseline\n");
    for (size_t i = 0; i < t->nrows; i++) {
        const an_table_row *r = &t->rows[i];
        csv_str(out, r->scenario);
        fputc(',', out);
        csv_str(out, r->variant);
        fprintf(out, ",%zu", r->nruns);
        for (int m = 0; m < AN_M_COUNT; m++) {
            csv_num(out, r->stat[m].mean);
            csv_num(out, r->stat[m].half);
        }
        fprintf(out, ",%s,", method_name(r->ratio_method));
        csv_str(out, t->baseline);
        fputc('\n', out);
    }
    return ferror(out) ? -1 : 0;
}
