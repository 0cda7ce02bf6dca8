#include "fit.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "score.h"
#include "separation.h"

/* The design rows at the given used-row positions (all rows if NULL). */
typedef struct {
    const design_source *source;
    const size_t *positions;
} row_subset;

static void fill_subset(const void *context, size_t first, size_t count, double *out);
static vt_status fit_failed(const fit_problem *problem, size_t k, vt_status status, vt_err *err);
static vt_status fit_target(const fit_problem *problem, const irls_design *prepared, const row_subset *subset,
                            size_t n, size_t k, double *y, double *prior, fit_result *out, vt_err *err);
static vt_status keep_scales(const irls_design *prepared, size_t n_terms, fit_result *out, vt_err *err);

static const char *const target_names[MODEL_MAX_TARGETS] = {"churn", "expansion"};

const char *fit_target_name(size_t k)
{
    return k < MODEL_MAX_TARGETS ? target_names[k] : "?";
}

static void fill_subset(const void *context, size_t first, size_t count, double *out)
{
    const row_subset *subset = context;
    design_source_fill_list(subset->source, subset->positions, first, count, out);
}

static vt_status fit_failed(const fit_problem *problem, size_t k, vt_status status, vt_err *err)
{
    char detail[sizeof err->msg];
    snprintf(detail, sizeof detail, "%s", err->msg);
    return vt_err_set(err, status, problem->path, 0, 0, "fitting the %s model: %s", target_names[k], detail);
}

/* The design's column scales outlive it: the saved model's are stored with
 * the encoding, and a fit's standardised coefficients need them. */
static vt_status keep_scales(const irls_design *prepared, size_t n_terms, fit_result *out, vt_err *err)
{
    out->term_mean = vt_malloc(n_terms * sizeof(double));
    out->term_sd = vt_malloc(n_terms * sizeof(double));
    if (out->term_mean == NULL || out->term_sd == NULL)
        return vt_err_set(err, VT_ENOMEM, NULL, 0, 0, "out of memory");
    memcpy(out->term_mean, irls_design_means(prepared), n_terms * sizeof(double));
    memcpy(out->term_sd, irls_design_sds(prepared), n_terms * sizeof(double));
    return VT_OK;
}

/* Target k on the prepared rows; y and prior are scratch for a subset. */
static vt_status fit_target(const fit_problem *problem, const irls_design *prepared, const row_subset *subset,
                            size_t n, size_t k, double *y, double *prior, fit_result *out, vt_err *err)
{
    const size_t *positions = subset->positions;
    const double *outcome = problem->y[k], *weights = problem->prior[k];
    size_t events = 0;
    for (size_t i = 0; i < n; i++)
        events += problem->y[k][positions ? positions[i] : i] == 1.0;
    out->n_events[k] = events;
    if (positions) {
        for (size_t i = 0; i < n; i++) {
            y[i] = problem->y[k][positions[i]];
            if (prior)
                prior[i] = problem->prior[k][positions[i]];
        }
        outcome = y;
        weights = prior;
        if (events == 0 || events == n)
            return vt_err_set(err, VT_EDATA, problem->path, 0, 0,
                              "the rows left to fit the %s model on hold a single outcome", target_names[k]);
    }
    irls_options options = problem->irls;
    options.l2 = problem->l2[k];
    vt_status status = irls_fit(prepared, outcome, weights, &options, &out->fits[k], err);
    if (status != VT_OK)
        return fit_failed(problem, k, status, err);
    if (problem->irls.firth || problem->l2[k] != 0)
        return VT_OK;
    separation_design design = {fill_subset, subset, n, problem->n_terms, problem->term_names};
    return separation_check(&design, outcome, out->fits[k], out->term_sd, target_names[k],
                            problem->path, err);
}

vt_status fit_rows(const fit_problem *problem, const size_t *positions, size_t n, const int *skip,
                   fit_result *out, vt_err *err)
{
    memset(out, 0, sizeof *out);
    out->n_rows = n;
    row_subset subset = {problem->rows, positions};
    irls_design *prepared = NULL;
    vt_status status = irls_design_new(fill_subset, &subset, n, problem->n_terms, problem->term_names,
                                       problem->irls.threads, &prepared, err);
    if (status != VT_OK)
        vt_err_locate(err, problem->path);
    double *y = positions ? vt_malloc(n * sizeof *y) : NULL;
    double *prior = positions && problem->prior[0] ? vt_malloc(n * sizeof *prior) : NULL;
    if (status == VT_OK && positions && (y == NULL || (problem->prior[0] && prior == NULL)))
        status = vt_err_set(err, VT_ENOMEM, NULL, 0, 0, "out of memory");
    if (status == VT_OK)
        status = keep_scales(prepared, problem->n_terms, out, err);
    for (size_t k = 0; status == VT_OK && k < problem->n_targets; k++)
        if (!(skip && skip[k]))
            status = fit_target(problem, prepared, &subset, n, k, y, prior, out, err);
    free(y);
    free(prior);
    irls_design_free(prepared);
    return status;
}

void fit_result_free(fit_result *result)
{
    for (size_t k = 0; k < MODEL_MAX_TARGETS; k++)
        irls_result_free(result->fits[k]);
    free(result->term_mean);
    free(result->term_sd);
    memset(result, 0, sizeof *result);
}

vt_status fit_predict(const fit_problem *problem, const irls_result *fit, const size_t *positions, size_t n,
                      double *out, vt_err *err)
{
    enum { BLOCK = 1024 };
    size_t n_terms = problem->n_terms;
    double *x = vt_malloc(BLOCK * n_terms * sizeof *x), *beta = vt_malloc(n_terms * sizeof *beta);
    if (x == NULL || beta == NULL) {
        free(x);
        free(beta);
        return vt_err_set(err, VT_ENOMEM, NULL, 0, 0, "out of memory");
    }
    score_coefficients(fit->estimate, fit->aliased, n_terms, beta);
    for (size_t first = 0; first < n; first += BLOCK) {
        size_t count = n - first < BLOCK ? n - first : BLOCK;
        design_source_fill_list(problem->rows, positions, first, count, x);
        for (size_t i = 0; i < count; i++)
            out[first + i] = score_probability(score_eta(beta, x + i * n_terms, n_terms));
    }
    free(x);
    free(beta);
    return VT_OK;
}

vt_status fit_copy_target(model_target *target, const irls_result *fit, size_t n_terms)
{
    if (model_target_alloc(target, n_terms) != VT_OK)
        return VT_ENOMEM;
    for (size_t t = 0; t < n_terms; t++) {
        target->estimate[t] = fit->estimate[t];
        target->std_error[t] = fit->std_error[t];
        target->z_value[t] = fit->z_value[t];
        target->p_value[t] = fit->p_value[t];
        target->aliased[t] = fit->aliased[t];
        if (fit->alias_reason[t] && (target->alias_reason[t] = vt_strdup(fit->alias_reason[t])) == NULL)
            return VT_ENOMEM;
    }
    target->deviance = fit->deviance;
    target->null_deviance = fit->null_deviance;
    target->log_likelihood = fit->log_likelihood;
    target->aic = fit->aic;
    target->bic = fit->bic;
    target->n_obs = fit->n_obs;
    target->rank = fit->rank;
    target->df_residual = fit->df_residual;
    target->df_null = fit->df_null;
    target->iterations = fit->iterations;
    target->converged = fit->converged;
    target->n_boundary = fit->n_boundary;
    return VT_OK;
}
