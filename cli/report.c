#include "report.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "fit.h"
#include "inference.h"
#include "json.h"
#include "validate.h"

/* A name from the data as the tables print it: control bytes escaped,
 * long names cut (vt_quote), so a column named ESC [31m cannot drive the
 * terminal; the JSON forms keep the names whole. */
#define SHOWN(buffer, name) vt_quote(buffer, sizeof buffer, name, strlen(name))

/* -0 printed as "-0" reads as a sign the estimate does not have. */
#define UNSIGNED_ZERO(x) ((x) == 0 ? 0.0 : (x))

/* An odds ratio as the table prints it: exp of a log-odds beyond the
 * double's range is not "inf" or "0" but said to be beyond it. */
static void odds_text(char out[16], double odds)
{
    if (isinf(odds))
        snprintf(out, 16, ">1.8e+308");
    else if (odds == 0)
        snprintf(out, 16, "<2.2e-308");
    else
        snprintf(out, 16, "%.4g", odds);
}

static int name_width(const encoding *enc)
{
    int width = 12;
    char shown[VT_QUOTE_SIZE];
    for (size_t t = 0; t < enc->n_terms; t++)
        if ((int)strlen(SHOWN(shown, enc->term_names[t])) > width)
            width = (int)strlen(shown);
    return width;
}

/* summary.gam's second table and its footer. */
static void print_smooth_table_of(FILE *out, const model *m, const model_target *target, int width)
{
    const model_smooth_fit *fit = target->smooth;
    fprintf(out, "Approximate significance of smooth terms (cubic regression splines, smoothing by REML):\n");
    fprintf(out, "%-*s %8s %8s %10s %10s %4s %12s %4s\n", width, "", "edf", "Ref.df", "Chi.sq", "p-value", "", "sp",
            "k");
    for (size_t i = 0; i < fit->n_smooths; i++) {
        if (fit->penalty[i] > 0)
            continue; /* a ti's second penalty: its sp is printed on the term's row */
        char *label = model_smooth_name(m->enc, fit, i);
        char p[16], sp[32], k[24], shown[VT_QUOTE_SIZE]; /* p as R prints a p-value below its double's reach */
        if (fit->p_value[i] < 2e-16)
            snprintf(p, sizeof p, "<2e-16");
        else
            snprintf(p, sizeof p, "%.4g", fit->p_value[i]);
        if (fit->tensor[i] >= 0)
            snprintf(sp, sizeof sp, "%.4g,%.4g", fit->sp[i], fit->sp[i + 1]);
        else
            snprintf(sp, sizeof sp, "%.5g", fit->sp[i]);
        model_smooth_k(m->enc, fit, i, k, sizeof k);
        fprintf(out, "%-*s %8.3f %8.3f %10.3f %10s %-4s %12s %4s\n", width, label ? SHOWN(shown, label) : "?", fit->edf[i],
                fit->ref_df[i], fit->chi_sq[i], p, inference_stars(fit->p_value[i]), sp, k);
        free(label);
    }
    fprintf(out, "---\nSignif. codes:  0 '***' 0.001 '**' 0.01 '*' 0.05 '.' 0.1 ' ' 1\n");
    fprintf(out, "edf near 1: the data found a straight line; Ref.df, Chi.sq, p: summary.gam's test (Wood 2013)\n\n");
    fprintf(out, "Deviance explained = %.1f%%   -REML = %.4f   total edf = %.3f   n = %zu\n",
            100 * (1 - target->deviance / target->null_deviance), fit->reml, fit->edf_total, target->n_obs);
    fprintf(out, "    Null deviance: %.2f  on %zu  degrees of freedom\n", target->null_deviance, target->df_null);
    fprintf(out, "Residual deviance: %.2f  on %.2f  degrees of freedom\n", target->deviance,
            (double)target->n_obs - fit->edf_total);
    fprintf(out, "AIC: %.2f (deviance + 2 x total edf)   log-likelihood: %.2f\n", target->aic, target->log_likelihood);
    fprintf(out, "REML search: %d Newton steps%s; penalised IRLS iterations at the last: %d%s\n",
            fit->outer_iterations, fit->outer_converged ? ", converged" : " (NOT CONVERGED)", target->iterations,
            target->converged ? "" : "  (NOT CONVERGED)");
}

