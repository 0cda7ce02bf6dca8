/* crossfit: fit on some rows, score others.
 *
 * The running half of validation (validate.h draws the splits): a holdout
 * or time split fits every target on the rows kept and scores the rows held
 * out; k folds fit each fold's complement and score the fold, so every
 * used row gets an out-of-fold prediction from a model that never saw it.
 * Rows are positions among the used rows, as in fit.h.  Results are plain
 * data owned by the caller; errors are fit_rows' and metrics_compute's. */
#ifndef CROSSFIT_H
#define CROSSFIT_H

#include <stddef.h>

#include "fit.h"
#include "metrics.h"
#include "validate.h"
#include "vt.h"

/* One target's validation: what the command prints, the model stores. */
typedef struct {
    char method[200];  /* validation_describe's words */
    metrics overall;   /* on the held-out rows, or the pooled out-of-fold predictions */
    metrics *folds;    /* per fold (n_folds), owned; NULL for a holdout */
    size_t n_folds;
} crossfit_metrics;

void crossfit_metrics_free(crossfit_metrics *result);

/* The positions (OUT, caller-sized n) of the rows whose group is wanted
 * (or, with invert, is not); returns how many. */
size_t crossfit_rows(const int *group, size_t n, int wanted, int invert, size_t *positions /* OUT */);

/* Fit every target on fit_rows and write its probabilities of test_rows to
 * predicted[k] (OUT, n_test values each); the fit is freed. */
vt_status crossfit_score(const fit_problem *problem, const size_t *fit_rows_at, size_t n_fit,
                         const size_t *test_rows, size_t n_test, double *const *predicted /* OUT */, vt_err *err);

/* held_out[i] (n_used values) 1 for a held-out row: saved (OUT, free with
 * fit_result_free, also on failure) is the fit on the other rows, the
 * model to save; result[k] (OUT) its metrics on the held-out rows. */
vt_status crossfit_holdout(const fit_problem *problem, const int *held_out, const char *method, double red_below,
                           double yellow_below, fit_result *saved /* OUT */, crossfit_metrics *result /* OUT */,
                           vt_err *err);

/* fold_of[i] (n_used values) in [0, folds): out_of_fold[k] (OUT, n_used
 * values each, caller-allocated) each row's prediction by the fit on the
 * other folds; result[k] (OUT; free with crossfit_metrics_free, also on
 * failure) the metrics per fold and on the pooled predictions. */
vt_status crossfit_folds(const fit_problem *problem, const int *fold_of, size_t folds, const char *method,
                         double red_below, double yellow_below, double *const *out_of_fold /* OUT */,
                         crossfit_metrics *result /* OUT */, vt_err *err);
/* The same with each fold's own ridge strengths: l2_by_fold[fold *
 * MODEL_MAX_TARGETS + k] for target k (chosen from that fold's fit rows
 * alone: --l2 cv nested in the folds). */
vt_status crossfit_folds_l2(const fit_problem *problem, const int *fold_of, size_t folds, const double *l2_by_fold,
                            const char *method, double red_below, double yellow_below,
                            double *const *out_of_fold /* OUT */, crossfit_metrics *result /* OUT */, vt_err *err);

#endif
