/* linalg: the dense linear algebra of fitting, the same bits on every CPU.
 *
 * All matrices are dense, row-major, with the leading dimension equal to the
 * number of columns.  Every sum is added in a fixed order (rows in row order,
 * terms in index order), never by a BLAS kernel: OpenBLAS picks its kernels
 * by CPU, and their summation orders differ (the AVX-512 ones from the AVX2
 * ones), which made model files differ between machines.  Loops run across
 * independent entries, so the compiler may vectorise them without changing
 * any sum.  VT_EBADLEN for zero columns. */
#ifndef LINALG_H
#define LINALG_H

#include <stddef.h>

#include "vt.h"

/* The wider vector units when the CPU has them: each entry's arithmetic is
 * the same multiply then add whatever the width (no contraction into FMA:
 * -ffp-contract=off), so every clone gives the same bits; AVX2 takes 0.6
 * of SSE's time in gram_and_cross_add.  For loops across independent
 * entries only; a sum over one entry's terms stays in its written order. */
#if defined(__x86_64__) && defined(__GNUC__) && !defined(__clang__) && !defined(__SANITIZE_ADDRESS__)
#define WIDEST_VECTORS __attribute__((target_clones("arch=x86-64-v4", "arch=x86-64-v3", "default")))
#else
#define WIDEST_VECTORS
#endif

/* out (n_cols x n_cols, full) = X' X */
vt_status gram(const double *x, size_t n_rows, size_t n_cols, double *out);

/* The upper triangle of gram += X' W X and cross += X' W z, W =
 * diag(weights), reading X once; each entry adds its rows in row order, so
 * accumulating a chunk block by block gives the same bits as in one call.
 * The lower triangle is left as it was: gram_mirror fills it. */
vt_status gram_and_cross_add(const double *x, size_t n_rows, size_t n_cols, const double *weights, const double *z,
                             double *gram, double *cross);
/* Copy the upper triangle of gram (n_cols x n_cols) to the lower. */
void gram_mirror(double *gram, size_t n_cols);

/* out (n_rows) = X b */
vt_status x_times_vector(const double *x, size_t n_rows, size_t n_cols, const double *b,
                         double *out);

/* A = L L' (A n x n, symmetric positive definite) in place: L in the lower
 * triangle and diagonal, the upper triangle left as it was.  VT_ENUMERIC
 * if A is not positive definite. */
vt_status cholesky_factor(double *a, size_t n);
/* x = (L L')^-1 b, L from cholesky_factor; x and b may not overlap. */
void cholesky_solve(const double *l, size_t n, const double *b, double *x);
/* inverse (n x n, full and exactly symmetric) = (L L')^-1.  VT_ENOMEM possible. */
vt_status cholesky_invert(const double *l, size_t n, double *inverse);

/* The eigenvalues (OUT, n) of the symmetric n x n matrix a (row-major,
 * only read), descending, and if vectors is not NULL its eigenvectors as
 * vectors' columns (OUT, n x n, row-major): GSL's symmetric QR, whose
 * BLAS calls go to gslcblas (CMakeLists.txt), so the same bits on every
 * CPU.  VT_ENOMEM, or VT_ENUMERIC if GSL fails. */
vt_status eigen_symmetric(const double *a, size_t n, double *values, double *vectors);

#endif