int report_by_term(const model *m, size_t t)
{
    long f = m->by_column ? m->enc->term_feature[t] : -1;
    return f >= 0 && strcmp(m->enc->features[f].name, m->by_column) == 0;
}

int report_left_out(const model *m, const model_target *target, size_t t)
{
    (void)m;
    return target->aliased[t] && target->alias_reason[t] &&
           strncmp(target->alias_reason[t], "left out: ", strlen("left out: ")) == 0;
}

void report_print_target(FILE *out, const model *m, const model_target *target, double level)
{
    const encoding *enc = m->enc;
    int width = name_width(enc);
    char low[16], high[16], label[VT_QUOTE_SIZE], weight[VT_QUOTE_SIZE], name[VT_QUOTE_SIZE];
    snprintf(low, sizeof low, "%.3g %%", 50 * (1 - level));
    snprintf(high, sizeof high, "%.3g %%", 100 - 50 * (1 - level));
    fprintf(out, "\n%s model: %s ~ %zu features (%zu rows, %zu events)%s%s%s%s\n\n", target->name,
            SHOWN(label, target->label), enc->n_features, target->n_obs, target->n_events,
            m->firth ? ", Firth's penalised likelihood" : "", m->weight_column ? ", weights from " : "",
            m->weight_column ? SHOWN(weight, m->weight_column) : "", m->balance ? ", classes balanced" : "");
    if (target->l2 > 0)
        fprintf(out, "ridge: l2 = %g on standardised columns (intercept free); SEs from (X'WX + penalty)^-1\n\n",
                target->l2);
    fprintf(out, "%-*s %12s %11s %8s %10s %4s %11s %11s %10s %10s %10s %10s\n", width, "", "Estimate",
            "Std. Error", "z value", "Pr(>|z|)", "", low, high, "Odds ratio", low, high, "Std. coef");
    if (target->smooth)
        fprintf(out, "Parametric coefficients (standard errors from the Bayesian covariance Vp, as summary.gam):\n");
    for (size_t t = 0; t < enc->n_terms; t++) {
        if (encoding_term_is_basis(enc, t))
            continue;
        /* A level's table leaves out the --by column (constant in it): old
         * files hold its terms as aliased, newer ones as left out. */
        int level_table = target != &m->targets[0] && target != &m->targets[1];
        if (level_table && report_by_term(m, t))
            continue;
        if (report_left_out(m, target, t)) {
            fprintf(out, "%-*s %12s  (%s)\n", width, SHOWN(name, enc->term_names[t]), "0", target->alias_reason[t]);
            continue;
        }
        if (target->aliased[t]) {
            fprintf(out, "%-*s %12s %11s %8s %10s\n", width, SHOWN(name, enc->term_names[t]), "NA", "NA", "NA", "NA");
            continue;
        }
        term_inference inf;
        inference_term(target->estimate[t], target->std_error[t], level, enc->term_sd[t], &inf);
        char odds[3][16];
        odds_text(odds[0], inf.odds_ratio);
        odds_text(odds[1], inf.odds_low);
        odds_text(odds[2], inf.odds_high);
        fprintf(out, "%-*s %12.5g %11.5g %8.3f %10.4g %-4s %11.5g %11.5g %10s %10s %10s %10.4g\n", width,
                SHOWN(name, enc->term_names[t]), UNSIGNED_ZERO(target->estimate[t]), target->std_error[t],
                UNSIGNED_ZERO(target->z_value[t]), target->p_value[t], inference_stars(target->p_value[t]),
                UNSIGNED_ZERO(inf.low), UNSIGNED_ZERO(inf.high), odds[0], odds[1], odds[2],
                UNSIGNED_ZERO(inf.standardised));
    }
    fprintf(out, "---\nSignif. codes:  0 '***' 0.001 '**' 0.01 '*' 0.05 '.' 0.1 ' ' 1\n");
    fprintf(out, "Intervals: Wald, %g%%; Std. coef: estimate x the column's standard deviation\n", 100 * level);
    for (size_t g = 0; g < target->n_collinear; g++) {
        const model_collinear *group = &target->collinear[g];
        fprintf(out, "Nearly collinear, one driver: ");
        for (size_t i = 0; i < group->n_terms; i++)
            fprintf(out, "%s%s", i ? " + " : "", SHOWN(name, enc->term_names[group->terms[i]]));
        fprintf(out, " (condition index %.3g; their summed contribution's sd %.4g): how it splits between them, "
                     "and their signs, are not identified\n",
                group->condition_index, group->standardised);
    }
    fputc('\n', out);
    if (target->smooth) {
        print_smooth_table_of(out, m, target, width);
        return;
    }
    fprintf(out, "    Null deviance: %.2f  on %zu  degrees of freedom\n", target->null_deviance, target->df_null);
    fprintf(out, "Residual deviance: %.2f  on %zu  degrees of freedom\n", target->deviance, target->df_residual);
    fprintf(out, "AIC: %.2f   BIC: %.2f   log-likelihood: %.2f   McFadden R2: %.4f\n", target->aic, target->bic,
            target->log_likelihood, inference_mcfadden(target));
    fprintf(out, "Number of Fisher Scoring iterations: %d%s\n", target->iterations,
            target->converged ? "" : "  (NOT CONVERGED: raise --max-iter or check for separation)");
}

