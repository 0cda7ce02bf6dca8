#include "irls.h"

#include <float.h>
#include <gsl/gsl_cdf.h>
#include <gsl/gsl_errno.h>
#include <gsl/gsl_linalg.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "linalg.h"

/* R's dqrdc2 tolerance on the ratio of column norms. */
#define ALIAS_TOLERANCE 1e-7
/* R's logit link cuts eta off here (src/library/stats/src/family.c). */
#define ETA_THRESHOLD 30.0

/* The scaled design the solver works on: column 0 the intercept, then each
 * kept column centred and divided by its centred norm. */
typedef struct {
    size_t n_rows, n_kept;  /* n_kept includes the intercept */
    size_t *term_of;        /* kept column -> original term */
    double *center, *scale; /* per kept column (1 and 0 for the intercept) */
    double *x;              /* n_rows x n_kept */
} scaled_design;

static double logit_linkinv(double eta)
{
    double t = eta < -ETA_THRESHOLD ? DBL_EPSILON : (eta > ETA_THRESHOLD ? 1 / DBL_EPSILON : exp(eta));
    return t / (1 + t);
}

static double logit_mu_eta(double eta)
{
    double opexp = 1 + exp(eta);
    return (eta > ETA_THRESHOLD || eta < -ETA_THRESHOLD) ? DBL_EPSILON : exp(eta) / (opexp * opexp);
}

static double y_log_y(double y, double mu)
{
    return y != 0.0 ? y * log(y / mu) : 0.0;
}

static double binomial_deviance(const double *y, const double *mu, size_t n)
{
    long double total = 0.0L; /* R's sum() accumulates in long double */
    for (size_t i = 0; i < n; i++)
        total += 2.0 * (y_log_y(y[i], mu[i]) + y_log_y(1.0 - y[i], 1.0 - mu[i]));
    return (double)total;
}

void irls_options_default(irls_options *options)
{
    options->max_iter = 25;
    options->epsilon = 1e-8;
}

void irls_result_free(irls_result *result)
{
    if (result == NULL)
        return;
    if (result->alias_reason)
        for (size_t t = 0; t < result->n_terms; t++)
            free(result->alias_reason[t]);
    free(result->alias_reason);
    free(result->aliased);
    free(result->estimate);
    free(result->std_error);
    free(result->z_value);
    free(result->p_value);
    free(result->fitted);
    free(result);
}

static irls_result *result_new(size_t n_terms, size_t n_rows)
{
    irls_result *result = vt_calloc(1, sizeof *result);
    if (result == NULL)
        return NULL;
    result->n_terms = n_terms;
    result->aliased = vt_calloc(n_terms, sizeof(int));
    result->alias_reason = vt_calloc(n_terms, sizeof(char *));
    result->estimate = vt_calloc(n_terms, sizeof(double));
    result->std_error = vt_calloc(n_terms, sizeof(double));
    result->z_value = vt_calloc(n_terms, sizeof(double));
    result->p_value = vt_calloc(n_terms, sizeof(double));
    result->fitted = vt_calloc(n_rows, sizeof(double));
    if (!result->aliased || !result->alias_reason || !result->estimate || !result->std_error ||
        !result->z_value || !result->p_value || !result->fitted) {
        irls_result_free(result);
        return NULL;
    }
    return result;
}

static void scaled_design_free(scaled_design *scaled)
{
    free(scaled->term_of);
    free(scaled->center);
    free(scaled->scale);
    free(scaled->x);
}

/* Column means, centred sums of squares and raw sums of squares, two-pass so
 * that a constant column has a centred sum of exactly or nearly zero. */
static void column_moments(const double *x, size_t n_rows, size_t n_terms, double *mean,
                           double *centred_ss, double *raw_ss)
{
    for (size_t j = 0; j < n_terms; j++)
        mean[j] = centred_ss[j] = raw_ss[j] = 0.0;
    for (size_t i = 0; i < n_rows; i++)
        for (size_t j = 0; j < n_terms; j++)
            mean[j] += x[i * n_terms + j];
    for (size_t j = 0; j < n_terms; j++)
        mean[j] /= (double)n_rows;
    for (size_t i = 0; i < n_rows; i++)
        for (size_t j = 0; j < n_terms; j++) {
            double value = x[i * n_terms + j], centred = value - mean[j];
            centred_ss[j] += centred * centred;
            raw_ss[j] += value * value;
        }
}

