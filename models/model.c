#include "model.h"

#include <cjson/cJSON.h>
#include <inttypes.h>
#include <limits.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "inference.h"
#include "json.h"
#include "model_json.h"
#include "validate.h"

/* Largest model file we read: far above any real model, small enough that a
 * wrong path to a huge file fails fast. */
#define MODEL_MAX_BYTES (256u << 20)

model *model_new(void)
{
    model *m = vt_calloc(1, sizeof *m);
    if (m == NULL)
        return NULL;
    m->format_version = MODEL_FORMAT_VERSION;
    m->delimiter = ',';
    m->red_below = 40;
    m->yellow_below = 70;
    m->max_iter = 25;
    m->epsilon = 1e-8;
    m->confidence = 0.95;
    return m;
}

int model_output_name(const char *name)
{
    static const char *const names[] = {"churn_risk", "expansion", "health", "bucket", "vitals_note", "line"};
    for (size_t i = 0; i < sizeof names / sizeof *names; i++)
        if (strcmp(name, names[i]) == 0)
            return 1;
    return 0;
}

char *model_smooth_name(const encoding *enc, const model_smooth_fit *fit, size_t i)
{
    if (fit->tensor[i] >= 0)
        return encoding_tensor_name(enc, (size_t)fit->tensor[i]);
    return encoding_smooth_name(enc, fit->feature[i], fit->level[i]);
}

void model_smooth_k(const encoding *enc, const model_smooth_fit *fit, size_t i, char *out, size_t size)
{
    if (fit->tensor[i] >= 0) {
        const tensor_spec *spec = enc->pairs[fit->tensor[i]].tensor;
        snprintf(out, size, "%zu,%zu", spec->margin[0].k, spec->margin[1].k);
    } else {
        snprintf(out, size, "%zu", enc->features[fit->feature[i]].smooth->k);
    }
}

model_smooth_fit *model_smooth_fit_new(size_t n)
{
    model_smooth_fit *fit = vt_calloc(1, sizeof *fit);
    if (fit == NULL)
        return NULL;
    size_t m = n ? n : 1;
    fit->n_smooths = n;
    fit->feature = vt_calloc(m, sizeof(size_t));
    fit->level = vt_calloc(m, sizeof(long));
    fit->tensor = vt_calloc(m, sizeof(long));
    fit->penalty = vt_calloc(m, sizeof(int));
    fit->sp = vt_calloc(m, sizeof(double));
    fit->edf = vt_calloc(m, sizeof(double));
    fit->edf1 = vt_calloc(m, sizeof(double));
    fit->ref_df = vt_calloc(m, sizeof(double));
    fit->chi_sq = vt_calloc(m, sizeof(double));
    fit->p_value = vt_calloc(m, sizeof(double));
    fit->cov = vt_calloc(m, sizeof(double *));
    if (!fit->feature || !fit->level || !fit->tensor || !fit->penalty || !fit->sp || !fit->edf || !fit->edf1 ||
        !fit->ref_df || !fit->chi_sq || !fit->p_value || !fit->cov) {
        model_smooth_fit_free(fit);
        return NULL;
    }
    return fit;
}

void model_smooth_fit_free(model_smooth_fit *fit)
{
    if (fit == NULL)
        return;
    for (size_t i = 0; fit->cov && i < fit->n_smooths; i++)
        free(fit->cov[i]);
    free(fit->cov);
    free(fit->feature);
    free(fit->level);
    free(fit->tensor);
    free(fit->penalty);
    free(fit->sp);
    free(fit->edf);
    free(fit->edf1);
    free(fit->ref_df);
    free(fit->chi_sq);
    free(fit->p_value);
    free(fit);
}

model_validation *model_validation_new(const char *method, const metrics *overall, const metrics *folds,
                                       size_t n_folds, int with_buckets)
{
    model_validation *v = vt_calloc(1, sizeof *v);
    if (v == NULL || (v->method = vt_strdup(method)) == NULL ||
        (n_folds > 0 && (v->folds = vt_calloc(n_folds, sizeof *v->folds)) == NULL)) {
        model_validation_free(v);
        return NULL;
    }
    v->overall = *overall;
    if (n_folds > 0)
        memcpy(v->folds, folds, n_folds * sizeof *folds);
    v->n_folds = n_folds;
    v->with_buckets = with_buckets;
    return v;
}

void model_validation_free(model_validation *v)
{
    if (v == NULL)
        return;
    free(v->method);
    free(v->folds);
    free(v);
}

model_l2_curve *model_l2_curve_new(const double *lambda, const double *log_loss, size_t n_points)
{
    model_l2_curve *curve = vt_calloc(1, sizeof *curve);
    if (curve == NULL || (curve->lambda = vt_calloc(n_points ? n_points : 1, sizeof(double))) == NULL ||
        (curve->log_loss = vt_calloc(n_points ? n_points : 1, sizeof(double))) == NULL) {
        model_l2_curve_free(curve);
        return NULL;
    }
    memcpy(curve->lambda, lambda, n_points * sizeof(double));
    memcpy(curve->log_loss, log_loss, n_points * sizeof(double));
    curve->n_points = n_points;
    return curve;
}

void model_l2_curve_free(model_l2_curve *curve)
{
    if (curve == NULL)
        return;
    free(curve->lambda);
    free(curve->log_loss);
    free(curve);
}

static cJSON *stored_validation_json(const model_validation *v)
{
    return validation_json(v->method, &v->overall, v->folds, v->n_folds, v->with_buckets);
}

static cJSON *l2_curve_json(const model_l2_curve *curve)
{
    cJSON *array = cJSON_CreateArray();
    for (size_t g = 0; array && g < curve->n_points; g++) {
        cJSON *point = json_append_object(array);
        json_add_exact(point, "lambda", curve->lambda[g]);
        json_add_exact(point, "log_loss", curve->log_loss[g]);
    }
    return array;
}

static void target_free(model_target *target, size_t n_terms)
{
    model_smooth_fit_free(target->smooth);
    free(target->name);
    free(target->label);
    free(target->estimate);
    free(target->std_error);
    free(target->z_value);
    free(target->p_value);
    free(target->aliased);
    model_validation_free(target->validation);
    model_l2_curve_free(target->l2_curve);
    if (target->alias_reason)
        for (size_t t = 0; t < n_terms; t++)
            free(target->alias_reason[t]);
    free(target->alias_reason);
    for (size_t g = 0; target->collinear && g < target->n_collinear; g++)
        free(target->collinear[g].terms);
    free(target->collinear);
    model_drivers_free(&target->drivers);
}

void model_free(model *m)
{
    if (m == NULL)
        return;
    size_t n_terms = m->enc ? m->enc->n_terms : 0;
    for (size_t t = 0; t < m->n_targets; t++)
        target_free(&m->targets[t], n_terms);
    for (size_t s = 0; m->segments && s < m->n_segments; s++) {
        for (size_t t = 0; t < MODEL_MAX_TARGETS; t++) {
            target_free(&m->segments[s].targets[t], n_terms);
            free(m->segments[s].fallback_reason[t]);
            model_validation_free(m->segments[s].validation[t]);
        }
        free(m->segments[s].level);
    }
    free(m->segments);
    model_drivers_free(&m->moved_drivers);
    free(m->by_column);
    for (size_t t = 0; t < MODEL_MAX_TARGETS; t++) {
        model_validation_free(m->by_routed[t]);
        model_validation_free(m->by_pooled[t]);
    }
    for (size_t i = 0; i < m->n_na_tokens; i++)
        free(m->na_tokens[i]);
    free(m->na_tokens);
    encoding_free(m->enc);
    free(m->tool_version);
    free(m->created_at);
    free(m->data_path);
    free(m->data_query);
    free(m->id_column);
    free(m->weight_column);
    free(m);
}

vt_status model_target_alloc(model_target *target, size_t n_terms)
{
    target->estimate = vt_calloc(n_terms, sizeof(double));
    target->std_error = vt_calloc(n_terms, sizeof(double));
    target->z_value = vt_calloc(n_terms, sizeof(double));
    target->p_value = vt_calloc(n_terms, sizeof(double));
    target->aliased = vt_calloc(n_terms, sizeof(int));
    target->alias_reason = vt_calloc(n_terms, sizeof(char *));
    if (!target->estimate || !target->std_error || !target->z_value || !target->p_value ||
        !target->aliased || !target->alias_reason)
        return VT_ENOMEM;
    return VT_OK;
}

/* Join the effects of each group's terms under the smallest: union by the
 * lesser root, so every root is its set's first effect. */
static int join_groups(const model_collinear *groups, size_t n_groups, const encoding *enc, size_t *head)
{
    int merged = 0;
    for (size_t g = 0; g < n_groups; g++) {
        long first = -1;
        for (size_t i = 0; i < groups[g].n_terms; i++) {
            long e = enc->term_effect[groups[g].terms[i]];
            if (e < 0)
                continue;
            if (first < 0) {
                first = e;
                continue;
            }
            size_t a = (size_t)first, b = (size_t)e;
            while (head[a] != a)
                a = head[a];
            while (head[b] != b)
                b = head[b];
            if (a != b) {
                head[a > b ? a : b] = a < b ? a : b;
                merged = 1;
            }
        }
    }
    return merged;
}

void model_drivers_free(model_drivers *drivers)
{
    for (size_t e = 0; drivers->name && e < drivers->n_named; e++)
        free(drivers->name[e]);
    free(drivers->name);
    free(drivers->driver_of);
    *drivers = (model_drivers){0};
}

/* The map of the groups of every target in targets[0 .. n) (NULL entries
 * skipped) taken together. */