/* Exact doubles; what cannot be written (an odds ratio of exp(800)) is null. */
static void add_number(cJSON *object, const char *key, double value)
{
    json_add_exact(object, key, value);
}

cJSON *report_target_json(const model *m, const model_target *target, double level)
{
    const encoding *enc = m->enc;
    cJSON *item = cJSON_CreateObject();
    cJSON_AddStringToObject(item, "name", target->name);
    cJSON_AddStringToObject(item, "label", target->label);
    cJSON_AddNumberToObject(item, "confidence", level);
    cJSON *terms = cJSON_AddArrayToObject(item, "terms");
    for (size_t t = 0; terms && t < enc->n_terms; t++) {
        cJSON *term = json_append_object(terms);
        cJSON_AddStringToObject(term, "term", enc->term_names[t]);
        cJSON_AddBoolToObject(term, "aliased", target->aliased[t]);
        if (encoding_term_is_basis(enc, t)) /* a coefficient of a smooth's basis: see "smooth_terms" */
            cJSON_AddStringToObject(term, "basis_of", enc->term_feature[t] >= 0
                                                          ? enc->features[enc->term_feature[t]].name
                                                          : encoding_effect_name(enc, (size_t)enc->term_effect[t]));
        if (target->aliased[t])
            continue;
        term_inference inf;
        inference_term(target->estimate[t], target->std_error[t], level, enc->term_sd[t], &inf);
        add_number(term, "estimate", target->estimate[t]);
        add_number(term, "std_error", target->std_error[t]);
        add_number(term, "z", target->z_value[t]);
        add_number(term, "p", target->p_value[t]);
        cJSON_AddStringToObject(term, "significance", inference_stars(target->p_value[t]));
        add_number(term, "ci_low", inf.low);
        add_number(term, "ci_high", inf.high);
        add_number(term, "odds_ratio", inf.odds_ratio);
        add_number(term, "odds_ratio_low", inf.odds_low);
        add_number(term, "odds_ratio_high", inf.odds_high);
        add_number(term, "standardised", inf.standardised);
    }
    if (target->smooth) { /* summary.gam's table of smooth terms */
        const model_smooth_fit *smooth = target->smooth;
        cJSON *smooths = cJSON_AddArrayToObject(item, "smooth_terms");
        for (size_t i = 0; smooths && i < smooth->n_smooths; i++) {
            const enc_feature *feature = &enc->features[smooth->feature[i]];
            if (smooth->penalty[i] > 0)
                continue; /* a ti's second penalty: its sp is in the term's entry */
            cJSON *entry = json_append_object(smooths);
            char *label = model_smooth_name(enc, smooth, i);
            cJSON_AddStringToObject(entry, "term", label ? label : "");
            free(label);
            cJSON_AddStringToObject(entry, "column", feature->name);
            if (smooth->tensor[i] >= 0) {
                const tensor_spec *spec = enc->pairs[smooth->tensor[i]].tensor;
                cJSON_AddStringToObject(entry, "tensor_with", enc->features[enc->pairs[smooth->tensor[i]].b].name);
                cJSON *k = cJSON_AddArrayToObject(entry, "k");
                json_append(k, cJSON_CreateNumber((double)spec->margin[0].k));
                json_append(k, cJSON_CreateNumber((double)spec->margin[1].k));
                cJSON *sp = cJSON_AddArrayToObject(entry, "sp");
                json_append(sp, cJSON_CreateNumber(smooth->sp[i]));
                json_append(sp, cJSON_CreateNumber(smooth->sp[i + 1]));
            }
            if (smooth->level[i] >= 0) {
                const enc_feature *by = &enc->features[encoding_by_column(enc, smooth->feature[i])];
                cJSON_AddStringToObject(entry, "by", by->name);
                cJSON_AddStringToObject(entry, "level", by->levels[smooth->level[i]]);
            }
            if (smooth->tensor[i] < 0)
                cJSON_AddNumberToObject(entry, "k", (double)feature->smooth->k);
            add_number(entry, "edf", smooth->edf[i]);
            add_number(entry, "ref_df", smooth->ref_df[i]);
            add_number(entry, "chi_sq", smooth->chi_sq[i]);
            add_number(entry, "p_value", smooth->p_value[i]);
            cJSON_AddStringToObject(entry, "significance", inference_stars(smooth->p_value[i]));
            if (smooth->tensor[i] < 0)
                add_number(entry, "sp", smooth->sp[i]);
        }
        cJSON *reml = cJSON_AddObjectToObject(item, "reml");
        add_number(reml, "score", smooth->reml);
        add_number(reml, "edf_total", smooth->edf_total);
        cJSON_AddNumberToObject(reml, "newton_steps", smooth->outer_iterations);
        cJSON_AddBoolToObject(reml, "converged", smooth->outer_converged);
    }
    cJSON *groups = target->n_collinear ? cJSON_AddArrayToObject(item, "collinear") : NULL;
    for (size_t g = 0; groups && g < target->n_collinear; g++) {
        cJSON *entry = json_append_object(groups), *names = cJSON_AddArrayToObject(entry, "terms");
        for (size_t i = 0; names && i < target->collinear[g].n_terms; i++)
            json_append(names, cJSON_CreateString(enc->term_names[target->collinear[g].terms[i]]));
        add_number(entry, "condition_index", target->collinear[g].condition_index);
        add_number(entry, "standardised", target->collinear[g].standardised);
    }
    cJSON *fit = cJSON_AddObjectToObject(item, "fit");
    cJSON_AddNumberToObject(fit, "n_obs", (double)target->n_obs);
    cJSON_AddNumberToObject(fit, "n_events", (double)target->n_events);
    cJSON_AddNumberToObject(fit, "null_deviance", target->null_deviance);
    cJSON_AddNumberToObject(fit, "df_null", (double)target->df_null);
    cJSON_AddNumberToObject(fit, "deviance", target->deviance);
    cJSON_AddNumberToObject(fit, "df_residual", (double)target->df_residual);
    cJSON_AddNumberToObject(fit, "aic", target->aic);
    cJSON_AddNumberToObject(fit, "bic", target->bic);
    cJSON_AddNumberToObject(fit, "log_likelihood", target->log_likelihood);
    cJSON_AddNumberToObject(fit, "mcfadden_r2", inference_mcfadden(target));
    cJSON_AddNumberToObject(fit, "iterations", target->iterations);
    cJSON_AddBoolToObject(fit, "converged", target->converged);
    return item;
}

