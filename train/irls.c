#include "irls.h"

#include <float.h>
#include <gsl/gsl_cdf.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "irls_design.h"
#include "linalg.h"
#include "parallel.h"

/* R's dqrdc2 tolerance on the ratio of column norms. */
#define ALIAS_TOLERANCE 1e-7
/* logistf's maxstep: the largest change of a coefficient in one step. */
#define FIRTH_MAX_STEP 5.0

/* ------------------------------------------------------- the logit family */

/* R's logit_linkinv and logit_mu_eta from one exp(): mu and dmu/deta. */
void irls_logit_inverse(double eta, double *mu, double *mu_eta)
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

double irls_y_log_y(double y, double mu)
{
    return y != 0.0 ? y * log(y / mu) : 0.0;
}

void irls_options_default(irls_options *options)
{
    options->max_iter = 25;
    options->epsilon = 1e-8;
    options->firth = 0;
    options->l2 = 0;
}

/* ------------------------------------------------------------ row passes */

static void chunk_range(size_t n_rows, size_t n_chunks, size_t chunk, size_t *first, size_t *count)
{
    *first = n_rows * chunk / n_chunks;
    *count = n_rows * (chunk + 1) / n_chunks - *first;
}

/* One pass over the source's rows on threads: each chunk's rows go to
 * visit with that chunk's context; callers combine the chunks in order. */
typedef struct {
    const irls_design *d;
    irls_visit_fn visit;
    void **contexts; /* n_chunks */
    vt_status *status;
    vt_err *errs;
} row_pass;

static void pass_chunk(size_t chunk, void *context)
{
    row_pass *pass = context;
    const irls_source *source = &pass->d->source;
    size_t first, count;
    chunk_range(pass->d->n_rows, pass->d->n_chunks, chunk, &first, &count);
    pass->status[chunk] = source->scan(source->context, first, count, pass->visit, pass->contexts[chunk],
                                       &pass->errs[chunk]);
}

