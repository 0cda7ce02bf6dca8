#include "crossfit.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static vt_status score_test(const fit_problem *problem, const fit_result *fit, size_t k, const size_t *test_rows,
                            size_t n_test, double red_below, double yellow_below, double *predicted,
                            double *observed, metrics *result, vt_err *err);
static vt_status pooled_metrics(const fit_problem *problem, const int *fold_of, size_t folds, size_t k,
                                const double *predicted, double red_below, double yellow_below, size_t *rows,
                                double *observed, metrics *result, vt_err *err);

void crossfit_metrics_free(crossfit_metrics *result)
{
    free(result->folds);
    memset(result, 0, sizeof *result);
}

size_t crossfit_rows(const int *group, size_t n, int wanted, int invert, size_t *positions)
{
    size_t count = 0;
    for (size_t i = 0; i < n; i++)
        if ((group[i] == wanted) != invert)
            positions[count++] = i;
    return count;
}

vt_status crossfit_score(const fit_problem *problem, const size_t *fit_rows_at, size_t n_fit,
                         const size_t *test_rows, size_t n_test, double *const *predicted, vt_err *err)
{
    fit_result fit;
    vt_status status = fit_rows(problem, fit_rows_at, n_fit, NULL, &fit, err);
    for (size_t k = 0; status == VT_OK && k < problem->n_targets; k++)
        status = fit_predict(problem, fit.fits[k], test_rows, n_test, predicted[k], err);
    fit_result_free(&fit);
    return status;
}

/* Target k's metrics on the test rows (predicted and observed: scratch). */
static vt_status score_test(const fit_problem *problem, const fit_result *fit, size_t k, const size_t *test_rows,
                            size_t n_test, double red_below, double yellow_below, double *predicted,
                            double *observed, metrics *result, vt_err *err)
{
    vt_status status = fit_predict(problem, fit->fits[k], test_rows, n_test, predicted, err);
    for (size_t i = 0; status == VT_OK && i < n_test; i++)
        observed[i] = problem->y[k][test_rows[i]];
    if (status == VT_OK)
        status = metrics_compute(observed, predicted, NULL, n_test, red_below, yellow_below, result, err);
    return status;
}

vt_status crossfit_holdout(const fit_problem *problem, const int *held_out, const char *method, double red_below,
                           double yellow_below, fit_result *saved, crossfit_metrics *result, vt_err *err)
{
    size_t n = problem->n_used;
    memset(saved, 0, sizeof *saved);
    size_t *fit_at = vt_malloc((n ? n : 1) * sizeof *fit_at), *test_at = vt_malloc((n ? n : 1) * sizeof *test_at);
    double *predicted = vt_malloc((n ? n : 1) * sizeof *predicted);
    double *observed = vt_malloc((n ? n : 1) * sizeof *observed);
    vt_status status = fit_at && test_at && predicted && observed
                           ? VT_OK : vt_err_set(err, VT_ENOMEM, NULL, 0, 0, "out of memory");
    size_t n_fit = 0, n_test = 0;
    if (status == VT_OK) {
        n_fit = crossfit_rows(held_out, n, 0, 0, fit_at);
        n_test = crossfit_rows(held_out, n, 1, 0, test_at);
        status = fit_rows(problem, fit_at, n_fit, NULL, saved, err);
    }
    for (size_t k = 0; status == VT_OK && k < problem->n_targets; k++) {
        memset(&result[k], 0, sizeof result[k]);
        snprintf(result[k].method, sizeof result[k].method, "%s", method);
        status = score_test(problem, saved, k, test_at, n_test, red_below, yellow_below, predicted, observed,
                            &result[k].overall, err);
    }
    free(fit_at);
    free(test_at);
    free(predicted);
    free(observed);
    return status;
}

/* Target k's metrics on every row's out-of-fold prediction, pooled in fold
 * order (rows and observed: scratch of n_used). */