void report_print_segments(FILE *out, const model *m, double level)
{
    for (size_t s = 0; s < m->n_segments; s++) {
        const model_segment *segment = &m->segments[s];
        char by[VT_QUOTE_SIZE], level_name[VT_QUOTE_SIZE];
        fprintf(out, "\n== %s = %s (%zu rows)\n", SHOWN(by, m->by_column), SHOWN(level_name, segment->level),
                segment->n_rows);
        for (size_t k = 0; k < m->n_targets; k++) {
            if (segment->fallback[k])
                fprintf(out, "%s: the pooled model serves this level (%s)\n", m->targets[k].name,
                        segment->fallback_reason[k]);
            else
                report_print_target(out, m, &segment->targets[k], level);
        }
        for (size_t k = 0; k < m->n_targets; k++) {
            const model_validation *validation = segment->validation[k];
            if (validation == NULL)
                continue;
            const metrics *judged = &validation->overall;
            fprintf(out, "%s validation on this level (%s): %zu rows, ROC AUC %.4f   PR AUC %.4f   log-loss %.4f   "
                         "Brier %.4f\n", m->targets[k].name, validation->method, judged->n, judged->roc_auc,
                    judged->average_precision, judged->log_loss, judged->brier);
        }
    }
}

void report_print_routing(FILE *out, const model *m)
{
    for (size_t k = 0; k < m->n_targets; k++) {
        if (m->by_routed[k] == NULL || m->by_pooled[k] == NULL)
            continue;
        const metrics *routed = &m->by_routed[k]->overall, *pooled = &m->by_pooled[k]->overall;
        char by[VT_QUOTE_SIZE];
        fprintf(out, "\n%s: each row routed to its %s level's model vs the pooled model, on the same %zu %s rows (%s):\n"
                     "  routed  ROC AUC %.4f   PR AUC %.4f   log-loss %.4f   Brier %.4f\n"
                     "  pooled  ROC AUC %.4f   PR AUC %.4f   log-loss %.4f   Brier %.4f\n"
                     "  routing bought ROC AUC %+.4f   PR AUC %+.4f   log-loss %+.4f (lower is better)   Brier %+.4f\n",
                m->targets[k].name, SHOWN(by, m->by_column), routed->n,
                strstr(m->by_routed[k]->method, "fold") ? "out-of-fold" : "held-out", m->by_routed[k]->method,
                routed->roc_auc, routed->average_precision, routed->log_loss, routed->brier, pooled->roc_auc,
                pooled->average_precision, pooled->log_loss, pooled->brier, routed->roc_auc - pooled->roc_auc,
                routed->average_precision - pooled->average_precision, routed->log_loss - pooled->log_loss,
                routed->brier - pooled->brier);
    }
}