static vt_status derive_drivers(const model_target *const *targets, size_t n, const encoding *enc,
                                model_drivers *out)
{
    size_t n_effects = encoding_n_effects(enc);
    model_drivers_free(out);
    size_t *head = vt_malloc((n_effects ? n_effects : 1) * sizeof *head);
    if (head == NULL)
        return VT_ENOMEM;
    for (size_t e = 0; e < n_effects; e++)
        head[e] = e;
    int merged = 0;
    for (size_t i = 0; i < n; i++)
        if (targets[i])
            merged |= join_groups(targets[i]->collinear, targets[i]->n_collinear, enc, head);
    if (!merged) {
        free(head);
        return VT_OK;
    }
    for (size_t e = 0; e < n_effects; e++) /* ascending: a lesser effect's root is final */
        head[e] = head[head[e]];
    out->driver_of = head;
    if ((out->name = vt_calloc(n_effects, sizeof *out->name)) == NULL)
        return VT_ENOMEM;
    out->n_named = n_effects;
    for (size_t e = 0; e < n_effects; e++) {
        if (head[e] != e)
            continue;
        out->n_drivers++;
        text name = {0};
        int several = 0;
        for (size_t f = e; f < n_effects; f++)
            if (head[f] == e) {
                text_printf(&name, "%s%s", f == e ? "" : " + ", encoding_effect_name(enc, f));
                several += f != e;
            }
        char *done = text_finish(&name);
        if (done == NULL)
            return VT_ENOMEM;
        if (several)
            out->name[e] = done;
        else
            free(done);
    }
    return VT_OK;
}

vt_status model_finish_drivers(model *m)
{
    const encoding *enc = m->enc;
    size_t churn = m->n_targets, n_churn = 0;
    for (size_t k = 0; k < m->n_targets; k++)
        churn = strcmp(m->targets[k].name, "churn") == 0 ? k : churn;
    const model_target **churn_fits = vt_calloc(m->n_segments + 1, sizeof *churn_fits);
    if (churn_fits == NULL)
        return VT_ENOMEM;
    vt_status status = VT_OK;
    for (size_t s = 0; status == VT_OK && s <= m->n_segments; s++)
        for (size_t k = 0; status == VT_OK && k < m->n_targets; k++) {
            model_target *t = s == 0 ? &m->targets[k] : &m->segments[s - 1].targets[k];
            if (s > 0 && m->segments[s - 1].fallback[k])
                continue;
            const model_target *one[] = {t};
            status = derive_drivers(one, 1, enc, &t->drivers);
            if (k == churn)
                churn_fits[n_churn++] = t;
        }
    if (status == VT_OK && m->n_segments > 0)
        status = derive_drivers(churn_fits, n_churn, enc, &m->moved_drivers);
    free(churn_fits);
    return status;
}

size_t model_n_drivers(const model_drivers *drivers, const encoding *enc)
{
    return drivers->driver_of ? drivers->n_drivers : encoding_n_effects(enc);
}

const char *model_driver_name(const model_drivers *drivers, const encoding *enc, size_t e)
{
    return model_driver_merged(drivers, e) ? drivers->name[e] : encoding_effect_name(enc, e);
}

size_t model_driver_head(const model_drivers *drivers, size_t e)
{
    return drivers->driver_of ? drivers->driver_of[e] : e;
}

int model_in_collinear_group(const model_target *target, size_t term)
{
    for (size_t g = 0; g < target->n_collinear; g++)
        for (size_t i = 0; i < target->collinear[g].n_terms; i++)
            if (target->collinear[g].terms[i] == term)
                return 1;
    return 0;
}

int model_driver_merged(const model_drivers *drivers, size_t e)
{
    return drivers->name != NULL && drivers->name[e] != NULL;
}

void model_merge_drivers(const model_drivers *drivers, size_t n_effects, double *contributions)
{
    if (drivers->driver_of == NULL)
        return;
    for (size_t e = 0; e < n_effects; e++)
        if (drivers->driver_of[e] != e) {
            contributions[drivers->driver_of[e]] += contributions[e];
            contributions[e] = 0;
        }
}

void model_centre_groups(const model_target *target, const model_drivers *drivers, const encoding *enc, double sign,
                         double *contributions)
{
    for (size_t g = 0; g < target->n_collinear; g++) {
        size_t e = (size_t)enc->term_effect[target->collinear[g].terms[0]];
        contributions[model_driver_head(drivers, e)] -= sign * target->collinear[g].offset;
    }
}

const model_target *model_scoring_target(const model *m, size_t model, size_t target)
{
    return model == 0 || m->segments[model - 1].fallback[target] ? &m->targets[target]
                                                                 : &m->segments[model - 1].targets[target];
}

const model_target *model_find_target(const model *m, const char *name)
{
    for (size_t t = 0; t < m->n_targets; t++)
        if (strcmp(m->targets[t].name, name) == 0)
            return &m->targets[t];
    return NULL;
}

int model_has_health(const model *m) { return model_find_target(m, "churn") != NULL; }

/* ------------------------------------------------------------------ save */

/* A cr basis as a model stores it: k, knots, constraint, S.scale. */
static void smooth_spec_to_json(cJSON *smooth, const smooth_spec *spec)
{
    cJSON_AddStringToObject(smooth, "basis", "cr");
    cJSON_AddNumberToObject(smooth, "k", (double)spec->k);
    cJSON *knots = cJSON_AddArrayToObject(smooth, "knots");
    cJSON *constraint = cJSON_AddArrayToObject(smooth, "constraint");
    for (size_t j = 0; j < spec->k; j++) {
        json_append(knots, json_create_exact(spec->knots[j]));
        json_append(constraint, json_create_exact(spec->constraint[j]));
    }
    json_add_exact(smooth, "penalty_scale", spec->penalty_scale);
}

/* A ti pair's basis: its two margins and the scales tensor_finish needs. */
static void tensor_to_json(cJSON *tensor, const tensor_spec *spec)
{
    cJSON *margins = cJSON_AddArrayToObject(tensor, "margins");
    cJSON *norms = cJSON_AddArrayToObject(tensor, "margin_norm");
    cJSON *scales = cJSON_AddArrayToObject(tensor, "penalty_scale");
    for (int i = 0; i < 2; i++) {
        cJSON *margin = json_append_object(margins);
        if (margin)
            smooth_spec_to_json(margin, &spec->margin[i]);
        json_append(norms, json_create_exact(spec->margin_norm[i]));
        json_append(scales, json_create_exact(spec->penalty_scale[i]));
    }
}

static cJSON *encoding_to_json(const encoding *enc)
{
    cJSON *features = cJSON_CreateArray();
    for (size_t f = 0; features && f < enc->n_features; f++) {
        const enc_feature *feature = &enc->features[f];
        cJSON *item = json_append_object(features);
        cJSON_AddStringToObject(item, "name", feature->name);
        cJSON_AddStringToObject(item, "type", feature->type == TYPE_NUMERIC ? "numeric" : "categorical");
        if (feature->type == TYPE_NUMERIC) {
            json_add_exact(item, "mean", feature->mean);
            json_add_exact(item, "sd", feature->sd);
            json_add_exact(item, "impute", feature->impute);
            cJSON *smooth = feature->smooth ? cJSON_AddObjectToObject(item, "smooth") : NULL;
            if (smooth)
                smooth_spec_to_json(smooth, feature->smooth);
        } else {
            cJSON *levels = cJSON_AddArrayToObject(item, "levels");
            for (size_t l = 0; levels && l < feature->n_levels; l++)
                json_append(levels, cJSON_CreateString(feature->levels[l]));
            cJSON_AddStringToObject(item, "baseline", feature->levels[0]);
        }
        cJSON_AddBoolToObject(item, "missing_term", feature->missing_term);
        cJSON_AddNumberToObject(item, "imputed_in_training", (double)feature->n_imputed);
    }
    return features;
}

/* summary.gam's smooth table and what REML chose, per smooth. */
static int smooth_fit_to_json(const model_smooth_fit *fit, const encoding *enc, cJSON *item)
{
    cJSON *smooth = cJSON_AddObjectToObject(item, "smooth");
    int bad = smooth == NULL;
    bad |= json_add_exact(smooth, "reml", fit->reml);
    bad |= json_add_exact(smooth, "edf_total", fit->edf_total);
    cJSON_AddNumberToObject(smooth, "outer_iterations", fit->outer_iterations);
    cJSON_AddBoolToObject(smooth, "outer_converged", fit->outer_converged);
    cJSON *terms = cJSON_AddArrayToObject(smooth, "terms");
    for (size_t i = 0; !bad && i < fit->n_smooths; i++) {
        const enc_feature *feature = &enc->features[fit->feature[i]];
        cJSON *term = json_append_object(terms);
        cJSON_AddStringToObject(term, "column", feature->name);
        size_t n = feature->smooth->k - 1;
        if (fit->tensor[i] >= 0) {
            const enc_pair *pair = &enc->pairs[fit->tensor[i]];
            cJSON_AddStringToObject(term, "tensor_with", enc->features[pair->b].name);
            cJSON_AddNumberToObject(term, "penalty", fit->penalty[i]);
            n = pair->n_terms;
        }
        if (fit->level[i] >= 0) {
            const enc_feature *by = &enc->features[encoding_by_column(enc, fit->feature[i])];
            cJSON_AddStringToObject(term, "by", by->name);
            cJSON_AddStringToObject(term, "level", by->levels[fit->level[i]]);
        }
        bad |= json_add_exact(term, "sp", fit->sp[i]);
        bad |= json_add_exact(term, "edf", fit->edf[i]);
        bad |= json_add_exact(term, "edf1", fit->edf1[i]);
        bad |= json_add_exact(term, "ref_df", fit->ref_df[i]);
        bad |= json_add_exact(term, "chi_sq", fit->chi_sq[i]);
        bad |= json_add_exact(term, "p_value", fit->p_value[i]);
        cJSON *cov = cJSON_AddArrayToObject(term, "cov");
        for (size_t j = 0; cov && j < n * n; j++)
            json_append(cov, json_create_exact(fit->cov[i][j]));
    }
    return bad || terms == NULL ? -1 : 0;
}

/* The groups by their terms' names (absent when there are none, so a
 * model without them keeps its bytes). */
static int collinear_to_json(const model_target *target, const encoding *enc, cJSON *item)
{
    cJSON *groups = cJSON_AddArrayToObject(item, "collinear");
    int bad = groups == NULL;
    for (size_t g = 0; !bad && g < target->n_collinear; g++) {
        const model_collinear *group = &target->collinear[g];
        cJSON *entry = json_append_object(groups), *terms = cJSON_AddArrayToObject(entry, "terms");
        bad |= terms == NULL;
        for (size_t i = 0; !bad && i < group->n_terms; i++)
            bad |= json_append(terms, cJSON_CreateString(enc->term_names[group->terms[i]]));
        bad |= json_add_exact(entry, "condition_index", group->condition_index);
        bad |= json_add_exact(entry, "standardised", group->standardised);
        bad |= json_add_exact(entry, "offset", group->offset);
    }
    return bad ? -1 : 0;
}

