/* pair_search: which pairs of columns the additive fit misses most, for
 * --interact auto.
 *
 * Each candidate pair is scored by a score (Lagrange multiplier) test of a
 * small pair term added to the fitted additive model (Rao 1948; for GLMs,
 * e.g. Agresti, Categorical Data Analysis, 3rd ed., section 5.3.3): with Z
 * the pair term's columns, r = prior (y - mu) and W = prior mu (1 - mu) at
 * the additive fit, and H = X'WX + S its (penalised) information,
 *   U = Z'r - Z'WX H^-1 (X'r - S beta),   I = Z'WZ - Z'WX H^-1 X'WZ,
 *   statistic U' I^-1 U ~ chi2(q),
 * q the pair term's columns.  It needs no refit per pair: one pass over the
 * rows scores every candidate (the same idea as EBM's FAST ranking, which
 * fits a small tree per pair on the residuals instead; the score test also
 * weighs each pair by what the main effects already explain).  The small
 * pair term, whatever the columns' final form: numeric x numeric the
 * product of the two centred values; numeric x categorical the centred
 * value per level but the baseline; categorical x categorical a 0/1 per
 * cell of levels but the baselines (two smooth columns are then tried
 * as ti(), whose unpenalised part is the product of its margins' straight
 * lines, close to the product scored; pairs with more than
 * PAIR_SEARCH_MAX_COLUMNS such columns are not scored).  Numeric values are
 * as the encoding imputes them.  Pairs are ranked by the Wilson-Hilferty
 * normal score of the statistic (comparable across q; the p-value itself
 * underflows to 0 for the strong ones).
 *
 * (X'r - S beta is 0 over the rows fitted; the term keeps the statistic
 * right on a sample of them.)  The rows: every fitting row up to
 * PAIR_SEARCH_ROWS, else every stride-th, the penalty scaled by the share
 * sampled (a fixed choice: the ranking does not depend on threads).  Sums
 * are in row order; the result is the same on every CPU. */
#ifndef PAIR_SEARCH_H
#define PAIR_SEARCH_H

#include <stddef.h>

#include "encode.h"
#include "table.h"
#include "vt.h"

#define PAIR_SEARCH_MAX_COLUMNS 30
#define PAIR_SEARCH_ROWS 200000

typedef struct {
    size_t a, b;        /* features of the encoding, a < b */
    size_t df;          /* the small pair term's columns */
    double statistic;   /* U' I^-1 U */
    double p_value;     /* chi-square upper tail */
    double z;           /* Wilson-Hilferty normal score: the ranking */
} pair_score;

/* The additive fit the pairs are scored against: its encoding, the table
 * and used rows it was encoded from, each used row's fitted probability,
 * outcome and prior weight (NULL: 1), the coefficients' aliasing (aliased
 * terms are left out of X) and the penalty S = sum sp_k S_k on the raw
 * design columns (n_terms x n_terms, or NULL for none). */
typedef struct {
    const encoding *enc;
    const table *data;
    const unsigned char *row_used;
    const double *mu, *y, *prior;
    const int *aliased;
    const double *beta;   /* the additive fit's coefficients (aliased: 0) */
    const double *penalty;
    const int *held_out;  /* per used row: nonzero for a row the additive fit did not see (left
                             out: its residuals are not orthogonal to the fit); NULL for none */
    const double *term_mean, *term_sd; /* per term: each column of X is centred and scaled by
                             them (the statistic does not change; its accuracy does: raw
                             columns such as mrr squared reach 1e9 beside the intercept) */
} pair_search_fit;

/* Every pair of distinct features scored, strongest first (ties: feature
 * order); *out (caller frees) holds *n_out.  VT_ENOMEM; VT_EDATA if the
 * additive fit's information is singular. */
vt_status pair_search_rank(const pair_search_fit *fit, pair_score **out /* OUT */, size_t *n_out /* OUT */,
                           vt_err *err);

#endif
