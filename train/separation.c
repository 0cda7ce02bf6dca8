#include "separation.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "parallel.h"

/* Per term, what the fitted rows show about separation: the range of the
 * column among events and among non-events. */
typedef struct {
    double low[2], high[2]; /* by outcome */
    int binary;             /* only 0 and 1 seen */
    size_t ones[2];         /* rows with the column at 1, by outcome */
} term_range;

typedef struct {
    size_t target, n_terms;
    term_range *range;
} range_scan;

static vt_status scan_ranges(const irls_source *rows, size_t target, size_t threads, term_range *range, vt_err *err);

static void single_column(const irls_source *rows, const term_range *range, const irls_result *fit,
                          const char *target, char *detail, size_t size);
static void leading_terms(const irls_source *rows, const irls_result *fit, const double *sds, char *detail,
                          size_t size);

static vt_status add_ranges(void *context, const irls_block *block)
{
    const range_scan *scan = context;
    size_t p = scan->n_terms;
    for (size_t i = 0; i < block->count; i++) {
        int outcome = block->y[scan->target][i] == 1.0;
        const double *row = block->x + i * p;
        for (size_t t = 1; t < p; t++) {
            term_range *r = &scan->range[t];
            r->low[outcome] = fmin(r->low[outcome], row[t]);
            r->high[outcome] = fmax(r->high[outcome], row[t]);
            r->binary &= row[t] == 0.0 || row[t] == 1.0;
            r->ones[outcome] += row[t] == 1.0;
        }
    }
    return VT_OK;
}

/* The rows in chunks on threads, each chunk's ranges apart, then merged:
 * minima, maxima and counts do not depend on the order. */
enum { RANGE_CHUNKS = 16 };

typedef struct {
    const irls_source *rows;
    size_t target;
    term_range *ranges;   /* RANGE_CHUNKS x n_terms */
    vt_status status[RANGE_CHUNKS];
    vt_err errs[RANGE_CHUNKS];
} chunked_scan;

static void reset_ranges(term_range *range, size_t n_terms)
{
    for (size_t t = 0; t < n_terms; t++) {
        range[t] = (term_range){{INFINITY, INFINITY}, {-INFINITY, -INFINITY}, 1, {0, 0}};
    }
}

static void scan_chunk(size_t chunk, void *context)
{
    chunked_scan *work = context;
    const irls_source *rows = work->rows;
    size_t first = rows->n_rows * chunk / RANGE_CHUNKS, end = rows->n_rows * (chunk + 1) / RANGE_CHUNKS;
    range_scan scan = {work->target, rows->n_terms, work->ranges + chunk * rows->n_terms};
    work->status[chunk] = end > first ? rows->scan(rows->context, first, end - first, add_ranges, &scan,
                                                   &work->errs[chunk])
                                      : VT_OK;
}

/* Each term's range by outcome over every row. */
static vt_status scan_ranges(const irls_source *rows, size_t target, size_t threads, term_range *range, vt_err *err)
{
    size_t p = rows->n_terms;
    chunked_scan work = {rows, target, vt_malloc(RANGE_CHUNKS * p * sizeof(term_range)), {VT_OK}, {{0}}};
    if (work.ranges == NULL)
        return vt_err_set(err, VT_ENOMEM, NULL, 0, 0, "out of memory");
    for (size_t c = 0; c < RANGE_CHUNKS; c++)
        reset_ranges(work.ranges + c * p, p);
    reset_ranges(range, p);
    parallel_for(RANGE_CHUNKS, threads ? threads : parallel_cores(), scan_chunk, &work);
    vt_status status = VT_OK;
    for (size_t c = 0; c < RANGE_CHUNKS && status == VT_OK; c++) {
        if ((status = work.status[c]) != VT_OK) {
            *err = work.errs[c];
            break;
        }
        for (size_t t = 0; t < p; t++) {
            const term_range *part = &work.ranges[c * p + t];
            term_range *r = &range[t];
            for (int outcome = 0; outcome < 2; outcome++) {
                r->low[outcome] = fmin(r->low[outcome], part->low[outcome]);
                r->high[outcome] = fmax(r->high[outcome], part->high[outcome]);
                r->ones[outcome] += part->ones[outcome];
            }
            r->binary &= part->binary;
        }
    }
    free(work.ranges);
    return status;
}

/* The first term that separates on its own, described in detail ("" if none). */
static void single_column(const irls_source *rows, const term_range *range, const irls_result *fit,
                          const char *target, char *detail, size_t size)
{
    char name[VT_QUOTE_SIZE]; /* term names hold levels: data */
    for (size_t t = 1; t < rows->n_terms && !detail[0]; t++) {
        const term_range *r = &range[t];
        vt_quote(name, sizeof name, rows->term_names[t], strlen(rows->term_names[t]));
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
static void leading_terms(const irls_source *rows, const irls_result *fit, const double *sds, char *detail,
                          size_t size)
{
    char name[VT_QUOTE_SIZE];
    size_t used = (size_t)snprintf(detail, size, "a combination of terms, led by"), picked[3] = {0};
    for (int pick = 0; pick < 3; pick++) {
        double best_size = -1;
        for (size_t t = 1; t < rows->n_terms; t++) {
            double magnitude = fit->aliased[t] ? -1 : fabs(fit->estimate[t] * sds[t]);
            int taken = (pick > 0 && picked[0] == t) || (pick > 1 && picked[1] == t);
            if (!taken && magnitude > best_size) {
                picked[pick] = t;
                best_size = magnitude;
            }
        }
        const char *term = rows->term_names[picked[pick]];
        if (picked[pick] > 0 && used < size)
            used += (size_t)snprintf(detail + used, size - used, "%s %s", pick ? "," : "",
                                     vt_quote(name, sizeof name, term, strlen(term)));
    }
}

vt_status separation_check(const irls_source *rows, size_t target, size_t threads, const irls_result *fit,
                           const double *sds, const char *target_name, const char *path, vt_err *err)
{
    term_range *range = vt_calloc(rows->n_terms, sizeof *range);
    if (range == NULL)
        return vt_err_set(err, VT_ENOMEM, NULL, 0, 0, "out of memory");
    vt_status status = scan_ranges(rows, target, threads, range, err);
    char detail[VT_QUOTE_SIZE + 200] = "";
    if (status == VT_OK)
        single_column(rows, range, fit, target_name, detail, sizeof detail);
    free(range);
    if (status != VT_OK || (!detail[0] && fit->n_boundary == 0))
        return status;
    if (!detail[0])
        leading_terms(rows, fit, sds, detail, sizeof detail);
    /* A column that separates is found from its range before the fit's
     * probabilities reach 0 or 1 in floating point: a count of 0 beside "no
     * finite estimate" read as a contradiction, so the count is only given
     * when there is one. */
    char boundary[96] = "";
    if (fit->n_boundary > 0)
        snprintf(boundary, sizeof boundary, " (%zu fitted probabilit%s numerically 0 or 1)", fit->n_boundary,
                 fit->n_boundary == 1 ? "y is" : "ies are");
    return vt_err_set(err, VT_ENUMERIC, path, 0, 0,
                      "%s model: separation (%s): no finite estimate exists%s; "
                      "refit with --firth (penalised likelihood), or drop or merge the column", target_name, detail,
                      boundary);
}