static cJSON *target_to_json(const model_target *target, const encoding *enc, double level)
{
    cJSON *item = cJSON_CreateObject();
    if (item == NULL)
        return NULL;
    cJSON_AddStringToObject(item, "name", target->name);
    cJSON_AddStringToObject(item, "label", target->label);
    cJSON *terms = cJSON_AddArrayToObject(item, "terms");
    int bad = terms == NULL;
    for (size_t t = 0; !bad && t < enc->n_terms; t++) {
        cJSON *term = json_append_object(terms);
        cJSON_AddStringToObject(term, "term", enc->term_names[t]);
        cJSON_AddBoolToObject(term, "aliased", target->aliased[t]);
        if (target->aliased[t]) {
            cJSON_AddStringToObject(term, "reason", target->alias_reason[t] ? target->alias_reason[t] : "aliased");
            continue;
        }
        bad |= json_add_exact(term, "estimate", target->estimate[t]);
        bad |= json_add_exact(term, "std_error", target->std_error[t]);
        bad |= json_add_exact(term, "z", target->z_value[t]);
        bad |= json_add_exact(term, "p", target->p_value[t]);
        /* Derived, for readers of the file; the loader recomputes them. An
         * odds ratio can overflow (exp of a huge estimate): null then. */
        term_inference inf;
        inference_term(target->estimate[t], target->std_error[t], level, enc->term_sd[t], &inf);
        bad |= json_add_exact(term, "ci_low", inf.low);
        bad |= json_add_exact(term, "ci_high", inf.high);
        json_add_exact(term, "odds_ratio", inf.odds_ratio);
        json_add_exact(term, "odds_ratio_low", inf.odds_low);
        json_add_exact(term, "odds_ratio_high", inf.odds_high);
        bad |= json_add_exact(term, "standardised", inf.standardised);
    }
    cJSON *fit = cJSON_AddObjectToObject(item, "fit");
    if (fit != NULL) {
        cJSON_AddNumberToObject(fit, "n_obs", (double)target->n_obs);
        cJSON_AddNumberToObject(fit, "n_events", (double)target->n_events);
        cJSON_AddNumberToObject(fit, "rank", (double)target->rank);
        cJSON_AddNumberToObject(fit, "df_residual", (double)target->df_residual);
        cJSON_AddNumberToObject(fit, "df_null", (double)target->df_null);
        bad |= json_add_exact(fit, "deviance", target->deviance);
        bad |= json_add_exact(fit, "null_deviance", target->null_deviance);
        bad |= json_add_exact(fit, "log_likelihood", target->log_likelihood);
        bad |= json_add_exact(fit, "aic", target->aic);
        bad |= json_add_exact(fit, "bic", target->bic);
        json_add_exact(fit, "mcfadden_r2", inference_mcfadden(target));
        cJSON_AddNumberToObject(fit, "iterations", target->iterations);
        cJSON_AddBoolToObject(fit, "converged", target->converged);
        cJSON_AddNumberToObject(fit, "fitted_at_0_or_1", (double)target->n_boundary);
    }
    if (target->validation)
        json_attach(item, "validation", stored_validation_json(target->validation));
    bad |= json_add_exact(item, "l2", target->l2);
    if (target->n_collinear > 0 && collinear_to_json(target, enc, item) != 0)
        bad = 1;
    if (target->smooth && smooth_fit_to_json(target->smooth, enc, item) != 0)
        bad = 1;
    if (target->l2_curve)
        json_attach(item, "l2_cross_validation", l2_curve_json(target->l2_curve));
    if (bad || fit == NULL) {
        cJSON_Delete(item);
        return NULL;
    }
    return item;
}

void model_bands_json(cJSON *bands, const model *m)
{
    json_add_exact(bands, "red_below", m->red_below);
    json_add_exact(bands, "yellow_below", m->yellow_below);
    const model_bands_source *source = &m->bands_source;
    cJSON_AddStringToObject(bands, "source", source->by_share ? "shares" : "absolute");
    if (source->by_share) {
        json_add_exact(bands, "red_share", source->asked[0]);
        json_add_exact(bands, "yellow_share", source->asked[1]);
        json_add_exact(bands, "fit_red_share", source->reached[0]);
        json_add_exact(bands, "fit_yellow_share", source->reached[1]);
        cJSON_AddNumberToObject(bands, "fit_rows", (double)source->rows);
    }
}

cJSON *model_fallback_json(const model *m, const model_segment *segment, size_t target)
{
    cJSON *fallback = cJSON_CreateObject();
    cJSON_AddStringToObject(fallback, "name", m->targets[target].name);
    cJSON_AddStringToObject(fallback, "fallback", "pooled");
    cJSON_AddStringToObject(fallback, "reason", segment->fallback_reason[target] ? segment->fallback_reason[target] : "");
    return fallback;
}

static int segments_to_json(const model *m, cJSON *root)
{
    cJSON *segments = cJSON_AddObjectToObject(root, "segments");
    cJSON_AddStringToObject(segments, "by", m->by_column);
    cJSON *levels = cJSON_AddArrayToObject(segments, "levels");
    for (size_t s = 0; s < m->n_segments; s++) {
        const model_segment *segment = &m->segments[s];
        cJSON *item = json_append_object(levels);
        cJSON_AddStringToObject(item, "level", segment->level);
        cJSON_AddNumberToObject(item, "rows", (double)segment->n_rows);
        cJSON *targets = cJSON_AddArrayToObject(item, "targets");
        cJSON *validation = cJSON_AddArrayToObject(item, "validation");
        for (size_t t = 0; t < m->n_targets; t++)
            json_append(validation, segment->validation[t] ? stored_validation_json(segment->validation[t])
                                                           : cJSON_CreateNull());
        for (size_t t = 0; t < m->n_targets; t++) {
            if (segment->fallback[t]) {
                json_append(targets, model_fallback_json(m, segment, t));
                continue;
            }
            cJSON *target = target_to_json(&segment->targets[t], m->enc, m->confidence);
            if (target == NULL)
                return -1;
            json_append(targets, target);
        }
    }
    if (m->by_routed[0] == NULL)
        return 0;
    cJSON *routing = cJSON_AddArrayToObject(segments, "routing");
    for (size_t t = 0; t < m->n_targets; t++) {
        cJSON *item = json_append_object(routing);
        cJSON_AddStringToObject(item, "target", m->targets[t].name);
        json_attach(item, "routed", m->by_routed[t] ? stored_validation_json(m->by_routed[t]) : cJSON_CreateNull());
        json_attach(item, "pooled", m->by_pooled[t] ? stored_validation_json(m->by_pooled[t]) : cJSON_CreateNull());
    }
    return 0;
}

static cJSON *model_to_json(const model *m)
{
    char hash[32];
    cJSON *root = cJSON_CreateObject();
    if (root == NULL)
        return NULL;
    cJSON_AddStringToObject(root, "format", "vitals-model");
    cJSON_AddNumberToObject(root, "format_version", m->format_version);
    cJSON_AddStringToObject(root, "tool_version", m->tool_version ? m->tool_version : VT_VERSION);
    cJSON_AddStringToObject(root, "created_at", m->created_at ? m->created_at : "");
    cJSON *data = cJSON_AddObjectToObject(root, "data");
    snprintf(hash, sizeof hash, "%016" PRIx64, m->data_hash);
    cJSON_AddStringToObject(data, "path", m->data_path ? m->data_path : "");
    if (m->data_query)
        cJSON_AddStringToObject(data, "query", m->data_query);
    cJSON_AddNumberToObject(data, "rows", (double)m->data_rows);
    cJSON_AddNumberToObject(data, "bytes", (double)m->data_bytes);
    cJSON_AddStringToObject(data, "fnv1a64", hash);
    cJSON_AddNumberToObject(data, "rows_used", (double)m->rows_used);
    cJSON_AddNumberToObject(data, "rows_dropped_missing_feature", (double)m->dropped_missing_feature);
    cJSON_AddNumberToObject(data, "rows_dropped_missing_label", (double)m->dropped_missing_label);
    cJSON *options = cJSON_AddObjectToObject(root, "options");
    char delimiter[2] = {m->delimiter, '\0'};
    cJSON_AddStringToObject(options, "delimiter", delimiter);
    cJSON_AddStringToObject(options, "missing", missing_policy_name(m->enc->missing));
    cJSON_AddNumberToObject(options, "max_iter", m->max_iter);
    json_add_exact(options, "epsilon", m->epsilon);
    json_add_exact(options, "confidence", m->confidence);
    cJSON_AddBoolToObject(options, "firth", m->firth);
    cJSON_AddBoolToObject(options, "balance", m->balance);
    cJSON_AddBoolToObject(options, "l2_cv", m->l2_cv);
    if (m->weight_column)
        cJSON_AddStringToObject(options, "weight_column", m->weight_column);
    else
        cJSON_AddNullToObject(options, "weight_column");
    cJSON *na = cJSON_AddArrayToObject(options, "na");
    for (size_t i = 0; na && i < m->n_na_tokens; i++)
        json_append(na, cJSON_CreateString(m->na_tokens[i]));
    if (m->id_column)
        cJSON_AddStringToObject(root, "id_column", m->id_column);
    else
        cJSON_AddNullToObject(root, "id_column");
    cJSON *encoding_json = cJSON_AddObjectToObject(root, "encoding");
    json_attach(encoding_json, "features", encoding_to_json(m->enc));
    if (m->enc->n_pairs) {
        cJSON *pairs = cJSON_AddArrayToObject(encoding_json, "interactions");
        for (size_t p = 0; pairs && p < m->enc->n_pairs; p++) {
            cJSON *pair = json_append_object(pairs);
            cJSON *columns = cJSON_AddArrayToObject(pair, "columns");
            json_append(columns, cJSON_CreateString(m->enc->features[m->enc->pairs[p].a].name));
            json_append(columns, cJSON_CreateString(m->enc->features[m->enc->pairs[p].b].name));
            cJSON *tensor = m->enc->pairs[p].tensor ? cJSON_AddObjectToObject(pair, "tensor") : NULL;
            if (tensor)
                tensor_to_json(tensor, m->enc->pairs[p].tensor);
        }
    }
    const char *array_names[] = {"term_means", "term_sds"};
    const double *arrays[] = {m->enc->term_mean, m->enc->term_sd};
    for (int a = 0; a < 2; a++) {
        cJSON *values = cJSON_AddArrayToObject(encoding_json, array_names[a]);
        for (size_t t = 0; values && t < m->enc->n_terms; t++)
            json_append(values, json_create_exact(arrays[a][t]));
    }
    if (model_has_health(m)) { /* health comes from the churn risk: a propensity model has none */
        cJSON *bands = cJSON_AddObjectToObject(root, "bands");
        cJSON_AddStringToObject(bands, "health", "round(100 * (1 - churn_risk))");
        model_bands_json(bands, m);
    }
    cJSON *targets = cJSON_AddArrayToObject(root, "targets");
    for (size_t t = 0; t < m->n_targets; t++) {
        cJSON *target = target_to_json(&m->targets[t], m->enc, m->confidence);
        if (target == NULL) {
            cJSON_Delete(root);
            return NULL;
        }
        json_append(targets, target);
    }
    if (m->by_column && segments_to_json(m, root) != 0) {
        cJSON_Delete(root);
        return NULL;
    }
    return root;
}