/* "= 1*(Intercept) - 1*PhoneServiceYes": the dependency an aliased column
 * satisfies, from its projection on the kept columns. */
static char *describe_alias(const double *chol, size_t dim, size_t n_kept, const double *row,
                            const scaled_design *scaled, double centre, double scale,
                            char *const *term_names)
{
    double *coef = vt_calloc(n_kept + 1, sizeof(double));
    char *text = vt_calloc(1024, 1);
    if (coef == NULL || text == NULL) {
        free(coef);
        free(text);
        return NULL;
    }
    /* Solve L' a = row (back substitution) for the coefficients on the
     * scaled kept columns 1..n_kept-1. */
    for (size_t k = n_kept - 1; k >= 1; k--) {
        double sum = row[k];
        for (size_t m = k + 1; m < n_kept; m++)
            sum -= chol[m * dim + k] * coef[m];
        coef[k] = sum / chol[k * dim + k];
    }
    double intercept = centre;
    for (size_t k = 1; k < n_kept; k++) {
        coef[k] *= scale / scaled->scale[k];
        intercept -= coef[k] * scaled->center[k];
    }
    coef[0] = intercept;
    size_t used = (size_t)snprintf(text, 1024, "linear combination of earlier terms:");
    for (size_t k = 0; k < n_kept && used < 900; k++)
        if (fabs(coef[k]) > 1e-9)
            used += (size_t)snprintf(text + used, 1024 - used, " %+.6g*%s", coef[k],
                                     term_names[scaled->term_of[k]]);
    free(coef);
    return text;
}

/* Find aliased columns and build the scaled design of the kept ones. */
static vt_status find_aliased(const double *x, size_t n_rows, size_t n_terms,
                              char *const *term_names, irls_result *result,
                              scaled_design *scaled, vt_err *err)
{
    vt_status status = VT_ENOMEM;
    double *mean = vt_calloc(n_terms, sizeof(double));
    double *centred_ss = vt_calloc(n_terms, sizeof(double));
    double *raw_ss = vt_calloc(n_terms, sizeof(double));
    double *z = vt_calloc(n_rows * n_terms, sizeof(double));
    double *gram = vt_calloc(n_terms * n_terms, sizeof(double));
    double *chol = vt_calloc(n_terms * n_terms, sizeof(double)); /* over kept columns */
    scaled->term_of = vt_calloc(n_terms, sizeof(size_t));
    scaled->center = vt_calloc(n_terms, sizeof(double));
    scaled->scale = vt_calloc(n_terms, sizeof(double));
    if (!mean || !centred_ss || !raw_ss || !z || !gram || !chol || !scaled->term_of ||
        !scaled->center || !scaled->scale)
        goto done;
    column_moments(x, n_rows, n_terms, mean, centred_ss, raw_ss);

    /* Centre and scale every non-intercept column; the Gram of these is the
     * correlation matrix, where a pivoted Cholesky in column order measures
     * each column's norm left after the earlier kept ones (1 - R^2). */
    for (size_t i = 0; i < n_rows; i++)
        for (size_t j = 1; j < n_terms; j++)
            z[i * n_terms + j] = centred_ss[j] > 0 ? (x[i * n_terms + j] - mean[j]) / sqrt(centred_ss[j]) : 0.0;
    if (n_terms > 1 && (status = gram_weighted(z, n_rows, n_terms, NULL, NULL, gram)) != VT_OK)
        goto done;
    free(z);
    z = NULL;

    size_t n_kept = 1;
    scaled->term_of[0] = 0;
    scaled->center[0] = 0.0;
    scaled->scale[0] = 1.0;
    double *row = vt_calloc(n_terms, sizeof(double));
    if (row == NULL) {
        status = VT_ENOMEM;
        goto done;
    }
    for (size_t j = 1; j < n_terms; j++) {
        double left = centred_ss[j] > 0 ? gram[j * n_terms + j] : 0.0;
        for (size_t k = 1; k < n_kept; k++) {
            double sum = gram[j * n_terms + scaled->term_of[k]];
            for (size_t m = 1; m < k; m++)
                sum -= row[m] * chol[k * n_terms + m];
            row[k] = sum / chol[k * n_terms + k];
            left -= row[k] * row[k];
        }
        /* Residual norm^2 relative to the raw norm^2, as dqrdc2 compares. */
        double residual = left * centred_ss[j];
        if (centred_ss[j] <= 0 || residual < ALIAS_TOLERANCE * ALIAS_TOLERANCE * raw_ss[j]) {
            result->aliased[j] = 1;
            result->alias_reason[j] =
                centred_ss[j] <= 0 || n_kept == 1 ?
                    vt_strdup("constant column") :
                    describe_alias(chol, n_terms, n_kept, row, scaled, mean[j], sqrt(centred_ss[j]), term_names);
            if (result->alias_reason[j] == NULL) {
                free(row);
                status = VT_ENOMEM;
                goto done;
            }
            continue;
        }
        for (size_t k = 1; k < n_kept; k++)
            chol[n_kept * n_terms + k] = row[k];
        chol[n_kept * n_terms + n_kept] = sqrt(left);
        scaled->term_of[n_kept] = j;
        scaled->center[n_kept] = mean[j];
        scaled->scale[n_kept] = sqrt(centred_ss[j]);
        n_kept++;
    }
    free(row);

    scaled->n_rows = n_rows;
    scaled->n_kept = n_kept;
    scaled->x = vt_calloc(n_rows * n_kept, sizeof(double));
    if (scaled->x == NULL) {
        status = VT_ENOMEM;
        goto done;
    }
    for (size_t i = 0; i < n_rows; i++) {
        scaled->x[i * n_kept] = 1.0;
        for (size_t k = 1; k < n_kept; k++)
            scaled->x[i * n_kept + k] =
                (x[i * n_terms + scaled->term_of[k]] - scaled->center[k]) / scaled->scale[k];
    }
    status = VT_OK;
done:
    free(mean);
    free(centred_ss);
    free(raw_ss);
    free(z);
    free(gram);
    free(chol);
    if (status == VT_ENOMEM)
        vt_err_set(err, VT_ENOMEM, NULL, 0, 0, "out of memory in the alias check");
    return status;
}

