/* curve: a numeric column's curve in one fitted target, the shape by which
 * `compare`, `diff` and `report` judge smooth terms, whose basis
 * coefficients mean nothing one by one (and nothing across retrains: the
 * basis itself moves with the knots).
 *
 * A smooth column's curve is f(x) = sum_j beta_j b_j(x) over its k - 1
 * basis terms (smooth.h), the term of the log-odds the scorer adds; the
 * basis constraint centres it on the training rows (it sums to zero over
 * them).  Its pointwise standard error is sqrt(b' V b), V the smooth's
 * block of the posterior covariance (model_smooth_fit.cov): the band
 * mgcv's plot.gam draws, without the intercept's uncertainty.  A linear
 * column's curve is beta (x - mean), mean its training mean (centred the
 * same way), with standard error |x - mean| SE(beta).  A COL_missing term
 * is part of neither: it is a 0/1 term of its own, read as any other.
 * Aliased coefficients count as 0, as the scorer counts them.
 *
 * Pure computation over a loaded model: nothing allocates or prints. */
#ifndef CURVE_H
#define CURVE_H

#include <stddef.h>

#include "model.h"

/* Points of the grids below: both ends included. */
#define CURVE_GRID 201

/* Whether term is a basis term, s(COL).j, of a smooth column of enc (the
 * column's COL_missing term is not). */
int curve_is_basis_term(const encoding *enc, size_t term);

/* Whether the term named `term` of m or of other belongs to a curve that
 * curve_compare compares rather than to a coefficient of its own: a basis
 * term of either model, or the linear term of a numeric column that the
 * other model makes smooth. */
int curve_term_in_curve(const model *m, const model *other, const char *term);

/* The index in t->smooth of feature's smooth, or -1 (a linear feature, or
 * a target without a smooth fit). */
long curve_smooth_index(const model_target *t, size_t feature);

/* f(x) of numeric feature `feature` of m in target t, and (se not NULL)
 * its standard error: NaN for a smooth whose covariance t does not hold. */
void curve_eval(const model *m, const model_target *t, size_t feature, double x, double *value /* OUT */,
                double *se /* OUT, or NULL */);

/* The curve of level `level` of the by column of a smooth_by feature (a
 * by pair's, encode.h), as curve_eval; for any other feature, curve_eval
 * itself.  curve_eval answers NaN for a smooth_by feature (no one curve). */
void curve_eval_level(const model *m, const model_target *t, size_t feature, size_t level, double x,
                      double *value /* OUT */, double *se /* OUT, or NULL */);

/* A smooth feature's first and last knot (0); -1 for a linear one. */
int curve_knot_range(const enc_feature *feature, double *lo /* OUT */, double *hi /* OUT */);

/* The smallest and largest f over CURVE_GRID points from the first to
 * the last knot of smooth feature `feature`, and where they are
 * (exp(max - min) is the curve's range of effect on the odds). */
typedef struct {
    double min, max, x_min, x_max;
} curve_extent;
void curve_span(const model *m, const model_target *t, size_t feature, curve_extent *out /* OUT */);
/* The same for one level's curve of a curve per level (level >= 0,
 * curve_eval_level), or curve_span's (level -1). */
void curve_span_level(const model *m, const model_target *t, size_t feature, long level, curve_extent *out /* OUT */);

/* One column's curve in two models (old, new) of the same target. */
typedef struct {
    const char *column;        /* borrowed from the old model */
    const char *level;         /* curve_compare_level's level, or NULL */
    int old_smooth, new_smooth;
    double old_edf, new_edf;   /* a linear column: 1 (0 aliased) */
    double lo, hi;             /* the grid: the union of the smooths' knot ranges */
    /* where |change| / sqrt(se_old^2 + se_new^2) is largest: x, both
     * curves there (centred on the grid) and the z */
    double x, old_value, new_value, change, z;
    /* where |change| is largest, and the z there: */
    double largest_change, largest_change_x, largest_change_z;
    int flagged;               /* |z| > flag */
} curve_change;

/* Compare column `column`'s curve in old and new over CURVE_GRID points
 * from lo to hi: 0 and out filled when the column is numeric in both and
 * smooth in at least one, else -1.  A curve's level is the intercept's
 * (each model centres its curve on its own training rows), so both
 * curves are compared centred on their mean over the grid (the standard
 * errors those of the centred curves): a shift of level is no change, and
 * two straight lines give the slope's z at every point.  Where the band
 * pinches to rounding (below 1e-9 of its widest) z counts as 0. */
int curve_compare(const model *old_model, const model_target *old, const model *new_model, const model_target *new,
                  const char *column, double flag, curve_change *out /* OUT */);

/* The same for one level's curve where either model has a curve per
 * level of the column (s(COL, by = B), the same level name of its by
 * column): against the other model's curve of that level, or its one
 * curve.  -1 when neither model has curves per level, or one lacks the
 * level; with level NULL, -1 when either has them (curve_compare). */
int curve_compare_level(const model *old_model, const model_target *old, const model *new_model,
                        const model_target *new, const char *column, const char *level, double flag,
                        curve_change *out /* OUT */);

/* The index in t->smooth of ti pair `pair`'s term (its first penalty's
 * entry, which holds the term's edf, test and covariance), or -1. */
long curve_tensor_index(const model_target *t, size_t pair);

/* f(x_a, x_b) of ti pair `pair` of m in t, x_a the pair's column a and
 * x_b its b: the basis row (tensor_eval) times the coefficients, aliased
 * ones 0 as the scorer counts them; and (se not NULL) sqrt(b' V b), V the
 * term's covariance block (NaN when t holds none). */
void curve_eval_tensor(const model *m, const model_target *t, size_t pair, double x_a, double x_b,
                       double *value /* OUT */, double *se /* OUT, or NULL */);

/* A ti(A, B) term in two models (old, new) of the same target, compared
 * over a CURVE_SURFACE x CURVE_SURFACE grid spanning both models' margin
 * knot ranges: the surfaces (each the term's own contribution, sum_j
 * beta_j b_j(a, b), already centred by its margins' constraints) and
 * where |change| / sqrt(se_old^2 + se_new^2) is largest. */
#define CURVE_SURFACE 41
typedef struct {
    const char *a, *b;         /* the columns, borrowed from the old model */
    double old_edf, new_edf;
    double x_a, x_b, old_value, new_value, change, z;
    int flagged;               /* |z| > flag */
} surface_change;

/* 0 and out filled when both models hold ti(A, B) of these columns (in
 * either order), else -1. */
int curve_compare_tensor(const model *old_model, const model_target *old, const model *new_model,
                         const model_target *new, const char *a, const char *b, double flag,
                         surface_change *out /* OUT */);

#endif