vt_status model_save(const model *m, const char *path, vt_err *err)
{
    unsigned long failures = vt_alloc_failures();
    cJSON *root = model_to_json(m);
    if (root == NULL)
        return vt_err_set(err, VT_ENUMERIC, path, 0, 0,
                          "cannot write the model: out of memory or a non-finite estimate");
    return json_write_file(root, path, failures, err);
}

/* ------------------------------------------------------------------ load */

/* Every field the loader reads is checked here, so that what predict and
 * summary get is what the writer could have written: a bad field is one
 * error naming the file, the field's path and its line:col. */
typedef struct {
    json_doc doc;
    vt_err *err;
} loader;

/* A segment's targets come in the pooled model's order. */
#define POOLED_HERE "the pooled model's target at this place"

static vt_status no_memory(loader *ld)
{
    return vt_err_set(ld->err, VT_ENOMEM, ld->doc.file, 0, 0, "out of memory");
}

static vt_status copy_or_null(loader *ld, const char *text, char **out)
{
    if (text != NULL && (*out = vt_strdup(text)) == NULL)
        return no_memory(ld);
    return VT_OK;
}

/* A column name: a non-empty string (optional: or null). */
static vt_status get_column(loader *ld, const cJSON *object, const char *key, int optional, char **out)
{
    const char *name = NULL;
    vt_status status = optional ? json_opt_string(&ld->doc, object, key, &name, ld->err)
                                : json_get_string(&ld->doc, object, key, &name, ld->err);
    if (status != VT_OK)
        return status;
    if (name != NULL && name[0] == '\0')
        return json_expected(&ld->doc, object, key, ld->err, "a column name");
    return copy_or_null(ld, name, out);
}

static vt_status get_size(loader *ld, const cJSON *object, const char *key, size_t *out)
{
    long long value = 0;
    vt_status status = json_get_integer(&ld->doc, object, key, 0, (long long)1 << 53, &value, ld->err);
    *out = (size_t)value;
    return status;
}

static vt_status get_nonnegative(loader *ld, const cJSON *object, const char *key, double *out)
{
    vt_status status = json_get_number(&ld->doc, object, key, out, ld->err);
    if (status == VT_OK && *out < 0)
        return json_expected(&ld->doc, object, key, ld->err, "a number >= 0");
    return status;
}

/* text, read at object.key, must be want; why says where want comes from. */
static vt_status must_equal(loader *ld, const cJSON *object, const char *key, const char *text, const char *want,
                            const char *why)
{
    char what[160];
    if (strcmp(text, want) == 0)
        return VT_OK;
    snprintf(what, sizeof what, "\"%.60s\" (%s)", want, why);
    return json_expected(&ld->doc, object, key, ld->err, what);
}

static vt_status load_format(loader *ld, const cJSON *root, model *m)
{
    const cJSON *format = cJSON_GetObjectItemCaseSensitive(root, "format");
    if (!cJSON_IsString(format) || strcmp(format->valuestring, "vitals-model") != 0)
        return vt_err_set(ld->err, VT_EFORMAT, ld->doc.file, 0, 0,
                          "not a vitals model (no \"format\": \"vitals-model\")");
    double version = 0;
    vt_status status = json_get_number(&ld->doc, root, "format_version", &version, ld->err);
    if (status != VT_OK)
        return status;
    if (version > MODEL_FORMAT_VERSION)
        return vt_err_set(ld->err, VT_EFORMAT, ld->doc.file, 0, 0,
                          "model format version %g is newer than this vitals reads (%d); upgrade vitals",
                          version, MODEL_FORMAT_VERSION);
    long long whole = 0;
    if ((status = json_get_integer(&ld->doc, root, "format_version", 1, MODEL_FORMAT_VERSION, &whole, ld->err)) !=
            VT_OK ||
        (status = json_copy_string(&ld->doc, root, "tool_version", &m->tool_version, ld->err)) != VT_OK ||
        (status = json_copy_string(&ld->doc, root, "created_at", &m->created_at, ld->err)) != VT_OK)
        return status;
    m->format_version = (int)whole;
    return get_column(ld, root, "id_column", 1, &m->id_column);
}

/* The training data's fingerprint (path, rows, bytes, hash, rows used and
 * dropped), which report shows: optional, so a model written without it
 * still loads, but a field of the wrong type is an error.  A counter that
 * is absent reads as 0. */
static vt_status load_data(loader *ld, const cJSON *root, model *m)
{
    const cJSON *data = NULL;
    const char *path = NULL, *query = NULL, *hash = NULL;
    vt_status status = json_opt_object(&ld->doc, root, "data", &data, ld->err);
    if (status != VT_OK || data == NULL)
        return status;
    static const char *const keys[] = {"rows", "bytes", "rows_used", "rows_dropped_missing_feature",
                                       "rows_dropped_missing_label"};
    long long values[5] = {0};
    for (int i = 0; i < 5 && status == VT_OK; i++)
        if (cJSON_GetObjectItemCaseSensitive(data, keys[i]))
            status = json_get_integer(&ld->doc, data, keys[i], 0, 1LL << 53, &values[i], ld->err);
    if (status != VT_OK || (status = json_opt_string(&ld->doc, data, "path", &path, ld->err)) != VT_OK ||
        (status = json_opt_string(&ld->doc, data, "query", &query, ld->err)) != VT_OK ||
        (status = json_opt_string(&ld->doc, data, "fnv1a64", &hash, ld->err)) != VT_OK)
        return status;
    char *end = NULL;
    if (hash && (m->data_hash = strtoull(hash, &end, 16), *end != '\0' || *hash == '\0'))
        return json_expected(&ld->doc, data, "fnv1a64", ld->err, "a hexadecimal hash");
    if ((path && (m->data_path = vt_strdup(path)) == NULL) || (query && (m->data_query = vt_strdup(query)) == NULL))
        return no_memory(ld);
    m->data_rows = (uint64_t)values[0];
    m->data_bytes = (uint64_t)values[1];
    m->rows_used = (size_t)values[2];
    m->dropped_missing_feature = (size_t)values[3];
    m->dropped_missing_label = (size_t)values[4];
    return VT_OK;
}

/* The delimiter splits CSV rows: one byte, and not one CSV gives a meaning. */
static vt_status load_delimiter(loader *ld, const cJSON *options, model *m)
{
    const char *delimiter = NULL;
    vt_status status = json_get_string(&ld->doc, options, "delimiter", &delimiter, ld->err);
    if (status != VT_OK)
        return status;
    if (strlen(delimiter) != 1 || strchr("\"\r\n", delimiter[0]) != NULL)
        return json_expected(&ld->doc, options, "delimiter", ld->err, "one byte other than a quote or a line break");
    m->delimiter = delimiter[0];
    return VT_OK;
}

static vt_status load_na(loader *ld, const cJSON *options, model *m)
{
    const cJSON *na = cJSON_GetObjectItemCaseSensitive(options, "na");
    if (na == NULL || cJSON_IsNull(na))
        return VT_OK;
    vt_status status = json_get_array(&ld->doc, options, "na", 0, SIZE_MAX, &na, ld->err);
    if (status != VT_OK)
        return status;
    if ((m->na_tokens = vt_calloc((size_t)cJSON_GetArraySize(na), sizeof(char *))) == NULL)
        return no_memory(ld);
    const cJSON *token;
    cJSON_ArrayForEach(token, na) {
        if (!cJSON_IsString(token))
            return json_expected(&ld->doc, token, NULL, ld->err, "a string");
        if ((m->na_tokens[m->n_na_tokens++] = vt_strdup(token->valuestring)) == NULL)
            return no_memory(ld);
    }
    return VT_OK;
}

static vt_status load_options(loader *ld, const cJSON *root, model *m)
{
    const cJSON *options = NULL;
    vt_status status;
    if ((status = json_get_object(&ld->doc, root, "options", &options, ld->err)) != VT_OK ||
        (status = load_delimiter(ld, options, m)) != VT_OK ||
        (status = json_get_number(&ld->doc, options, "confidence", &m->confidence, ld->err)) != VT_OK)
        return status;
    /* The level of the stored intervals: 0 or 1 give infinite or NaN bounds. */
    if (!(m->confidence > 0 && m->confidence < 1))
        return json_expected(&ld->doc, options, "confidence", ld->err,
                             "a level strictly between 0 and 1 (0.95 for 95% intervals)");
    if ((status = json_opt_bool(&ld->doc, options, "firth", 0, &m->firth, ld->err)) != VT_OK ||
        (status = json_opt_bool(&ld->doc, options, "balance", 0, &m->balance, ld->err)) != VT_OK ||
        (status = json_opt_bool(&ld->doc, options, "l2_cv", 0, &m->l2_cv, ld->err)) != VT_OK ||
        (status = get_column(ld, options, "weight_column", 1, &m->weight_column)) != VT_OK)
        return status;
    return load_na(ld, options, m);
}

