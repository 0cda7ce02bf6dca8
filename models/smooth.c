#include "smooth.h"

#include "linalg.h"

#include <gsl/gsl_linalg.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

void smooth_place_knots(const double *x, size_t n, size_t k, double *knots)
{
    /* R: quantile(unique(x), seq(0, 1, length = k)), type 7.  seq gives
     * 0, i * (1 / (k - 1)), 1; quantile's index is 1 + (n - 1) p. */
    knots[0] = x[0];
    knots[k - 1] = x[n - 1];
    double step = 1.0 / (double)(k - 1);
    for (size_t i = 1; i + 1 < k; i++) {
        double index = 1.0 + (double)(n - 1) * ((double)i * step); /* 1-based, as R computes it */
        double lo = floor(index);
        size_t at = (size_t)lo - 1;
        double h = index - lo;
        knots[i] = x[at];
        if (h > 0 && at + 1 < n && x[at + 1] != x[at])
            knots[i] = (1.0 - h) * x[at] + h * x[at + 1];
    }
}

vt_status smooth_second_derivatives(const double *knots, size_t k, double *second, double *penalty)
{
    size_t m = k - 2; /* interior knots */
    double *h = vt_malloc((k - 1) * sizeof(double)), *d = vt_calloc(m * k, sizeof(double));
    double *diag = vt_malloc(m * sizeof(double)), *off = vt_malloc((m > 1 ? m - 1 : 1) * sizeof(double));
    double *rhs = vt_malloc(m * sizeof(double)), *sol = vt_malloc(m * sizeof(double));
    vt_status status = VT_OK;
    if (!h || !d || !diag || !off || !rhs || !sol) {
        status = VT_ENOMEM;
        goto done;
    }
    for (size_t i = 0; i + 1 < k; i++)
        h[i] = knots[i + 1] - knots[i];
    for (size_t i = 0; i < m; i++) {
        d[i * k + i] = 1.0 / h[i];
        d[i * k + i + 1] = -1.0 / h[i] - 1.0 / h[i + 1];
        d[i * k + i + 2] = 1.0 / h[i + 1];
        diag[i] = (h[i] + h[i + 1]) / 3.0;
        if (i + 1 < m)
            off[i] = h[i + 1] / 6.0;
    }
    memset(second, 0, k * k * sizeof(double));
    /* F's interior rows: B^-1 D, column by column (GSL's tridiagonal solver). */
    for (size_t col = 0; col < k; col++) {
        for (size_t i = 0; i < m; i++)
            rhs[i] = d[i * k + col];
        if (m == 1) {
            sol[0] = rhs[0] / diag[0];
        } else {
            gsl_vector_view vd = gsl_vector_view_array(diag, m), vo = gsl_vector_view_array(off, m - 1);
            gsl_vector_view vr = gsl_vector_view_array(rhs, m), vs = gsl_vector_view_array(sol, m);
            if (gsl_linalg_solve_symm_tridiag(&vd.vector, &vo.vector, &vr.vector, &vs.vector) != 0) {
                status = VT_ENUMERIC;
                goto done;
            }
        }
        for (size_t i = 0; i < m; i++)
            second[(i + 1) * k + col] = sol[i];
    }
    if (penalty) { /* S = D' B^-1 D, symmetrised as mgcv does */
        for (size_t a = 0; a < k; a++)
            for (size_t b = 0; b < k; b++) {
                double sum = 0.0;
                for (size_t i = 0; i < m; i++)
                    sum += d[i * k + a] * second[(i + 1) * k + b];
                penalty[a * k + b] = sum;
            }
        for (size_t a = 0; a < k; a++)
            for (size_t b = 0; b < a; b++) {
                double mean = (penalty[a * k + b] + penalty[b * k + a]) / 2.0;
                penalty[a * k + b] = penalty[b * k + a] = mean;
            }
    }
done:
    free(h);
    free(d);
    free(diag);
    free(off);
    free(rhs);
    free(sol);
    return status;
}

static size_t interval_of(const double *knots, size_t k, double x)
{
    if (x < knots[0])
        return 0;
    if (x > knots[k - 1])
        return k;
    size_t at_or_below = 0; /* knots <= x: counted without branches, k being small */
    for (size_t i = 0; i < k; i++)
        at_or_below += knots[i] <= x;
    return at_or_below < k ? at_or_below : k - 1;
}

/* The unconstrained basis on one interval as polynomials in d: coef[m * 4
 * + p] for column m, power p.  Wood (2017) 5.3.1 with a = h - d, b = d:
 * a/h, b/h, (a^3/h - h a)/6 and (b^3/h - h b)/6 expanded in d; beyond the
 * ends, the value and slope at the end knot. */
