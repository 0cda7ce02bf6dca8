/* gam: penalised logistic regression with smooth terms, each smoothing
 * parameter chosen by REML, as mgcv's gam(family = binomial, method =
 * "REML") chooses it.
 *
 * Inner loop: penalised IRLS at fixed smoothing parameters lambda (mgcv's
 * gam.fit3 without its reparameterisation): beta solves (X'WX + S) beta =
 * X'Wz with S = sum_k lambda_k S_k, step-halving on the penalised deviance,
 * iterated until beta moves by less than 1e-9 of its size.
 *
 * Outer loop: Newton's method on rho = log lambda, maximising the
 * Laplace-approximate restricted likelihood (Wood 2011, JRSS-B 73(1),
 * section 2 and appendix; mgcv's gam.fit3 and gdi), with the scale known
 * (binomial), written as mgcv's score to minimise:
 *   V = D/2 + beta'S beta/2 + log|X'WX + S|/2 - log|S|+/2 - Mp/2 log(2 pi)
 * (D the deviance, |S|+ the product of S's positive eigenvalues, Mp the
 * dimension of its null space).  Its gradient and Hessian are exact: the
 * derivatives of beta come from the implicit function theorem, those of W
 * from d w / d eta = w (1 - 2 mu) and d2 w / d eta2 = w (1 - 6 mu + 6 mu^2).
 * The Hessian's negative eigenvalues are flipped (GSL's symmetric
 * eigensolver), steps are capped at 5 in rho (mgcv's maxNstep) and halved
 * while V does not fall; the search stops when every gradient component is
 * below 1e-7 (|V| + 1) or V stops falling.
 *
 * Every sum over rows runs over the design's fixed chunks and is added in
 * chunk order, and the small matrices are handled by fixed loops and by
 * GSL (linked to its own CBLAS), so the result does not depend on the
 * thread count or the CPU.  The result is an irls_result with its smooth
 * info (irls.h): estimates and standard errors from the Bayesian
 * covariance Vp = (X'WX + S)^-1, as summary.gam reports them. */
#ifndef GAM_H
#define GAM_H

#include <stddef.h>

#include "irls.h"
#include "vt.h"

/* One penalty with its smoothing parameter.  A term with several
 * penalties (mgcv's ti(): two, S_1 along the first column and S_2 along
 * the second; models/tensor.h) is given as that many entries with the
 * same first and n, each with its own penalty, rank and sp, exactly as
 * mgcv keeps one sp per penalty.  Entries whose blocks overlap without
 * being the same are refused (VT_EBADLEN).
 *
 * The penalties of one block must be simultaneously diagonalisable on the
 * raw columns (tensor-product penalties A (x) I and I (x) B are: they
 * commute); others are refused (VT_EDATA).  The block is then rotated so
 * that each is diagonal, log|S_lambda|+ over the block is a sum of logs of
 * positive sums, and its derivatives in rho (lambda_i tr(S^+ S_i) and
 * [i = j] lambda_i tr(S^+ S_i) - lambda_i lambda_j tr(S^+ S_i S^+ S_j))
 * are sums of ratios of non-negative numbers: exact to rounding however
 * far apart the lambdas are (mgcv gets the same from its similarity
 * transform, Wood 2011 appendix B).  The rank of the sum (for ti(), all
 * columns but one: mgcv's null.space.dim 1) is read off the rotated
 * penalties; log_pdet is not used for such a block.
 *
 * In the result's smooth info (irls.h) there is one entry per gam_smooth,
 * in the same order: sp is each penalty's own; edf, edf1, ref_df, chi_sq
 * and p_value are the term's (summary.gam's one row for it: the edf
 * summed over the block's columns, testStat on the block with rank
 * min(n, edf1)), repeated in every entry of the term. */
typedef struct {
    size_t first, n;       /* the smooth's terms [first, first + n) of the design */
    const double *penalty; /* n x n, row-major: S_k on the raw columns */
    size_t rank;           /* of the penalty */
    double log_pdet;       /* log of the product of its positive eigenvalues (one penalty per block only) */
    double sp;             /* > 0: fixed (--sp); 0: chosen by REML */
} gam_smooth;

/* Fit target k of the prepared design (irls_design_new) with these
 * smooths.  options: max_iter bounds the inner iterations per step.
 * Errors: a smooth term found aliased, a fit that does not converge to a
 * finite deviance, overlapping blocks (VT_EBADLEN), penalties of one block
 * that do not commute (VT_EDATA), a block of more than 400 columns,
 * VT_ENOMEM; messages name the target. */
vt_status gam_fit(const irls_design *prepared, size_t k, const char *name, const gam_smooth *smooths,
                  size_t n_smooths, const irls_options *options, irls_result **out /* OUT */, vt_err *err);

#endif
