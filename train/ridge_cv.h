/* ridge_cv: the --l2 strength chosen by cross-validation.
 *
 * For each target, the strength on a half-decade grid from 1e-6 to 10
 * (RIDGE_CV_GRID points) whose K-fold out-of-fold log-loss is lowest; a
 * tie goes to the stronger.  The folds are validate.h's stratified folds
 * of the first target, so the same seed gives the same choice.  Fits go
 * through fit.h; the curve is plain data owned by the caller. */
#ifndef RIDGE_CV_H
#define RIDGE_CV_H

#include <stddef.h>
#include <stdint.h>

#include "fit.h"
#include "vt.h"

#define RIDGE_CV_GRID 15

typedef struct {
    size_t folds;
    double lambda[RIDGE_CV_GRID];   /* increasing */
    double log_loss[RIDGE_CV_GRID]; /* mean over the used rows of the out-of-fold log-loss */
    size_t best;                    /* the chosen point */
} ridge_cv_curve;

/* curves (OUT, problem->n_targets entries): each target's curve and
 * choice, from the n_rows rows (positions among the used rows; NULL: every
 * used row).  Validation passes only the rows a fit may see, so the rows
 * that judge it never choose its strength (nested cross-validation).
 * problem->l2 is not read.  Errors: fit_rows' (a fold with a single
 * outcome, a failed fit), VT_ENOMEM. */
vt_status ridge_cv_choose(const fit_problem *problem, const size_t *rows, size_t n_rows, size_t folds, uint64_t seed,
                          ridge_cv_curve *curves /* OUT */, vt_err *err);

#endif