static void interval_poly(const double *knots, const double *second, size_t k, size_t interval, double *coef)
{
    memset(coef, 0, k * 4 * sizeof(double));
    if (interval == 0 || interval == k) {
        int left = interval == 0;
        size_t j = left ? 0 : k - 2; /* the end interval [j, j + 1] */
        double h = knots[j + 1] - knots[j];
        size_t at = left ? 0 : k - 1;
        coef[at * 4 + 0] = 1.0;
        coef[j * 4 + 1] += -1.0 / h;
        coef[(j + 1) * 4 + 1] += 1.0 / h;
        double slope_j = left ? -h / 3.0 : h / 6.0, slope_j1 = left ? -h / 6.0 : h / 3.0;
        for (size_t m = 0; m < k; m++)
            coef[m * 4 + 1] += second[j * k + m] * slope_j + second[(j + 1) * k + m] * slope_j1;
        return;
    }
    size_t j = interval - 1;
    double h = knots[j + 1] - knots[j];
    coef[j * 4 + 0] += 1.0;
    coef[j * 4 + 1] += -1.0 / h;
    coef[(j + 1) * 4 + 1] += 1.0 / h;
    for (size_t m = 0; m < k; m++) {
        double fj = second[j * k + m], fj1 = second[(j + 1) * k + m];
        coef[m * 4 + 1] += fj * (-h / 3.0) + fj1 * (-h / 6.0);
        coef[m * 4 + 2] += fj * 0.5;
        coef[m * 4 + 3] += fj * (-1.0 / (6.0 * h)) + fj1 * (1.0 / (6.0 * h));
    }
}

static double interval_origin(const double *knots, size_t k, size_t interval)
{
    return interval == 0 ? knots[0] : interval == k ? knots[k - 1] : knots[interval - 1];
}

static double horner(const double *c, double d)
{
    return ((c[3] * d + c[2]) * d + c[1]) * d + c[0];
}

void smooth_basis_raw(const double *knots, const double *second, size_t k, double x, double *u)
{
    size_t interval = interval_of(knots, k, x);
    double d = x - interval_origin(knots, k, interval);
    double coef[SMOOTH_MAX_K * 4];
    interval_poly(knots, second, k, interval, coef);
    for (size_t m = 0; m < k; m++)
        u[m] = horner(coef + m * 4, d);
}

void smooth_free(smooth_spec *spec)
{
    if (spec == NULL)
        return;
    free(spec->knots);
    free(spec->constraint);
    free(spec->poly);
    free(spec->penalty);
    free(spec->second);
    free(spec->columns);
    memset(spec, 0, sizeof *spec);
}

/* Q' y = y - v (v . y) / v[0], as LINPACK's dqrsl applies it. */
static double reflect_dot(const double *v, size_t k, const double *y, size_t stride)
{
    double dot = 0.0;
    for (size_t m = 0; m < k; m++)
        dot += v[m] * y[m * stride];
    return dot / v[0];
}

