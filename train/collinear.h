/* collinear: Belsley-Kuh-Welsch collinearity diagnostics on a fitted
 * target's weighted information matrix X'WX (issue 22).
 *
 * Rule: scale X'WX to unit diagonal over the terms not skipped (aliased
 * terms, the intercept when the caller leaves it out); for each eigenvalue
 * l with condition index sqrt(lmax / l) > COLLINEAR_CONDITION, the terms
 * whose variance-decomposition proportion for it exceeds COLLINEAR_PROPORTION
 * form a group; groups sharing a term are merged.  A group of one term is
 * not reported (its variance is inflated, but no split is in question).
 * Eigenvectors come from gsl_eigen_symmv (no BLAS), so the groups do not
 * depend on threads or CPU.  The library never prints: the caller names
 * the groups.  Errors: VT_ENOMEM, VT_EBADLEN (p == 0). */
#ifndef COLLINEAR_H
#define COLLINEAR_H

#include <stddef.h>

#include "vt.h"

#define COLLINEAR_CONDITION 30.0
#define COLLINEAR_PROPORTION 0.5

typedef struct {
    size_t n_terms;
    size_t *terms;          /* term indices, increasing */
    double condition_index; /* the largest condition index that put them together */
    double standardised;    /* the group's size, filled by irls (irls.c's collinear_sizes); 0 here */
} collinear_group;

/* xtwx: p x p row-major, symmetric.  skip[t] set (or skip NULL: none)
 * leaves term t out.  On VT_OK *groups (caller frees with
 * collinear_groups_free) holds *n_groups groups ordered by their first
 * term; NULL when there are none. */
vt_status collinear_find(const double *xtwx, size_t p, const int *skip, collinear_group **groups /* OUT */,
                         size_t *n_groups /* OUT */);
void collinear_groups_free(collinear_group *groups, size_t n_groups); /* NULL ok */

#endif