/* The first failing chunk's error, in row order. */
vt_status irls_run_pass(const irls_design *d, irls_visit_fn visit, void **contexts, vt_err *err)
{
    vt_status *status = vt_calloc(d->n_chunks, sizeof *status);
    vt_err *errs = vt_calloc(d->n_chunks, sizeof *errs);
    if (status == NULL || errs == NULL) {
        free(status);
        free(errs);
        return vt_err_set(err, VT_ENOMEM, NULL, 0, 0, "out of memory");
    }
    row_pass pass = {d, visit, contexts, status, errs};
    parallel_for(d->n_chunks, d->threads, pass_chunk, &pass);
    vt_status result = VT_OK;
    for (size_t c = 0; c < d->n_chunks && result == VT_OK; c++)
        if (status[c] != VT_OK) {
            result = status[c];
            if (errs[c].msg[0])
                *err = errs[c];
            else
                vt_err_set(err, result, NULL, 0, 0, result == VT_ENOMEM ? "out of memory" : "reading the rows failed");
        }
    free(status);
    free(errs);
    return result;
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
    free(prepared->inverse_scale);
    free(prepared->mean);
    free(prepared->sd);
    for (size_t k = 0; k < IRLS_MAX_TARGETS; k++) {
        free(prepared->weighted_mean[k]);
        free(prepared->weighted_ss[k]);
    }
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
        if (d->source.left_out && d->source.left_out[j]) {
            d->aliased[j] = 1;
            if ((d->alias_reason[j] = vt_strdup(d->source.left_out[j])) == NULL)
                status = VT_ENOMEM;
            continue;
        }
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

/* A chunk's share of the first two passes: column sums and sums of squares
 * (and each target's weight totals), then the Gram matrix of the centred
 * columns for the alias check. */
typedef struct {
    const irls_design *d;
    int centred;                   /* second pass */
    long double *sum, *squares;    /* p */
    long double total_weight[IRLS_MAX_TARGETS], event_weight[IRLS_MAX_TARGETS];
    size_t n_obs[IRLS_MAX_TARGETS];
    int weighted[IRLS_MAX_TARGETS];            /* blocks came with prior weights */
    long double *weighted_sum[IRLS_MAX_TARGETS]; /* p: sums of w x, then of w (x - weighted mean)^2 */
    double *gram, *block_gram;     /* p x p */
    double *block;                 /* IRLS_BLOCK_ROWS x p */
} moments;

static vt_status moments_visit(void *context, const irls_block *block)
{
    moments *m = context;
    const irls_design *d = m->d;
    size_t p = d->n_terms, count = block->count;
    if (!m->centred) {
        /* Block sums in double, folded into long double per block: x87
         * arithmetic per element would cost more than the rest. */
        for (size_t j = 0; j < p; j++) {
            double block_sum = 0.0, block_squares = 0.0;
            for (size_t i = 0; i < count; i++) {
                double value = block->x[i * p + j];
                block_sum += value;
                block_squares += value * value;
            }
            m->sum[j] += block_sum;
            m->squares[j] += block_squares;
        }
        for (size_t k = 0; k < d->source.n_targets; k++) {
            const double *prior = block->prior[k];
            for (size_t i = 0; i < count; i++) {
                double weight = prior ? prior[i] : 1.0;
                m->total_weight[k] += weight;
                m->event_weight[k] += weight * block->y[k][i];
                m->n_obs[k] += weight > 0;
            }
            m->weighted[k] |= prior != NULL;
            for (size_t j = 0; prior && j < p; j++) {
                double block_sum = 0.0;
                for (size_t i = 0; i < count; i++)
                    block_sum += prior[i] * block->x[i * p + j];
                m->weighted_sum[k][j] += block_sum;
            }
        }
        return VT_OK;
    }
    for (size_t k = 0; k < d->source.n_targets; k++) {
        const double *prior = block->prior[k];
        for (size_t j = 0; prior && d->weighted_mean[k] && j < p; j++) {
            double block_sum = 0.0, mean = d->weighted_mean[k][j];
            for (size_t i = 0; i < count; i++)
                block_sum += prior[i] * (block->x[i * p + j] - mean) * (block->x[i * p + j] - mean);
            m->weighted_sum[k][j] += block_sum;
        }
    }
    /* Centred columns: a constant column becomes exactly zero. */
    for (size_t i = 0; i < count; i++) {
        m->block[i * p] = 0.0;
        for (size_t j = 1; j < p; j++)
            m->block[i * p + j] = block->x[i * p + j] - d->mean[j];
    }
    vt_status status = gram(m->block, count, p, m->block_gram);
    for (size_t j = 0; status == VT_OK && j < p * p; j++)
        m->gram[j] += m->block_gram[j];
    return status;
}

static void moments_free(moments *chunks, size_t n_chunks)
{
    for (size_t c = 0; chunks && c < n_chunks; c++) {
        free(chunks[c].sum);
        free(chunks[c].squares);
        free(chunks[c].gram);
        free(chunks[c].block_gram);
        free(chunks[c].block);
        for (size_t k = 0; k < IRLS_MAX_TARGETS; k++)
            free(chunks[c].weighted_sum[k]);
    }
    free(chunks);
}

/* Means, the centred Gram matrix and the kept columns' centring and scale:
 * two passes over the source's rows. */
static vt_status scale_and_choose(irls_design *d, vt_err *err)
{
    size_t n = d->n_rows, p = d->n_terms, n_chunks = d->n_chunks;
    moments *chunks = vt_calloc(n_chunks, sizeof *chunks);
    void **contexts = vt_calloc(n_chunks, sizeof *contexts);
    double *raw_ss = vt_calloc(p, sizeof(double)), *centred_ss = vt_calloc(p, sizeof(double));
    double *correlation = vt_calloc(p * p, sizeof(double));
    int ok = chunks && contexts && raw_ss && centred_ss && correlation;
    for (size_t c = 0; ok && c < n_chunks; c++) {
        moments *m = &chunks[c];
        m->d = d;
        m->sum = vt_calloc(p, sizeof(long double));
        m->squares = vt_calloc(p, sizeof(long double));
        m->gram = vt_calloc(p * p, sizeof(double));
        m->block_gram = vt_malloc(p * p * sizeof(double));
        m->block = vt_malloc(IRLS_BLOCK_ROWS * p * sizeof(double));
        ok = m->sum && m->squares && m->gram && m->block_gram && m->block;
        for (size_t k = 0; ok && k < d->source.n_targets; k++)
            ok = (m->weighted_sum[k] = vt_calloc(p, sizeof(long double))) != NULL;
        contexts[c] = m;
    }
    vt_status status = ok ? irls_run_pass(d, moments_visit, contexts, err)
                          : vt_err_set(err, VT_ENOMEM, NULL, 0, 0, "out of memory for the design");
    if (status == VT_OK) {
        for (size_t j = 0; j < p; j++) {
            long double sum = 0.0L, squares = 0.0L;
            for (size_t c = 0; c < n_chunks; c++) {
                sum += chunks[c].sum[j];
                squares += chunks[c].squares[j];
            }
            d->mean[j] = (double)(sum / (long double)n);
            raw_ss[j] = (double)squares;
        }
        for (size_t k = 0; k < d->source.n_targets; k++) {
            long double total = 0.0L, events = 0.0L;
            for (size_t c = 0; c < n_chunks; c++) {
                total += chunks[c].total_weight[k];
                events += chunks[c].event_weight[k];
                d->n_obs[k] += chunks[c].n_obs[k];
            }
            d->total_weight[k] = (double)total;
            d->event_weight[k] = (double)events;
            if (!chunks[0].weighted[k])
                continue;
            if (!(d->weighted_mean[k] = vt_calloc(p, sizeof(double))) ||
                !(d->weighted_ss[k] = vt_calloc(p, sizeof(double)))) {
                status = vt_err_set(err, VT_ENOMEM, NULL, 0, 0, "out of memory for the design");
                break;
            }
            for (size_t j = 0; j < p; j++) {
                long double sum = 0.0L;
                for (size_t c = 0; c < n_chunks; c++) {
                    sum += chunks[c].weighted_sum[k][j];
                    chunks[c].weighted_sum[k][j] = 0.0L;
                }
                d->weighted_mean[k][j] = total > 0 ? (double)(sum / total) : 0.0;
            }
        }
        for (size_t c = 0; c < n_chunks; c++)
            chunks[c].centred = 1;
    }
    if (status == VT_OK)
        status = irls_run_pass(d, moments_visit, contexts, err);
    for (size_t k = 0; status == VT_OK && k < d->source.n_targets; k++)
        for (size_t j = 0; d->weighted_ss[k] && j < p; j++) {
            long double sum = 0.0L;
            for (size_t c = 0; c < n_chunks; c++)
                sum += chunks[c].weighted_sum[k][j];
            d->weighted_ss[k][j] = (double)sum;
        }
    if (status == VT_OK) {
        double *total = chunks[0].gram;
        for (size_t c = 1; c < n_chunks; c++)
            for (size_t j = 0; j < p * p; j++)
                total[j] += chunks[c].gram[j];
        for (size_t j = 1; j < p; j++) {
            centred_ss[j] = total[j * p + j];
            d->sd[j] = n > 1 ? sqrt(centred_ss[j] / (double)(n - 1)) : 0.0;
        }
        const double *penalty = d->source.penalty;
        for (size_t j = 1; j < p; j++)
            for (size_t k = 1; k < p; k++)
                if (centred_ss[j] > 0 && centred_ss[k] > 0)
                    correlation[j * p + k] =
                        (total[j * p + k] + (penalty ? penalty[j * p + k] : 0.0)) / sqrt(centred_ss[j] * centred_ss[k]);
        if (choose_columns(d, correlation, d->mean, centred_ss, raw_ss, d->source.term_names) != VT_OK)
            status = vt_err_set(err, VT_ENOMEM, NULL, 0, 0, "out of memory for the design");
        for (size_t k = 0; k < d->n_kept; k++)
            d->inverse_scale[k] = 1.0 / d->scale[k];
    }
    moments_free(chunks, n_chunks);
    free(contexts);
    free(raw_ss);
    free(centred_ss);
    free(correlation);
    return status;
}

vt_status irls_design_new(const irls_source *source, size_t threads, irls_design **out, vt_err *err)
{
    *out = NULL;
    size_t n_rows = source->n_rows, n_terms = source->n_terms;
    if (n_rows == 0 || n_terms == 0)
        return vt_err_set(err, VT_EDATA, NULL, 0, 0, "nothing to fit: %zu rows, %zu terms", n_rows, n_terms);
    if (n_terms > IRLS_MAX_TERMS)
        return vt_err_set(err, VT_EDATA, NULL, 0, 0,
                          "%zu terms: more than %d (X'WX alone would take %.1f GB); drop columns (--drop)", n_terms,
                          IRLS_MAX_TERMS, (double)n_terms * (double)n_terms * 8 / 1e9);
    if (source->n_targets > IRLS_MAX_TARGETS)
        return vt_err_set(err, VT_EUSAGE, NULL, 0, 0, "%zu targets: at most %d", source->n_targets, IRLS_MAX_TARGETS);
    irls_design *d = vt_calloc(1, sizeof *d);
    if (d == NULL)
        return vt_err_set(err, VT_ENOMEM, NULL, 0, 0, "out of memory");
    d->source = *source;
    d->threads = threads ? threads : parallel_cores();
    d->n_chunks = n_rows < ROW_CHUNKS ? 1 : ROW_CHUNKS;
    d->n_rows = n_rows;
    d->n_terms = n_terms;
    d->term_of = vt_calloc(n_terms, sizeof(size_t));
    d->center = vt_calloc(n_terms, sizeof(double));
    d->scale = vt_calloc(n_terms, sizeof(double));
    d->inverse_scale = vt_calloc(n_terms, sizeof(double));
    d->aliased = vt_calloc(n_terms, sizeof(int));
    d->alias_reason = vt_calloc(n_terms, sizeof(char *));
    d->mean = vt_calloc(n_terms, sizeof(double));
    d->sd = vt_calloc(n_terms, sizeof(double));
    vt_status status = d->term_of && d->center && d->scale && d->inverse_scale && d->aliased && d->alias_reason && d->mean && d->sd
                           ? scale_and_choose(d, err)
                           : vt_err_set(err, VT_ENOMEM, NULL, 0, 0, "out of memory for the design");
    if (status == VT_OK && d->n_kept > n_rows)
        status = vt_err_set(err, VT_EDATA, NULL, 0, 0, "%zu terms but only %zu rows", d->n_kept, n_rows);
    if (status != VT_OK) {
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
    irls_smooth_info_free(result->smooth);
    collinear_groups_free(result->collinear, result->n_collinear);
    free(result);
}

void irls_smooth_info_free(irls_smooth_info *info)
{
    if (info == NULL)
        return;
    free(info->sp);
    free(info->edf);
    free(info->edf1);
    free(info->ref_df);
    free(info->chi_sq);
    free(info->p_value);
    free(info->edf_term);
    free(info->cov);
    free(info);
}

irls_result *irls_result_new(const irls_design *d)
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
    int ok = result->aliased && result->alias_reason && result->estimate && result->std_error &&
             result->z_value && result->p_value;
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

/* What a pass computes for a target: where eta comes from (glm.fit's
 * mustart, or X beta), and either X'WX and X'Wz with the deviance there,
 * or Firth's leverage-adjusted X'Wz from the factor of X'WX. */
typedef enum { AT_START, AT_BETA } pass_point;
typedef enum { WANT_GRAM, WANT_FIRTH } pass_want;

/* One target's iterations.  beta and the matrices are on the scaled
 * columns (q = kept columns). */
typedef struct {
    irls_options options;
    const char *name;
    int active;               /* still iterating */
    pass_point point;
    pass_want want;
    double *penalty;          /* q: ridge on the scaled coefficients (0 for the intercept); NULL for none */
    double null_mean;         /* glm.fit's wtdmu, for the null deviance */
    double *beta, *beta_old;  /* q */
    double *factor;           /* q x q: Cholesky factor of the last X'WX solved with */
    double *gram, *cross;     /* q x q, q: summed over the chunks of the last pass */
    double deviance, dev_old; /* of the last pass, and of the last accepted step */
    long double null_deviance;
    size_t n_boundary;
    int iteration, halving;
    irls_result *result;
} fit_target;

/* A chunk's share of a pass, per target. */
typedef struct {
    const irls_design *d;
    fit_target *targets;      /* n_targets */
    double *scaled;           /* IRLS_BLOCK_ROWS x q */
    double *eta, *w, *z;      /* IRLS_BLOCK_ROWS */
    double *v;                /* q: Firth's leverage */
    double *gram[IRLS_MAX_TARGETS], *cross[IRLS_MAX_TARGETS];
    long double deviance[IRLS_MAX_TARGETS], null_deviance[IRLS_MAX_TARGETS];
    size_t n_boundary[IRLS_MAX_TARGETS];
} fit_chunk;

/* Firth: the leverage h = w x' (X'WX)^-1 x = |L^-1 sqrt(w) x|^2, and the
 * working response gains h (1/2 - mu) / mu_eta. */
static void firth_rows(fit_chunk *chunk, const fit_target *t, size_t k, const double *y, size_t count,
                       const double *mu, const double *mu_eta)
{
    size_t q = chunk->d->n_kept;
    double *v = chunk->v, *cross = chunk->cross[k];
    for (size_t i = 0; i < count; i++) {
        const double *x = chunk->scaled + i * q;
        double root = sqrt(chunk->w[i]), leverage = 0;
        for (size_t j = 0; j < q; j++) {
            double sum = root * x[j];
            for (size_t m = 0; m < j; m++)
                sum -= t->factor[j * q + m] * v[m];
            v[j] = sum / t->factor[j * q + j];
            leverage += v[j] * v[j];
        }
        double z = chunk->eta[i] + (y[i] - mu[i] + leverage * (0.5 - mu[i])) / mu_eta[i];
        for (size_t j = 0; j < q; j++)
            cross[j] += chunk->w[i] * z * x[j];
    }
}

static vt_status fit_visit(void *context, const irls_block *block)
{
    fit_chunk *chunk = context;
    const irls_design *d = chunk->d;
    size_t p = d->n_terms, q = d->n_kept, count = block->count;
    /* Times the reciprocal, the factor report_raw undoes: a division per
     * cell was a fifth of the fit's time. */
    for (size_t i = 0; i < count; i++) {
        double *to = chunk->scaled + i * q;
        to[0] = 1.0;
        for (size_t k = 1; k < q; k++)
            to[k] = (block->x[i * p + d->term_of[k]] - d->center[k]) * d->inverse_scale[k];
    }
    double mu[IRLS_BLOCK_ROWS], mu_eta[IRLS_BLOCK_ROWS], deviance_terms[IRLS_BLOCK_ROWS];
    for (size_t k = 0; k < d->source.n_targets; k++) {
        const fit_target *t = &chunk->targets[k];
        if (!t->active)
            continue;
        const double *y = block->y[k], *prior = block->prior[k];
        if (t->point == AT_BETA)
            x_times_vector(chunk->scaled, count, q, t->beta, chunk->eta);
        /* R's sum() accumulates in long double: the terms are summed after
         * the loop, whose calls to log() would spill x87 registers per row. */
        long double deviance = 0.0L, null_deviance = 0.0L;
        if (t->point == AT_START) {
            for (size_t i = 0; i < count; i++) {
                double weight = prior ? prior[i] : 1.0;
                deviance_terms[i] = 2.0 * weight * (irls_y_log_y(y[i], t->null_mean) + irls_y_log_y(1.0 - y[i], 1.0 - t->null_mean));
            }
            for (size_t i = 0; i < count; i++)
                null_deviance += deviance_terms[i];
        }
        for (size_t i = 0; i < count; i++) {
            double weight = prior ? prior[i] : 1.0;
            if (t->point == AT_START) { /* glm.fit: mustart, eta = logit(mustart) */
                double mustart = (weight * y[i] + 0.5) / (weight + 1.0);
                chunk->eta[i] = log(mustart / (1.0 - mustart));
            }
            irls_logit_inverse(chunk->eta[i], &mu[i], &mu_eta[i]);
            deviance_terms[i] = 2.0 * weight * (irls_y_log_y(y[i], mu[i]) + irls_y_log_y(1.0 - y[i], 1.0 - mu[i]));
            chunk->n_boundary[k] += mu[i] > 1.0 - 10 * DBL_EPSILON || mu[i] < 10 * DBL_EPSILON;
            /* glm.fit's working weights and response */
            chunk->w[i] = weight * mu_eta[i] * mu_eta[i] / (mu[i] * (1.0 - mu[i]));
            chunk->z[i] = chunk->eta[i] + (y[i] - mu[i]) / mu_eta[i];
        }
        for (size_t i = 0; i < count; i++)
            deviance += deviance_terms[i];
        chunk->deviance[k] += deviance;
        chunk->null_deviance[k] += null_deviance;
        if (t->want == WANT_FIRTH) {
            firth_rows(chunk, t, k, y, count, mu, mu_eta);
        } else {
            vt_status status = gram_and_cross_add(chunk->scaled, count, q, chunk->w, chunk->z, chunk->gram[k],
                                                  chunk->cross[k]);
            if (status != VT_OK)
                return status;
        }
    }
    return VT_OK;
}

/* The pass's sums over the chunks, in chunk order, into each active target. */
static void gather(const irls_design *d, fit_chunk *chunks, fit_target *targets)
{
    size_t q = d->n_kept;
    for (size_t k = 0; k < d->source.n_targets; k++) {
        fit_target *t = &targets[k];
        if (!t->active)
            continue;
        long double deviance = 0.0L, null_deviance = 0.0L;
        memset(t->gram, 0, q * q * sizeof(double));
        memset(t->cross, 0, q * sizeof(double));
        t->n_boundary = 0;
        for (size_t c = 0; c < d->n_chunks; c++) {
            for (size_t j = 0; j < q * q; j++)
                t->gram[j] += chunks[c].gram[k][j];
            for (size_t j = 0; j < q; j++)
                t->cross[j] += chunks[c].cross[k][j];
            deviance += chunks[c].deviance[k];
            null_deviance += chunks[c].null_deviance[k];
            t->n_boundary += chunks[c].n_boundary[k];
        }
        gram_mirror(t->gram, q);
        t->deviance = (double)deviance;
        if (t->point == AT_START && t->want == WANT_GRAM)
            t->null_deviance = null_deviance;
    }
}

/* One pass serving every active target. */
static vt_status fit_pass(const irls_design *d, fit_chunk *chunks, void **contexts, fit_target *targets, vt_err *err)
{
    size_t q = d->n_kept;
    for (size_t c = 0; c < d->n_chunks; c++)
        for (size_t k = 0; k < d->source.n_targets; k++)
            if (targets[k].active) {
                memset(chunks[c].gram[k], 0, q * q * sizeof(double));
                memset(chunks[c].cross[k], 0, q * sizeof(double));
                chunks[c].deviance[k] = chunks[c].null_deviance[k] = 0.0L;
                chunks[c].n_boundary[k] = 0;
            }
    vt_status status = irls_run_pass(d, fit_visit, contexts, err);
    if (status == VT_OK)
        gather(d, chunks, targets);
    return status;
}

/* factor = chol(X'WX + penalty); the factor stays for the SEs. */
static vt_status factor_gram(fit_target *t, size_t q, vt_err *err)
{
    memcpy(t->factor, t->gram, q * q * sizeof(double));
    for (size_t j = 1; t->penalty && j < q; j++)
        t->factor[j * q + j] += t->penalty[j];
    if (cholesky_factor(t->factor, q) != VT_OK)
        return vt_err_set(err, VT_ENUMERIC, NULL, 0, 0, "X'WX is not positive definite; collinear columns?");
    return VT_OK;
}

/* The deviance plus the ridge penalty: what ridge iterations reduce. */
static double penalised(const fit_target *t, size_t q, double deviance)
{
    double sum = 0;
    for (size_t j = 1; t->penalty && j < q; j++)
        sum += t->penalty[j] * t->beta[j] * t->beta[j];
    return deviance + sum;
}

/* glm.fit's iterations, with step-halving, one pass at a time: after the
 * pass at mustart, or at a new beta, decide the next beta to evaluate. */
static vt_status step_glm(fit_target *t, size_t q, vt_err *err)
{
    const irls_options *options = &t->options;
    if (t->point == AT_START) {
        t->dev_old = t->deviance;
        t->iteration = 1;
    } else {
        double raw = t->deviance, dev = penalised(t, q, raw);
        if (t->iteration > 1 && (!isfinite(dev) || (dev - t->dev_old) / (fabs(dev) + 0.1) > options->epsilon)) {
            if (t->halving++ >= options->max_iter)
                return vt_err_set(err, VT_ENUMERIC, NULL, 0, 0,
                                  "step-halving failed to reduce the deviance (iteration %d)", t->iteration);
            for (size_t j = 0; j < q; j++)
                t->beta[j] = (t->beta[j] + t->beta_old[j]) / 2.0;
            return VT_OK;
        }
        if (!isfinite(dev))
            return vt_err_set(err, VT_ENUMERIC, NULL, 0, 0, "the deviance is not finite at the first iteration");
        t->result->deviance = raw;
        t->result->iterations = t->iteration;
        if (fabs(dev - t->dev_old) / (fabs(dev) + 0.1) < options->epsilon) {
            t->result->converged = 1;
            t->active = 0;
            return VT_OK;
        }
        t->dev_old = dev;
        memcpy(t->beta_old, t->beta, q * sizeof(double));
        if (++t->iteration > options->max_iter) {
            t->active = 0;
            return VT_OK;
        }
    }
    vt_status status = factor_gram(t, q, err); /* the weighted least-squares solve */
    if (status != VT_OK)
        return status;
    cholesky_solve(t->factor, q, t->cross, t->beta);
    t->point = AT_BETA;
    t->halving = 0;
    return VT_OK;
}

/* Firth's iterations, from the same start as glm.fit: X'WX, then the
 * leverage-adjusted X'Wz in a second pass, solve; stop when no (scaled)
 * coefficient moves more than epsilon.  As logistf does, a step moves no
 * coefficient by more than FIRTH_MAX_STEP (Newton on the penalised
 * likelihood overshoots far from the optimum).  The factor left is of
 * X'WX at the estimate, for the SEs. */
static vt_status step_firth(fit_target *t, const irls_design *d, vt_err *err)
{
    const irls_options *options = &t->options;
    size_t q = d->n_kept;
    if (t->want == WANT_FIRTH) {
        cholesky_solve(t->factor, q, t->cross, t->beta);
        /* The cap is on the raw scale, as logistf applies it: internal
         * columns have unit norm, so raw change = scaled change / scale. */
        double largest = 0;
        for (size_t j = 0; j < q; j++)
            largest = fmax(largest, fabs(t->beta[j] - t->beta_old[j]) / d->scale[j]);
        for (size_t j = 0; largest > FIRTH_MAX_STEP && j < q; j++)
            t->beta[j] = t->beta_old[j] + (t->beta[j] - t->beta_old[j]) * FIRTH_MAX_STEP / largest;
        t->point = AT_BETA;
        t->want = WANT_GRAM;
        t->halving = 0;
        return VT_OK;
    }
    if (t->point == AT_START) {
        t->iteration = 1;
    } else {
        if (!isfinite(t->deviance)) {
            if (t->halving++ >= options->max_iter || t->iteration == 1)
                return vt_err_set(err, VT_ENUMERIC, NULL, 0, 0, "Firth iterations diverged (iteration %d)",
                                  t->iteration);
            for (size_t j = 0; j < q; j++)
                t->beta[j] = (t->beta[j] + t->beta_old[j]) / 2.0;
            return VT_OK;
        }
        t->result->deviance = t->deviance;
        t->result->iterations = t->iteration;
        double moved = 0;
        for (size_t j = 0; j < q; j++)
            moved = fmax(moved, fabs(t->beta[j] - t->beta_old[j]));
        memcpy(t->beta_old, t->beta, q * sizeof(double));
        if (t->iteration > 1 && moved < options->epsilon)
            t->result->converged = 1;
        if (t->result->converged || ++t->iteration > options->max_iter)
            t->active = 0;
    }
    vt_status status = factor_gram(t, q, err);
    t->want = WANT_FIRTH;
    return status;
}

/* Near-collinearity among the kept columns: cov is (X'WX)^-1 of the
 * centred, scaled design (column 0 the intercept); the inverse of its block
 * without the intercept is the columns' information with the intercept
 * profiled out, which collinear_find scales and decomposes. */
static vt_status find_collinear(const irls_design *d, const double *cov, irls_result *result)
{
    size_t p = d->n_kept, m = p - 1;
    if (m < 2)
        return VT_OK;
    double *block = vt_calloc(m * m, sizeof(double)), *information = vt_calloc(m * m, sizeof(double));
    vt_status status = block && information ? VT_OK : VT_ENOMEM;
    for (size_t a = 0; status == VT_OK && a < m; a++)
        memcpy(block + a * m, cov + (a + 1) * p + 1, m * sizeof(double));
    if (status == VT_OK && cholesky_factor(block, m) == VT_OK)
        status = cholesky_invert(block, m, information);
    else if (status == VT_OK) { /* a covariance not positive definite numerically: nothing to read */
        free(block);
        free(information);
        return VT_OK;
    }
    if (status == VT_OK)
        status = collinear_find(information, m, NULL, &result->collinear, &result->n_collinear);
    for (size_t g = 0; status == VT_OK && g < result->n_collinear; g++)
        for (size_t i = 0; i < result->collinear[g].n_terms; i++)
            result->collinear[g].terms[i] = d->term_of[result->collinear[g].terms[i] + 1];
    free(block);
    free(information);
    return status;
}

/* Raw-scale estimates and covariance from the scaled fit: beta_raw = T beta
 * and cov_raw = T cov T', where T undoes the centring and scaling. */
static vt_status report_raw(const irls_design *d, const fit_target *t, irls_result *result)
{
    size_t p = d->n_kept;
    double *cov = vt_calloc(p * p, sizeof(double)), *transform = vt_calloc(p * p, sizeof(double));
    double *product = vt_calloc(p * p, sizeof(double));
    if (!cov || !transform || !product) {
        free(cov);
        free(transform);
        free(product);
        return VT_ENOMEM;
    }
    if (cholesky_invert(t->factor, p, cov) != VT_OK) { /* from the factor of the last solve */
        free(cov);
        free(transform);
        free(product);
        return VT_ENOMEM;
    }
    if (find_collinear(d, cov, result) != VT_OK) {
        free(cov);
        free(transform);
        free(product);
        return VT_ENOMEM;
    }
    transform[0] = 1.0;
    for (size_t k = 1; k < p; k++) {
        transform[k * p + k] = d->inverse_scale[k];
        transform[k] = -d->center[k] * d->inverse_scale[k];
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
            estimate += transform[a * p + c] * t->beta[c];
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

/* ------------------------------------------------ collinear groups' sizes
 *
 * A group's size is the sample sd over the rows of its terms' summed
 * contribution sum_t beta_t (x_t - mean_t): what |beta| sd(x) is for one
 * column, so compare can weigh the group as one.  One more pass, only for
 * fits with groups; block sums in double folded into long double per
 * chunk, chunks summed in order (the thread count changes nothing). */

typedef struct {
    const irls_design *d;
    irls_result *const *results; /* per target, NULL where not fitted */
    size_t n_groups;             /* over the targets */
    long double *sum, *squares;  /* per group */
} size_chunk;

static vt_status size_visit(void *context, const irls_block *block)
{
    size_chunk *chunk = context;
    const irls_design *d = chunk->d;
    size_t p = d->n_terms, g = 0;
    for (size_t k = 0; k < d->source.n_targets; k++) {
        const irls_result *result = chunk->results[k];
        for (size_t j = 0; result && j < result->n_collinear; j++, g++) {
            const collinear_group *group = &result->collinear[j];
            double block_sum = 0.0, block_squares = 0.0;
            for (size_t i = 0; i < block->count; i++) {
                double contribution = 0.0;
                for (size_t m = 0; m < group->n_terms; m++) {
                    size_t t = group->terms[m];
                    contribution += result->estimate[t] * (block->x[i * p + t] - d->mean[t]);
                }
                block_sum += contribution;
                block_squares += contribution * contribution;
            }
            chunk->sum[g] += block_sum;
            chunk->squares[g] += block_squares;
        }
    }
    return VT_OK;
}

static vt_status collinear_sizes(const irls_design *d, irls_result *const *results, vt_err *err)
{
    size_t n_groups = 0, n_chunks = d->n_chunks, n = d->n_rows;
    for (size_t k = 0; k < d->source.n_targets; k++)
        n_groups += results[k] ? results[k]->n_collinear : 0;
    if (n_groups == 0)
        return VT_OK;
    size_chunk *chunks = vt_calloc(n_chunks, sizeof *chunks);
    void **contexts = vt_calloc(n_chunks, sizeof *contexts);
    int ok = chunks && contexts;
    for (size_t c = 0; ok && c < n_chunks; c++) {
        chunks[c] = (size_chunk){d, results, n_groups, vt_calloc(n_groups, sizeof(long double)),
                                 vt_calloc(n_groups, sizeof(long double))};
        contexts[c] = &chunks[c];
        ok = chunks[c].sum && chunks[c].squares;
    }
    vt_status status = ok ? irls_run_pass(d, size_visit, contexts, err)
                          : vt_err_set(err, VT_ENOMEM, NULL, 0, 0, "out of memory");
    size_t g = 0;
    for (size_t k = 0; status == VT_OK && k < d->source.n_targets; k++)
        for (size_t j = 0; results[k] && j < results[k]->n_collinear; j++, g++) {
            long double sum = 0.0L, squares = 0.0L;
            for (size_t c = 0; c < n_chunks; c++) {
                sum += chunks[c].sum[g];
                squares += chunks[c].squares[g];
            }
            long double centred = squares - sum * sum / (long double)n;
            results[k]->collinear[j].standardised =
                n > 1 && centred > 0 ? sqrt((double)(centred / (long double)(n - 1))) : 0.0;
        }
    for (size_t c = 0; chunks && c < n_chunks; c++) {
        free(chunks[c].sum);
        free(chunks[c].squares);
    }
    free(chunks);
    free(contexts);
    return status;
}

static void fit_statistics(const irls_design *d, size_t k, const fit_target *t, irls_result *result)
{
    size_t n_obs = d->n_obs[k], q = d->n_kept;
    result->null_deviance = (double)t->null_deviance;
    result->n_obs = n_obs;
    result->rank = q;
    result->df_residual = n_obs - q;
    result->df_null = n_obs - 1;
    /* For 0/1 responses and whole-number weights the binomial
     * log-likelihood is -deviance / 2. */
    result->log_likelihood = -result->deviance / 2.0;
    result->aic = result->deviance + 2.0 * (double)q;
    result->bic = result->deviance + log((double)n_obs) * (double)q;
    result->n_boundary = t->n_boundary;
}

static void fit_free(fit_target *targets, fit_chunk *chunks, size_t n_targets, size_t n_chunks)
{
    for (size_t k = 0; targets && k < n_targets; k++) {
        free(targets[k].beta);
        free(targets[k].beta_old);
        free(targets[k].factor);
        free(targets[k].gram);
        free(targets[k].cross);
        free(targets[k].penalty);
        irls_result_free(targets[k].result);
    }
    for (size_t c = 0; chunks && c < n_chunks; c++) {
        free(chunks[c].scaled);
        free(chunks[c].eta);
        free(chunks[c].w);
        free(chunks[c].z);
        free(chunks[c].v);
        for (size_t k = 0; k < IRLS_MAX_TARGETS; k++) {
            free(chunks[c].gram[k]);
            free(chunks[c].cross[k]);
        }
    }
    free(targets);
    free(chunks);
}

/* glmnet's alpha = 0: maximise sum(w loglik) / sum(w) - l2/2 sum((beta_j
 * sd_j)^2), sd_j the population sd (divisor sum(w), about the weighted
 * mean).  Times -2 sum(w), that is the deviance plus l2 beta_j^2 times the
 * column's weighted sum of squares about its mean: on the unit-norm scaled
 * columns exactly l2 without weights; with weights, l2 times the scaled
 * column's weighted sum of squares. */
static double *ridge_penalties(const irls_design *d, size_t k, double l2)
{
    size_t q = d->n_kept;
    double *penalty = vt_calloc(q, sizeof(double));
    for (size_t j = 1; penalty && j < q; j++)
        penalty[j] = d->weighted_ss[k] ? l2 * d->weighted_ss[k][d->term_of[j]] * d->inverse_scale[j] * d->inverse_scale[j]
                                       : l2;
    return penalty;
}

static int fit_alloc(const irls_design *d, const irls_target *wanted, fit_target *targets, fit_chunk *chunks)
{
    size_t q = d->n_kept, n_targets = d->source.n_targets;
    int ok = 1;
    for (size_t k = 0; ok && k < n_targets; k++) {
        fit_target *t = &targets[k];
        if (wanted[k].skip)
            continue;
        t->options = wanted[k].options;
        t->name = wanted[k].name;
        t->active = 1;
        t->null_mean = d->event_weight[k] / d->total_weight[k];
        t->beta = vt_calloc(q, sizeof(double));
        t->beta_old = vt_calloc(q, sizeof(double));
        t->factor = vt_calloc(q * q, sizeof(double));
        t->gram = vt_calloc(q * q, sizeof(double));
        t->cross = vt_calloc(q, sizeof(double));
        t->result = irls_result_new(d);
        ok = t->beta && t->beta_old && t->factor && t->gram && t->cross && t->result;
        /* a ridge fit without its penalty would be a wrong fit, not a failed one */
        if (ok && t->options.l2 > 0 && (t->penalty = ridge_penalties(d, k, t->options.l2)) == NULL)
            ok = 0;
    }
    for (size_t c = 0; ok && c < d->n_chunks; c++) {
        fit_chunk *chunk = &chunks[c];
        chunk->d = d;
        chunk->targets = targets;
        chunk->scaled = vt_malloc(IRLS_BLOCK_ROWS * q * sizeof(double));
        chunk->eta = vt_malloc(IRLS_BLOCK_ROWS * sizeof(double));
        chunk->w = vt_malloc(IRLS_BLOCK_ROWS * sizeof(double));
        chunk->z = vt_malloc(IRLS_BLOCK_ROWS * sizeof(double));
        chunk->v = vt_malloc(q * sizeof(double));
        ok = chunk->scaled && chunk->eta && chunk->w && chunk->z && chunk->v;
        for (size_t k = 0; ok && k < n_targets; k++)
            if (!wanted[k].skip) {
                chunk->gram[k] = vt_malloc(q * q * sizeof(double));
                chunk->cross[k] = vt_malloc(q * sizeof(double));
                ok = chunk->gram[k] && chunk->cross[k];
            }
    }
    return ok;
}

vt_status irls_fit(const irls_design *prepared, const irls_target *wanted, irls_result **out, vt_err *err)
{
    const irls_design *d = prepared;
    size_t n_targets = d->source.n_targets;
    for (size_t k = 0; k < n_targets; k++)
        out[k] = NULL;
    fit_target *targets = vt_calloc(n_targets, sizeof *targets);
    fit_chunk *chunks = vt_calloc(d->n_chunks, sizeof *chunks);
    void **contexts = vt_calloc(d->n_chunks, sizeof *contexts);
    vt_status status = VT_OK;
    if (!targets || !chunks || !contexts || !fit_alloc(d, wanted, targets, chunks))
        status = vt_err_set(err, VT_ENOMEM, NULL, 0, 0, "out of memory for the fit");
    for (size_t c = 0; status == VT_OK && c < d->n_chunks; c++)
        contexts[c] = &chunks[c];
    size_t failed = n_targets; /* the target whose step failed */
    for (int any = 1; status == VT_OK && any;) {
        if ((status = fit_pass(d, chunks, contexts, targets, err)) != VT_OK)
            break;
        any = 0;
        for (size_t k = 0; status == VT_OK && k < n_targets; k++) {
            fit_target *t = &targets[k];
            if (!t->active)
                continue;
            status = t->options.firth ? step_firth(t, d, err) : step_glm(t, d->n_kept, err);
            if (status != VT_OK)
                failed = k;
            any |= t->active;
        }
    }
    for (size_t k = 0; status == VT_OK && k < n_targets; k++) {
        fit_target *t = &targets[k];
        if (wanted[k].skip)
            continue;
        if (report_raw(d, t, t->result) != VT_OK) {
            status = vt_err_set(err, VT_ENOMEM, NULL, 0, 0, "out of memory");
            break;
        }
        fit_statistics(d, k, t, t->result);
    }
    if (status == VT_OK) {
        irls_result *results[IRLS_MAX_TARGETS] = {NULL};
        for (size_t k = 0; k < n_targets; k++)
            results[k] = wanted[k].skip ? NULL : targets[k].result;
        status = collinear_sizes(d, results, err);
    }
    if (status != VT_OK && failed < n_targets) {
        char detail[sizeof err->msg];
        snprintf(detail, sizeof detail, "%s", err->msg);
        vt_err_set(err, status, NULL, 0, 0, "fitting the %s model: %s",
                   wanted[failed].name ? wanted[failed].name : "", detail);
    }
    for (size_t k = 0; status == VT_OK && k < n_targets; k++) {
        out[k] = targets[k].result;
        targets[k].result = NULL;
    }
    fit_free(targets, chunks, n_targets, d->n_chunks);
    free(contexts);
    return status;
}