/* Working state of the iterations. */
typedef struct {
    size_t n, p;
    double *eta, *mu, *z, *w, *wz, *scratch, *xtwx, *xtwz, *beta, *beta_old;
    gsl_matrix_view chol; /* the factor of the last solve, for the SEs */
} irls_work;

static void work_free(irls_work *work)
{
    free(work->eta);
    free(work->mu);
    free(work->z);
    free(work->w);
    free(work->wz);
    free(work->scratch);
    free(work->xtwx);
    free(work->xtwz);
    free(work->beta);
    free(work->beta_old);
}

static int work_alloc(irls_work *work, size_t n, size_t p)
{
    work->n = n;
    work->p = p;
    work->eta = vt_calloc(n, sizeof(double));
    work->mu = vt_calloc(n, sizeof(double));
    work->z = vt_calloc(n, sizeof(double));
    work->w = vt_calloc(n, sizeof(double));
    work->wz = vt_calloc(n, sizeof(double));
    work->scratch = vt_calloc(n * p, sizeof(double));
    work->xtwx = vt_calloc(p * p, sizeof(double));
    work->xtwz = vt_calloc(p, sizeof(double));
    work->beta = vt_calloc(p, sizeof(double));
    work->beta_old = vt_calloc(p, sizeof(double));
    return work->eta && work->mu && work->z && work->w && work->wz && work->scratch &&
                   work->xtwx && work->xtwz && work->beta && work->beta_old ? 0 : -1;
}

/* One weighted least-squares solve: beta = (X'WX)^-1 X'Wz, W and z from the
 * current eta and mu. */
static vt_status wls_step(const scaled_design *scaled, const double *y, irls_work *work, vt_err *err)
{
    size_t n = work->n, p = work->p;
    for (size_t i = 0; i < n; i++) {
        double mu_eta = logit_mu_eta(work->eta[i]);
        double variance = work->mu[i] * (1.0 - work->mu[i]);
        work->z[i] = work->eta[i] + (y[i] - work->mu[i]) / mu_eta;
        work->w[i] = mu_eta * mu_eta / variance;
        work->wz[i] = work->w[i] * work->z[i];
    }
    vt_status status = gram_weighted(scaled->x, n, p, work->w, work->scratch, work->xtwx);
    if (status == VT_OK)
        status = xt_times_vector(scaled->x, n, p, work->wz, work->xtwz);
    if (status != VT_OK)
        return vt_err_set(err, status, NULL, 0, 0, "design too large for BLAS");
    work->chol = gsl_matrix_view_array(work->xtwx, p, p);
    if (gsl_linalg_cholesky_decomp1(&work->chol.matrix) != GSL_SUCCESS)
        return vt_err_set(err, VT_ENUMERIC, NULL, 0, 0,
                          "X'WX is not positive definite; collinear columns?");
    gsl_vector_view rhs = gsl_vector_view_array(work->xtwz, p);
    gsl_vector_view beta = gsl_vector_view_array(work->beta, p);
    if (gsl_linalg_cholesky_solve(&work->chol.matrix, &rhs.vector, &beta.vector) != GSL_SUCCESS)
        return vt_err_set(err, VT_ENUMERIC, NULL, 0, 0, "Cholesky solve failed");
    return VT_OK;
}

