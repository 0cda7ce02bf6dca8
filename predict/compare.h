/* compare: a learned model and a hand-set scorecard on the same labelled
 * rows, the numbers `vitals compare` and `vitals report` both show.
 *
 * compare_read reads labelled rows once and keeps, per row with an
 * outcome, the outcome, the model's risk for one target, its health bucket
 * (from that risk and the model's bands), and with a scorecard its health
 * and bucket.  Rows whose outcome is missing are counted, not kept.  The
 * rest is pure computation over what was read: each column's share of the
 * scorecard's weight and of the model's (standardised coefficients; for a
 * smooth column the spread of its curve over the rows read), their rank
 * correlation, rows and events per bucket, and the bucket cross-table.
 * Nothing here prints.  A compare_rows owns its arrays (compare_rows_free). */
#ifndef COMPARE_H
#define COMPARE_H

#include <stddef.h>

#include "model.h"
#include "row_stream.h"
#include "scorecard.h"
#include "vt.h"

typedef struct {
    double *y, *risk;        /* outcome 0/1; the target's predicted probability */
    double *health;          /* scorecard health 0..100 (NaN without a scorecard) */
    unsigned char *model_bucket, *card_bucket; /* bucket values; card_bucket is 0 without a scorecard */
    char **ids;              /* the model's id column, else the line number */
    size_t n, cap, skipped;  /* rows kept, capacity, rows without an outcome */
    /* The model's smooth columns (none for a linear model), encoding order: */
    size_t target;           /* the target read */
    size_t n_curves;
    size_t *curve_feature;   /* n_curves: each one's feature */
    double *curve_x;         /* per row, n_curves values: the column's value (a missing cell: its imputation value) */
    double *curve_f;         /* per row, n_curves values: the curve f(x) of the pooled model's target (curve.h),
                                its contribution to the row's log-odds up to a constant; NaN for a curve
                                per level (a by pair) */
} compare_rows;

/* Read input (row_stream.h: a file, "-" or a query; its delimiter is the
 * caller's, the model's unless told) scoring each row by m's target
 * `target` (an index into m->targets) and, if card is not NULL, by the
 * scorecard: blocks on input->threads workers, kept in input order, so
 * what is kept does not depend on the thread count.  out must be zeroed;
 * it is filled even on failure (free it either way).  Errors: the
 * stream's, a missing outcome column (FILE:1), an outcome that is not 0/1,
 * yes/no or true/false (FILE:LINE:COL), what scorer_row or scorecard_row
 * report (the first in input order), VT_ENOMEM. */
vt_status compare_read(const model *m, size_t target, const scorecard *card, const row_stream_options *input,
                       compare_rows *out, vt_err *err);
void compare_rows_free(compare_rows *r);

/* One model feature (or pair) against the scorecard. */
typedef struct {
    const char *column;      /* borrowed from the model: a column, a pair's "A x B", a collinear group's "A + B" */
    double card, model;      /* shares of the total weight; card NaN if the scorecard does not measure it */
    int sign_disagrees;      /* numeric column whose coefficient's sign (a curve: its trend's) contradicts
                                the measure's direction */
    int not_identified;      /* a collinear group's columns (model.h): how their weight splits between them, and
                                their signs, are not identified; no sign is read */
    int curve;               /* a smooth column: its size is its curve's spread over the rows */
    double trend;            /* a curve: the slope of the least-squares line of f(x) on x over the rows
                                (log-odds per unit); NaN for a linear column or without spread in x */
} compare_weight;

/* The weights of each of m's drivers: its effects, features then pairs,
 * a collinear group's as one row at its first, its size the group's
 * (model_collinear.standardised) plus any other terms of its effects, its
 * card share the members' summed (out holds encoding_n_effects entries;
 * returns how many are filled).  A pair's share
 * is its own (the card measures columns: its card share is NaN).  A feature's size is its summed
 * |standardised coefficient| (estimate x the column's training sd;
 * aliased terms left out); for a smooth column, the curve's terms count
 * as the standard deviation (divisor n - 1) of f(x) over rows (for a
 * linear column that measure is |beta| sd(x): the same thing), and its
 * COL_missing term as any other.  The model's share is the size over all
 * features'; the scorecard's, its default set's weights on that column
 * over all.  rows: what compare_read kept for this target; it may be NULL
 * for a model without smooth columns (a curve then weighs 0).  A linear
 * model's shares do not depend on rows. */
size_t compare_weights(const model *m, size_t target, const scorecard *card, const compare_rows *rows,
                       compare_weight *out);

/* Spearman's rank correlation (average ranks for ties) of the two shares
 * over the columns the scorecard measures (at most the first 256); NaN if
 * fewer than two or either side has no spread. */
double compare_rank_correlation(const compare_weight *weights, size_t n);
/* Why it is NaN, in words: "the scorecard weighs its measures equally",
 * or fewer than two of its columns are drivers of the model (none
 * measured, or a collinear group holding them). */
const char *compare_rank_undefined(const compare_weight *weights, size_t n);

/* Rows and events per bucket value (red, yellow, green) of buckets. */
void compare_bucket_counts(const double *y, const unsigned char *buckets, size_t n, size_t rows[3], size_t events[3]);

/* The cross-table: rows[a][b] and events[a][b] for scorecard bucket a and
 * model bucket b. */
void compare_cross_table(const compare_rows *r, size_t rows[3][3], size_t events[3][3]);

#endif
