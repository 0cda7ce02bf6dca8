#include "ridge_cv.h"

#include <float.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "crossfit.h"
#include "validate.h"

/* The positions of rows (all used rows if NULL) in group's fold (or, with
 * invert, not in it). */
static size_t fold_rows(const int *group, const size_t *rows, size_t n, int fold, int invert, size_t *out)
{
    size_t count = crossfit_rows(group, n, fold, invert, out);
    for (size_t i = 0; rows && i < count; i++)
        out[i] = rows[out[i]];
    return count;
}

/* Summed out-of-fold log-loss of every target (loss[k]) at problem's l2,
 * over the n rows (positions; all used rows if NULL). */
static vt_status grid_point_loss(const fit_problem *problem, const size_t *rows, size_t n, const int *group,
                                 size_t folds, size_t *fit_at, size_t *test_at, double *const *predicted, double *loss,
                                 vt_err *err)
{
    vt_status status = VT_OK;
    for (size_t k = 0; k < problem->n_targets; k++)
        loss[k] = 0;
    for (size_t fold = 0; status == VT_OK && fold < folds; fold++) {
        size_t n_fit = fold_rows(group, rows, n, (int)fold, 1, fit_at);
        size_t n_test = fold_rows(group, rows, n, (int)fold, 0, test_at);
        status = crossfit_score(problem, fit_at, n_fit, test_at, n_test, predicted, err);
        for (size_t k = 0; status == VT_OK && k < problem->n_targets; k++)
            for (size_t i = 0; i < n_test; i++) {
                double p = fmin(fmax(predicted[k][i], DBL_EPSILON), 1 - DBL_EPSILON);
                loss[k] -= problem->y[k][test_at[i]] == 1.0 ? log(p) : log(1 - p);
            }
    }
    return status;
}

vt_status ridge_cv_choose(const fit_problem *problem, const size_t *rows, size_t n_rows, size_t folds, uint64_t seed,
                          ridge_cv_curve *curves, vt_err *err)
{
    size_t n = rows ? n_rows : problem->n_used;
    validation_options split = {VALIDATE_FOLDS, 0, folds, seed, NULL, NULL};
    int *group = vt_calloc(n ? n : 1, sizeof(int));
    size_t *fit_at = vt_calloc(n ? n : 1, sizeof(size_t)), *test_at = vt_calloc(n ? n : 1, sizeof(size_t));
    double *stratify = rows ? vt_calloc(n ? n : 1, sizeof(double)) : NULL;
    double *predicted[MODEL_MAX_TARGETS] = {0}, loss[RIDGE_CV_GRID][MODEL_MAX_TARGETS];
    vt_status status = VT_OK;
    for (size_t k = 0; k < problem->n_targets; k++)
        if ((predicted[k] = vt_calloc(n ? n : 1, sizeof(double))) == NULL)
            status = VT_ENOMEM;
    if (status != VT_OK || !group || !fit_at || !test_at || (rows && !stratify))
        status = vt_err_set(err, VT_ENOMEM, NULL, 0, 0, "out of memory");
    for (size_t i = 0; status == VT_OK && rows && i < n; i++)
        stratify[i] = problem->y[0][rows[i]];
    if (status == VT_OK)
        status = validation_split(&split, rows ? stratify : problem->y[0], NULL, NULL, 0, problem->path, n, group, err);
    fit_problem at = *problem;
    for (size_t g = 0; status == VT_OK && g < RIDGE_CV_GRID; g++) {
        double lambda = pow(10.0, -6.0 + 0.5 * (double)g);
        for (size_t k = 0; k < problem->n_targets; k++)
            at.l2[k] = curves[k].lambda[g] = lambda;
        status = grid_point_loss(&at, rows, n, group, folds, fit_at, test_at, predicted, loss[g], err);
    }
    /* The choice is made on the sums, the curve keeps means. */
    for (size_t k = 0; status == VT_OK && k < problem->n_targets; k++) {
        curves[k].folds = folds;
        curves[k].best = 0;
        for (size_t g = 0; g < RIDGE_CV_GRID; g++) {
            if (loss[g][k] <= loss[curves[k].best][k])
                curves[k].best = g;
            curves[k].log_loss[g] = loss[g][k] / (double)n;
        }
    }
    free(group);
    free(fit_at);
    free(test_at);
    free(stratify);
    for (size_t k = 0; k < MODEL_MAX_TARGETS; k++)
        free(predicted[k]);
    return status;
}