static void print_headline(FILE *out, const metrics *m)
{
    fprintf(out, "ROC AUC %.4f   PR AUC %.4f   log-loss %.4f   Brier %.4f\n", m->roc_auc, m->average_precision,
            m->log_loss, m->brier);
}

void report_print_validation(FILE *out, const char *target, const char *method, const metrics *overall,
                                             const metrics *folds, size_t n_folds, int with_buckets)
{
    fprintf(out, "\n%s validation (%s): %zu rows, %.0f events\n  ", target, method, overall->n, overall->events);
    print_headline(out, overall);
    for (size_t k = 0; k < n_folds; k++) {
        fprintf(out, "  fold %zu (%zu rows): ", k + 1, folds[k].n);
        print_headline(out, &folds[k]);
    }
    if (n_folds > 1) {
        metrics mean, sd;
        validation_fold_summary(folds, n_folds, &mean, &sd);
        fprintf(out, "  over folds: ROC AUC %.4f (sd %.4f)   PR AUC %.4f (sd %.4f)   log-loss %.4f (sd %.4f)   "
                     "Brier %.4f (sd %.4f)\n",
                mean.roc_auc, sd.roc_auc, mean.average_precision, sd.average_precision, mean.log_loss, sd.log_loss,
                mean.brier, sd.brier);
    }
    fprintf(out, "  top decile holds %.1f%% of the events (lift %.2f)\n", 100 * overall->top_decile_capture,
            overall->top_decile_lift);
    fprintf(out, "  calibration by decile of the score (mean predicted / observed / rows):\n   ");
    for (size_t g = 0; g < overall->n_deciles; g++)
        fprintf(out, " %.3f/%.3f/%zu", overall->deciles[g].mean_predicted, overall->deciles[g].observed_rate,
                overall->deciles[g].count);
    fprintf(out, "\n  Hosmer-Lemeshow %.2f on %.0f df, p = %.4g\n", overall->hosmer_lemeshow,
            overall->hosmer_lemeshow_df, overall->hosmer_lemeshow_p);
    if (!with_buckets)
        return;
    static const char *const names[] = {"red", "yellow", "green"};
    fprintf(out, "  by bucket:");
    for (int b = 2; b >= 0; b--)
        fprintf(out, "  %s %zu rows, %.1f%% events", names[b], overall->bucket_rows[b],
                overall->bucket_rows[b] ? 100 * overall->bucket_events[b] / (double)overall->bucket_rows[b] : 0.0);
    fputc('\n', out);
}

