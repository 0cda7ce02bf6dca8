#include "linalg.h"

#include <cblas.h>
#include <limits.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

/* Row-major throughout. */

static int fits_int(size_t a, size_t b)
{
    return a <= INT_MAX && b <= INT_MAX;
}

/* Rows per weighted block: it stays in cache, and the whole weighted
 * design is never stored. */
#define GRAM_BLOCK_ROWS 2048

/* dsyrk fills the upper triangle; callers get the full matrix. */
static void mirror_upper(double *gram, size_t n_cols)
{
    for (size_t j = 0; j < n_cols; j++)
        for (size_t k = 0; k < j; k++)
            gram[j * n_cols + k] = gram[k * n_cols + j];
}

vt_status gram(const double *x, size_t n_rows, size_t n_cols, double *out)
{
    if (!fits_int(n_rows, n_cols) || n_cols == 0)
        return VT_EBADLEN;
    cblas_dsyrk(CblasRowMajor, CblasUpper, CblasTrans, (int)n_cols, (int)n_rows, 1.0, x, (int)n_cols, 0.0, out,
                (int)n_cols);
    mirror_upper(out, n_cols);
    return VT_OK;
}

vt_status gram_and_cross_weighted(const double *x, size_t n_rows, size_t n_cols, const double *weights,
                                  const double *z, double *gram, double *cross)
{
    if (!fits_int(GRAM_BLOCK_ROWS, n_cols) || n_cols == 0)
        return VT_EBADLEN;
    double *block = malloc(GRAM_BLOCK_ROWS * (n_cols + 1) * sizeof *block);
    if (block == NULL)
        return VT_ENOMEM;
    double *root_z = block + GRAM_BLOCK_ROWS * n_cols;
    memset(gram, 0, n_cols * n_cols * sizeof *gram);
    memset(cross, 0, n_cols * sizeof *cross);
    for (size_t first = 0; first < n_rows; first += GRAM_BLOCK_ROWS) {
        size_t rows = n_rows - first < GRAM_BLOCK_ROWS ? n_rows - first : GRAM_BLOCK_ROWS;
        for (size_t i = 0; i < rows; i++) {
            double root = sqrt(weights[first + i]);
            const double *in = x + (first + i) * n_cols;
            for (size_t j = 0; j < n_cols; j++)
                block[i * n_cols + j] = root * in[j];
            root_z[i] = root * z[first + i];
        }
        cblas_dsyrk(CblasRowMajor, CblasUpper, CblasTrans, (int)n_cols, (int)rows, 1.0, block, (int)n_cols, 1.0,
                    gram, (int)n_cols);
        cblas_dgemv(CblasRowMajor, CblasTrans, (int)rows, (int)n_cols, 1.0, block, (int)n_cols, root_z, 1, 1.0, cross,
                    1);
    }
    free(block);
    mirror_upper(gram, n_cols);
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

extern void openblas_set_num_threads(int);

void linalg_single_thread(void)
{
    openblas_set_num_threads(1);
}
