#include "thresholds.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "curve.h"

#define THRESHOLD_GRID 2001

void thresholds_free(threshold_suggestion *suggestion)
{
    free(suggestion->card);
    free(suggestion->suggested);
    free(suggestion->moved);
    free(suggestion->band_risk);
    free(suggestion->band_rows);
    free(suggestion->level);
    memset(suggestion, 0, sizeof *suggestion);
}

/* The band of a value: the first threshold met, else n. */
static size_t band_of(const sc_measure *measure, double x)
{
    for (size_t j = 0; j < measure->n_thresholds; j++)
        if (measure->higher_is_better ? x >= measure->thresholds[j].at : x <= measure->thresholds[j].at)
            return j;
    return measure->n_thresholds;
}

static double three_digits(double x)
{
    char text[32];
    snprintf(text, sizeof text, "%.3g", x);
    return strtod(text, NULL);
}

/* A crossing s as a threshold: on a column of whole numbers the whole
 * number that keeps the same accounts in the band (x >= s is x >= ceil(s),
 * x <= s is x <= floor(s)), else s to 3 significant digits. */
static double as_threshold(const sc_measure *measure, int whole, double s)
{
    if (whole)
        return measure->higher_is_better ? ceil(s) : floor(s);
    return three_digits(s);
}

/* The crossing of f with level nearest to near, on the grid; NaN if none. */
static double nearest_crossing(const double *grid, const double *f, size_t n, double level, double near)
{
    double best = NAN;
    for (size_t i = 0; i + 1 < n; i++) {
        double a = f[i] - level, b = f[i + 1] - level;
        if ((a > 0) == (b > 0) && a != 0)
            continue;
        double x = a == b ? grid[i] : grid[i] + (grid[i + 1] - grid[i]) * a / (a - b);
        if (isnan(best) || fabs(x - near) < fabs(best - near))
            best = x;
    }
    return best;
}

vt_status thresholds_suggest(const model *m, const model_target *t, size_t feature, const sc_measure *measure,
                             const double *x, size_t n, threshold_suggestion *out, vt_err *err)
{
    memset(out, 0, sizeof *out);
    size_t k = measure->n_thresholds;
    out->n = k;
    double *values = vt_malloc((n ? n : 1) * sizeof(double)), *grid = vt_malloc(THRESHOLD_GRID * sizeof(double));
    double *f = vt_malloc(THRESHOLD_GRID * sizeof(double));
    out->card = vt_calloc(k ? k : 1, sizeof(double));
    out->suggested = vt_calloc(k ? k : 1, sizeof(double));
    out->moved = vt_calloc(k ? k : 1, sizeof(int));
    out->band_risk = vt_calloc(k + 1, sizeof(double));
    out->band_rows = vt_calloc(k + 1, sizeof(size_t));
    out->level = vt_calloc(k ? k : 1, sizeof(double));
    vt_status status = VT_OK;
    if (!values || !grid || !f || !out->card || !out->suggested || !out->moved || !out->band_risk || !out->band_rows ||
        !out->level)
        status = vt_err_set(err, VT_ENOMEM, NULL, 0, 0, "out of memory");
    size_t n_present = 0;
    out->whole = 1;
    for (size_t i = 0; status == VT_OK && i < n; i++) {
        if (isnan(x[i]))
            continue;
        values[n_present++] = x[i];
        out->whole &= x[i] == floor(x[i]) && fabs(x[i]) < 1e15;
        double fx;
        curve_eval(m, t, feature, x[i], &fx, NULL);
        size_t band = band_of(measure, x[i]);
        out->band_risk[band] += fx;
        out->band_rows[band]++;
    }
    if (status == VT_OK && n_present == 0)
        status = vt_err_set(err, VT_EDATA, NULL, 0, 0, "no account has a value of '%.60s'", measure->column);
    if (status == VT_OK) {
        for (size_t j = 0; j <= k; j++)
            out->band_risk[j] = out->band_rows[j] ? out->band_risk[j] / (double)out->band_rows[j] : NAN;
        qsort(values, n_present, sizeof(double), vt_compare_doubles);
        double lo = values[(size_t)(0.005 * (double)(n_present - 1))];
        double hi = values[(size_t)ceil(0.995 * (double)(n_present - 1))];
        for (size_t i = 0; i < THRESHOLD_GRID; i++) {
            grid[i] = lo + (hi - lo) * (double)i / (THRESHOLD_GRID - 1);
            curve_eval(m, t, feature, grid[i], &f[i], NULL);
        }
        /* the curve's risk range over the middle 90% of the accounts */
        double from = values[(size_t)(0.05 * (double)(n_present - 1))];
        double to = values[(size_t)ceil(0.95 * (double)(n_present - 1))];
        double f_lo = INFINITY, f_hi = -INFINITY;
        for (size_t i = 0; i < THRESHOLD_GRID; i++)
            if (grid[i] >= from && grid[i] <= to) {
                f_lo = fmin(f_lo, f[i]);
                f_hi = fmax(f_hi, f[i]);
            }
        out->risk_low = f_lo;
        out->risk_high = f_hi;
        for (size_t j = 0; j < k; j++) {
            double at = measure->thresholds[j].at, s = NAN;
            double below = j + 1 < k ? measure->thresholds[j + 1].points : measure->otherwise;
            double points = (measure->thresholds[j].points + below) / 2;
            out->card[j] = at;
            out->level[j] = f_hi - points / 100 * (f_hi - f_lo);
            if (lo < hi && f_lo < f_hi)
                s = nearest_crossing(grid, f, THRESHOLD_GRID, out->level[j], at);
            if (!isnan(s))
                s = as_threshold(measure, out->whole, s);
            /* best first: higher-is-better thresholds fall, lower-is-better ones rise */
            int ordered = j == 0 || (measure->higher_is_better ? s < out->suggested[j - 1] : s > out->suggested[j - 1]);
            out->moved[j] = !isnan(s) && ordered && s != at;
            out->suggested[j] = out->moved[j] ? s : at;
        }
        for (size_t j = 1; j < k; j++) /* a kept threshold beyond a moved one: keep them all */
            if (measure->higher_is_better ? !(out->suggested[j] < out->suggested[j - 1])
                                          : !(out->suggested[j] > out->suggested[j - 1]))
                for (size_t i = 0; i < k; i++) {
                    out->suggested[i] = out->card[i];
                    out->moved[i] = 0;
                }
    }
    free(values);
    free(grid);
    free(f);
    if (status != VT_OK)
        thresholds_free(out);
    return status;
}
