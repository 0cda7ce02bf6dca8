#include "irls.h"

#include <float.h>
#include <gsl/gsl_cdf.h>
#include <gsl/gsl_errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "linalg.h"
#include "parallel.h"

/* R's dqrdc2 tolerance on the ratio of column norms. */
#define ALIAS_TOLERANCE 1e-7
/* R's logit link cuts eta off here (src/library/stats/src/family.c). */
#define ETA_THRESHOLD 30.0
/* logistf's maxstep: the largest change of a coefficient in one step. */
#define FIRTH_MAX_STEP 5.0
/* Row chunks per pass: fixed, so sums do not depend on the thread count. */
#define ROW_CHUNKS 16

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
    double *mean;           /* per original term */
    double *sd;             /* per original term: sample standard deviation */
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

static double binomial_deviance(const double *y, const double *mu, const double *prior, size_t n)
{
    long double total = 0.0L; /* R's sum() accumulates in long double */
    for (size_t i = 0; i < n; i++)
        total += 2.0 * (prior ? prior[i] : 1.0) * (y_log_y(y[i], mu[i]) + y_log_y(1.0 - y[i], 1.0 - mu[i]));
    return (double)total;
}

void irls_options_default(irls_options *options)
{
    options->max_iter = 25;
    options->epsilon = 1e-8;
    options->threads = 0;
    options->firth = 0;
    options->l2 = 0;
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
    vt_free_large(prepared->x, prepared->n_rows * prepared->n_kept * sizeof(double));
    free(prepared->mean);
    free(prepared->sd);
    free(prepared);
}

const double *irls_design_means(const irls_design *prepared)
{
    return prepared->mean;
}

