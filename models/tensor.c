#include "tensor.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "linalg.h"

static vt_status tensor_penalties(tensor_spec *spec, vt_err *err);

vt_status tensor_spec_build(const double *x1, const double *x2, size_t n_rows, size_t k1, size_t k2,
                            tensor_spec *spec, vt_err *err)
{
    memset(spec, 0, sizeof *spec);
    if (k1 < SMOOTH_MIN_K || k2 < SMOOTH_MIN_K || k1 > TENSOR_MAX_K || k2 > TENSOR_MAX_K)
        return vt_err_set(err, VT_EDATA, NULL, 0, 0, "a tensor term needs %d to %d knots per column, not %zu and %zu",
                          SMOOTH_MIN_K, TENSOR_MAX_K, k1, k2);
    size_t n_distinct;
    vt_status status = smooth_spec_learn(x1, n_rows, k1, &spec->margin[0], &n_distinct, err);
    if (status == VT_OK)
        status = smooth_spec_learn(x2, n_rows, k2, &spec->margin[1], &n_distinct, err);
    size_t d1 = k1 - 1, d2 = k2 - 1;
    double values[TENSOR_MAX_K];
    /* step 3: each margin's largest eigenvalue (eigen()$values[1]) */
    for (int i = 0; status == VT_OK && i < 2; i++) {
        const smooth_spec *m = &spec->margin[i];
        if ((status = eigen_symmetric(m->penalty, m->k - 1, values, NULL)) != VT_OK)
            vt_err_set(err, status, NULL, 0, 0, status == VT_ENOMEM ? "out of memory" : "a tensor margin's eigenvalues failed");
        else
            spec->margin_norm[i] = values[0];
    }
    /* step 5: ||X||_inf of the tensor model matrix over the rows (dlange's
     * 'I' norm: each row's absolute values summed, columns in order) */
    double b1[TENSOR_MAX_K], b2[TENSOR_MAX_K], max_row_sum = 0.0;
    for (size_t r = 0; status == VT_OK && r < n_rows; r++) {
        smooth_eval(&spec->margin[0], x1[r], b1);
        smooth_eval(&spec->margin[1], x2[r], b2);
        double sum = 0.0;
        for (size_t i = 0; i < d1; i++)
            for (size_t j = 0; j < d2; j++)
                sum += fabs(b1[i] * b2[j]);
        max_row_sum = fmax(max_row_sum, sum);
    }
    /* ||S_j||_1: Kronecker with an identity, so the largest column sum of
     * |Sm_j / norm_j| */
    for (int i = 0; status == VT_OK && i < 2; i++) {
        const smooth_spec *m = &spec->margin[i];
        size_t q = m->k - 1;
        double largest = 0.0;
        for (size_t b = 0; b < q; b++) {
            double sum = 0.0;
            for (size_t a = 0; a < q; a++)
                sum += fabs(m->penalty[a * q + b] / spec->margin_norm[i]);
            largest = fmax(largest, sum);
        }
        spec->penalty_scale[i] = largest / (max_row_sum * max_row_sum);
    }
    if (status == VT_OK)
        status = tensor_penalties(spec, err);
    if (status != VT_OK)
        tensor_free(spec);
    return status;
}

/* S_1 = (Sm_1 / norm_1) (x) I / scale_1, S_2 = I (x) (Sm_2 / norm_2) / scale_2,
 * row and column i2 + d2 i1, in mgcv's order of operations. */
static vt_status tensor_penalties(tensor_spec *spec, vt_err *err)
{
    size_t d1 = spec->margin[0].k - 1, d2 = spec->margin[1].k - 1, n = d1 * d2;
    if (!(spec->margin_norm[0] > 0) || !(spec->margin_norm[1] > 0) || !(spec->penalty_scale[0] > 0) ||
        !(spec->penalty_scale[1] > 0) || !isfinite(spec->penalty_scale[0]) || !isfinite(spec->penalty_scale[1]))
        return vt_err_set(err, VT_EDATA, NULL, 0, 0, "a tensor term's penalty scales are not usable");
    spec->n = n;
    for (int j = 0; j < 2; j++) {
        free(spec->penalty[j]);
        if ((spec->penalty[j] = vt_calloc(n * n, sizeof(double))) == NULL)
            return vt_err_set(err, VT_ENOMEM, NULL, 0, 0, "out of memory");
    }
    const double *s1 = spec->margin[0].penalty, *s2 = spec->margin[1].penalty;
    for (size_t i1 = 0; i1 < d1; i1++)
        for (size_t i2 = 0; i2 < d2; i2++) {
            size_t row = i1 * d2 + i2;
            for (size_t j1 = 0; j1 < d1; j1++) /* S_1: same i2 */
                spec->penalty[0][row * n + j1 * d2 + i2] =
                    s1[i1 * d1 + j1] / spec->margin_norm[0] / spec->penalty_scale[0];
            for (size_t j2 = 0; j2 < d2; j2++) /* S_2: same i1 */
                spec->penalty[1][row * n + i1 * d2 + j2] =
                    s2[i2 * d2 + j2] / spec->margin_norm[1] / spec->penalty_scale[1];
        }
    return VT_OK;
}

vt_status tensor_finish(tensor_spec *spec, vt_err *err)
{
    for (int i = 0; i < 2; i++) {
        if (spec->margin[i].k > TENSOR_MAX_K)
            return vt_err_set(err, VT_EDATA, NULL, 0, 0, "a tensor term needs at most %d knots per column",
                              TENSOR_MAX_K);
        vt_status status = smooth_finish(&spec->margin[i], err);
        if (status != VT_OK)
            return status;
    }
    return tensor_penalties(spec, err);
}

void tensor_free(tensor_spec *spec)
{
    if (spec == NULL)
        return;
    smooth_free(&spec->margin[0]);
    smooth_free(&spec->margin[1]);
    free(spec->penalty[0]);
    free(spec->penalty[1]);
    memset(spec, 0, sizeof *spec);
}

void tensor_eval(const tensor_spec *spec, double x1, double x2, double *out)
{
    double b1[TENSOR_MAX_K], b2[TENSOR_MAX_K];
    size_t d1 = spec->margin[0].k - 1, d2 = spec->margin[1].k - 1;
    smooth_eval(&spec->margin[0], x1, b1);
    smooth_eval(&spec->margin[1], x2, b2);
    for (size_t i = 0; i < d1; i++)
        for (size_t j = 0; j < d2; j++)
            out[i * d2 + j] = b1[i] * b2[j];
}

size_t tensor_penalty_rank(const tensor_spec *spec, int j)
{
    size_t d1 = spec->margin[0].k - 1, d2 = spec->margin[1].k - 1;
    return j == 0 ? (d1 - 1) * d2 : d1 * (d2 - 1);
}