vt_status smooth_finish(smooth_spec *spec, vt_err *err)
{
    size_t k = spec->k, q = k - 1;
    if (k < SMOOTH_MIN_K || k > SMOOTH_MAX_K)
        return vt_err_set(err, VT_EDATA, NULL, 0, 0, "a smooth needs %d to %d knots, not %zu", SMOOTH_MIN_K,
                          SMOOTH_MAX_K, k);
    for (size_t i = 0; i + 1 < k; i++)
        if (!(spec->knots[i] < spec->knots[i + 1]))
            return vt_err_set(err, VT_EDATA, NULL, 0, 0, "the knots of a smooth must increase");
    if (!(spec->constraint[0] != 0.0) || !(spec->penalty_scale > 0) || !isfinite(spec->penalty_scale))
        return vt_err_set(err, VT_EDATA, NULL, 0, 0, "a smooth's constraint or penalty scale is not usable");
    free(spec->poly);
    free(spec->penalty);
    free(spec->second);
    free(spec->columns);
    spec->columns = vt_malloc((k + 1) * q * 4 * sizeof(double));
    spec->poly = vt_malloc((k + 1) * q * 4 * sizeof(double));
    spec->penalty = vt_malloc(q * q * sizeof(double));
    spec->second = vt_malloc(k * k * sizeof(double));
    double *raw_penalty = vt_malloc(k * k * sizeof(double)), *coef = vt_malloc(k * 4 * sizeof(double));
    double *half = vt_malloc(k * k * sizeof(double));
    vt_status status = VT_OK;
    if (!spec->columns || !spec->poly || !spec->penalty || !spec->second || !raw_penalty || !coef || !half) {
        status = vt_err_set(err, VT_ENOMEM, NULL, 0, 0, "out of memory");
        goto done;
    }
    if ((status = smooth_second_derivatives(spec->knots, k, spec->second, raw_penalty)) != VT_OK) {
        vt_err_set(err, status, NULL, 0, 0, status == VT_ENOMEM ? "out of memory" : "the knots of a smooth are unusable");
        goto done;
    }
    const double *v = spec->constraint;
    for (size_t interval = 0; interval <= k; interval++) {
        interval_poly(spec->knots, spec->second, k, interval, coef);
        double *to = spec->poly + interval * q * 4;
        for (size_t p = 0; p < 4; p++) {
            double t = reflect_dot(v, k, coef + p, 4);
            for (size_t j = 0; j < q; j++)
                to[j * 4 + p] = coef[(j + 1) * 4 + p] - v[j + 1] * t;
        }
    }
    for (size_t interval = 0; interval <= k; interval++)
        for (size_t p = 0; p < 4; p++)
            for (size_t j = 0; j < q; j++)
                spec->columns[(interval * 4 + p) * q + j] = spec->poly[(interval * q + j) * 4 + p];
    /* Q S Q without its first row and column, over S.scale. */
    for (size_t b = 0; b < k; b++) {
        double t = reflect_dot(v, k, raw_penalty + b, k);
        for (size_t a = 0; a < k; a++)
            half[a * k + b] = raw_penalty[a * k + b] - v[a] * t;
    }
    for (size_t a = 1; a < k; a++) {
        double t = reflect_dot(v, k, half + a * k, 1);
        for (size_t b = 1; b < k; b++)
            spec->penalty[(a - 1) * q + (b - 1)] = (half[a * k + b] - v[b] * t) / spec->penalty_scale;
    }
    for (size_t a = 0; a < q; a++) /* exactly symmetric */
        for (size_t b = 0; b < a; b++) {
            double mean = (spec->penalty[a * q + b] + spec->penalty[b * q + a]) / 2.0;
            spec->penalty[a * q + b] = spec->penalty[b * q + a] = mean;
        }
done:
    free(raw_penalty);
    free(coef);
    free(half);
    return status;
}

vt_status smooth_spec_learn(const double *x, size_t n, size_t k, smooth_spec *spec, size_t *n_distinct, vt_err *err)
{
    memset(spec, 0, sizeof *spec);
    *n_distinct = 0;
    if (k < SMOOTH_MIN_K || k > SMOOTH_MAX_K)
        return vt_err_set(err, VT_EDATA, NULL, 0, 0, "a cr basis needs %d to %d knots, not %zu", SMOOTH_MIN_K,
                          SMOOTH_MAX_K, k);
    double *sorted = vt_malloc((n ? n : 1) * sizeof(double)), *second = vt_malloc(k * k * sizeof(double));
    double *u = vt_malloc(k * sizeof(double)), *column_sums = vt_malloc(k * sizeof(double));
    long double *sums = vt_calloc(k, sizeof(long double));
    double knots[SMOOTH_MAX_K];
    vt_status status = VT_OK;
    if (!sorted || !second || !u || !column_sums || !sums) {
        status = vt_err_set(err, VT_ENOMEM, NULL, 0, 0, "out of memory");
        goto done;
    }
    for (size_t i = 0; i < n; i++) {
        if (!isfinite(x[i])) {
            status = vt_err_set(err, VT_EDATA, NULL, 0, 0, "a value that is not finite");
            goto done;
        }
        sorted[i] = x[i];
    }
    qsort(sorted, n, sizeof(double), vt_compare_doubles);
    size_t n_unique = 0;
    for (size_t i = 0; i < n; i++)
        if (n_unique == 0 || sorted[i] != sorted[n_unique - 1])
            sorted[n_unique++] = sorted[i];
    *n_distinct = n_unique;
    if (n_unique < k) {
        status = vt_err_set(err, VT_EDATA, NULL, 0, 0, "%zu distinct values, fewer than k = %zu", n_unique, k);
        goto done;
    }
    smooth_place_knots(sorted, n_unique, k, knots);
    if ((status = smooth_second_derivatives(knots, k, second, NULL)) != VT_OK) {
        vt_err_set(err, status, NULL, 0, 0, status == VT_ENOMEM ? "out of memory" : "its knots are unusable");
        goto done;
    }
    double max_row_sum = 0.0;
    for (size_t i = 0; i < n; i++) {
        smooth_basis_raw(knots, second, k, x[i], u);
        double row_sum = 0.0;
        for (size_t j = 0; j < k; j++) {
            sums[j] += u[j];
            row_sum += fabs(u[j]);
        }
        max_row_sum = fmax(max_row_sum, row_sum);
    }
    for (size_t j = 0; j < k; j++)
        column_sums[j] = (double)sums[j];
    status = smooth_spec_build(knots, k, column_sums, max_row_sum, spec, err);
done:
    free(sorted);
    free(second);
    free(u);
    free(column_sums);
    free(sums);
    return status;
}

