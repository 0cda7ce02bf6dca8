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
struct irls_design {
    size_t n_rows, n_terms; /* as given */
    size_t n_kept;          /* kept columns, the intercept included */
    size_t *term_of;        /* kept column -> original term */
    double *center, *scale; /* per kept column (0 and 1 for the intercept) */
    double *x;              /* n_rows x n_kept, row-major */
    int *aliased;           /* per original term */
    char **alias_reason;    /* per original term */
};

/* ------------------------------------------------------- the logit family */

/* R's logit_linkinv and logit_mu_eta from one exp(): mu and dmu/deta. */
static void logit_inverse(double eta, double *mu, double *mu_eta)
{
    if (eta < -ETA_THRESHOLD || eta > ETA_THRESHOLD) {
        double t = eta < 0 ? DBL_EPSILON : 1 / DBL_EPSILON;
        *mu = t / (1 + t);
        *mu_eta = DBL_EPSILON;
        return;
    }
    double e = exp(eta), opexp = 1 + e;
    *mu = e / opexp;
    *mu_eta = e / (opexp * opexp);
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

/* ----------------------------------------------------- preparing a design */

void irls_design_free(irls_design *prepared)
{
    if (prepared == NULL)
        return;
    if (prepared->alias_reason)
        for (size_t t = 0; t < prepared->n_terms; t++)
            free(prepared->alias_reason[t]);
    free(prepared->alias_reason);
    free(prepared->aliased);
    free(prepared->term_of);
    free(prepared->center);
    free(prepared->scale);
    free(prepared->x);
    free(prepared);
}

/* Column means, centred sums of squares and raw sums of squares, two-pass so
 * that a constant column has a centred sum of exactly or nearly zero. */
static void column_moments(const double *x, size_t n_rows, size_t n_terms, double *mean,
                           double *centred_ss, double *raw_ss)
{
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
 * satisfies, from its projection on the kept columns (row holds its
 * Cholesky row against them). */
static char *describe_alias(const double *chol, size_t dim, const irls_design *d, const double *row,
                            double centre, double scale, char *const *term_names)
{
    size_t n_kept = d->n_kept;
    double *coef = vt_calloc(n_kept, sizeof(double));
    char *text = vt_calloc(1024, 1);
    if (coef == NULL || text == NULL) {
        free(coef);
        free(text);
        return NULL;
    }
    for (size_t k = n_kept - 1; k >= 1; k--) { /* back substitution L' a = row */
        double sum = row[k];
        for (size_t m = k + 1; m < n_kept; m++)
            sum -= chol[m * dim + k] * coef[m];
        coef[k] = sum / chol[k * dim + k];
    }
    coef[0] = centre;
    for (size_t k = 1; k < n_kept; k++) {
        coef[k] *= scale / d->scale[k];
        coef[0] -= coef[k] * d->center[k];
    }
    size_t used = (size_t)snprintf(text, 1024, "linear combination of earlier terms:");
    for (size_t k = 0; k < n_kept && used < 900; k++)
        if (fabs(coef[k]) > 1e-9)
            used += (size_t)snprintf(text + used, 1024 - used, " %+.6g*%s", coef[k], term_names[d->term_of[k]]);
    free(coef);
    return text;
}

/* In column order, keep a column unless its norm left after projecting out
 * the kept ones is below ALIAS_TOLERANCE of its raw norm (dqrdc2's test).
 * gram is the Gram matrix of the centred, unit-norm columns, where a
 * Cholesky in column order gives each column's 1 - R^2 directly. */
static vt_status choose_columns(irls_design *d, const double *gram, const double *mean, const double *centred_ss,
                                const double *raw_ss, char *const *term_names)
{
    size_t p = d->n_terms;
    double *chol = vt_calloc(p * p, sizeof(double)), *row = vt_calloc(p, sizeof(double));
    if (chol == NULL || row == NULL) {
        free(chol);
        free(row);
        return VT_ENOMEM;
    }
    d->n_kept = 1;
    d->term_of[0] = 0;
    d->center[0] = 0.0;
    d->scale[0] = 1.0;
    vt_status status = VT_OK;
    for (size_t j = 1; j < p && status == VT_OK; j++) {
        double left = centred_ss[j] > 0 ? gram[j * p + j] : 0.0;
        for (size_t k = 1; k < d->n_kept; k++) {
            double sum = gram[j * p + d->term_of[k]];
            for (size_t m = 1; m < k; m++)
                sum -= row[m] * chol[k * p + m];
            row[k] = sum / chol[k * p + k];
            left -= row[k] * row[k];
        }
        if (centred_ss[j] <= 0 || left * centred_ss[j] < ALIAS_TOLERANCE * ALIAS_TOLERANCE * raw_ss[j]) {
            d->aliased[j] = 1;
            d->alias_reason[j] = centred_ss[j] <= 0 || d->n_kept == 1
                                     ? vt_strdup("constant column")
                                     : describe_alias(chol, p, d, row, mean[j], sqrt(centred_ss[j]), term_names);
            if (d->alias_reason[j] == NULL)
                status = VT_ENOMEM;
            continue;
        }
        for (size_t k = 1; k < d->n_kept; k++)
            chol[d->n_kept * p + k] = row[k];
        chol[d->n_kept * p + d->n_kept] = sqrt(left);
        d->term_of[d->n_kept] = j;
        d->center[d->n_kept] = mean[j];
        d->scale[d->n_kept] = sqrt(centred_ss[j]);
        d->n_kept++;
    }
    free(chol);
    free(row);
    return status;
}

/* Centre and scale every column into d->x (the intercept stays 1), then
 * keep only the chosen columns, compacting the rows in place. */
static vt_status scale_and_choose(irls_design *d, const double *design, char *const *term_names)
{
    size_t n = d->n_rows, p = d->n_terms;
    double *mean = vt_calloc(p, sizeof(double)), *centred_ss = vt_calloc(p, sizeof(double));
    double *raw_ss = vt_calloc(p, sizeof(double)), *gram = vt_calloc(p * p, sizeof(double));
    vt_status status = VT_ENOMEM;
    if (!mean || !centred_ss || !raw_ss || !gram)
        goto done;
    column_moments(design, n, p, mean, centred_ss, raw_ss);
    for (size_t i = 0; i < n; i++) {
        d->x[i * p] = 0.0; /* the intercept is orthogonal to centred columns */
        for (size_t j = 1; j < p; j++)
            d->x[i * p + j] = centred_ss[j] > 0 ? (design[i * p + j] - mean[j]) / sqrt(centred_ss[j]) : 0.0;
    }
    if ((status = gram_weighted(d->x, n, p, NULL, gram)) != VT_OK)
        goto done;
    if ((status = choose_columns(d, gram, mean, centred_ss, raw_ss, term_names)) != VT_OK)
        goto done;
    size_t q = d->n_kept;
    for (size_t i = 0; i < n; i++) { /* row i moves left: never overwrites unread data */
        const double *from = d->x + i * p;
        double *to = d->x + i * q;
        to[0] = 1.0;
        for (size_t k = 1; k < q; k++)
            to[k] = from[d->term_of[k]];
    }
    double *shrunk = realloc(d->x, n * q * sizeof(double));
    if (shrunk)
        d->x = shrunk;
done:
    free(mean);
    free(centred_ss);
    free(raw_ss);
    free(gram);
    return status;
}

vt_status irls_design_new(const double *design, size_t n_rows, size_t n_terms, char *const *term_names,
                          irls_design **out, vt_err *err)
{
    *out = NULL;
    if (n_rows == 0 || n_terms == 0)
        return vt_err_set(err, VT_EDATA, NULL, 0, 0, "nothing to fit: %zu rows, %zu terms", n_rows, n_terms);
    irls_design *d = vt_calloc(1, sizeof *d);
    if (d == NULL)
        return vt_err_set(err, VT_ENOMEM, NULL, 0, 0, "out of memory");
    d->n_rows = n_rows;
    d->n_terms = n_terms;
    d->term_of = vt_calloc(n_terms, sizeof(size_t));
    d->center = vt_calloc(n_terms, sizeof(double));
    d->scale = vt_calloc(n_terms, sizeof(double));
    d->aliased = vt_calloc(n_terms, sizeof(int));
    d->alias_reason = vt_calloc(n_terms, sizeof(char *));
    d->x = malloc(n_rows * n_terms * sizeof(double));
    vt_status status = VT_ENOMEM;
    if (d->term_of && d->center && d->scale && d->aliased && d->alias_reason && d->x)
        status = scale_and_choose(d, design, term_names);
    if (status != VT_OK) {
        irls_design_free(d);
        return vt_err_set(err, status, NULL, 0, 0, status == VT_ENOMEM ? "out of memory for the design"
                                                                       : "design too large for BLAS");
    }
    if (d->n_kept > n_rows) {
        status = vt_err_set(err, VT_EDATA, NULL, 0, 0, "%zu terms but only %zu rows", d->n_kept, n_rows);
        irls_design_free(d);
        return status;
    }
    *out = d;
    return VT_OK;
}

/* ---------------------------------------------------------------- fitting */

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

static irls_result *result_new(const irls_design *d)
{
    size_t n_terms = d->n_terms;
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
    result->fitted = vt_calloc(d->n_rows, sizeof(double));
    int ok = result->aliased && result->alias_reason && result->estimate && result->std_error &&
             result->z_value && result->p_value && result->fitted;
    for (size_t t = 0; ok && t < n_terms; t++) {
        result->aliased[t] = d->aliased[t];
        if (d->alias_reason[t] && (result->alias_reason[t] = vt_strdup(d->alias_reason[t])) == NULL)
            ok = 0;
    }
    if (!ok) {
        irls_result_free(result);
        return NULL;
    }
    return result;
}

/* Working state of the iterations. */
typedef struct {
    size_t n, p;
    double *eta, *mu, *mu_eta, *w, *wz, *xtwx, *xtwz, *beta, *beta_old;
    gsl_matrix_view chol; /* the factor of the last solve, for the SEs */
} irls_work;

static void work_free(irls_work *work)
{
    free(work->eta);
    free(work->mu);
    free(work->mu_eta);
    free(work->w);
    free(work->wz);
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
    work->mu_eta = vt_calloc(n, sizeof(double));
    work->w = vt_calloc(n, sizeof(double));
    work->wz = vt_calloc(n, sizeof(double));
    work->xtwx = vt_calloc(p * p, sizeof(double));
    work->xtwz = vt_calloc(p, sizeof(double));
    work->beta = vt_calloc(p, sizeof(double));
    work->beta_old = vt_calloc(p, sizeof(double));
    return work->eta && work->mu && work->mu_eta && work->w && work->wz && work->xtwx && work->xtwz && work->beta &&
                   work->beta_old ? 0 : -1;
}

/* One weighted least-squares solve, beta = (X'WX)^-1 X'Wz, with the working
 * weights w = mu_eta^2 / var(mu) and response z = eta + (y - mu) / mu_eta
 * of the current eta, as glm.fit forms them. */
static vt_status wls_step(const irls_design *d, const double *y, irls_work *work, vt_err *err)
{
    size_t n = work->n, p = work->p;
    for (size_t i = 0; i < n; i++) {
        double mu = work->mu[i], mu_eta = work->mu_eta[i];
        double z = work->eta[i] + (y[i] - mu) / mu_eta;
        work->w[i] = mu_eta * mu_eta / (mu * (1.0 - mu));
        work->wz[i] = work->w[i] * z;
    }
    vt_status status = gram_weighted(d->x, n, p, work->w, work->xtwx);
    if (status == VT_OK)
        status = xt_times_vector(d->x, n, p, work->wz, work->xtwz);
    if (status != VT_OK)
        return vt_err_set(err, status, NULL, 0, 0, status == VT_ENOMEM ? "out of memory" : "design too large for BLAS");
    work->chol = gsl_matrix_view_array(work->xtwx, p, p);
    if (gsl_linalg_cholesky_decomp1(&work->chol.matrix) != GSL_SUCCESS)
        return vt_err_set(err, VT_ENUMERIC, NULL, 0, 0, "X'WX is not positive definite; collinear columns?");
    gsl_vector_view rhs = gsl_vector_view_array(work->xtwz, p);
    gsl_vector_view beta = gsl_vector_view_array(work->beta, p);
    if (gsl_linalg_cholesky_solve(&work->chol.matrix, &rhs.vector, &beta.vector) != GSL_SUCCESS)
        return vt_err_set(err, VT_ENUMERIC, NULL, 0, 0, "Cholesky solve failed");
    return VT_OK;
}

static double update_fit(const irls_design *d, const double *y, irls_work *work)
{
    x_times_vector(d->x, work->n, work->p, work->beta, work->eta);
    for (size_t i = 0; i < work->n; i++)
        logit_inverse(work->eta[i], &work->mu[i], &work->mu_eta[i]);
    return binomial_deviance(y, work->mu, work->n);
}

/* The iterations of glm.fit, with step-halving. */
static vt_status iterate(const irls_design *d, const double *y, const irls_options *options, irls_work *work,
                         irls_result *result, vt_err *err)
{
    size_t n = work->n, p = work->p;
    for (size_t i = 0; i < n; i++) { /* glm.fit: mustart, eta = logit(mustart), mu = linkinv(eta) */
        double mustart = (y[i] + 0.5) / 2.0;
        work->eta[i] = log(mustart / (1.0 - mustart));
        logit_inverse(work->eta[i], &work->mu[i], &work->mu_eta[i]);
    }
    double dev_old = binomial_deviance(y, work->mu, n);
    result->converged = 0;
    for (int iter = 1; iter <= options->max_iter; iter++) {
        result->iterations = iter;
        vt_status status = wls_step(d, y, work, err);
        if (status != VT_OK)
            return status;
        double dev = update_fit(d, y, work);
        for (int halving = 0;
             iter > 1 && (!isfinite(dev) || (dev - dev_old) / (fabs(dev) + 0.1) > options->epsilon); halving++) {
            if (halving >= options->max_iter)
                return vt_err_set(err, VT_ENUMERIC, NULL, 0, 0,
                                  "step-halving failed to reduce the deviance (iteration %d)", iter);
            for (size_t j = 0; j < p; j++)
                work->beta[j] = (work->beta[j] + work->beta_old[j]) / 2.0;
            dev = update_fit(d, y, work);
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

/* Raw-scale estimates and covariance from the scaled fit: beta_raw = T beta
 * and cov_raw = T cov T', where T undoes the centring and scaling. */
static vt_status report_raw(const irls_design *d, irls_work *work, irls_result *result)
{
    size_t p = work->p;
    double *cov = vt_calloc(p * p, sizeof(double)), *transform = vt_calloc(p * p, sizeof(double));
    double *product = vt_calloc(p * p, sizeof(double));
    if (!cov || !transform || !product) {
        free(cov);
        free(transform);
        free(product);
        return VT_ENOMEM;
    }
    memcpy(cov, work->xtwx, p * p * sizeof(double)); /* the Cholesky factor of the last solve */
    gsl_matrix_view cov_view = gsl_matrix_view_array(cov, p, p);
    gsl_linalg_cholesky_invert(&cov_view.matrix);
    transform[0] = 1.0;
    for (size_t k = 1; k < p; k++) {
        transform[k * p + k] = 1.0 / d->scale[k];
        transform[k] = -d->center[k] / d->scale[k];
    }
    for (size_t a = 0; a < p; a++) /* product = T cov */
        for (size_t b = 0; b < p; b++) {
            double sum = 0.0;
            for (size_t c = 0; c < p; c++)
                sum += transform[a * p + c] * cov[c * p + b];
            product[a * p + b] = sum;
        }
    for (size_t t = 0; t < result->n_terms; t++)
        if (result->aliased[t])
            result->estimate[t] = result->std_error[t] = result->z_value[t] = result->p_value[t] = NAN;
    for (size_t a = 0; a < p; a++) {
        double estimate = 0.0, variance = 0.0;
        for (size_t c = 0; c < p; c++) {
            estimate += transform[a * p + c] * work->beta[c];
            variance += product[a * p + c] * transform[a * p + c]; /* (T cov T')_aa */
        }
        size_t term = d->term_of[a];
        double se = sqrt(variance);
        result->estimate[term] = estimate;
        result->std_error[term] = se;
        result->z_value[term] = estimate / se;
        result->p_value[term] = 2.0 * gsl_cdf_ugaussian_P(-fabs(estimate / se));
    }
    free(cov);
    free(transform);
    free(product);
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

vt_status irls_fit(const irls_design *prepared, const double *y, const irls_options *options, irls_result **out,
                   vt_err *err)
{
    *out = NULL;
    irls_result *result = result_new(prepared);
    irls_work work = {0};
    vt_status status;
    if (result == NULL || work_alloc(&work, prepared->n_rows, prepared->n_kept)) {
        status = vt_err_set(err, VT_ENOMEM, NULL, 0, 0, "out of memory for the fit");
        goto fail;
    }
    if ((status = iterate(prepared, y, options, &work, result, err)) != VT_OK)
        goto fail;
    if (report_raw(prepared, &work, result) != VT_OK) {
        status = vt_err_set(err, VT_ENOMEM, NULL, 0, 0, "out of memory");
        goto fail;
    }
    fit_statistics(y, &work, result);
    *out = result;
    result = NULL;
fail:
    irls_result_free(result);
    work_free(&work);
    return status;
}
