#include "interactions.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "buf.h"
#include "crossfit.h"
#include "smooth_terms.h"

void interaction_requests_free(interaction_requests *requests)
{
    for (size_t i = 0; requests->items && i < requests->n; i++)
        free(requests->items[i]);
    free(requests->items);
    memset(requests, 0, sizeof *requests);
}

/* "auto" or "auto:N": 1 and *count set; 0 for any other item. */
static int parse_auto(const char *item, size_t len, size_t *count, vt_err *err, vt_status *status)
{
    if (len < 4 || memcmp(item, "auto", 4) != 0 || (len > 4 && item[4] != ':'))
        return 0;
    *count = INTERACT_AUTO_DEFAULT;
    *status = VT_OK;
    if (len == 4)
        return 1;
    char digits[8] = {0}, q[VT_QUOTE_SIZE];
    size_t n_digits = len - 5;
    int ok = n_digits > 0 && n_digits < sizeof digits;
    for (size_t i = 0; ok && i < n_digits; i++)
        ok = item[5 + i] >= '0' && item[5 + i] <= '9';
    if (ok) {
        memcpy(digits, item + 5, n_digits);
        *count = (size_t)strtoul(digits, NULL, 10);
    }
    if (!ok || *count < 1 || *count > INTERACT_AUTO_MAX)
        *status = vt_err_set(err, VT_EUSAGE, NULL, 0, 0, "--interact: '%s': N must be a whole number from 1 to %d",
                             vt_quote(q, sizeof q, item, len), INTERACT_AUTO_MAX);
    return 1;
}

vt_status interaction_requests_parse(const char *text, interaction_requests *out, vt_err *err)
{
    memset(out, 0, sizeof *out);
    if (text == NULL)
        return VT_OK;
    char q[VT_QUOTE_SIZE];
    vt_status status = VT_OK;
    if (*text == '\0')
        status = vt_err_set(err, VT_EUSAGE, NULL, 0, 0, "--interact: no pair named (A:B,... or auto[:N])");
    for (const char *item = text; status == VT_OK && *item;) {
        const char *end = strchr(item, ',');
        size_t len = end ? (size_t)(end - item) : strlen(item), count;
        if (parse_auto(item, len, &count, err, &status)) {
            if (status == VT_OK && out->n_auto)
                status = vt_err_set(err, VT_EUSAGE, NULL, 0, 0, "--interact: auto is given twice");
            out->n_auto = count;
        } else if (memchr(item, ':', len) == NULL) {
            status = vt_err_set(err, VT_EUSAGE, NULL, 0, 0, "--interact: '%s' is not A:B (two columns joined by ':')",
                                vt_quote(q, sizeof q, item, len));
        } else {
            char **grown = vt_realloc(out->items, (out->n + 1) * sizeof *grown);
            if (grown == NULL || (grown[out->n] = vt_strndup(item, len)) == NULL) {
                if (grown)
                    out->items = grown;
                status = vt_err_set(err, VT_ENOMEM, NULL, 0, 0, "out of memory");
                break;
            }
            out->items = grown;
            out->n++;
        }
        item += len + (end != NULL);
        if (status == VT_OK && end && *item == '\0')
            status = vt_err_set(err, VT_EUSAGE, NULL, 0, 0, "--interact: a trailing comma in '%s'",
                                vt_quote(q, sizeof q, text, strlen(text)));
    }
    if (status != VT_OK)
        interaction_requests_free(out);
    return status;
}

static long feature_named(const encoding *enc, const char *name, size_t len)
{
    for (size_t f = 0; f < enc->n_features; f++)
        if (strlen(enc->features[f].name) == len && memcmp(enc->features[f].name, name, len) == 0)
            return (long)f;
    return -1;
}

/* The two features of "A:B": the split at the one ':' with a feature on
 * each side. */