const double *irls_design_sds(const irls_design *prepared)
{
    return prepared->sd;
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

/* Rows pulled from the source a block at a time, on threads, over a fixed
 * set of row chunks (sums combined in chunk order). */
#define PREPARE_BLOCK_ROWS 2048

typedef enum { PREPARE_MOMENTS, PREPARE_GRAM, PREPARE_SCALE } prepare_pass;

typedef struct {
    irls_design *d;
    irls_rows_fn rows;
    const void *source;
    prepare_pass pass;
    size_t n_chunks;
    long double *chunk_sum, *chunk_squares; /* n_chunks x p */
    double *chunk_gram;                     /* n_chunks x p x p, centred columns */
    vt_status *chunk_status;
} preparation;

static void prepare_chunk(size_t chunk, void *context)
{
    preparation *prep = context;
    irls_design *d = prep->d;
    size_t p = d->n_terms, q = d->n_kept;
    size_t first = d->n_rows * chunk / prep->n_chunks, last = d->n_rows * (chunk + 1) / prep->n_chunks;
    double *block = vt_malloc(PREPARE_BLOCK_ROWS * p * sizeof(double)), *block_gram = vt_malloc(p * p * sizeof(double));
    if (block == NULL || block_gram == NULL) {
        prep->chunk_status[chunk] = VT_ENOMEM;
        free(block);
        free(block_gram);
        return;
    }
    for (size_t start = first; start < last; start += PREPARE_BLOCK_ROWS) {
        size_t count = last - start < PREPARE_BLOCK_ROWS ? last - start : PREPARE_BLOCK_ROWS;
        prep->rows(prep->source, start, count, block);
        if (prep->pass == PREPARE_MOMENTS) {
            /* Block sums in double, folded into long double per block:
             * x87 arithmetic per element would cost more than the rest. */
            long double *sum = prep->chunk_sum + chunk * p, *squares = prep->chunk_squares + chunk * p;
            for (size_t j = 0; j < p; j++) {
                double block_sum = 0.0, block_squares = 0.0;
                for (size_t i = 0; i < count; i++) {
                    double value = block[i * p + j];
                    block_sum += value;
                    block_squares += value * value;
                }
                sum[j] += block_sum;
                squares[j] += block_squares;
            }
        } else if (prep->pass == PREPARE_GRAM) {
            /* Centred columns: a constant column becomes exactly zero. */
            for (size_t i = 0; i < count; i++) {
                block[i * p] = 0.0;
                for (size_t j = 1; j < p; j++)
                    block[i * p + j] -= d->mean[j];
            }
            vt_status status = gram(block, count, p, block_gram);
            if (status != VT_OK)
                prep->chunk_status[chunk] = status;
            for (size_t j = 0; status == VT_OK && j < p * p; j++)
                prep->chunk_gram[chunk * p * p + j] += block_gram[j];
        } else {
            for (size_t i = 0; i < count; i++) {
                double *to = d->x + (start + i) * q;
                to[0] = 1.0;
                for (size_t k = 1; k < q; k++)
                    to[k] = (block[i * p + d->term_of[k]] - d->center[k]) / d->scale[k];
            }
        }
    }
    free(block);
    free(block_gram);
}

static vt_status run_prepare(preparation *prep, prepare_pass pass, size_t threads)
{
    prep->pass = pass;
    parallel_for(prep->n_chunks, threads, prepare_chunk, prep);
    for (size_t c = 0; c < prep->n_chunks; c++)
        if (prep->chunk_status[c] != VT_OK)
            return prep->chunk_status[c];
    return VT_OK;
}

/* Means, the centred Gram matrix for the alias check, then the scaled
 * design of the kept columns: three passes over the source's rows. */
static vt_status scale_and_choose(irls_design *d, irls_rows_fn rows, const void *source, char *const *term_names,
                                  size_t threads)
{
    size_t n = d->n_rows, p = d->n_terms;
    preparation prep = {d, rows, source, PREPARE_MOMENTS, n < ROW_CHUNKS ? 1 : ROW_CHUNKS, NULL, NULL, NULL, NULL};
    prep.chunk_sum = vt_calloc(prep.n_chunks * p, sizeof(long double));
    prep.chunk_squares = vt_calloc(prep.n_chunks * p, sizeof(long double));
    prep.chunk_gram = vt_calloc(prep.n_chunks * p * p, sizeof(double));
    prep.chunk_status = vt_calloc(prep.n_chunks, sizeof(vt_status));
    double *raw_ss = vt_calloc(p, sizeof(double)), *centred_ss = vt_calloc(p, sizeof(double));
    double *correlation = vt_calloc(p * p, sizeof(double));
    vt_status status = VT_ENOMEM;
    if (!prep.chunk_sum || !prep.chunk_squares || !prep.chunk_gram || !prep.chunk_status || !raw_ss ||
        !centred_ss || !correlation)
        goto done;
    if ((status = run_prepare(&prep, PREPARE_MOMENTS, threads)) != VT_OK)
        goto done;
    for (size_t j = 0; j < p; j++) {
        long double sum = 0.0L, squares = 0.0L;
        for (size_t c = 0; c < prep.n_chunks; c++) {
            sum += prep.chunk_sum[c * p + j];
            squares += prep.chunk_squares[c * p + j];
        }
        d->mean[j] = (double)(sum / (long double)n);
        raw_ss[j] = (double)squares;
    }
    if ((status = run_prepare(&prep, PREPARE_GRAM, threads)) != VT_OK)
        goto done;
    for (size_t c = 1; c < prep.n_chunks; c++)
        for (size_t j = 0; j < p * p; j++)
            prep.chunk_gram[j] += prep.chunk_gram[c * p * p + j];
    for (size_t j = 1; j < p; j++) {
        centred_ss[j] = prep.chunk_gram[j * p + j];
        d->sd[j] = n > 1 ? sqrt(centred_ss[j] / (double)(n - 1)) : 0.0;
    }
    for (size_t j = 1; j < p; j++)
        for (size_t k = 1; k < p; k++)
            if (centred_ss[j] > 0 && centred_ss[k] > 0)
                correlation[j * p + k] = prep.chunk_gram[j * p + k] / sqrt(centred_ss[j] * centred_ss[k]);
    if ((status = choose_columns(d, correlation, d->mean, centred_ss, raw_ss, term_names)) != VT_OK)
        goto done;
    if ((d->x = vt_alloc_large(n * d->n_kept * sizeof(double))) == NULL) {
        status = VT_ENOMEM;
        goto done;
    }
    status = run_prepare(&prep, PREPARE_SCALE, threads);
done:
    free(prep.chunk_sum);
    free(prep.chunk_squares);
    free(prep.chunk_gram);
    free(prep.chunk_status);
    free(raw_ss);
    free(centred_ss);
    free(correlation);
    return status;
}

vt_status irls_design_new(irls_rows_fn rows, const void *source, size_t n_rows, size_t n_terms,
                          char *const *term_names, size_t threads, irls_design **out, vt_err *err)
{
    *out = NULL;
    if (n_rows == 0 || n_terms == 0)
        return vt_err_set(err, VT_EDATA, NULL, 0, 0, "nothing to fit: %zu rows, %zu terms", n_rows, n_terms);
    if (n_terms > IRLS_MAX_TERMS)
        return vt_err_set(err, VT_EDATA, NULL, 0, 0,
                          "%zu terms: more than %d (X'WX alone would take %.1f GB); drop columns (--drop)", n_terms,
                          IRLS_MAX_TERMS, (double)n_terms * (double)n_terms * 8 / 1e9);
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
    d->mean = vt_calloc(n_terms, sizeof(double));
    d->sd = vt_calloc(n_terms, sizeof(double));
    vt_status status = VT_ENOMEM;
    if (d->term_of && d->center && d->scale && d->aliased && d->alias_reason && d->mean && d->sd)
        status = scale_and_choose(d, rows, source, term_names, threads ? threads : parallel_cores());
    if (status != VT_OK) {
        irls_design_free(d);
        return vt_err_set(err, status, NULL, 0, 0, status == VT_ENOMEM ? "out of memory for the design"
                                                                       : "a design without columns");
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
    const irls_design *design;
    const double *y;
    const double *prior; /* NULL: all 1 */
    double *penalty;     /* per kept column: ridge on the scaled coefficients (0 for the
                          * intercept); NULL without --l2 */
    double *eta, *mu, *mu_eta, *w, *z, *h, *xtwx, *xtwz, *beta, *beta_old;
    size_t n_chunks, n_threads;
    double *chunk_xtwx, *chunk_xtwz; /* n_chunks x p x p, n_chunks x p */
    long double *chunk_deviance;
    vt_status *chunk_status;
} irls_work;

static void work_free(irls_work *work)
{
    free(work->penalty);
    free(work->eta);
    free(work->mu);
    free(work->mu_eta);
    free(work->w);
    free(work->z);
    free(work->h);
    free(work->xtwx);
    free(work->xtwz);
    free(work->beta);
    free(work->beta_old);
    free(work->chunk_xtwx);
    free(work->chunk_xtwz);
    free(work->chunk_deviance);
    free(work->chunk_status);
}

static double prior_of(const irls_work *work, size_t i)
{
    return work->prior ? work->prior[i] : 1.0;
}

static int work_alloc(irls_work *work, const irls_design *d, const double *y, const double *prior, size_t n_threads)
{
    work->prior = prior;
    size_t n = d->n_rows, p = d->n_kept;
    work->n = n;
    work->p = p;
    work->design = d;
    work->y = y;
    work->n_chunks = n < ROW_CHUNKS ? 1 : ROW_CHUNKS;
    work->n_threads = n_threads ? n_threads : parallel_cores();
    work->eta = vt_calloc(n, sizeof(double));
    work->mu = vt_calloc(n, sizeof(double));
    work->mu_eta = vt_calloc(n, sizeof(double));
    work->w = vt_calloc(n, sizeof(double));
    work->z = vt_calloc(n, sizeof(double));
    work->h = vt_calloc(n, sizeof(double));
    work->xtwx = vt_calloc(p * p, sizeof(double));
    work->xtwz = vt_calloc(p, sizeof(double));
    work->beta = vt_calloc(p, sizeof(double));
    work->beta_old = vt_calloc(p, sizeof(double));
    work->chunk_xtwx = vt_calloc(work->n_chunks * p * p, sizeof(double));
    work->chunk_xtwz = vt_calloc(work->n_chunks * p, sizeof(double));
    work->chunk_deviance = vt_calloc(work->n_chunks, sizeof(long double));
    work->chunk_status = vt_calloc(work->n_chunks, sizeof(vt_status));
    return work->eta && work->mu && work->mu_eta && work->w && work->z && work->h && work->xtwx && work->xtwz && work->beta &&
                   work->beta_old && work->chunk_xtwx && work->chunk_xtwz && work->chunk_deviance &&
                   work->chunk_status ? 0 : -1;
}

static void chunk_rows(const irls_work *work, size_t chunk, size_t *first, size_t *count)
{
    *first = work->n * chunk / work->n_chunks;
    *count = work->n * (chunk + 1) / work->n_chunks - *first;
}

/* One chunk's share of X'WX and X'Wz, with glm.fit's working weights
 * w = mu_eta^2 / var(mu) and response z = eta + (y - mu) / mu_eta. */
static void wls_chunk(size_t chunk, void *context)
{
    irls_work *work = context;
    size_t first, count, p = work->p;
    chunk_rows(work, chunk, &first, &count);
    for (size_t i = first; i < first + count; i++) {
        double mu = work->mu[i], mu_eta = work->mu_eta[i];
        work->z[i] = work->eta[i] + (work->y[i] - mu) / mu_eta;
        work->w[i] = prior_of(work, i) * mu_eta * mu_eta / (mu * (1.0 - mu));
    }
    const double *x = work->design->x + first * p;
    work->chunk_status[chunk] = gram_and_cross_weighted(x, count, p, work->w + first, work->z + first,
                                                        work->chunk_xtwx + chunk * p * p, work->chunk_xtwz + chunk * p);
}

static vt_status sum_and_factor(irls_work *work, vt_err *err);

/* One weighted least-squares solve: beta = (X'WX)^-1 X'Wz.  The factor of
 * X'WX stays in work->xtwx, for the SEs. */
static vt_status wls_step(irls_work *work, vt_err *err)
{
    size_t p = work->p;
    parallel_for(work->n_chunks, work->n_threads, wls_chunk, work);
    vt_status status = sum_and_factor(work, err);
    if (status != VT_OK)
        return status;
    cholesky_solve(work->xtwx, p, work->xtwz, work->beta);
    return VT_OK;
}

static void update_chunk(size_t chunk, void *context)
{
    irls_work *work = context;
    size_t first, count;
    chunk_rows(work, chunk, &first, &count);
    x_times_vector(work->design->x + first * work->p, count, work->p, work->beta, work->eta + first);
    long double deviance = 0.0L; /* R's sum() accumulates in long double */
    for (size_t i = first; i < first + count; i++) {
        logit_inverse(work->eta[i], &work->mu[i], &work->mu_eta[i]);
        double y = work->y[i], mu = work->mu[i];
        deviance += 2.0 * prior_of(work, i) * (y_log_y(y, mu) + y_log_y(1.0 - y, 1.0 - mu));
    }
    work->chunk_deviance[chunk] = deviance;
}

/* eta, mu and mu_eta at the current beta; returns the deviance. */
static double update_fit(irls_work *work)
{
    parallel_for(work->n_chunks, work->n_threads, update_chunk, work);
    long double deviance = 0.0L;
    for (size_t c = 0; c < work->n_chunks; c++)
        deviance += work->chunk_deviance[c];
    return (double)deviance;
}

/* Sum the chunks' X'WX and X'Wz, then factor X'WX in place (work->xtwx
 * keeps the factor, lower triangle). */
static vt_status sum_and_factor(irls_work *work, vt_err *err)
{
    size_t p = work->p;
    memset(work->xtwx, 0, p * p * sizeof(double));
    memset(work->xtwz, 0, p * sizeof(double));
    for (size_t c = 0; c < work->n_chunks; c++) {
        if (work->chunk_status[c] != VT_OK)
            return vt_err_set(err, work->chunk_status[c], NULL, 0, 0,
                              work->chunk_status[c] == VT_ENOMEM ? "out of memory" : "a design without columns");
        for (size_t j = 0; j < p * p; j++)
            work->xtwx[j] += work->chunk_xtwx[c * p * p + j];
        for (size_t j = 0; j < p; j++)
            work->xtwz[j] += work->chunk_xtwz[c * p + j];
    }
    for (size_t j = 1; work->penalty && j < p; j++)
        work->xtwx[j * p + j] += work->penalty[j];
    if (cholesky_factor(work->xtwx, p) != VT_OK)
        return vt_err_set(err, VT_ENUMERIC, NULL, 0, 0, "X'WX is not positive definite; collinear columns?");
    return VT_OK;
}

/* Firth: the leverages h_i = w_i x_i' (X'WX)^-1 x_i from the factor L
 * (|L^-1 sqrt(w_i) x_i|^2), the adjusted working response, and X'Wz. */
static void firth_chunk(size_t chunk, void *context)
{
    irls_work *work = context;
    size_t first, count, p = work->p;
    chunk_rows(work, chunk, &first, &count);
    double *v = vt_malloc(p * sizeof *v), *cross = work->chunk_xtwz + chunk * p;
    if (v == NULL) {
        work->chunk_status[chunk] = VT_ENOMEM;
        return;
    }
    memset(cross, 0, p * sizeof *cross);
    for (size_t i = first; i < first + count; i++) {
        const double *x = work->design->x + i * p;
        double root = sqrt(work->w[i]), leverage = 0;
        for (size_t j = 0; j < p; j++) {
            double sum = root * x[j];
            for (size_t k = 0; k < j; k++)
                sum -= work->xtwx[j * p + k] * v[k];
            v[j] = sum / work->xtwx[j * p + j];
            leverage += v[j] * v[j];
        }
        double mu = work->mu[i];
        work->h[i] = leverage;
        work->z[i] = work->eta[i] + (work->y[i] - mu + leverage * (0.5 - mu)) / work->mu_eta[i];
        for (size_t j = 0; j < p; j++)
            cross[j] += work->w[i] * work->z[i] * x[j];
    }
    free(v);
    work->chunk_status[chunk] = VT_OK;
}

/* X'WX at the current mu (z is not used). */
static void weights_chunk(size_t chunk, void *context)
{
    irls_work *work = context;
    size_t first, count, p = work->p;
    chunk_rows(work, chunk, &first, &count);
    for (size_t i = first; i < first + count; i++)
        work->w[i] = prior_of(work, i) * work->mu_eta[i] * work->mu_eta[i] / (work->mu[i] * (1.0 - work->mu[i]));
    work->chunk_status[chunk] = gram_and_cross_weighted(work->design->x + first * p, count, p, work->w + first,
                                                        work->z + first, work->chunk_xtwx + chunk * p * p,
                                                        work->chunk_xtwz + chunk * p);
}

/* One Firth step: X'WX, leverages, adjusted X'Wz, solve. */
static vt_status firth_step(irls_work *work, vt_err *err)
{
    parallel_for(work->n_chunks, work->n_threads, weights_chunk, work);
    vt_status status = sum_and_factor(work, err);
    if (status != VT_OK)
        return status;
    parallel_for(work->n_chunks, work->n_threads, firth_chunk, work);
    memset(work->xtwz, 0, work->p * sizeof(double));
    for (size_t c = 0; c < work->n_chunks; c++) {
        if (work->chunk_status[c] != VT_OK)
            return vt_err_set(err, VT_ENOMEM, NULL, 0, 0, "out of memory");
        for (size_t j = 0; j < work->p; j++)
            work->xtwz[j] += work->chunk_xtwz[c * work->p + j];
    }
    cholesky_solve(work->xtwx, work->p, work->xtwz, work->beta);
    return VT_OK;
}

/* Firth's iterations, from the same start as glm.fit; stop when no
 * (scaled) coefficient moves more than epsilon.  As logistf does, a step
 * moves no coefficient by more than FIRTH_MAX_STEP (Newton on the
 * penalised likelihood overshoots far from the optimum).  The factor left in
 * work->xtwx is X'WX at the estimate, for the SEs. */
static vt_status iterate_firth(const irls_options *options, irls_work *work, irls_result *result, vt_err *err)
{
    size_t p = work->p;
    result->converged = 0;
    for (int iter = 1; iter <= options->max_iter; iter++) {
        result->iterations = iter;
        vt_status status = firth_step(work, err);
        if (status != VT_OK)
            return status;
        /* The cap is on the raw scale, as logistf applies it: internal
         * columns have unit norm, so raw change = scaled change / scale. */
        double largest = 0;
        for (size_t j = 0; j < p; j++)
            largest = fmax(largest, fabs(work->beta[j] - work->beta_old[j]) / work->design->scale[j]);
        for (size_t j = 0; largest > FIRTH_MAX_STEP && j < p; j++)
            work->beta[j] = work->beta_old[j] + (work->beta[j] - work->beta_old[j]) * FIRTH_MAX_STEP / largest;
        double dev = update_fit(work);
        for (int halving = 0; !isfinite(dev); halving++) {
            if (halving >= options->max_iter || iter == 1)
                return vt_err_set(err, VT_ENUMERIC, NULL, 0, 0, "Firth iterations diverged (iteration %d)", iter);
            for (size_t j = 0; j < p; j++)
                work->beta[j] = (work->beta[j] + work->beta_old[j]) / 2.0;
            dev = update_fit(work);
        }
        result->deviance = dev;
        double moved = 0;
        for (size_t j = 0; j < p; j++)
            moved = fmax(moved, fabs(work->beta[j] - work->beta_old[j]));
        memcpy(work->beta_old, work->beta, p * sizeof(double));
        if (iter > 1 && moved < options->epsilon) {
            result->converged = 1;
            break;
        }
    }
    parallel_for(work->n_chunks, work->n_threads, weights_chunk, work);
    return sum_and_factor(work, err);
}

/* The deviance plus the ridge penalty: what ridge iterations reduce. */
static double penalised(const irls_work *work, double deviance)
{
    double sum = 0;
    for (size_t j = 1; work->penalty && j < work->p; j++)
        sum += work->penalty[j] * work->beta[j] * work->beta[j];
    return deviance + sum;
}

/* The iterations of glm.fit, with step-halving. */
static vt_status iterate(const double *y, const irls_options *options, irls_work *work, irls_result *result,
                         vt_err *err)
{
    size_t n = work->n, p = work->p;
    for (size_t i = 0; i < n; i++) { /* glm.fit: mustart, eta = logit(mustart), mu = linkinv(eta) */
        double weight = prior_of(work, i), mustart = (weight * y[i] + 0.5) / (weight + 1.0);
        work->eta[i] = log(mustart / (1.0 - mustart));
        logit_inverse(work->eta[i], &work->mu[i], &work->mu_eta[i]);
    }
    if (options->firth)
        return iterate_firth(options, work, result, err);
    double dev_old = binomial_deviance(y, work->mu, work->prior, n);
    result->converged = 0;
    for (int iter = 1; iter <= options->max_iter; iter++) {
        result->iterations = iter;
        vt_status status = wls_step(work, err);
        if (status != VT_OK)
            return status;
        double raw = update_fit(work), dev = penalised(work, raw);
        for (int halving = 0;
             iter > 1 && (!isfinite(dev) || (dev - dev_old) / (fabs(dev) + 0.1) > options->epsilon); halving++) {
            if (halving >= options->max_iter)
                return vt_err_set(err, VT_ENUMERIC, NULL, 0, 0,
                                  "step-halving failed to reduce the deviance (iteration %d)", iter);
            for (size_t j = 0; j < p; j++)
                work->beta[j] = (work->beta[j] + work->beta_old[j]) / 2.0;
            raw = update_fit(work);
            dev = penalised(work, raw);
        }
        if (!isfinite(dev))
            return vt_err_set(err, VT_ENUMERIC, NULL, 0, 0, "the deviance is not finite at the first iteration");
        result->deviance = raw;
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
    if (cholesky_invert(work->xtwx, p, cov) != VT_OK) { /* from the factor of the last solve */
        free(cov);
        free(transform);
        free(product);
        return VT_ENOMEM;
    }
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
    size_t n = work->n, n_obs = 0;
    double total = 0.0, events = 0.0;
    for (size_t i = 0; i < n; i++) {
        double weight = prior_of(work, i);
        total += weight;
        events += weight * y[i];
        n_obs += weight > 0;
    }
    double mean = events / total; /* glm.fit's wtdmu */
    long double null_dev = 0.0L;
    for (size_t i = 0; i < n; i++)
        null_dev += 2.0 * prior_of(work, i) * (y_log_y(y[i], mean) + y_log_y(1.0 - y[i], 1.0 - mean));
    result->null_deviance = (double)null_dev;
    result->n_obs = n_obs;
    result->rank = work->p;
    result->df_residual = n_obs - work->p;
    result->df_null = n_obs - 1;
    /* For 0/1 responses and whole-number weights the binomial
     * log-likelihood is -deviance / 2. */
    result->log_likelihood = -result->deviance / 2.0;
    result->aic = result->deviance + 2.0 * (double)work->p;
    result->bic = result->deviance + log((double)n_obs) * (double)work->p;
    result->n_boundary = 0;
    for (size_t i = 0; i < n; i++) {
        result->fitted[i] = work->mu[i];
        if (work->mu[i] > 1.0 - 10 * DBL_EPSILON || work->mu[i] < 10 * DBL_EPSILON)
            result->n_boundary++;
    }
}

/* glmnet's alpha = 0: maximise sum(w loglik) / sum(w) - l2/2 sum((beta_j sd_j)^2)
 * with sd_j the population sd (divisor sum(w), about the weighted mean), as
 * glmnet standardises; not the sample sd of term_sds (divisor n - 1, which
 * left fits 1e-5 relative from glmnet's) nor loglik / n under weights.  Times
 * -2 sum(w), on the solver's columns (beta_j sd_j = scaled beta_j times that
 * column's sd), it is deviance + sum(penalty_j scaled beta_j^2), penalty_j =
 * l2 times the scaled column's weighted centred sum of squares: l2 itself
 * without weights, the columns having unit centred norm.  NULL: no memory. */
static double *ridge_penalties(const irls_design *d, const double *prior, double l2)
{
    size_t n = d->n_rows, q = d->n_kept;
    double *penalty = vt_calloc(q, sizeof(double));
    if (penalty == NULL || prior == NULL) {
        for (size_t k = 1; penalty && k < q; k++)
            penalty[k] = l2;
        return penalty;
    }
    long double total = 0.0L;
    for (size_t i = 0; i < n; i++)
        total += prior[i];
    for (size_t k = 1; total > 0 && k < q; k++) {
        long double sum = 0.0L, squares = 0.0L;
        for (size_t i = 0; i < n; i++)
            sum += prior[i] * d->x[i * q + k];
        long double mean = sum / total;
        for (size_t i = 0; i < n; i++)
            squares += prior[i] * (d->x[i * q + k] - mean) * (d->x[i * q + k] - mean);
        penalty[k] = l2 * (double)squares;
    }
    return penalty;
}

vt_status irls_fit(const irls_design *prepared, const double *y, const double *prior, const irls_options *options,
                   irls_result **out, vt_err *err)
{
    *out = NULL;
    irls_result *result = result_new(prepared);
    irls_work work = {0};
    vt_status status;
    if (result == NULL || work_alloc(&work, prepared, y, prior, options->threads)) {
        status = vt_err_set(err, VT_ENOMEM, NULL, 0, 0, "out of memory for the fit");
        goto fail;
    }
    if (options->l2 > 0 && (work.penalty = ridge_penalties(prepared, prior, options->l2)) == NULL) {
        status = vt_err_set(err, VT_ENOMEM, NULL, 0, 0, "out of memory for the fit");
        goto fail;
    }
    if ((status = iterate(y, options, &work, result, err)) != VT_OK)
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