vt_status smooth_spec_build(const double *knots, size_t k, const double *column_sums, double max_row_sum,
                            smooth_spec *spec, vt_err *err)
{
    memset(spec, 0, sizeof *spec);
    if (k < SMOOTH_MIN_K || k > SMOOTH_MAX_K)
        return vt_err_set(err, VT_EDATA, NULL, 0, 0, "a smooth needs %d to %d knots, not %zu", SMOOTH_MIN_K,
                          SMOOTH_MAX_K, k);
    spec->k = k;
    spec->knots = vt_malloc(k * sizeof(double));
    spec->constraint = vt_malloc(k * sizeof(double));
    double *second = vt_malloc(k * k * sizeof(double)), *raw_penalty = vt_malloc(k * k * sizeof(double));
    vt_status status = VT_OK;
    if (!spec->knots || !spec->constraint || !second || !raw_penalty) {
        status = vt_err_set(err, VT_ENOMEM, NULL, 0, 0, "out of memory");
        goto done;
    }
    memcpy(spec->knots, knots, k * sizeof(double));
    /* dqrdc2 on the one column t(C): v = C / (sign(C[0]) |C|), v[0] += 1. */
    double norm = 0.0;
    for (size_t m = 0; m < k; m++)
        norm += column_sums[m] * column_sums[m];
    norm = sqrt(norm);
    if (!(norm > 0)) {
        status = vt_err_set(err, VT_EDATA, NULL, 0, 0, "a smooth's basis sums to zero");
        goto done;
    }
    if (column_sums[0] != 0.0)
        norm = copysign(norm, column_sums[0]);
    for (size_t m = 0; m < k; m++)
        spec->constraint[m] = column_sums[m] / norm;
    spec->constraint[0] += 1.0;
    /* S.scale = ||S||_1 / ||X||_inf^2 (smoothCon, before the constraint) */
    if ((status = smooth_second_derivatives(knots, k, second, raw_penalty)) != VT_OK) {
        vt_err_set(err, status, NULL, 0, 0, status == VT_ENOMEM ? "out of memory" : "the knots of a smooth are unusable");
        goto done;
    }
    double largest = 0.0;
    for (size_t b = 0; b < k; b++) {
        double sum = 0.0;
        for (size_t a = 0; a < k; a++)
            sum += fabs(raw_penalty[a * k + b]);
        largest = fmax(largest, sum);
    }
    spec->penalty_scale = largest / (max_row_sum * max_row_sum);
    status = smooth_finish(spec, err);
done:
    free(second);
    free(raw_penalty);
    if (status != VT_OK)
        smooth_free(spec);
    return status;
}

size_t smooth_interval(const smooth_spec *spec, double x)
{
    return interval_of(spec->knots, spec->k, x);
}

WIDEST_VECTORS void smooth_eval(const smooth_spec *spec, double x, double *restrict out)
{
    size_t k = spec->k, q = k - 1, interval = interval_of(spec->knots, k, x);
    double d = x - interval_origin(spec->knots, k, interval);
    const double *restrict c0 = spec->columns + interval * 4 * q, *restrict c1 = c0 + q, *restrict c2 = c1 + q,
                           *restrict c3 = c2 + q;
    for (size_t j = 0; j < q; j++) /* horner(), column by column */
        out[j] = ((c3[j] * d + c2[j]) * d + c1[j]) * d + c0[j];
}

vt_status smooth_penalty_log_pdet(const smooth_spec *spec, double *log_pdet, vt_err *err)
{
    size_t q = spec->k - 1;
    double values[SMOOTH_MAX_K];
    vt_status status = eigen_symmetric(spec->penalty, q, values, NULL);
    if (status != VT_OK)
        return vt_err_set(err, status, NULL, 0, 0,
                          status == VT_ENOMEM ? "out of memory" : "the eigenvalues of a smooth's penalty failed");
    double sum = 0.0; /* the k - 2 largest: the penalty's null space is the line */
    for (size_t i = 0; i + 1 < q; i++)
        sum += log(values[i]);
    *log_pdet = sum;
    return VT_OK;
}
