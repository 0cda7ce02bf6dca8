/* smooth_test: the approximate significance test of one smooth term, as
 * mgcv 1.8-41's summary.gam computes it (its testStat with type = 0;
 * Wood 2013, "On p-values for smooth components of an extended generalized
 * additive model", Biometrika 100(1):221-228).
 *
 * The statistic is beta' R_j' V_r^- R_j beta, where R_j' R_j is the
 * smooth's block of X'WX and V_r^- a rank-r pseudo-inverse of
 * R_j V_j R_j' (V_j the smooth's block of the Bayesian covariance Vp), with
 * r = min(p, edf1) possibly fractional: for r = k + nu, 0 < nu < 1, the
 * k-th and (k+1)-th eigen-directions are blended (Wood 2013, sec. 3) and the
 * reference distribution is a weighted sum of chi-squares with weights
 * 1, ..., 1, (1 + nu + sqrt((1 + nu)(1 - nu)))/2, the rest of 1 + nu.  Its
 * upper tail comes from mgcv's psum.chisq: Davies' (1980) algorithm with
 * tol = 2e-5 and nlim = 1e5, falling back on Liu, Tang and Zhang's (2009)
 * approximation where Davies' fails.  An integer rank (nu = 0) is referred
 * to chi-square(r) (or F(r, res_df) when the scale is estimated).
 *
 * Everything psum.chisq does is copied, its quirks included: the p-value
 * of Davies' algorithm is accurate to about 2e-5 only, so it is 0 beyond
 * the point where the upper tail is surely below ~1e-5, can be noisy or
 * even slightly negative below that, and the result is min(1, p), as in R.
 * The aim is R's numbers, not better ones.
 *
 * Pure computation: no I/O, no globals, thread-safe.  Allocations go through
 * vt_malloc, except GSL's eigen workspace.  The GSL calls (eigen, cdf) get
 * valid arguments; like every vitals module this one assumes main() has
 * called gsl_set_error_handler_off(), should GSL still report one. */
#ifndef SMOOTH_TEST_H
#define SMOOTH_TEST_H

#include <stddef.h>

#include "vt.h"

/* A smooth with more coefficients is refused (VT_EDATA) before allocating:
 * p x p blocks are copied three times and eigen-decomposed. */
#ifndef SMOOTH_TEST_MAX_P
#define SMOOTH_TEST_MAX_P 5000
#endif

typedef struct {
    double stat;    /* the Wald-type statistic: summary.gam's Chi.sq */
    double p_value; /* summary.gam's p-value (R's value, in [.., 1]) */
    double ref_df;  /* testStat's rank: summary.gam's Ref.df */
} smooth_test_result;

/* The test of one smooth with p coefficients.  gram_block: the smooth's
 * p x p block of X'WX of the fit (row-major; only its upper triangle is
 * read); cov_block: the p x p block of the Bayesian covariance Vp
 * (row-major, symmetric); beta: the smooth's p coefficients; rank:
 * min(p, edf1), edf1 summed over the smooth's coefficients, as summary.gam
 * passes it; res_df: residual degrees of freedom n - sum(edf) when the
 * scale is estimated, <= 0 for a known scale (binomial, Poisson).
 * Returns VT_OK and fills *out, or:
 *   VT_EDATA     p = 0 or above SMOOTH_TEST_MAX_P; a non-finite input; rank
 *                not positive (summary.gam never passes one; testStat would
 *                return a p-value of 0 or NaN); cov_block with no positive
 *                eigenvalue;
 *   VT_ENUMERIC  gram_block not positive definite; a p-value that is NaN
 *                (Davies' algorithm and Liu's fallback both failed);
 *   VT_ENOMEM    an allocation failed. */
vt_status smooth_test(size_t p, const double *gram_block, const double *cov_block, const double *beta, double rank,
                      double res_df, smooth_test_result *out /* OUT */, vt_err *err);

/* mgcv's psum.chisq(q, lb, df, nc, sigz, lower.tail, tol, nlim) for one q:
 * Pr(Q > q) (or Pr(Q < q) with lower_tail) for Q = sum_j lb[j] X_j +
 * sigz Z, X_j chi-square with df[j] degrees of freedom and non-centrality
 * nc[j], Z standard normal.  df: rounded half to even as R's round() does,
 * each >= 1; NULL = all 1.  nc: NULL = all 0.  tol, nlim: Davies' accuracy
 * and term limit (psum.chisq's defaults: SMOOTH_TEST_TOL, _NLIM).
 * *ifault (may be NULL) gets Davies' fault code: 0 fine, 1 accuracy not
 * reached (then, as psum.chisq, Liu et al.'s approximation of the UPPER
 * tail is returned even for lower_tail, or VT_ENUMERIC if any nc is not 0,
 * where R returns NA), 2 round-off possibly significant (the value is
 * kept), 4 the integration parameters were not found within
 * SMOOTH_TEST_MAX_SEARCH steps (where R would loop forever; treated as 1).
 * Errors: VT_EDATA for r = 0, all lb 0, a df below 1, a negative nc, a
 * non-finite input, tol <= 0; VT_ENOMEM. */
#define SMOOTH_TEST_TOL 2e-5
#define SMOOTH_TEST_NLIM 100000
#ifndef SMOOTH_TEST_MAX_SEARCH
#define SMOOTH_TEST_MAX_SEARCH 5000
#endif
vt_status smooth_test_psum_chisq(double q, size_t r, const double *lb, const double *df, const double *nc, double sigz,
                                 int lower_tail, double tol, int nlim, double *p /* OUT */, int *ifault /* OUT */,
                                 vt_err *err);

#endif
