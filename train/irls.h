/* irls: maximum-likelihood logistic regression as R's glm.fit computes it.
 *
 * Iteratively reweighted least squares (McCullagh & Nelder, Generalized
 * Linear Models, 2nd ed., section 2.5), step for step as R's glm.fit:
 * start from mu = (y + 0.5) / 2, stop when |dev - dev_old| / (|dev| + 0.1)
 * < epsilon, halve the step when the deviance is not finite or rises.
 * X'WX and X'Wz are summed in a fixed order (models/linalg.h) and solved
 * by Cholesky on internally centred and scaled columns (for conditioning;
 * estimates are reported on the raw scale).  One pass over the rows per
 * iteration computes the deviance at the new estimate and, with it, the
 * next X'WX and X'Wz.
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

#include "collinear.h"
#include "vt.h"

typedef struct {
    int max_iter;     /* R's glm.control maxit, default 25 */
    double epsilon;   /* R's glm.control epsilon, default 1e-8 */
    int firth;        /* Firth's penalised likelihood (Jeffreys prior) */
    double l2;        /* ridge: maximise loglik / n - l2 / 2 * sum((beta_j sd_j)^2),
                         intercept unpenalised; 0 for none */
} irls_options;

/* What a fit with smooth terms (gam.h) adds to a result. */
typedef struct {
    size_t n_smooths;
    double *sp;           /* per smooth: the smoothing parameter (mgcv's sp) */
    double *edf, *edf1;   /* per smooth: effective degrees of freedom (mgcv's edf, edf1) */
    double *ref_df, *chi_sq, *p_value; /* per smooth: summary.gam's test */
    double *edf_term;     /* per term: diag of F = (X'WX + S)^-1 X'WX */
    double *cov;          /* n_terms x n_terms: the Bayesian posterior covariance (mgcv's Vp); 0 where aliased */
    double reml;          /* the Laplace REML score, as mgcv's gcv.ubre */
    double edf_total;
    int outer_iterations; /* Newton steps on the log smoothing parameters */
    int outer_converged;
} irls_smooth_info;

void irls_smooth_info_free(irls_smooth_info *info); /* NULL ok */

typedef struct {
    size_t n_terms;
    int *aliased;         /* per term */
    char **alias_reason;  /* per term, NULL unless aliased */
    double *estimate, *std_error, *z_value, *p_value; /* NaN where aliased */
    double deviance, null_deviance, log_likelihood, aic, bic;
    size_t n_obs, rank, df_residual, df_null;
    int iterations, converged;
    size_t n_boundary;    /* fitted probabilities numerically 0 or 1 */
    irls_smooth_info *smooth; /* NULL unless fitted with smooth terms */
    /* Groups of nearly collinear terms (collinear.h's rule, on the
     * information of the centred, scaled columns at the fit: the inverse
     * of their covariance block, so the intercept is profiled out), term
     * indices; NULL/0 when none, and for smooth fits. */
    collinear_group *collinear;
    size_t n_collinear;
} irls_result;

void irls_options_default(irls_options *options);

/* ------------------------------------------------------------ row sources
 *
 * The raw design is never stored: every pass asks the source for its rows.
 * A source may be a table in memory or a file read again for each pass.
 * scan(context, first, count, visit, visit_context, err) must call visit
 * on rows [first, first + count) in order, in consecutive blocks of
 * IRLS_BLOCK_ROWS rows (the last one shorter), and return visit's first
 * failure or its own.  It is called from several threads at once on
 * disjoint ranges.  A block holds the raw design (count x n_terms,
 * row-major, column 0 the intercept) and, per target, the 0/1 outcome and
 * the prior weights (NULL: all 1).  The block's memory belongs to the
 * source and is valid during the call. */
#define IRLS_MAX_TARGETS 2
#define IRLS_BLOCK_ROWS 2048

typedef struct {
    size_t count;
    const double *x;
    const double *y[IRLS_MAX_TARGETS];
    const double *prior[IRLS_MAX_TARGETS];
} irls_block;

typedef vt_status (*irls_visit_fn)(void *visit_context, const irls_block *block);

typedef struct {
    vt_status (*scan)(const void *context, size_t first, size_t count, irls_visit_fn visit, void *visit_context,
                      vt_err *err);
    const void *context;
    size_t n_rows, n_terms, n_targets;
    char *const *term_names; /* n_terms */
    /* The smooth terms' penalties summed (n_terms x n_terms on the raw
     * columns), or NULL: the alias check then asks whether a column is
     * identified by the data and the penalty together, as a penalised fit
     * needs (a curve per level whose level spans a few knot intervals has
     * basis columns the rows alone cannot tell apart). */
    const double *penalty;
    /* Per term, why the caller leaves it out of this fit (NULL: kept), or
     * NULL for none: such a term is set aside as an aliased one is (no
     * estimate, scored as 0) with this reason. */
    char *const *left_out;
} irls_source;

/* A design prepared for fitting: its aliased columns found, the kept ones
 * centred and scaled, and each target's totals.  It keeps a pointer to
 * the source, which must outlive it, and serves every target. */
typedef struct irls_design irls_design;

/* Terms a design may have: each pass holds a terms x terms matrix per
 * chunk of rows and target, so 40,000 columns (13 GB apiece) ran for
 * minutes and died without a word; 5,000 keeps one under 200 MB. */
#ifndef IRLS_MAX_TERMS
#define IRLS_MAX_TERMS 5000
#endif

/* threads: 0 for one per core; the results do not depend on it. */
vt_status irls_design_new(const irls_source *source, size_t threads, irls_design **out /* OUT */, vt_err *err);
void irls_design_free(irls_design *prepared);
/* The mean of every raw column (n_terms values, owned by the design). */
const double *irls_design_means(const irls_design *prepared);
/* The sample standard deviation of every raw column (0 for the intercept). */
const double *irls_design_sds(const irls_design *prepared);

/* What to fit for one of the source's targets. */
typedef struct {
    irls_options options;
    int skip;         /* leave it unfitted: its result stays NULL */
    const char *name; /* in errors: "fitting the NAME model: ..." */
} irls_target;

/* Fit every target not skipped (targets and out: source->n_targets each).
 * The targets iterate together, one pass over the rows serving all that
 * are still iterating, and each follows exactly the sequence it would
 * alone: the results do not depend on which others are fitted.  Prior
 * weights are taken as R's glm(weights =) takes them (0 leaves a row out
 * of n); the log-likelihood and AIC are R's for whole-number weights.
 * On failure no result is returned. */
vt_status irls_fit(const irls_design *prepared, const irls_target *targets, irls_result **out /* OUT */, vt_err *err);
void irls_result_free(irls_result *result);

#endif