/* The bands' source; absent (files from before it was stored): absolute. */
static vt_status load_bands_source(loader *ld, const cJSON *bands, model_bands_source *source)
{
    const char *kind = NULL;
    vt_status status = json_opt_string(&ld->doc, bands, "source", &kind, ld->err);
    memset(source, 0, sizeof *source);
    if (status != VT_OK || kind == NULL || strcmp(kind, "absolute") == 0)
        return status;
    if (strcmp(kind, "shares") != 0)
        return json_expected(&ld->doc, bands, "source", ld->err, "\"shares\" or \"absolute\"");
    source->by_share = 1;
    const char *keys[] = {"red_share", "yellow_share", "fit_red_share", "fit_yellow_share"};
    double *values[] = {&source->asked[0], &source->asked[1], &source->reached[0], &source->reached[1]};
    for (int i = 0; i < 4; i++)
        if ((status = json_get_range(&ld->doc, bands, keys[i], 0, 1, values[i], ld->err)) != VT_OK)
            return status;
    if (!(source->asked[0] > 0 && source->asked[1] > 0 && source->asked[0] + source->asked[1] < 1))
        return json_fail(&ld->doc, bands, "red_share", ld->err,
                         "the red and yellow shares (%g, %g) must each be above 0 and sum below 1", source->asked[0],
                         source->asked[1]);
    return get_size(ld, bands, "fit_rows", &source->rows);
}

static vt_status load_bands(loader *ld, const cJSON *root, model *m)
{
    const cJSON *bands = NULL;
    vt_status status;
    if ((status = json_get_object(&ld->doc, root, "bands", &bands, ld->err)) != VT_OK ||
        (status = json_get_range(&ld->doc, bands, "red_below", 0, 100, &m->red_below, ld->err)) != VT_OK ||
        (status = json_get_range(&ld->doc, bands, "yellow_below", 0, 100, &m->yellow_below, ld->err)) != VT_OK)
        return status;
    if (m->red_below > m->yellow_below)
        return json_fail(&ld->doc, bands, "red_below", ld->err,
                         "%g is above yellow_below (%g): red must not exceed yellow", m->red_below, m->yellow_below);
    return load_bands_source(ld, bands, &m->bands_source);
}

/* Levels as the encoder expects them: byte-sorted and unique, levels[0]
 * the baseline. */
static vt_status load_levels(loader *ld, const cJSON *item, enc_feature *feature)
{
    const cJSON *levels = NULL, *level;
    vt_status status = json_get_array(&ld->doc, item, "levels", 1, SIZE_MAX, &levels, ld->err);
    if (status != VT_OK)
        return status;
    if ((feature->levels = vt_calloc((size_t)cJSON_GetArraySize(levels), sizeof(char *))) == NULL)
        return no_memory(ld);
    cJSON_ArrayForEach(level, levels) {
        if (!cJSON_IsString(level))
            return json_expected(&ld->doc, level, NULL, ld->err, "a string");
        if (feature->n_levels > 0 && strcmp(feature->levels[feature->n_levels - 1], level->valuestring) >= 0)
            return json_fail(&ld->doc, level, NULL, ld->err,
                             "levels must be unique and in byte order (\"%.40s\" follows \"%.40s\")",
                             level->valuestring, feature->levels[feature->n_levels - 1]);
        if ((feature->levels[feature->n_levels++] = vt_strdup(level->valuestring)) == NULL)
            return no_memory(ld);
    }
    const char *baseline = NULL;
    if ((status = json_opt_string(&ld->doc, item, "baseline", &baseline, ld->err)) != VT_OK)
        return status;
    return baseline ? must_equal(ld, item, "baseline", baseline, feature->levels[0], "the first level") : VT_OK;
}

/* A numeric feature's smooth basis (optional): knots, constraint and
 * scale, from which smooth_finish derives the rest. */
/* The stored fields of a cr basis (smooth_spec_to_json's) into spec,
 * zeroed; the caller finishes it. */
static vt_status load_cr_fields(loader *ld, const cJSON *smooth, long long max_k, smooth_spec *spec)
{
    const char *basis = NULL;
    long long k = 0;
    vt_status status;
    if ((status = json_get_string(&ld->doc, smooth, "basis", &basis, ld->err)) != VT_OK ||
        (status = must_equal(ld, smooth, "basis", basis, "cr", "the one basis vitals fits")) != VT_OK ||
        (status = json_get_integer(&ld->doc, smooth, "k", SMOOTH_MIN_K, max_k, &k, ld->err)) != VT_OK)
        return status;
    if ((spec->knots = vt_malloc((size_t)k * sizeof(double))) == NULL ||
        (spec->constraint = vt_malloc((size_t)k * sizeof(double))) == NULL)
        return no_memory(ld);
    spec->k = (size_t)k;
    if ((status = json_get_numbers(&ld->doc, smooth, "knots", spec->k, spec->knots, ld->err)) != VT_OK ||
        (status = json_get_numbers(&ld->doc, smooth, "constraint", spec->k, spec->constraint, ld->err)) != VT_OK ||
        (status = json_get_number(&ld->doc, smooth, "penalty_scale", &spec->penalty_scale, ld->err)) != VT_OK)
        return status;
    return VT_OK;
}

static vt_status load_smooth_spec(loader *ld, const cJSON *item, int format_version, enc_feature *feature)
{
    const cJSON *smooth = NULL;
    vt_status status = json_opt_object(&ld->doc, item, "smooth", &smooth, ld->err);
    if (status != VT_OK || smooth == NULL)
        return status;
    if (format_version < 2) /* a vitals that reads format 1 would score it as a straight line */
        return json_fail(&ld->doc, item, "smooth", ld->err, "smooth terms need format_version 2 or later");
    smooth_spec *spec = feature->smooth = vt_calloc(1, sizeof *spec);
    if (spec == NULL)
        return no_memory(ld);
    if ((status = load_cr_fields(ld, smooth, SMOOTH_MAX_K, spec)) != VT_OK)
        return status;
    vt_err why = {0};
    if (smooth_finish(spec, &why) != VT_OK)
        return why.code == VT_ENOMEM ? no_memory(ld) : json_fail(&ld->doc, item, "smooth", ld->err, "%s", why.msg);
    return VT_OK;
}

/* A ti pair's basis (tensor_to_json's fields), finished, into spec (zeroed;
 * the caller frees it on failure). */
static vt_status load_tensor(loader *ld, const cJSON *tensor, tensor_spec *spec)
{
    const cJSON *margins = NULL, *margin;
    vt_status status;
    if ((status = json_get_array(&ld->doc, tensor, "margins", 2, 2, &margins, ld->err)) != VT_OK ||
        (status = json_get_numbers(&ld->doc, tensor, "margin_norm", 2, spec->margin_norm, ld->err)) != VT_OK ||
        (status = json_get_numbers(&ld->doc, tensor, "penalty_scale", 2, spec->penalty_scale, ld->err)) != VT_OK)
        return status;
    int i = 0;
    cJSON_ArrayForEach(margin, margins) {
        if (!cJSON_IsObject(margin))
            return json_expected(&ld->doc, margin, NULL, ld->err, "an object (a margin's basis)");
        if ((status = load_cr_fields(ld, margin, TENSOR_MAX_K, &spec->margin[i++])) != VT_OK)
            return status;
    }
    vt_err why = {0};
    if (tensor_finish(spec, &why) != VT_OK)
        return why.code == VT_ENOMEM ? no_memory(ld) : json_fail(&ld->doc, tensor, NULL, ld->err, "%s", why.msg);
    return VT_OK;
}

static vt_status load_feature(loader *ld, const cJSON *item, const encoding *enc, int format_version,
                               enc_feature *feature)
{
    const char *type = NULL;
    vt_status status;
    if (!cJSON_IsObject(item))
        return json_expected(&ld->doc, item, NULL, ld->err, "an object (a feature)");
    if ((status = get_column(ld, item, "name", 0, &feature->name)) != VT_OK ||
        (status = json_get_bool(&ld->doc, item, "missing_term", &feature->missing_term, ld->err)) != VT_OK ||
        (status = json_get_string(&ld->doc, item, "type", &type, ld->err)) != VT_OK)
        return status;
    for (size_t f = 0; &enc->features[f] != feature; f++)
        if (strcmp(enc->features[f].name, feature->name) == 0)
            return json_fail(&ld->doc, item, "name", ld->err, "feature \"%.60s\" appears twice", feature->name);
    if (strcmp(type, "categorical") == 0) {
        feature->type = TYPE_CATEGORICAL;
        return load_levels(ld, item, feature);
    }
    if (strcmp(type, "numeric") != 0)
        return json_expected(&ld->doc, item, "type", ld->err, "\"numeric\" or \"categorical\"");
    feature->type = TYPE_NUMERIC;
    if ((status = json_get_number(&ld->doc, item, "mean", &feature->mean, ld->err)) != VT_OK ||
        (status = get_nonnegative(ld, item, "sd", &feature->sd)) != VT_OK ||
        (status = json_get_number(&ld->doc, item, "impute", &feature->impute, ld->err)) != VT_OK)
        return status;
    return load_smooth_spec(ld, item, format_version, feature);
}

/* A feature named by item, for an interaction. */
static vt_status pair_feature(loader *ld, const cJSON *columns, const cJSON *item, const encoding *enc, size_t *f)
{
    if (!cJSON_IsString(item))
        return json_expected(&ld->doc, columns, NULL, ld->err, "two column names");
    for (*f = 0; *f < enc->n_features; (*f)++)
        if (strcmp(enc->features[*f].name, item->valuestring) == 0)
            break;
    if (*f == enc->n_features)
        return json_fail(&ld->doc, columns, NULL, ld->err, "interaction of \"%.60s\", which is not a feature",
                         item->valuestring);
    return VT_OK;
}