/* Aliased terms named one by one on stderr, per target; the rest counted. */
#define ALIASED_LISTED 5

void report_print_train_notes(FILE *out, const model *m, const encode_report *rows)
{
    fprintf(out, "vitals: %s: %zu rows read, %zu used", m->data_path, rows->n_rows_read, rows->n_rows_used);
    if (rows->n_dropped_missing_feature)
        fprintf(out, ", %zu dropped for a missing feature (--missing drop)", rows->n_dropped_missing_feature);
    if (rows->n_dropped_missing_label)
        fprintf(out, ", %zu dropped for a missing label", rows->n_dropped_missing_label);
    fputc('\n', out);
    char shown[VT_QUOTE_SIZE]; /* names from the data, escaped for the terminal */
    for (size_t f = 0; f < m->enc->n_features; f++)
        if (m->enc->features[f].n_imputed)
            fprintf(out, "vitals: column '%s': %zu missing cells imputed (%s)\n",
                    vt_quote(shown, sizeof shown, m->enc->features[f].name, strlen(m->enc->features[f].name)),
                    m->enc->features[f].n_imputed,
                    m->enc->features[f].type == TYPE_NUMERIC ? "mean + indicator" : "own level");
    for (size_t k = 0; k < m->n_targets; k++) {
        const model_target *target = &m->targets[k];
        size_t n_aliased = 0;
        for (size_t t = 0; t < m->enc->n_terms; t++)
            if (target->aliased[t] && ++n_aliased <= ALIASED_LISTED)
                fprintf(out, "vitals: %s: term '%s' dropped as aliased: %s\n", target->name,
                        vt_quote(shown, sizeof shown, m->enc->term_names[t], strlen(m->enc->term_names[t])),
                        target->alias_reason[t]);
        if (n_aliased > ALIASED_LISTED) /* a wide file can alias thousands: the model and summary name each */
            fprintf(out, "vitals: %s: %zu more terms dropped as aliased (%zu in all; vitals summary lists them)\n",
                    target->name, n_aliased - ALIASED_LISTED, n_aliased);
        if (!target->converged)
            fprintf(out, "vitals: warning: %s model did not converge in %d iterations\n", target->name,
                    target->iterations);
        if (target->n_boundary)
            fprintf(out, "vitals: warning: %s model: %zu fitted probabilities numerically 0 or 1 "
                         "(separation?)\n", target->name, target->n_boundary);
    }
    /* --by: the terms a level's fits left out, but the column's own (one
     * line per level: every target of it leaves out the same). */
    for (size_t s = 0; s < m->n_segments; s++) {
        const model_segment *segment = &m->segments[s];
        const model_target *target = NULL;
        for (size_t k = 0; target == NULL && k < m->n_targets; k++)
            if (!segment->fallback[k])
                target = &segment->targets[k];
        for (size_t t = 0; target && t < m->enc->n_terms; t++) {
            if (!report_left_out(m, target, t) || report_by_term(m, t))
                continue;
            char by[VT_QUOTE_SIZE], level[VT_QUOTE_SIZE];
            fprintf(out, "vitals: --by %s = %s: term '%s' %s (its coefficient is 0 in the level's model)\n",
                    SHOWN(by, m->by_column), SHOWN(level, segment->level), SHOWN(shown, m->enc->term_names[t]),
                    target->alias_reason[t]);
        }
    }
}

