/* smooth: mgcv's cubic regression spline, s(x, bs = "cr", k = K), as a
 * basis of K - 1 columns.
 *
 * The spline is the natural cubic spline through its values at K knots
 * (Wood, Generalized Additive Models, 2nd ed., section 5.3.1; mgcv's
 * crspl): its second derivatives at the knots are F times the values, zero
 * at the end knots, and beyond the end knots it continues as the straight
 * line of its slope there.  The penalty is the integral of its squared
 * second derivative, D' B^-1 D.  The columns are then constrained to sum to
 * zero over the training rows as mgcv's smoothCon does (absorb.cons): the
 * K column sums c give a Householder reflection Q (LINPACK's dqrdc2 form,
 * as R's qr), and the basis is (Q u)[1 .. K-1] for the unconstrained row u.
 * The penalty is scaled by mgcv's S.scale, ||S||_1 / ||X||_inf^2, so
 * smoothing parameters mean what mgcv's `sp` means.
 *
 * A spec is knots + constraint + scale (what a model file stores);
 * smooth_finish derives from them, in one fixed order of operations, the
 * polynomial of every basis column on every interval, the form in which
 * the scorer and the SQL export evaluate the basis:
 *   interval 0: x < knots[0];  i in 1 .. K-1: knots[i-1] <= x < knots[i]
 *   (x == knots[K-1] in interval K-1);  K: x > knots[K-1]
 *   d = x - knots[max(i, 1) - 1] (interval K: x - knots[K-1]),
 *   column value ((c3 d + c2) d + c1) d + c0.
 * A spec owns its arrays; smooth_free releases them. */
#ifndef SMOOTH_H
#define SMOOTH_H

#include <stddef.h>

#include "vt.h"

#define SMOOTH_DEFAULT_K 10
#define SMOOTH_MIN_K 3 /* mgcv's minimum for cr; vitals keeps a column with fewer than 4 values linear */
#define SMOOTH_MAX_K 200

typedef struct {
    size_t k;             /* knots: the basis has k - 1 columns */
    double *knots;        /* k, strictly increasing */
    double *constraint;   /* k: the Householder vector (v[0] is dqrdc2's qraux) */
    double penalty_scale; /* mgcv's S.scale */
    /* derived by smooth_finish: */
    double *poly;         /* (k + 1) intervals x (k - 1) columns x 4: c0, c1, c2, c3 */
    double *penalty;      /* (k - 1) x (k - 1), row-major: the constrained penalty / S.scale */
    double *second;       /* k x k: F, knot values -> second derivatives */
    double *columns;      /* poly again, by interval, power, then column: what smooth_eval reads
                             (the same numbers in the order its vector loop wants) */
} smooth_spec;

/* mgcv's knots for cr: quantiles (R's type 7) of the distinct values,
 * sorted_unique[0 .. n_unique), at 0, 1/(k-1), ..., 1.  n_unique >= k. */
void smooth_place_knots(const double *sorted_unique, size_t n_unique, size_t k, double *knots /* OUT: k */);

/* F for these knots (k x k, row-major; rows 0 and k-1 are zero) and, if
 * penalty is not NULL, the unconstrained penalty D' B^-1 D (k x k). */
vt_status smooth_second_derivatives(const double *knots, size_t k, double *second /* OUT */,
                                    double *penalty /* OUT, or NULL */);

/* The unconstrained basis row u (k values) at x. */
void smooth_basis_raw(const double *knots, const double *second, size_t k, double x, double *u /* OUT */);

/* Build a spec from knots, the column sums of the unconstrained basis over
 * the training rows and the largest absolute row sum of it (mgcv's
 * ||X||_inf): the constraint and S.scale, then smooth_finish.  The spec
 * takes a copy of knots. */
vt_status smooth_spec_build(const double *knots, size_t k, const double *column_sums, double max_row_sum,
                            smooth_spec *spec /* OUT */, vt_err *err);

/* The spec of s(x, bs = "cr", k) learnt from the n training values x
 * (missing cells already imputed; prior weights play no part, as in
 * mgcv): knots at quantiles of the distinct values, mgcv's colSums (long
 * double, row order) and norm(X, "I") of the unconstrained basis, then
 * smooth_spec_build.  *n_distinct (OUT) is the count of distinct values.
 * Errors: VT_EDATA when fewer than k distinct values or a value is not
 * finite (the caller names the column), VT_ENOMEM. */
vt_status smooth_spec_learn(const double *x, size_t n, size_t k, smooth_spec *spec /* OUT */,
                            size_t *n_distinct /* OUT */, vt_err *err);

/* Derive poly, penalty and second from knots, constraint and
 * penalty_scale (set by the caller, e.g. the model loader). */
vt_status smooth_finish(smooth_spec *spec, vt_err *err);
void smooth_free(smooth_spec *spec);

/* The interval of x (0 .. k) and the basis values there (k - 1 columns). */
size_t smooth_interval(const smooth_spec *spec, double x);
void smooth_eval(const smooth_spec *spec, double x, double *out /* OUT: k - 1 */);

/* log of the product of the penalty's k - 2 positive eigenvalues (the
 * pseudo-determinant REML needs); GSL's symmetric eigensolver. */
vt_status smooth_penalty_log_pdet(const smooth_spec *spec, double *log_pdet /* OUT */, vt_err *err);

#endif