/* The encoding's interactions (format 3), after its features. */
static vt_status load_pairs(loader *ld, const cJSON *enc_json, model *m)
{
    const cJSON *pairs = NULL, *item;
    vt_status status = VT_OK;
    if (cJSON_GetObjectItemCaseSensitive(enc_json, "interactions") == NULL)
        return VT_OK;
    if (m->format_version < 3) /* an older vitals would score the model without them */
        return json_fail(&ld->doc, enc_json, "interactions", ld->err, "interactions need format_version 3 or later");
    if ((status = json_get_array(&ld->doc, enc_json, "interactions", 1, SIZE_MAX, &pairs, ld->err)) != VT_OK)
        return status;
    cJSON_ArrayForEach(item, pairs) {
        const cJSON *columns = NULL;
        size_t a, b;
        if (!cJSON_IsObject(item))
            return json_expected(&ld->doc, item, NULL, ld->err, "an object (an interaction)");
        if ((status = json_get_array(&ld->doc, item, "columns", 2, 2, &columns, ld->err)) != VT_OK ||
            (status = pair_feature(ld, columns, cJSON_GetArrayItem(columns, 0), m->enc, &a)) != VT_OK ||
            (status = pair_feature(ld, columns, cJSON_GetArrayItem(columns, 1), m->enc, &b)) != VT_OK)
            return status;
        const cJSON *tensor = NULL;
        if ((status = json_opt_object(&ld->doc, item, "tensor", &tensor, ld->err)) != VT_OK)
            return status;
        vt_err why = {0};
        if (tensor) {
            tensor_spec spec = {0};
            if ((status = load_tensor(ld, tensor, &spec)) != VT_OK) {
                tensor_free(&spec);
                return status;
            }
            status = encoding_add_tensor(m->enc, a, b, &spec, &why);
        } else {
            status = encoding_add_pair(m->enc, a, b, &why);
        }
        if (status != VT_OK)
            return status == VT_ENOMEM ? no_memory(ld) : json_fail(&ld->doc, item, "columns", ld->err, "%s", why.msg);
    }
    return VT_OK;
}

static vt_status load_encoding(loader *ld, const cJSON *root, model *m)
{
    const cJSON *enc_json = NULL, *features = NULL, *options = cJSON_GetObjectItemCaseSensitive(root, "options");
    const char *missing = NULL;
    vt_status status;
    if ((status = json_get_object(&ld->doc, root, "encoding", &enc_json, ld->err)) != VT_OK ||
        (status = json_get_array(&ld->doc, enc_json, "features", 0, SIZE_MAX, &features, ld->err)) != VT_OK ||
        (status = json_get_string(&ld->doc, options, "missing", &missing, ld->err)) != VT_OK)
        return status;
    if ((m->enc = encoding_new()) == NULL ||
        (m->enc->features = vt_calloc((size_t)cJSON_GetArraySize(features), sizeof(enc_feature))) == NULL)
        return no_memory(ld);
    if (missing_policy_parse(missing, &m->enc->missing) != 0)
        return json_expected(&ld->doc, options, "missing", ld->err, "\"impute\", \"drop\" or \"error\"");
    const cJSON *item;
    cJSON_ArrayForEach(item, features) {
        if ((status = load_feature(ld, item, m->enc, m->format_version, &m->enc->features[m->enc->n_features++])) !=
            VT_OK)
            return status;
    }
    if (encoding_finish_terms(m->enc) != VT_OK)
        return no_memory(ld);
    if ((status = load_pairs(ld, enc_json, m)) != VT_OK)
        return status;
    if ((status = json_get_numbers(&ld->doc, enc_json, "term_means", m->enc->n_terms, m->enc->term_mean, ld->err)) !=
            VT_OK ||
        (status = json_get_numbers(&ld->doc, enc_json, "term_sds", m->enc->n_terms, m->enc->term_sd, ld->err)) != VT_OK)
        return status;
    const cJSON *sds = cJSON_GetObjectItemCaseSensitive(enc_json, "term_sds");
    for (size_t t = 0; t < m->enc->n_terms; t++)
        if (m->enc->term_sd[t] < 0)
            return json_expected(&ld->doc, cJSON_GetArrayItem(sds, (int)t), NULL, ld->err, "a number >= 0");
    return VT_OK;
}

static vt_status load_term(loader *ld, const cJSON *term, const char *expected, model_target *target, size_t t)
{
    const char *name = NULL;
    vt_status status;
    if (!cJSON_IsObject(term))
        return json_expected(&ld->doc, term, NULL, ld->err, "an object (a term)");
    if ((status = json_get_string(&ld->doc, term, "term", &name, ld->err)) != VT_OK ||
        (status = json_get_bool(&ld->doc, term, "aliased", &target->aliased[t], ld->err)) != VT_OK)
        return status;
    if ((status = must_equal(ld, term, "term", name, expected, "the encoding's term at this place")) != VT_OK)
        return status;
    if (target->aliased[t]) {
        const char *reason = NULL;
        target->estimate[t] = target->std_error[t] = target->z_value[t] = target->p_value[t] = NAN;
        if ((status = json_opt_string(&ld->doc, term, "reason", &reason, ld->err)) != VT_OK)
            return status;
        return copy_or_null(ld, reason ? reason : "aliased", &target->alias_reason[t]);
    }
    if ((status = json_get_number(&ld->doc, term, "estimate", &target->estimate[t], ld->err)) != VT_OK ||
        (status = get_nonnegative(ld, term, "std_error", &target->std_error[t])) != VT_OK ||
        (status = json_get_number(&ld->doc, term, "z", &target->z_value[t], ld->err)) != VT_OK)
        return status;
    return json_get_range(&ld->doc, term, "p", 0, 1, &target->p_value[t], ld->err);
}

static vt_status load_fit(loader *ld, const cJSON *item, model_target *target)
{
    const cJSON *fit = NULL;
    long long iterations = 0;
    vt_status status;
    if ((status = json_get_object(&ld->doc, item, "fit", &fit, ld->err)) != VT_OK ||
        (status = get_size(ld, fit, "n_obs", &target->n_obs)) != VT_OK ||
        (status = get_size(ld, fit, "n_events", &target->n_events)) != VT_OK ||
        (status = get_size(ld, fit, "rank", &target->rank)) != VT_OK ||
        (status = get_size(ld, fit, "df_residual", &target->df_residual)) != VT_OK ||
        (status = get_size(ld, fit, "df_null", &target->df_null)) != VT_OK ||
        (status = json_get_number(&ld->doc, fit, "deviance", &target->deviance, ld->err)) != VT_OK ||
        (status = json_get_number(&ld->doc, fit, "null_deviance", &target->null_deviance, ld->err)) != VT_OK ||
        (status = json_get_number(&ld->doc, fit, "log_likelihood", &target->log_likelihood, ld->err)) != VT_OK ||
        (status = json_get_number(&ld->doc, fit, "aic", &target->aic, ld->err)) != VT_OK ||
        (status = json_get_number(&ld->doc, fit, "bic", &target->bic, ld->err)) != VT_OK ||
        (status = json_get_integer(&ld->doc, fit, "iterations", 0, INT_MAX, &iterations, ld->err)) != VT_OK ||
        (status = json_get_bool(&ld->doc, fit, "converged", &target->converged, ld->err)) != VT_OK ||
        (status = get_size(ld, fit, "fitted_at_0_or_1", &target->n_boundary)) != VT_OK)
        return status;
    target->iterations = (int)iterations;
    return VT_OK;
}

/* A target's smooth fit: one entry per smooth feature, in feature order,
 * required when the encoding has smooths. */
static vt_status load_smooth_term(loader *ld, const cJSON *term, const encoding *enc, const enc_smooth_block *block,
                                  model_smooth_fit *fit, size_t i);

static vt_status load_smooth_fit(loader *ld, const cJSON *item, const encoding *enc, model_target *target)
{
    size_t n = encoding_smooth_blocks(enc, NULL);
    if (n == 0)
        return VT_OK;
    const cJSON *smooth = NULL, *terms = NULL, *term;
    long long outer = 0;
    vt_status status;
    if ((status = json_get_object(&ld->doc, item, "smooth", &smooth, ld->err)) != VT_OK ||
        (status = json_get_array(&ld->doc, smooth, "terms", n, n, &terms, ld->err)) != VT_OK)
        return status;
    model_smooth_fit *fit = target->smooth = model_smooth_fit_new(n);
    if (fit == NULL)
        return no_memory(ld);
    if ((status = json_get_number(&ld->doc, smooth, "reml", &fit->reml, ld->err)) != VT_OK ||
        (status = json_get_number(&ld->doc, smooth, "edf_total", &fit->edf_total, ld->err)) != VT_OK ||
        (status = json_get_integer(&ld->doc, smooth, "outer_iterations", 0, INT_MAX, &outer, ld->err)) != VT_OK ||
        (status = json_get_bool(&ld->doc, smooth, "outer_converged", &fit->outer_converged, ld->err)) != VT_OK)
        return status;
    fit->outer_iterations = (int)outer;
    enc_smooth_block *blocks = vt_calloc(n, sizeof *blocks);
    if (blocks == NULL)
        return no_memory(ld);
    encoding_smooth_blocks(enc, blocks);
    size_t i = 0;
    cJSON_ArrayForEach(term, terms) {
        if ((status = load_smooth_term(ld, term, enc, &blocks[i], fit, i)) != VT_OK)
            break;
        i++;
    }
    free(blocks);
    return status;
}