static double update_fit(const scaled_design *scaled, const double *y, irls_work *work)
{
    x_times_vector(scaled->x, work->n, work->p, work->beta, work->eta);
    for (size_t i = 0; i < work->n; i++)
        work->mu[i] = logit_linkinv(work->eta[i]);
    return binomial_deviance(y, work->mu, work->n);
}

/* The iterations of glm.fit, with step-halving. */
static vt_status iterate(const scaled_design *scaled, const double *y, const irls_options *options,
                         irls_work *work, irls_result *result, vt_err *err)
{
    size_t n = work->n, p = work->p;
    for (size_t i = 0; i < n; i++) {
        work->mu[i] = (y[i] + 0.5) / 2.0;
        work->eta[i] = log(work->mu[i] / (1.0 - work->mu[i]));
    }
    double dev_old = binomial_deviance(y, work->mu, n);
    result->converged = 0;
    for (int iter = 1; iter <= options->max_iter; iter++) {
        result->iterations = iter;
        vt_status status = wls_step(scaled, y, work, err);
        if (status != VT_OK)
            return status;
        double dev = update_fit(scaled, y, work);
        for (int halving = 0; iter > 1 && (!isfinite(dev) || (dev - dev_old) / (fabs(dev) + 0.1) > options->epsilon); halving++) {
            if (halving >= options->max_iter)
                return vt_err_set(err, VT_ENUMERIC, NULL, 0, 0,
                                  "step-halving failed to reduce the deviance (iteration %d)", iter);
            for (size_t j = 0; j < p; j++)
                work->beta[j] = (work->beta[j] + work->beta_old[j]) / 2.0;
            dev = update_fit(scaled, y, work);
        }
        if (!isfinite(dev))
            return vt_err_set(err, VT_ENUMERIC, NULL, 0, 0, "the deviance is not finite at the first iteration");
        result->deviance = dev;
        if (fabs(dev - dev_old) / (fabs(dev) + 0.1) < options->epsilon) {
            result->converged = 1;
            break;
        }
        dev_old = dev;
        memcpy(work->beta_old, work->beta, p * sizeof(double));
    }
    return VT_OK;
}

/* Raw-scale estimates and their covariance from the scaled fit:
 * beta_raw = T beta, cov_raw = T cov T', where T undoes centring/scaling. */