static void print_l2_curve(FILE *out, const char *target, const ridge_cv_curve *curve)
{
    fprintf(out, "\n%s: --l2 chosen by %zu-fold cross-validated log-loss: %g\n ", target, curve->folds,
            curve->lambda[curve->best]);
    for (size_t g = 0; g < RIDGE_CV_GRID; g++)
        fprintf(out, " %g:%.5f%s", curve->lambda[g], curve->log_loss[g], g == curve->best ? "*" : "");
    fputc('\n', out);
}

/* --interact auto: the ranking and what each tried pair did to the criterion. */
static void print_pair_search(FILE *out, const pair_search_report *report)
{
    fprintf(out, "Interactions (--interact auto): %zu pairs ranked by a score test on the additive fit (%.1f s); "
                 "%s summed over the targets, additive: %.6g\n",
            report->n_ranked, report->seconds_ranking, report->criterion, report->additive);
    fprintf(out, "  %-40s %4s %12s %10s %14s  %s\n", "pair", "df", "score stat", "p-value", report->criterion,
            "decision");
    for (size_t i = 0; i < report->n_trials; i++) {
        const pair_trial *trial = &report->trials[i];
        char name[VT_QUOTE_SIZE], criterion[32], decision[64];
        vt_quote(name, sizeof name, trial->name, strlen(trial->name));
        if (trial->tried)
            snprintf(criterion, sizeof criterion, "%.6g", trial->criterion);
        else
            snprintf(criterion, sizeof criterion, "-");
        if (trial->tried)
            snprintf(decision, sizeof decision, "%s (as %s)", trial->kept ? "kept" : "dropped, no improvement",
                     trial->form);
        fprintf(out, "  %-40s %4zu %12.4g %10.3g %14s  %s\n", name, trial->score.df, trial->score.statistic,
                trial->score.p_value, criterion,
                trial->tried ? decision : trial->why_not ? trial->why_not : "not tried");
    }
    fputc('\n', out);
}

void report_print_train_results(FILE *out, const train_notes *notes)
{
    if (notes->pairs_searched)
        print_pair_search(out, &notes->pairs);
    for (size_t k = 0; k < notes->n_targets; k++) {
        const crossfit_metrics *validation = &notes->validation[k];
        if (notes->l2_chosen)
            print_l2_curve(out, notes->name[k], &notes->l2[k]);
        if (notes->validated)
            report_print_validation(out, notes->name[k], validation->method, &validation->overall,
                                    validation->folds, validation->n_folds, strcmp(notes->name[k], "churn") == 0);
        if (notes->linear_compared) {
            const metrics *smooth = &validation->overall, *linear = &notes->linear[k].overall;
            fprintf(out, "  the linear fit on the same rows: ");
            print_headline(out, linear);
            fprintf(out, "  what the smooth terms bought: ROC AUC %+.4f   PR AUC %+.4f   log-loss %+.4f\n",
                    smooth->roc_auc - linear->roc_auc, smooth->average_precision - linear->average_precision,
                    smooth->log_loss - linear->log_loss);
        }
    }
}