/* Smooth i of a target's fit, at block's place. */
static vt_status load_smooth_term(loader *ld, const cJSON *term, const encoding *enc, const enc_smooth_block *block,
                                  model_smooth_fit *fit, size_t i)
{
    vt_status status;
    const enc_feature *feature = &enc->features[block->feature];
    const char *column = NULL, *by = NULL, *level = NULL, *with = NULL;
    size_t q = block->n_terms;
    fit->feature[i] = block->feature;
    fit->level[i] = block->level;
    fit->tensor[i] = block->tensor ? block->pair : -1;
    fit->penalty[i] = block->penalty;
    if (!cJSON_IsObject(term))
        return json_expected(&ld->doc, term, NULL, ld->err, "an object (a smooth term)");
    if ((status = json_get_string(&ld->doc, term, "column", &column, ld->err)) != VT_OK ||
        (status = must_equal(ld, term, "column", column, feature->name, "the smooth feature at this place")) != VT_OK)
        return status;
    if (block->tensor) {
        const enc_feature *other = &enc->features[enc->pairs[block->pair].b];
        long long penalty = 0;
        if ((status = json_get_string(&ld->doc, term, "tensor_with", &with, ld->err)) != VT_OK ||
            (status = must_equal(ld, term, "tensor_with", with, other->name, "the ti pair's column at this place")) !=
                VT_OK ||
            (status = json_get_integer(&ld->doc, term, "penalty", block->penalty, block->penalty, &penalty, ld->err)) !=
                VT_OK)
            return status;
    }
    if (block->level >= 0) {
        const enc_feature *by_feature = &enc->features[enc->pairs[block->pair].b];
        if ((status = json_get_string(&ld->doc, term, "by", &by, ld->err)) != VT_OK ||
            (status = must_equal(ld, term, "by", by, by_feature->name, "the by column at this place")) != VT_OK ||
            (status = json_get_string(&ld->doc, term, "level", &level, ld->err)) != VT_OK ||
            (status = must_equal(ld, term, "level", level, by_feature->levels[block->level],
                                 "the by level at this place")) != VT_OK)
            return status;
    }
    if ((status = get_nonnegative(ld, term, "sp", &fit->sp[i])) != VT_OK ||
        (status = get_nonnegative(ld, term, "edf", &fit->edf[i])) != VT_OK ||
        (status = get_nonnegative(ld, term, "edf1", &fit->edf1[i])) != VT_OK ||
        (status = get_nonnegative(ld, term, "ref_df", &fit->ref_df[i])) != VT_OK ||
        (status = get_nonnegative(ld, term, "chi_sq", &fit->chi_sq[i])) != VT_OK ||
        (status = json_get_range(&ld->doc, term, "p_value", 0, 1, &fit->p_value[i], ld->err)) != VT_OK)
        return status;
    if ((fit->cov[i] = vt_malloc(q * q * sizeof(double))) == NULL)
        return no_memory(ld);
    if ((status = json_get_numbers(&ld->doc, term, "cov", q * q, fit->cov[i], ld->err)) != VT_OK)
        return status;
    return VT_OK;
}

/* A metric a file may hold as null (NaN: not defined for those rows), else
 * a number in [low, high]. */
static vt_status load_metric(loader *ld, const cJSON *item, const char *key, double low, double high, double *out)
{
    vt_status status = json_opt_number(&ld->doc, item, key, NAN, out, ld->err);
    if (status == VT_OK && !isnan(*out) && !(*out >= low && *out <= high))
        return json_fail(&ld->doc, item, key, ld->err, "%g is outside [%g, %g]", *out, low, high);
    return status;
}

static vt_status load_count(loader *ld, const cJSON *item, const char *key, size_t *out)
{
    long long count = 0;
    vt_status status = json_get_integer(&ld->doc, item, key, 0, 9007199254740992LL, &count, ld->err);
    *out = (size_t)count;
    return status;
}

/* One "metrics" object as validation_json writes it. */
static vt_status load_metrics(loader *ld, const cJSON *item, metrics *out, int *with_buckets)
{
    memset(out, 0, sizeof *out);
    const cJSON *deciles = NULL, *buckets = NULL, *bin;
    vt_status status;
    if (!cJSON_IsObject(item))
        return json_expected(&ld->doc, item, NULL, ld->err, "an object (validation metrics)");
    if ((status = load_count(ld, item, "rows", &out->n)) != VT_OK ||
        (status = load_metric(ld, item, "events", 0, (double)out->n, &out->events)) != VT_OK ||
        (status = load_metric(ld, item, "roc_auc", 0, 1, &out->roc_auc)) != VT_OK ||
        (status = load_metric(ld, item, "pr_auc", 0, 1, &out->average_precision)) != VT_OK ||
        (status = load_metric(ld, item, "log_loss", 0, INFINITY, &out->log_loss)) != VT_OK ||
        (status = load_metric(ld, item, "brier", 0, 1, &out->brier)) != VT_OK ||
        (status = load_metric(ld, item, "top_decile_capture", 0, 1, &out->top_decile_capture)) != VT_OK ||
        (status = load_metric(ld, item, "top_decile_lift", 0, INFINITY, &out->top_decile_lift)) != VT_OK ||
        (status = load_metric(ld, item, "hosmer_lemeshow", 0, INFINITY, &out->hosmer_lemeshow)) != VT_OK ||
        (status = load_metric(ld, item, "hosmer_lemeshow_df", 0, INFINITY, &out->hosmer_lemeshow_df)) != VT_OK ||
        (status = load_metric(ld, item, "hosmer_lemeshow_p", 0, 1, &out->hosmer_lemeshow_p)) != VT_OK ||
        (status = json_get_array(&ld->doc, item, "calibration_deciles", 0, METRICS_DECILES, &deciles, ld->err)) != VT_OK ||
        (status = json_opt_object(&ld->doc, item, "buckets", &buckets, ld->err)) != VT_OK)
        return status;
    cJSON_ArrayForEach(bin, deciles) {
        calibration_bin *to = &out->deciles[out->n_deciles++];
        if (!cJSON_IsObject(bin))
            return json_expected(&ld->doc, bin, NULL, ld->err, "an object (a calibration decile)");
        if ((status = load_metric(ld, bin, "mean_predicted", 0, 1, &to->mean_predicted)) != VT_OK ||
            (status = load_metric(ld, bin, "observed_rate", 0, 1, &to->observed_rate)) != VT_OK ||
            (status = load_count(ld, bin, "rows", &to->count)) != VT_OK)
            return status;
    }
    *with_buckets = buckets != NULL;
    static const char *const names[] = {"red", "yellow", "green"};
    for (int b = 0; buckets && b < 3; b++) {
        const cJSON *bucket = NULL;
        if ((status = json_get_object(&ld->doc, buckets, names[b], &bucket, ld->err)) != VT_OK ||
            (status = load_count(ld, bucket, "rows", &out->bucket_rows[b])) != VT_OK ||
            (status = load_metric(ld, bucket, "events", 0, (double)out->bucket_rows[b], &out->bucket_events[b])) != VT_OK)
            return status;
    }
    return VT_OK;
}

/* A validation block (validation_json's): *out is set only on success. */
static vt_status load_validation(loader *ld, const cJSON *item, model_validation **out)
{
    const cJSON *overall = NULL, *folds = NULL, *fold;
    const char *method = NULL;
    int with_buckets = 0, fold_buckets = 0;
    metrics whole;
    vt_status status;
    if (!cJSON_IsObject(item))
        return json_expected(&ld->doc, item, NULL, ld->err, "an object (validation)");
    if ((status = json_get_string(&ld->doc, item, "method", &method, ld->err)) != VT_OK ||
        (status = json_get_object(&ld->doc, item, "metrics", &overall, ld->err)) != VT_OK ||
        (status = load_metrics(ld, overall, &whole, &with_buckets)) != VT_OK)
        return status;
    if (cJSON_GetObjectItemCaseSensitive(item, "folds") != NULL &&
        (status = json_get_array(&ld->doc, item, "folds", 0, 1000, &folds, ld->err)) != VT_OK)
        return status;
    size_t n_folds = (size_t)cJSON_GetArraySize(folds);
    metrics *each = vt_calloc(n_folds ? n_folds : 1, sizeof *each);
    if (each == NULL)
        return no_memory(ld);
    size_t k = 0;
    cJSON_ArrayForEach(fold, folds) {
        if ((status = load_metrics(ld, fold, &each[k++], &fold_buckets)) != VT_OK) {
            free(each);
            return status;
        }
    }
    *out = model_validation_new(method, &whole, each, n_folds, with_buckets);
    free(each);
    return *out ? VT_OK : no_memory(ld);
}

/* A target's collinear groups: absent or null for none; else each names at
 * least two of the encoding's terms (not the intercept) in term order, no
 * term in two groups, none aliased, with a condition index >= 1, a size in
 * [0, 1e300] and an offset (absent: 0). */
static vt_status load_collinear(loader *ld, const cJSON *item, const encoding *enc, model_target *target)
{
    const cJSON *groups = cJSON_GetObjectItemCaseSensitive(item, "collinear"), *group, *name;
    if (groups == NULL || cJSON_IsNull(groups))
        return VT_OK;
    vt_status status = json_get_array(&ld->doc, item, "collinear", 1, enc->n_terms / 2, &groups, ld->err);
    if (status != VT_OK)
        return status;
    size_t n = (size_t)cJSON_GetArraySize(groups);
    unsigned char *seen = vt_calloc(enc->n_terms, 1);
    if (seen == NULL || (target->collinear = vt_calloc(n, sizeof *target->collinear)) == NULL) {
        free(seen);
        return no_memory(ld);
    }
    cJSON_ArrayForEach(group, groups) {
        model_collinear *out = &target->collinear[target->n_collinear++];
        const cJSON *terms = NULL;
        if (!cJSON_IsObject(group))
            status = json_expected(&ld->doc, group, NULL, ld->err, "an object (a group of collinear terms)");
        else if ((status = json_get_array(&ld->doc, group, "terms", 2, enc->n_terms - 1, &terms, ld->err)) == VT_OK &&
                 (out->terms = vt_calloc((size_t)cJSON_GetArraySize(terms), sizeof(size_t))) == NULL)
            status = no_memory(ld);
        cJSON_ArrayForEach(name, terms) {
            if (status != VT_OK)
                break;
            size_t t = 1;
            while (cJSON_IsString(name) && t < enc->n_terms && strcmp(enc->term_names[t], name->valuestring) != 0)
                t++;
            if (!cJSON_IsString(name) || t == enc->n_terms)
                status = json_expected(&ld->doc, name, NULL, ld->err, "the name of one of the encoding's terms");
            else if ((out->n_terms > 0 && t <= out->terms[out->n_terms - 1]) || seen[t])
                status = json_fail(&ld->doc, name, NULL, ld->err,
                                   "'%s' out of term order or in two groups", name->valuestring);
            else if (target->aliased[t])
                status = json_fail(&ld->doc, name, NULL, ld->err, "'%s' is aliased: it has no estimate to group",
                                   name->valuestring);
            else {
                seen[t] = 1;
                out->terms[out->n_terms++] = t;
            }
        }
        if (status == VT_OK && (status = json_get_number(&ld->doc, group, "condition_index", &out->condition_index,
                                                         ld->err)) == VT_OK &&
            !(out->condition_index >= 1))
            status = json_expected(&ld->doc, group, "condition_index", ld->err, "a condition index (>= 1)");
        if (status == VT_OK) /* bounded, so that sizes added up stay finite */
            status = json_get_range(&ld->doc, group, "standardised", 0, 1e300, &out->standardised, ld->err);
        if (status == VT_OK)
            status = json_opt_number(&ld->doc, group, "offset", 0, &out->offset, ld->err);
        if (status != VT_OK)
            break;
    }
    free(seen);
    return status;
}

