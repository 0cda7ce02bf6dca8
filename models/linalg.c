#include "linalg.h"

#include <cblas.h>
#include <limits.h>
#include <math.h>
#include <string.h>

/* Row-major throughout. */

static int fits_int(size_t a, size_t b)
{
    return a <= INT_MAX && b <= INT_MAX;
}

vt_status gram_weighted(const double *x, size_t n_rows, size_t n_cols, const double *weights,
                        double *scratch, double *gram)
{
    if (!fits_int(n_rows, n_cols) || n_cols == 0)
        return VT_EBADLEN;
    const double *rows = x;
    if (weights != NULL) {
        for (size_t i = 0; i < n_rows; i++) {
            double root = sqrt(weights[i]);
            const double *in = x + i * n_cols;
            double *out = scratch + i * n_cols;
            for (size_t j = 0; j < n_cols; j++)
                out[j] = root * in[j];
        }
        rows = scratch;
    }
    cblas_dsyrk(CblasRowMajor, CblasUpper, CblasTrans, (int)n_cols, (int)n_rows, 1.0, rows,
                (int)n_cols, 0.0, gram, (int)n_cols);
    for (size_t j = 0; j < n_cols; j++)
        for (size_t k = 0; k < j; k++)
            gram[j * n_cols + k] = gram[k * n_cols + j];
    return VT_OK;
}

vt_status xt_times_vector(const double *x, size_t n_rows, size_t n_cols, const double *v,
                          double *out)
{
    if (!fits_int(n_rows, n_cols) || n_cols == 0)
        return VT_EBADLEN;
    cblas_dgemv(CblasRowMajor, CblasTrans, (int)n_rows, (int)n_cols, 1.0, x, (int)n_cols, v, 1,
                0.0, out, 1);
    return VT_OK;
}

vt_status x_times_vector(const double *x, size_t n_rows, size_t n_cols, const double *b,
                         double *out)
{
    if (!fits_int(n_rows, n_cols) || n_cols == 0)
        return VT_EBADLEN;
    cblas_dgemv(CblasRowMajor, CblasNoTrans, (int)n_rows, (int)n_cols, 1.0, x, (int)n_cols, b, 1,
                0.0, out, 1);
    return VT_OK;
}

vt_status x_times_matrix(const double *x, size_t n_rows, size_t n_cols, const double *b,
                         size_t n_out, double *out)
{
    if (!fits_int(n_rows, n_cols) || n_out > INT_MAX || n_cols == 0 || n_out == 0)
        return VT_EBADLEN;
    cblas_dgemm(CblasRowMajor, CblasNoTrans, CblasNoTrans, (int)n_rows, (int)n_out, (int)n_cols,
                1.0, x, (int)n_cols, b, (int)n_out, 0.0, out, (int)n_out);
    return VT_OK;
}

extern void openblas_set_num_threads(int);

void linalg_single_thread(void)
{
    openblas_set_num_threads(1);
}
