/* linalg: the only module that calls CBLAS.
 *
 * All matrices are dense, row-major, with the leading dimension equal to the
 * number of columns.  Each wrapper names the maths it does, checks that the
 * sizes fit BLAS's int, makes one BLAS call and returns VT_EBADLEN if not. */
#ifndef LINALG_H
#define LINALG_H

#include <stddef.h>

#include "vt.h"

/* out (n_cols x n_cols, full) = X' X */
vt_status gram(const double *x, size_t n_rows, size_t n_cols, double *out);

/* gram = X' W X and cross = X' W z together, W = diag(weights), reading X
 * once: each weighted block B = sqrt(W) X serves B'B and B' (sqrt(W) z).
 * VT_ENOMEM is possible (a block of scratch). */
vt_status gram_and_cross_weighted(const double *x, size_t n_rows, size_t n_cols, const double *weights,
                                  const double *z, double *gram, double *cross);

/* out (n_rows) = X b */
vt_status x_times_vector(const double *x, size_t n_rows, size_t n_cols, const double *b,
                         double *out);

/* Use one OpenBLAS thread: the callers parallelise over rows themselves,
 * and results must not depend on the thread count. */
void linalg_single_thread(void);

#endif
