#include "linalg.h"

#include <gsl/gsl_eigen.h>
#include <gsl/gsl_sort_vector.h>

#include <math.h>
#include <stdlib.h>
#include <string.h>

/* Row-major throughout. */

/* Every sum below adds its terms in one fixed order (rows in row order,
 * terms in term order), so the results are the same bits on every CPU:
 * OpenBLAS's dsyrk/dgemv chose their summation order by CPU (AVX-512
 * kernels differ from AVX2 ones), which made model files differ between
 * machines, so no BLAS is called (and OpenBLAS is not linked).  Loops run across independent entries,
 * where the compiler may vectorise without changing any sum's order. */

/* Rows folded into the accumulators per pass over them: each entry still
 * adds its rows one after another, in row order. */
#define ROWS_PER_PASS 4


/* Upper triangle of acc += sum over rows of wx_i' x_i (wx = weighted rows),
 * for n rows <= ROWS_PER_PASS, each entry adding row 0 first. */
WIDEST_VECTORS static void add_rows_upper(double *acc, size_t n_cols, const double *const *x, const double *const *wx, size_t n)
{
    for (size_t a = 0; a < n_cols; a++) {
        double *row = acc + a * n_cols;
        if (n == ROWS_PER_PASS) {
            double w0 = wx[0][a], w1 = wx[1][a], w2 = wx[2][a], w3 = wx[3][a];
            for (size_t b = a; b < n_cols; b++)
                row[b] = (((row[b] + w0 * x[0][b]) + w1 * x[1][b]) + w2 * x[2][b]) + w3 * x[3][b];
        } else {
            for (size_t i = 0; i < n; i++)
                for (size_t b = a; b < n_cols; b++)
                    row[b] += wx[i][a] * x[i][b];
        }
    }
}

vt_status gram(const double *x, size_t n_rows, size_t n_cols, double *out)
{
    if (n_cols == 0)
        return VT_EBADLEN;
    memset(out, 0, n_cols * n_cols * sizeof *out);
    for (size_t first = 0; first < n_rows; first += ROWS_PER_PASS) {
        const double *rows[ROWS_PER_PASS];
        size_t n = n_rows - first < ROWS_PER_PASS ? n_rows - first : ROWS_PER_PASS;
        for (size_t i = 0; i < n; i++)
            rows[i] = x + (first + i) * n_cols;
        add_rows_upper(out, n_cols, rows, rows, n);
    }
    gram_mirror(out, n_cols);
    return VT_OK;
}

vt_status gram_and_cross_add(const double *x, size_t n_rows, size_t n_cols, const double *weights, const double *z,
                             double *gram, double *cross)
{
    if (n_cols == 0)
        return VT_EBADLEN;
    double weighted[ROWS_PER_PASS * n_cols];
    for (size_t first = 0; first < n_rows; first += ROWS_PER_PASS) {
        const double *rows[ROWS_PER_PASS], *weighted_rows[ROWS_PER_PASS];
        size_t n = n_rows - first < ROWS_PER_PASS ? n_rows - first : ROWS_PER_PASS;
        for (size_t i = 0; i < n; i++) {
            double *wx = weighted + i * n_cols, w = weights[first + i];
            rows[i] = x + (first + i) * n_cols;
            for (size_t j = 0; j < n_cols; j++)
                wx[j] = w * rows[i][j];
            weighted_rows[i] = wx;
            double wz = w * z[first + i];
            for (size_t j = 0; j < n_cols; j++)
                cross[j] += wz * rows[i][j];
        }
        add_rows_upper(gram, n_cols, rows, weighted_rows, n);
    }
    return VT_OK;
}

void gram_mirror(double *gram, size_t n_cols)
{
    for (size_t j = 0; j < n_cols; j++)
        for (size_t k = 0; k < j; k++)
            gram[j * n_cols + k] = gram[k * n_cols + j];
}

vt_status x_times_vector(const double *x, size_t n_rows, size_t n_cols, const double *b, double *out)
{
    if (n_cols == 0)
        return VT_EBADLEN;
    for (size_t i = 0; i < n_rows; i++) {
        const double *row = x + i * n_cols;
        double sum = 0.0;
        for (size_t j = 0; j < n_cols; j++)
            sum += row[j] * b[j];
        out[i] = sum;
    }
    return VT_OK;
}