/* A target of the pooled model (expected NULL: churn or expansion, named
 * once) or of a segment (expected: the pooled target's name at its place). */
static vt_status load_target(loader *ld, const cJSON *item, model *m, model_target *target, const char *expected)
{
    const cJSON *terms = NULL, *term, *validation = NULL;
    vt_status status;
    if (!cJSON_IsObject(item))
        return json_expected(&ld->doc, item, NULL, ld->err, "an object (a target)");
    if ((status = json_copy_string(&ld->doc, item, "name", &target->name, ld->err)) != VT_OK)
        return status;
    if (expected != NULL && (status = must_equal(ld, item, "name", target->name, expected, POOLED_HERE)) != VT_OK)
        return status;
    if (strcmp(target->name, "churn") != 0 && strcmp(target->name, "expansion") != 0)
        return json_expected(&ld->doc, item, "name", ld->err, "\"churn\" or \"expansion\"");
    for (const model_target *other = m->targets; expected == NULL && other < target; other++)
        if (strcmp(other->name, target->name) == 0)
            return json_fail(&ld->doc, item, "name", ld->err, "a second \"%s\" target", target->name);
    if ((status = get_column(ld, item, "label", 0, &target->label)) != VT_OK ||
        (status = json_get_array(&ld->doc, item, "terms", m->enc->n_terms, m->enc->n_terms, &terms, ld->err)) != VT_OK)
        return status;
    if (model_target_alloc(target, m->enc->n_terms) != VT_OK)
        return no_memory(ld);
    size_t t = 0;
    cJSON_ArrayForEach(term, terms) {
        if ((status = load_term(ld, term, m->enc->term_names[t], target, t)) != VT_OK)
            return status;
        t++;
    }
    if ((status = json_opt_number(&ld->doc, item, "l2", 0, &target->l2, ld->err)) != VT_OK ||
        (status = json_opt_object(&ld->doc, item, "validation", &validation, ld->err)) != VT_OK)
        return status;
    if (target->l2 < 0)
        return json_expected(&ld->doc, item, "l2", ld->err, "a ridge strength >= 0");
    if (validation != NULL && (status = load_validation(ld, validation, &target->validation)) != VT_OK)
        return status;
    if ((status = load_smooth_fit(ld, item, m->enc, target)) != VT_OK ||
        (status = load_collinear(ld, item, m->enc, target)) != VT_OK)
        return status;
    return load_fit(ld, item, target);
}

static vt_status load_targets(loader *ld, const cJSON *root, model *m)
{
    const cJSON *targets = NULL, *item;
    vt_status status = json_get_array(&ld->doc, root, "targets", 1, MODEL_MAX_TARGETS, &targets, ld->err);
    if (status != VT_OK)
        return status;
    cJSON_ArrayForEach(item, targets) {
        if ((status = load_target(ld, item, m, &m->targets[m->n_targets++], NULL)) != VT_OK)
            return status;
    }
    return VT_OK;
}

/* A segment's target that uses the pooled one: {"name", "fallback": "pooled", "reason"}. */
static vt_status load_fallback(loader *ld, const cJSON *item, const model *m, model_segment *segment, size_t t)
{
    const char *name = NULL, *fallback = NULL, *reason = NULL;
    vt_status status;
    if ((status = json_get_string(&ld->doc, item, "fallback", &fallback, ld->err)) != VT_OK ||
        (status = json_get_string(&ld->doc, item, "name", &name, ld->err)) != VT_OK ||
        (status = json_opt_string(&ld->doc, item, "reason", &reason, ld->err)) != VT_OK)
        return status;
    if (strcmp(fallback, "pooled") != 0)
        return json_expected(&ld->doc, item, "fallback", ld->err, "\"pooled\"");
    if ((status = must_equal(ld, item, "name", name, m->targets[t].name, POOLED_HERE)) != VT_OK)
        return status;
    segment->fallback[t] = 1;
    return copy_or_null(ld, reason ? reason : "", &segment->fallback_reason[t]);
}

static vt_status load_segment_validation(loader *ld, const cJSON *item, const model *m, model_segment *segment)
{
    const cJSON *validation = cJSON_GetObjectItemCaseSensitive(item, "validation"), *block;
    if (validation == NULL || cJSON_IsNull(validation))
        return VT_OK;
    vt_status status = json_get_array(&ld->doc, item, "validation", m->n_targets, m->n_targets, &validation, ld->err);
    if (status != VT_OK)
        return status;
    size_t t = 0;
    cJSON_ArrayForEach(block, validation) {
        if (!cJSON_IsNull(block) && !cJSON_IsObject(block))
            return json_expected(&ld->doc, block, NULL, ld->err, "an object or null");
        if (cJSON_IsObject(block) && (status = load_validation(ld, block, &segment->validation[t])) != VT_OK)
            return status;
        t++;
    }
    return VT_OK;
}

static vt_status load_segment(loader *ld, const cJSON *item, model *m, model_segment *segment)
{
    const cJSON *targets = NULL, *target;
    vt_status status;
    if (!cJSON_IsObject(item))
        return json_expected(&ld->doc, item, NULL, ld->err, "an object (a level)");
    if ((status = json_copy_string(&ld->doc, item, "level", &segment->level, ld->err)) != VT_OK ||
        (status = get_size(ld, item, "rows", &segment->n_rows)) != VT_OK)
        return status;
    for (const model_segment *other = m->segments; other < segment; other++)
        if (strcmp(other->level, segment->level) == 0)
            return json_fail(&ld->doc, item, "level", ld->err, "level \"%.60s\" appears twice", segment->level);
    if ((status = json_get_array(&ld->doc, item, "targets", m->n_targets, m->n_targets, &targets, ld->err)) != VT_OK ||
        (status = load_segment_validation(ld, item, m, segment)) != VT_OK)
        return status;
    size_t t = 0;
    cJSON_ArrayForEach(target, targets) {
        status = cJSON_GetObjectItemCaseSensitive(target, "fallback") != NULL
                     ? load_fallback(ld, target, m, segment, t)
                     : load_target(ld, target, m, &segment->targets[t], m->targets[t].name);
        if (status != VT_OK)
            return status;
        t++;
    }
    return VT_OK;
}

/* --by's routed and pooled metrics on the judged rows: optional (older
 * files have none); per target, in the targets' order. */
static vt_status load_routing(loader *ld, const cJSON *segments, model *m)
{
    const cJSON *routing = cJSON_GetObjectItemCaseSensitive(segments, "routing"), *item;
    if (routing == NULL || cJSON_IsNull(routing))
        return VT_OK;
    vt_status status = json_get_array(&ld->doc, segments, "routing", m->n_targets, m->n_targets, &routing, ld->err);
    size_t t = 0;
    cJSON_ArrayForEach(item, routing) {
        const char *target = NULL;
        if (status == VT_OK && !cJSON_IsObject(item))
            status = json_expected(&ld->doc, item, NULL, ld->err, "an object");
        if (status == VT_OK && (status = json_get_string(&ld->doc, item, "target", &target, ld->err)) == VT_OK)
            status = must_equal(ld, item, "target", target, m->targets[t].name, POOLED_HERE);
        const char *keys[] = {"routed", "pooled"};
        model_validation **outs[] = {&m->by_routed[t], &m->by_pooled[t]};
        for (int i = 0; status == VT_OK && i < 2; i++) {
            const cJSON *block = cJSON_GetObjectItemCaseSensitive(item, keys[i]);
            if (block == NULL || cJSON_IsNull(block))
                continue;
            status = cJSON_IsObject(block) ? load_validation(ld, block, outs[i])
                                           : json_expected(&ld->doc, block, NULL, ld->err, "an object or null");
        }
        t++;
    }
    return status;
}

static vt_status load_segments(loader *ld, const cJSON *root, model *m)
{
    const cJSON *segments = NULL, *levels = NULL, *item;
    vt_status status;
    if ((status = json_opt_object(&ld->doc, root, "segments", &segments, ld->err)) != VT_OK || segments == NULL)
        return status;
    if ((status = get_column(ld, segments, "by", 0, &m->by_column)) != VT_OK ||
        (status = json_get_array(&ld->doc, segments, "levels", 1, SIZE_MAX, &levels, ld->err)) != VT_OK)
        return status;
    if ((m->segments = vt_calloc((size_t)cJSON_GetArraySize(levels), sizeof(model_segment))) == NULL)
        return no_memory(ld);
    cJSON_ArrayForEach(item, levels) {
        if ((status = load_segment(ld, item, m, &m->segments[m->n_segments++])) != VT_OK)
            return status;
    }
    return load_routing(ld, segments, m);
}

static vt_status model_from_json(loader *ld, const cJSON *root, model *m)
{
    vt_status status;
    if ((status = load_format(ld, root, m)) != VT_OK || (status = load_data(ld, root, m)) != VT_OK ||
        (status = load_options(ld, root, m)) != VT_OK || (status = load_encoding(ld, root, m)) != VT_OK ||
        (status = load_targets(ld, root, m)) != VT_OK)
        return status;
    /* The bands cut health, which comes from the churn risk: an expansion
     * model alone (a propensity model) has none. */
    if ((model_has_health(m) || cJSON_GetObjectItemCaseSensitive(root, "bands")) &&
        (status = load_bands(ld, root, m)) != VT_OK)
        return status;
    if ((status = load_segments(ld, root, m)) != VT_OK)
        return status;
    return model_finish_drivers(m) == VT_OK ? VT_OK : no_memory(ld);
}

vt_status model_load(const char *path, model **out, vt_err *err)
{
    loader ld = {{0}, err};
    model *m = NULL;
    *out = NULL;
    vt_status status = json_doc_read(path, MODEL_MAX_BYTES, "vitals model", &ld.doc, err);
    if (status == VT_OK && (m = model_new()) == NULL)
        status = no_memory(&ld);
    if (status == VT_OK)
        status = model_from_json(&ld, ld.doc.root, m);
    json_doc_free(&ld.doc);
    if (status != VT_OK) {
        model_free(m);
        return status;
    }
    *out = m;
    return VT_OK;
}