static vt_status split_pair(const char *item, const table_role *roles, size_t n_roles, const table *layout,
                            const encoding *enc, size_t *a, size_t *b, vt_err *err)
{
    size_t len = strlen(item), n_splits = 0;
    const char *first_colon = strchr(item, ':');
    for (const char *colon = first_colon; colon; colon = strchr(colon + 1, ':')) {
        long left = feature_named(enc, item, (size_t)(colon - item));
        long right = feature_named(enc, colon + 1, len - (size_t)(colon - item) - 1);
        if (left >= 0 && right >= 0) {
            *a = (size_t)left;
            *b = (size_t)right;
            n_splits++;
        }
    }
    char q[VT_QUOTE_SIZE];
    if (n_splits > 1)
        return vt_err_set(err, VT_EUSAGE, NULL, 0, 0,
                          "--interact: '%s' splits into two features at more than one ':' (rename a column)",
                          vt_quote(q, sizeof q, item, len));
    if (n_splits == 1)
        return VT_OK;
    /* Name the side that is no feature, reading the first ':' as the split. */
    size_t left_len = (size_t)(first_colon - item);
    char *side = feature_named(enc, item, left_len) < 0 ? vt_strndup(item, left_len) : vt_strdup(first_colon + 1);
    if (side == NULL)
        return vt_err_set(err, VT_ENOMEM, NULL, 0, 0, "out of memory");
    vt_status status = smooth_terms_not_a_feature("--interact", side, roles, n_roles, layout, err);
    free(side);
    return status;
}

/* Pair features a and b in the form their kinds call for: two smooth
 * ones as ti() built on the used rows of data (which needs them), any
 * other as encode.h's pairs.  A smooth column has at least 4 distinct
 * values (smooth_terms_apply). */
static vt_status add_pair(encoding *enc, size_t a, size_t b, const table *data, const unsigned char *row_used,
                          vt_err *err)
{
    const enc_feature *fa = &enc->features[a], *fb = &enc->features[b];
    if (!(fa->smooth && fb->smooth && row_used != NULL))
        return encoding_add_pair(enc, a, b, err);
    /* k = c(5, 5) as ti() has it, fewer for a column with fewer values (as --smooth does) */
    size_t k_a = smooth_terms_distinct(table_find((table *)data, fa->name), data, row_used, TENSOR_DEFAULT_K);
    size_t k_b = smooth_terms_distinct(table_find((table *)data, fb->name), data, row_used, TENSOR_DEFAULT_K);
    return encoding_make_tensor(enc, a, b, k_a, k_b, data, row_used, err);
}

vt_status interactions_apply(const interaction_requests *requests, const table_role *roles, size_t n_roles,
                             const table *data, const unsigned char *row_used, encoding *enc, vt_err *err)
{
    for (size_t i = 0; i < requests->n; i++) {
        size_t a = 0, b = 0;
        vt_status status = split_pair(requests->items[i], roles, n_roles, data, enc, &a, &b, err);
        vt_err why = {0};
        if (status == VT_OK && (status = add_pair(enc, a, b, data, row_used, &why)) != VT_OK)
            vt_err_set(err, status, NULL, 0, 0, "--interact: %s", why.msg);
        if (status != VT_OK)
            return status;
    }
    return VT_OK;
}

/* ------------------------------------------------------------ auto search */

void pair_search_report_free(pair_search_report *report)
{
    for (size_t i = 0; report->trials && i < report->n_trials; i++) {
        free(report->trials[i].name);
        free(report->trials[i].why_not);
    }
    free(report->trials);
    memset(report, 0, sizeof *report);
}

/* A problem over enc's current terms: its design and smooth penalties
 * (owned by the caller: free both). */
typedef struct {
    fit_problem problem;
    design_source *rows;
    gam_smooth *smooths;
} trial_design;

static void trial_design_free(trial_design *d)
{
    design_source_free(d->rows);
    free(d->smooths);
    memset(d, 0, sizeof *d);
}

static vt_status trial_design_new(const pair_search_input *in, const encoding *enc, trial_design *d, vt_err *err)
{
    memset(d, 0, sizeof *d);
    d->problem = in->problem;
    vt_status status = design_source_new(enc, in->data, in->row_used, &d->rows, err);
    size_t n_smooths = 0;
    if (status == VT_OK && in->problem.n_smooths)
        status = smooth_terms_penalties(in->smooths, enc, &d->smooths, &n_smooths, err);
    d->problem.rows = d->rows;
    d->problem.term_names = enc->term_names;
    d->problem.n_terms = enc->n_terms;
    d->problem.smooths = d->smooths;
    d->problem.n_smooths = n_smooths;
    return status;
}

/* Mean log-loss over the judged rows, summed over the targets. */
static double log_loss_sum(const crossfit_metrics *metrics, size_t n_targets)
{
    double sum = 0;
    for (size_t k = 0; k < n_targets; k++)
        sum += metrics[k].overall.log_loss;
    return sum;
}

