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

typedef struct {
    size_t first, n;       /* the smooth's terms [first, first + n) of the design */
    const double *penalty; /* n x n, row-major: S_k on the raw columns */
    size_t rank;           /* of the penalty */
    double log_pdet;       /* log of the product of its positive eigenvalues */
    double sp;             /* > 0: fixed (--sp); 0: chosen by REML */
} gam_smooth;

/* Fit target k of the prepared design (irls_design_new) with these
 * smooths.  options: max_iter bounds the inner iterations per step.
 * Errors: a smooth term found aliased, a fit that does not converge to a
 * finite deviance, VT_ENOMEM; messages name the target. */
vt_status gam_fit(const irls_design *prepared, size_t k, const char *name, const gam_smooth *smooths,
                  size_t n_smooths, const irls_options *options, irls_result **out /* OUT */, vt_err *err);

#endif
