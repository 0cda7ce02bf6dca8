#include "fit.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "score.h"
#include "separation.h"

/* The used rows at the given positions (all if NULL), as the solver and
 * the separation check read them. */
typedef struct {
    const fit_problem *problem;
    const size_t *positions;
} row_subset;

static const char *const target_names[MODEL_MAX_TARGETS] = {"churn", "expansion"};

const char *fit_target_name(size_t k)
{
    return k < MODEL_MAX_TARGETS ? target_names[k] : "?";
}

static const char *name_of(const fit_problem *problem, size_t k)
{
    return problem->names[k] ? problem->names[k] : fit_target_name(k);
}

/* Blocks of design rows with each target's outcomes and weights: pointers
 * into the problem's vectors for all rows, gathered for a subset. */
static vt_status scan_subset(const void *context, size_t first, size_t count, irls_visit_fn visit,
                             void *visit_context, vt_err *err)
{
    const row_subset *subset = context;
    const fit_problem *problem = subset->problem;
    const size_t *positions = subset->positions;
    double *x = vt_malloc(IRLS_BLOCK_ROWS * problem->n_terms * sizeof *x);
    double *gathered = vt_malloc(2 * IRLS_MAX_TARGETS * IRLS_BLOCK_ROWS * sizeof *gathered);
    vt_status status = x && gathered ? VT_OK : vt_err_set(err, VT_ENOMEM, NULL, 0, 0, "out of memory");
    for (size_t start = first; status == VT_OK && start < first + count; start += IRLS_BLOCK_ROWS) {
        irls_block block = {first + count - start < IRLS_BLOCK_ROWS ? first + count - start : IRLS_BLOCK_ROWS, x,
                            {0}, {0}};
        design_source_fill_list(problem->rows, positions, start, block.count, x);
        for (size_t k = 0; k < problem->n_targets; k++) {
            const double *y = problem->y[k], *prior = problem->prior[k];
            if (positions) {
                double *y_rows = gathered + 2 * k * IRLS_BLOCK_ROWS, *prior_rows = y_rows + IRLS_BLOCK_ROWS;
                for (size_t i = 0; i < block.count; i++) {
                    y_rows[i] = y[positions[start + i]];
                    if (prior)
                        prior_rows[i] = prior[positions[start + i]];
                }
                block.y[k] = y_rows;
                block.prior[k] = prior ? prior_rows : NULL;
            } else {
                block.y[k] = y + start;
                block.prior[k] = prior ? prior + start : NULL;
            }
        }
        status = visit(visit_context, &block);
    }
    free(x);
    free(gathered);
    return status;
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

double *fit_penalty(const fit_problem *problem, const double *sp)
{
    size_t p = problem->n_terms;
    double *sum = vt_calloc(p * p, sizeof(double));
    for (size_t i = 0; sum && i < problem->n_smooths; i++) {
        const gam_smooth *sm = &problem->smooths[i];
        double lambda = sp ? sp[i] : 1.0;
        for (size_t a = 0; a < sm->n; a++)
            for (size_t b = 0; b < sm->n; b++)
                sum[(sm->first + a) * p + sm->first + b] += lambda * sm->penalty[a * sm->n + b];
    }
    return sum;
}

vt_status fit_rows(const fit_problem *problem, const size_t *positions, size_t n, const int *skip,
                   fit_result *out, vt_err *err)
{
    memset(out, 0, sizeof *out);
    out->n_rows = n;
    row_subset subset = {problem, positions};
    irls_target targets[IRLS_MAX_TARGETS] = {{{0}, 1, NULL}, {{0}, 1, NULL}};
    for (size_t k = 0; k < problem->n_targets; k++) {
        size_t events = problem->stream ? problem->stream_events[k] : 0;
        for (size_t i = 0; !problem->stream && i < n; i++)
            events += problem->y[k][positions ? positions[i] : i] == 1.0;
        out->n_events[k] = events;
        int skipped = skip && skip[k];
        if (!skipped && positions && (events == 0 || events == n))
            return vt_err_set(err, VT_EDATA, problem->path, 0, 0,
                              "the rows left to fit the %s model on hold a single outcome", name_of(problem, k));
        targets[k] = (irls_target){problem->irls, skipped, name_of(problem, k)};
        targets[k].options.l2 = problem->l2[k];
    }
    irls_source source = {scan_subset, &subset, n, problem->n_terms, problem->n_targets, problem->term_names, NULL,
                          problem->left_out};
    if (problem->stream)
        source = *problem->stream;
    double *penalty = NULL; /* the smooths' penalties, for the alias check */
    if (problem->n_smooths && (penalty = fit_penalty(problem, NULL)) == NULL)
        return vt_err_set(err, VT_ENOMEM, NULL, 0, 0, "out of memory");
    source.penalty = penalty;
    irls_design *prepared = NULL;
    vt_status status = irls_design_new(&source, problem->threads, &prepared, err);
    if (status == VT_OK && (status = keep_scales(prepared, problem->n_terms, out, err)) == VT_OK) {
        if (problem->n_smooths == 0)
            status = irls_fit(prepared, targets, out->fits, err);
        for (size_t k = 0; problem->n_smooths && status == VT_OK && k < problem->n_targets; k++)
            if (!targets[k].skip)
                status = gam_fit(prepared, k, name_of(problem, k), problem->smooths, problem->n_smooths, &problem->irls,
                                 &out->fits[k], err);
    }
    if (status != VT_OK)
        vt_err_locate(err, problem->path);
    irls_design_free(prepared);
    free(penalty);
    source.penalty = NULL;
    /* A plain fit whose outcome is separated has no finite estimate. */
    for (size_t k = 0; status == VT_OK && k < problem->n_targets; k++)
        if (out->fits[k] && !problem->irls.firth && problem->l2[k] == 0)
            status = separation_check(&source, k, problem->threads, out->fits[k], out->term_sd, name_of(problem, k), problem->path, err);
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

static vt_status copy_smooth_fit(model_target *target, const irls_smooth_info *info, const encoding *enc)
{
    size_t n = info->n_smooths, p = enc->n_terms;
    model_smooth_fit *fit = target->smooth = model_smooth_fit_new(n);
    enc_smooth_block *blocks = vt_calloc(n ? n : 1, sizeof *blocks);
    if (blocks == NULL || fit == NULL) {
        free(blocks);
        return VT_ENOMEM;
    }
    encoding_smooth_blocks(enc, blocks); /* gam_fit's smooths, in the same order */
    fit->reml = info->reml;
    fit->edf_total = info->edf_total;
    fit->outer_iterations = info->outer_iterations;
    fit->outer_converged = info->outer_converged;
    for (size_t i = 0; i < n; i++) {
        size_t q = blocks[i].n_terms, first = blocks[i].first_term;
        fit->feature[i] = blocks[i].feature;
        fit->level[i] = blocks[i].level;
        fit->tensor[i] = blocks[i].tensor ? blocks[i].pair : -1;
        fit->penalty[i] = blocks[i].penalty;
        fit->sp[i] = info->sp[i];
        fit->edf[i] = info->edf[i];
        fit->edf1[i] = info->edf1[i];
        fit->ref_df[i] = info->ref_df[i];
        fit->chi_sq[i] = info->chi_sq[i];
        fit->p_value[i] = info->p_value[i];
        if ((fit->cov[i] = vt_malloc(q * q * sizeof(double))) == NULL) {
            free(blocks);
            return VT_ENOMEM;
        }
        for (size_t a = 0; a < q; a++)
            for (size_t b = 0; b < q; b++)
                fit->cov[i][a * q + b] = info->cov[(first + a) * p + first + b];
    }
    free(blocks);
    return VT_OK;
}

vt_status fit_copy_target(model_target *target, const irls_result *fit, const double *fit_mean, const encoding *enc)
{
    size_t n_terms = enc->n_terms;
    if (fit->smooth && copy_smooth_fit(target, fit->smooth, enc) != VT_OK)
        return VT_ENOMEM;
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
    if (fit->n_collinear > 0 && (target->collinear = vt_calloc(fit->n_collinear, sizeof *target->collinear)) == NULL)
        return VT_ENOMEM;
    for (size_t g = 0; g < fit->n_collinear; g++) {
        const collinear_group *from = &fit->collinear[g];
        model_collinear *to = &target->collinear[target->n_collinear++];
        if ((to->terms = vt_calloc(from->n_terms, sizeof(size_t))) == NULL)
            return VT_ENOMEM;
        memcpy(to->terms, from->terms, from->n_terms * sizeof(size_t));
        to->n_terms = from->n_terms;
        to->condition_index = from->condition_index;
        to->standardised = from->standardised;
        for (size_t i = 0; i < to->n_terms; i++) { /* 0 where the fit's rows are the encoding's */
            size_t t = to->terms[i];
            to->offset += fit->estimate[t] * (fit_mean[t] - enc->term_mean[t]);
        }
    }
    return VT_OK;
}