/* Cholesky-Banachiewicz (Golub & Van Loan, Matrix Computations, 4.2.5),
 * row by row, each dot product in index order. */
vt_status cholesky_factor(double *a, size_t n)
{
    for (size_t j = 0; j < n; j++) {
        double *row_j = a + j * n;
        for (size_t k = 0; k <= j; k++) {
            const double *row_k = a + k * n;
            double sum = row_j[k];
            for (size_t m = 0; m < k; m++)
                sum -= row_j[m] * row_k[m];
            if (k < j) {
                row_j[k] = sum / row_k[k];
            } else {
                if (!(sum > 0.0) || !isfinite(sum))
                    return VT_ENUMERIC;
                row_j[j] = sqrt(sum);
            }
        }
    }
    return VT_OK;
}

void cholesky_solve(const double *l, size_t n, const double *b, double *x)
{
    for (size_t j = 0; j < n; j++) { /* L y = b */
        double sum = b[j];
        for (size_t m = 0; m < j; m++)
            sum -= l[j * n + m] * x[m];
        x[j] = sum / l[j * n + j];
    }
    for (size_t j = n; j-- > 0;) { /* L' x = y */
        double sum = x[j];
        for (size_t m = j + 1; m < n; m++)
            sum -= l[m * n + j] * x[m];
        x[j] = sum / l[j * n + j];
    }
}

vt_status cholesky_invert(const double *l, size_t n, double *inverse)
{
    double *unit = vt_calloc(n ? n : 1, sizeof *unit), *column = vt_calloc(n ? n : 1, sizeof *column);
    if (unit == NULL || column == NULL) {
        free(unit);
        free(column);
        return VT_ENOMEM;
    }
    for (size_t c = 0; c < n; c++) {
        unit[c] = 1.0;
        cholesky_solve(l, n, unit, column);
        unit[c] = 0.0;
        for (size_t r = 0; r < n; r++)
            inverse[r * n + c] = column[r];
    }
    /* The two halves of a solved inverse differ in the last bits: keep one. */
    for (size_t r = 0; r < n; r++)
        for (size_t c = 0; c < r; c++)
            inverse[r * n + c] = inverse[c * n + r];
    free(unit);
    free(column);
    return VT_OK;
}

vt_status eigen_symmetric(const double *a, size_t n, double *values, double *vectors)
{
    gsl_matrix *copy = gsl_matrix_alloc(n, n), *v = vectors ? gsl_matrix_alloc(n, n) : NULL;
    gsl_vector *e = gsl_vector_alloc(n);
    gsl_eigen_symmv_workspace *work_v = vectors ? gsl_eigen_symmv_alloc(n) : NULL;
    gsl_eigen_symm_workspace *work = vectors ? NULL : gsl_eigen_symm_alloc(n);
    vt_status status = VT_OK;
    if (!copy || !e || (vectors && (!v || !work_v)) || (!vectors && !work)) {
        status = VT_ENOMEM;
    } else {
        for (size_t i = 0; i < n * n; i++)
            copy->data[i] = a[i];
        int failed = vectors ? gsl_eigen_symmv(copy, e, v, work_v) || gsl_eigen_symmv_sort(e, v, GSL_EIGEN_SORT_VAL_DESC)
                             : gsl_eigen_symm(copy, e, work);
        if (failed)
            status = VT_ENUMERIC;
        else if (!vectors)
            gsl_sort_vector(e); /* ascending: read backwards below */
        for (size_t i = 0; !failed && i < n; i++) {
            values[i] = gsl_vector_get(e, vectors ? i : n - 1 - i);
            for (size_t j = 0; vectors && j < n; j++)
                vectors[i * n + j] = gsl_matrix_get(v, i, j);
        }
    }
    gsl_matrix_free(copy);
    gsl_matrix_free(v);
    gsl_vector_free(e);
    gsl_eigen_symmv_free(work_v);
    gsl_eigen_symm_free(work);
    return status;
}