/* The criterion of a problem: lower is better. */
static vt_status criterion_of(const pair_search_input *in, const fit_problem *problem, double *value, vt_err *err)
{
    vt_status status;
    size_t n_targets = problem->n_targets;
    if (in->validation == VALIDATE_NONE) {
        fit_result fitted = {0};
        status = fit_rows(problem, NULL, problem->n_used, NULL, &fitted, err);
        *value = 0;
        for (size_t k = 0; status == VT_OK && k < n_targets; k++)
            *value += fitted.fits[k]->aic;
        fit_result_free(&fitted);
        return status;
    }
    crossfit_metrics metrics[MODEL_MAX_TARGETS] = {0};
    if (in->validation == VALIDATE_FOLDS) {
        double *out_of_fold[MODEL_MAX_TARGETS] = {0};
        status = VT_OK;
        for (size_t k = 0; status == VT_OK && k < n_targets; k++)
            if ((out_of_fold[k] = vt_malloc((problem->n_used ? problem->n_used : 1) * sizeof(double))) == NULL)
                status = vt_err_set(err, VT_ENOMEM, NULL, 0, 0, "out of memory");
        if (status == VT_OK)
            status = crossfit_folds(problem, in->group, in->folds, "", in->red_below, in->yellow_below, out_of_fold,
                                    metrics, err);
        for (size_t k = 0; k < MODEL_MAX_TARGETS; k++)
            free(out_of_fold[k]);
    } else {
        fit_result fitted = {0};
        status = crossfit_holdout(problem, in->group, "", in->red_below, in->yellow_below, &fitted, metrics, err);
        fit_result_free(&fitted);
    }
    *value = log_loss_sum(metrics, n_targets);
    for (size_t k = 0; k < MODEL_MAX_TARGETS; k++)
        crossfit_metrics_free(&metrics[k]);
    return status;
}

/* The additive fit's probabilities for every used row (target k), fitted
 * on the fitting rows. */
static vt_status additive_fit(const pair_search_input *in, const fit_problem *problem, size_t k, double *mu,
                              fit_result *fitted, vt_err *err)
{
    size_t n = problem->n_used, n_fit = n;
    size_t *fit_at = NULL;
    int split = in->validation == VALIDATE_HOLDOUT || in->validation == VALIDATE_TIME;
    if (split) {
        if ((fit_at = vt_malloc((n ? n : 1) * sizeof *fit_at)) == NULL)
            return vt_err_set(err, VT_ENOMEM, NULL, 0, 0, "out of memory");
        n_fit = crossfit_rows(in->group, n, 0, 0, fit_at);
    }
    vt_status status = fit_rows(problem, fit_at, n_fit, NULL, fitted, err);
    if (status == VT_OK)
        status = fit_predict(problem, fitted->fits[k], NULL, n, mu, err);
    free(fit_at);
    return status;
}

/* Score every pair on the additive fit of enc. */
static vt_status rank_pairs(const pair_search_input *in, const trial_design *additive, const encoding *enc,
                            pair_score **scores, size_t *n_scores, vt_err *err)
{
    const fit_problem *problem = &additive->problem;
    size_t k = 0; /* churn, or the only target */
    double *mu = vt_malloc((problem->n_used ? problem->n_used : 1) * sizeof(double));
    fit_result fitted = {0};
    vt_status status = mu ? additive_fit(in, problem, k, mu, &fitted, err)
                          : vt_err_set(err, VT_ENOMEM, NULL, 0, 0, "out of memory");
    double *penalty = status == VT_OK && problem->n_smooths && fitted.fits[k]->smooth
                          ? fit_penalty(problem, fitted.fits[k]->smooth->sp)
                          : NULL;
    if (status == VT_OK && problem->n_smooths && penalty == NULL)
        status = vt_err_set(err, VT_ENOMEM, NULL, 0, 0, "out of memory");
    double *beta = status == VT_OK ? vt_malloc(problem->n_terms * sizeof(double)) : NULL;
    if (status == VT_OK && beta == NULL)
        status = vt_err_set(err, VT_ENOMEM, NULL, 0, 0, "out of memory");
    if (status == VT_OK) {
        int split = in->validation == VALIDATE_HOLDOUT || in->validation == VALIDATE_TIME;
        const irls_result *additive = fitted.fits[k];
        for (size_t t = 0; t < problem->n_terms; t++)
            beta[t] = additive->aliased[t] ? 0.0 : additive->estimate[t];
        pair_search_fit fit = {enc, in->data, in->row_used, mu, problem->y[k], problem->prior[k], additive->aliased,
                               beta, penalty, split ? in->group : NULL, fitted.term_mean, fitted.term_sd};
        status = pair_search_rank(&fit, scores, n_scores, err);
    }
    free(beta);
    free(penalty);
    free(mu);
    fit_result_free(&fitted);
    return status;
}

