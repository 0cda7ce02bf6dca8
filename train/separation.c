#include "separation.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Per term, what the fitted rows show about separation: the range of the
 * column among events and among non-events. */
typedef struct {
    double low[2], high[2]; /* by outcome */
    int binary;             /* only 0 and 1 seen */
    size_t ones[2];         /* rows with the column at 1, by outcome */
} term_range;

static vt_status scan_ranges(const separation_design *design, const double *y, term_range *range, vt_err *err);
static void single_column(const separation_design *design, const term_range *range, const irls_result *fit,
                          const char *target, char *detail, size_t size);
static void leading_terms(const separation_design *design, const irls_result *fit, const double *sds, char *detail,
                          size_t size);

/* Each term's range by outcome over every row, a block at a time. */
static vt_status scan_ranges(const separation_design *design, const double *y, term_range *range, vt_err *err)
{
    enum { BLOCK = 1024 };
    size_t p = design->n_terms, n = design->n_rows;
    double *x = vt_malloc(BLOCK * p * sizeof *x);
    if (x == NULL)
        return vt_err_set(err, VT_ENOMEM, NULL, 0, 0, "out of memory");
    for (size_t t = 0; t < p; t++) {
        range[t].low[0] = range[t].low[1] = INFINITY;
        range[t].high[0] = range[t].high[1] = -INFINITY;
        range[t].binary = 1;
    }
    for (size_t first = 0; first < n; first += BLOCK) {
        size_t count = n - first < BLOCK ? n - first : BLOCK;
        design->rows(design->source, first, count, x);
        for (size_t i = 0; i < count; i++) {
            int outcome = y[first + i] == 1.0;
            const double *row = x + i * p;
            for (size_t t = 1; t < p; t++) {
                term_range *r = &range[t];
                r->low[outcome] = fmin(r->low[outcome], row[t]);
                r->high[outcome] = fmax(r->high[outcome], row[t]);
                r->binary &= row[t] == 0.0 || row[t] == 1.0;
                r->ones[outcome] += row[t] == 1.0;
            }
        }
    }
    free(x);
    return VT_OK;
}

/* The first term that separates on its own, described in detail ("" if none). */
static void single_column(const separation_design *design, const term_range *range, const irls_result *fit,
                          const char *target, char *detail, size_t size)
{
    char name[VT_QUOTE_SIZE]; /* term names hold levels: data */
    for (size_t t = 1; t < design->n_terms && !detail[0]; t++) {
        const term_range *r = &range[t];
        vt_quote(name, sizeof name, design->term_names[t], strlen(design->term_names[t]));
        if (fit->aliased[t])
            continue;
        if (r->binary && r->ones[0] + r->ones[1] > 0 && (r->ones[0] == 0 || r->ones[1] == 0))
            snprintf(detail, size, "every row with %s = 1 has %s %d", name, target, r->ones[0] == 0);
        else if (!r->binary && r->high[0] <= r->low[1])
            snprintf(detail, size, "%s: rows above %.6g all have %s 1, rows below all 0", name, r->high[0], target);
        else if (!r->binary && r->high[1] <= r->low[0])
            snprintf(detail, size, "%s: rows above %.6g all have %s 0, rows below all 1", name, r->high[1], target);
    }
}

/* A combination: name the terms that ran off furthest. */
static void leading_terms(const separation_design *design, const irls_result *fit, const double *sds, char *detail,
                          size_t size)
{
    char name[VT_QUOTE_SIZE];
    size_t used = (size_t)snprintf(detail, size, "a combination of terms, led by"), picked[3] = {0};
    for (int pick = 0; pick < 3; pick++) {
        double best_size = -1;
        for (size_t t = 1; t < design->n_terms; t++) {
            double magnitude = fit->aliased[t] ? -1 : fabs(fit->estimate[t] * sds[t]);
            int taken = (pick > 0 && picked[0] == t) || (pick > 1 && picked[1] == t);
            if (!taken && magnitude > best_size) {
                picked[pick] = t;
                best_size = magnitude;
            }
        }
        const char *term = design->term_names[picked[pick]];
        if (picked[pick] > 0 && used < size)
            used += (size_t)snprintf(detail + used, size - used, "%s %s", pick ? "," : "",
                                     vt_quote(name, sizeof name, term, strlen(term)));
    }
}

vt_status separation_check(const separation_design *design, const double *y, const irls_result *fit,
                           const double *sds, const char *target, const char *path, vt_err *err)
{
    term_range *range = vt_calloc(design->n_terms, sizeof *range);
    if (range == NULL)
        return vt_err_set(err, VT_ENOMEM, NULL, 0, 0, "out of memory");
    vt_status status = scan_ranges(design, y, range, err);
    char detail[VT_QUOTE_SIZE + 200] = "";
    if (status == VT_OK)
        single_column(design, range, fit, target, detail, sizeof detail);
    free(range);
    if (status != VT_OK || (!detail[0] && fit->n_boundary == 0))
        return status;
    if (!detail[0])
        leading_terms(design, fit, sds, detail, sizeof detail);
    return vt_err_set(err, VT_ENUMERIC, path, 0, 0,
                      "%s model: separation (%s): no finite estimate exists (%zu fitted probabilities at 0 or 1); "
                      "refit with --firth (penalised likelihood), or drop or merge the column", target, detail,
                      fit->n_boundary);
}
