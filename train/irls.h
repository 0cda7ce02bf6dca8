/* irls: maximum-likelihood logistic regression as R's glm.fit computes it.
 *
 * Iteratively reweighted least squares (McCullagh & Nelder, Generalized
 * Linear Models, 2nd ed., section 2.5), step for step as R's glm.fit:
 * start from mu = (y + 0.5) / 2, stop when |dev - dev_old| / (|dev| + 0.1)
 * < epsilon, halve the step when the deviance is not finite or rises.
 * X'WX is formed with dsyrk, X'Wz with dgemv, and solved by Cholesky on
 * internally centred and scaled columns (for conditioning; estimates are
 * reported on the raw scale).
 *
 * Before fitting, aliased columns are found as R's dqrdc2 finds them: in
 * column order, a column whose norm left after projecting out the earlier
 * kept columns is below 1e-7 of its own norm is dropped (constant columns
 * included); its estimate is NaN and a reason names the dependency.
 * Standard errors come from the inverse of X'WX of the last solve, as
 * summary.glm reports them.
 *
 * With options->firth, Firth's penalised likelihood instead (Firth 1993;
 * Heinze & Schemper 2002): the working response gains the leverage term
 * h_i (1/2 - mu_i), so estimates stay finite under separation; iterations
 * stop when no coefficient moves by more than epsilon, and standard errors
 * come from X'WX at the estimate (as logistf reports them).
 *
 * With options->l2, ridge: the penalty is added to X'WX (intercept
 * excluded) and convergence is judged on the penalised deviance; standard
 * errors come from (X'WX + penalty)^-1.  Each pass over the rows runs on threads over
 * a fixed set of row chunks summed in order, so the numbers are the same
 * whatever the thread count.  The design's first column must be the
 * intercept.  Results are owned by the caller: irls_result_free. */
#ifndef IRLS_H
#define IRLS_H

#include <stddef.h>

#include "vt.h"

typedef struct {
    int max_iter;     /* R's glm.control maxit, default 25 */
    double epsilon;   /* R's glm.control epsilon, default 1e-8 */
    size_t threads;   /* 0: one per core; the result does not depend on it */
    int firth;        /* Firth's penalised likelihood (Jeffreys prior) */
    double l2;        /* ridge: maximise loglik / n - l2 / 2 * sum((beta_j sd_j)^2),
                         intercept unpenalised; 0 for none */
} irls_options;

typedef struct {
    size_t n_terms;
    int *aliased;         /* per term */
    char **alias_reason;  /* per term, NULL unless aliased */
    double *estimate, *std_error, *z_value, *p_value; /* NaN where aliased */
    double deviance, null_deviance, log_likelihood, aic, bic;
    size_t n_obs, rank, df_residual, df_null;
    int iterations, converged;
    size_t n_boundary;    /* fitted probabilities numerically 0 or 1 */
    double *fitted;       /* n_obs probabilities */
} irls_result;

void irls_options_default(irls_options *options);

/* A design prepared for fitting: its aliased columns found and the kept
 * ones centred and scaled.  It does not depend on the response, so one
 * prepared design serves every target.
 *
 * The raw design is never stored: rows(source, first, count, out) must
 * write rows [first, first + count) (count x n_terms, row-major, column 0
 * the intercept) and may be called from several threads at once. */
typedef struct irls_design irls_design;
typedef void (*irls_rows_fn)(const void *source, size_t first, size_t count, double *out);

/* Terms a design may have: each pass holds several terms x terms matrices
 * per chunk of rows, so 40,000 columns (13 GB apiece) ran for minutes and
 * died without a word; 5,000 keeps one under 200 MB. */
#ifndef IRLS_MAX_TERMS
#define IRLS_MAX_TERMS 5000
#endif

vt_status irls_design_new(irls_rows_fn rows, const void *source, size_t n_rows, size_t n_terms,
                          char *const *term_names, size_t threads, irls_design **out /* OUT */, vt_err *err);
void irls_design_free(irls_design *prepared);
/* The mean of every raw column (n_terms values, owned by the design). */
const double *irls_design_means(const irls_design *prepared);
/* The sample standard deviation of every raw column (0 for the intercept). */
const double *irls_design_sds(const irls_design *prepared);

/* Fit the 0/1 response y (n_rows values) on a prepared design.  prior:
 * row weights as R's glm(weights =) takes them (NULL: all 1; 0 leaves a
 * row out of n); the log-likelihood and AIC are R's for whole-number
 * weights. */
vt_status irls_fit(const irls_design *prepared, const double *y, const double *prior, const irls_options *options,
                   irls_result **out /* OUT */, vt_err *err);
void irls_result_free(irls_result *result);

#endif