/* A pair is tried only if its score test is significant at this level
 * after Bonferroni's correction for the pairs ranked: the strongest of
 * 105 null pairs beats AIC's charge of 2 per degree of freedom more often
 * than not, and would be kept on data with no interaction at all. */
#define PAIR_SEARCH_ALPHA 0.05

/* How many ranked pairs past the tried ones the report lists. */
#define PAIR_SEARCH_LISTED 5

vt_status interactions_search(const pair_search_input *in, size_t tries, encoding *enc, pair_search_report *report,
                              vt_err *err)
{
    memset(report, 0, sizeof *report);
    report->criterion = in->validation == VALIDATE_NONE ? "AIC" : "held-out log-loss";
    trial_design design = {0};
    pair_score *scores = NULL;
    size_t n_scores = 0;
    struct timespec start, end;
    clock_gettime(CLOCK_MONOTONIC, &start);
    vt_status status = trial_design_new(in, enc, &design, err);
    if (status == VT_OK)
        status = rank_pairs(in, &design, enc, &scores, &n_scores, err);
    clock_gettime(CLOCK_MONOTONIC, &end);
    report->seconds_ranking = (double)(end.tv_sec - start.tv_sec) + 1e-9 * (double)(end.tv_nsec - start.tv_nsec);
    report->n_ranked = n_scores;
    if (status == VT_OK)
        status = criterion_of(in, &design.problem, &report->additive, err);
    trial_design_free(&design);
    if (status == VT_OK && (report->trials = vt_calloc(n_scores ? n_scores : 1, sizeof *report->trials)) == NULL)
        status = vt_err_set(err, VT_ENOMEM, NULL, 0, 0, "out of memory");
    double best = report->additive;
    size_t n_tried = 0;
    for (size_t i = 0; status == VT_OK && i < n_scores && n_tried + PAIR_SEARCH_LISTED > report->n_trials; i++) {
        const pair_score *score = &scores[i];
        pair_trial *trial = &report->trials[report->n_trials];
        trial->score = *score;
        text name = {0};
        text_printf(&name, "%s x %s", enc->features[score->a].name, enc->features[score->b].name);
        if ((trial->name = text_finish(&name)) == NULL) {
            status = vt_err_set(err, VT_ENOMEM, NULL, 0, 0, "out of memory");
            break;
        }
        report->n_trials++;
        if (n_tried == tries || isnan(score->statistic))
            continue; /* listed, not tried */
        if (!(score->p_value * (double)n_scores < PAIR_SEARCH_ALPHA)) {
            char why[96];
            snprintf(why, sizeof why, "not tried: p x %zu pairs = %.2g, not below %g", n_scores,
                     fmin(1.0, score->p_value * (double)n_scores), PAIR_SEARCH_ALPHA);
            if ((trial->why_not = vt_strdup(why)) == NULL)
                status = vt_err_set(err, VT_ENOMEM, NULL, 0, 0, "out of memory");
            continue;
        }
        vt_err why = {0};
        vt_status added = add_pair(enc, score->a, score->b, in->data, in->row_used, &why);
        if (added == VT_ENOMEM) {
            status = vt_err_set(err, VT_ENOMEM, NULL, 0, 0, "out of memory");
            break;
        }
        if (added != VT_OK) { /* already asked for, or no form for it yet */
            if ((trial->why_not = vt_strdup(why.msg)) == NULL)
                status = vt_err_set(err, VT_ENOMEM, NULL, 0, 0, "out of memory");
            continue;
        }
        trial->tried = 1;
        trial->form = encoding_pair_form(enc, enc->n_pairs - 1);
        n_tried++;
        if ((status = trial_design_new(in, enc, &design, err)) == VT_OK)
            status = criterion_of(in, &design.problem, &trial->criterion, err);
        trial_design_free(&design);
        if (status != VT_OK)
            break;
        trial->kept = trial->criterion < best;
        if (trial->kept)
            best = trial->criterion;
        else if (encoding_drop_last_pair(enc) != VT_OK)
            status = vt_err_set(err, VT_ENOMEM, NULL, 0, 0, "out of memory");
    }
    free(scores);
    return status;
}