static vt_status pooled_metrics(const fit_problem *problem, const int *fold_of, size_t folds, size_t k,
                                const double *out_of_fold, double red_below, double yellow_below, size_t *rows,
                                double *observed, metrics *result, vt_err *err)
{
    size_t n = problem->n_used, at = 0;
    double *predicted = vt_malloc((n ? n : 1) * sizeof *predicted);
    if (predicted == NULL)
        return vt_err_set(err, VT_ENOMEM, NULL, 0, 0, "out of memory");
    for (size_t fold = 0; fold < folds; fold++) {
        size_t n_test = crossfit_rows(fold_of, n, (int)fold, 0, rows);
        for (size_t i = 0; i < n_test; i++, at++) {
            observed[at] = problem->y[k][rows[i]];
            predicted[at] = out_of_fold[rows[i]];
        }
    }
    vt_status status = metrics_compute(observed, predicted, NULL, n, red_below, yellow_below, result, err);
    free(predicted);
    return status;
}

vt_status crossfit_folds(const fit_problem *problem, const int *fold_of, size_t folds, const char *method,
                         double red_below, double yellow_below, double *const *out_of_fold,
                         crossfit_metrics *result, vt_err *err)
{
    return crossfit_folds_l2(problem, fold_of, folds, NULL, method, red_below, yellow_below, out_of_fold, result, err);
}

vt_status crossfit_folds_l2(const fit_problem *problem, const int *fold_of, size_t folds, const double *l2_by_fold,
                            const char *method, double red_below, double yellow_below, double *const *out_of_fold,
                            crossfit_metrics *result, vt_err *err)
{
    fit_problem tuned = *problem;
    size_t n = problem->n_used;
    size_t *fit_at = vt_malloc((n ? n : 1) * sizeof *fit_at), *test_at = vt_malloc((n ? n : 1) * sizeof *test_at);
    double *predicted = vt_malloc((n ? n : 1) * sizeof *predicted);
    double *observed = vt_malloc((n ? n : 1) * sizeof *observed);
    vt_status status = fit_at && test_at && predicted && observed
                           ? VT_OK : vt_err_set(err, VT_ENOMEM, NULL, 0, 0, "out of memory");
    for (size_t k = 0; k < problem->n_targets; k++) {
        memset(&result[k], 0, sizeof result[k]);
        snprintf(result[k].method, sizeof result[k].method, "%s", method);
        result[k].n_folds = folds;
        if (status == VT_OK && (result[k].folds = vt_calloc(folds, sizeof(metrics))) == NULL)
            status = vt_err_set(err, VT_ENOMEM, NULL, 0, 0, "out of memory");
    }
    for (size_t fold = 0; status == VT_OK && fold < folds; fold++) {
        size_t n_fit = crossfit_rows(fold_of, n, (int)fold, 1, fit_at);
        size_t n_test = crossfit_rows(fold_of, n, (int)fold, 0, test_at);
        fit_result fit;
        for (size_t k = 0; l2_by_fold && k < problem->n_targets; k++)
            tuned.l2[k] = l2_by_fold[fold * MODEL_MAX_TARGETS + k];
        status = fit_rows(&tuned, fit_at, n_fit, NULL, &fit, err);
        for (size_t k = 0; status == VT_OK && k < problem->n_targets; k++) {
            status = score_test(problem, &fit, k, test_at, n_test, red_below, yellow_below, predicted, observed,
                                &result[k].folds[fold], err);
            for (size_t i = 0; status == VT_OK && i < n_test; i++)
                out_of_fold[k][test_at[i]] = predicted[i];
        }
        fit_result_free(&fit);
    }
    for (size_t k = 0; status == VT_OK && k < problem->n_targets; k++)
        status = pooled_metrics(problem, fold_of, folds, k, out_of_fold[k], red_below, yellow_below, test_at,
                                observed, &result[k].overall, err);
    free(fit_at);
    free(test_at);
    free(predicted);
    free(observed);
    return status;
}