static vt_status report_raw(const scaled_design *scaled, irls_work *work, irls_result *result)
{
    size_t p = work->p;
    gsl_matrix *cov = gsl_matrix_alloc(p, p);
    gsl_matrix *transform = gsl_matrix_calloc(p, p);
    gsl_matrix *temp = gsl_matrix_alloc(p, p);
    gsl_matrix *cov_raw = gsl_matrix_alloc(p, p);
    if (!cov || !transform || !temp || !cov_raw) {
        gsl_matrix_free(cov);
        gsl_matrix_free(transform);
        gsl_matrix_free(temp);
        gsl_matrix_free(cov_raw);
        return VT_ENOMEM;
    }
    gsl_matrix_memcpy(cov, &work->chol.matrix);
    gsl_linalg_cholesky_invert(cov);
    gsl_matrix_set(transform, 0, 0, 1.0);
    for (size_t k = 1; k < p; k++) {
        gsl_matrix_set(transform, k, k, 1.0 / scaled->scale[k]);
        gsl_matrix_set(transform, 0, k, -scaled->center[k] / scaled->scale[k]);
    }
    gsl_matrix_set_zero(temp);
    for (size_t a = 0; a < p; a++) /* temp = T cov */
        for (size_t b = 0; b < p; b++) {
            double sum = 0.0;
            for (size_t c = 0; c < p; c++)
                sum += gsl_matrix_get(transform, a, c) * gsl_matrix_get(cov, c, b);
            gsl_matrix_set(temp, a, b, sum);
        }
    for (size_t a = 0; a < p; a++) /* cov_raw = temp T' */
        for (size_t b = 0; b < p; b++) {
            double sum = 0.0;
            for (size_t c = 0; c < p; c++)
                sum += gsl_matrix_get(temp, a, c) * gsl_matrix_get(transform, b, c);
            gsl_matrix_set(cov_raw, a, b, sum);
        }
    for (size_t t = 0; t < result->n_terms; t++)
        if (result->aliased[t])
            result->estimate[t] = result->std_error[t] = result->z_value[t] = result->p_value[t] = NAN;
    for (size_t a = 0; a < p; a++) {
        double estimate = 0.0;
        for (size_t c = 0; c < p; c++)
            estimate += gsl_matrix_get(transform, a, c) * work->beta[c];
        size_t term = scaled->term_of[a];
        double se = sqrt(gsl_matrix_get(cov_raw, a, a));
        result->estimate[term] = estimate;
        result->std_error[term] = se;
        result->z_value[term] = estimate / se;
        result->p_value[term] = 2.0 * gsl_cdf_ugaussian_P(-fabs(estimate / se));
    }
    gsl_matrix_free(cov);
    gsl_matrix_free(transform);
    gsl_matrix_free(temp);
    gsl_matrix_free(cov_raw);
    return VT_OK;
}

static void fit_statistics(const double *y, irls_work *work, irls_result *result)
{
    size_t n = work->n;
    double mean = 0.0;
    for (size_t i = 0; i < n; i++)
        mean += y[i];
    mean /= (double)n;
    long double null_dev = 0.0L;
    for (size_t i = 0; i < n; i++)
        null_dev += 2.0 * (y_log_y(y[i], mean) + y_log_y(1.0 - y[i], 1.0 - mean));
    result->null_deviance = (double)null_dev;
    result->n_obs = n;
    result->rank = work->p;
    result->df_residual = n - work->p;
    result->df_null = n - 1;
    /* For 0/1 responses the binomial log-likelihood is -deviance / 2. */
    result->log_likelihood = -result->deviance / 2.0;
    result->aic = result->deviance + 2.0 * (double)work->p;
    result->bic = result->deviance + log((double)n) * (double)work->p;
    result->n_boundary = 0;
    for (size_t i = 0; i < n; i++) {
        result->fitted[i] = work->mu[i];
        if (work->mu[i] > 1.0 - 10 * DBL_EPSILON || work->mu[i] < 10 * DBL_EPSILON)
            result->n_boundary++;
    }
}

vt_status irls_fit(const double *design, size_t n_rows, size_t n_terms, const double *y,
                   char *const *term_names, const irls_options *options, irls_result **out,
                   vt_err *err)
{
    *out = NULL;
    if (n_rows == 0 || n_terms == 0)
        return vt_err_set(err, VT_EDATA, NULL, 0, 0, "nothing to fit: %zu rows, %zu terms", n_rows, n_terms);
    irls_result *result = result_new(n_terms, n_rows);
    scaled_design scaled = {0};
    irls_work work = {0};
    vt_status status;
    if (result == NULL) {
        status = vt_err_set(err, VT_ENOMEM, NULL, 0, 0, "out of memory");
        goto fail;
    }
    if ((status = find_aliased(design, n_rows, n_terms, term_names, result, &scaled, err)) != VT_OK)
        goto fail;
    if (scaled.n_kept > n_rows) {
        status = vt_err_set(err, VT_EDATA, NULL, 0, 0, "%zu terms but only %zu rows", scaled.n_kept, n_rows);
        goto fail;
    }
    if (work_alloc(&work, n_rows, scaled.n_kept)) {
        status = vt_err_set(err, VT_ENOMEM, NULL, 0, 0, "out of memory for the fit");
        goto fail;
    }
    if ((status = iterate(&scaled, y, options, &work, result, err)) != VT_OK)
        goto fail;
    if (report_raw(&scaled, &work, result) != VT_OK) {
        status = vt_err_set(err, VT_ENOMEM, NULL, 0, 0, "out of memory");
        goto fail;
    }
    fit_statistics(y, &work, result);
    *out = result;
    result = NULL;
fail:
    irls_result_free(result);
    scaled_design_free(&scaled);
    work_free(&work);
    return status;
}
