#include "model.h"

#include <cjson/cJSON.h>
#include <inttypes.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "inference.h"
#include "outfile.h"

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

static void target_free(model_target *target, size_t n_terms)
{
    free(target->name);
    free(target->label);
    free(target->estimate);
    free(target->std_error);
    free(target->z_value);
    free(target->p_value);
    free(target->aliased);
    cJSON_Delete(target->validation);
    cJSON_Delete(target->l2_curve);
    if (target->alias_reason)
        for (size_t t = 0; t < n_terms; t++)
            free(target->alias_reason[t]);
    free(target->alias_reason);
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
            cJSON_Delete(m->segments[s].validation[t]);
        }
        free(m->segments[s].level);
    }
    free(m->segments);
    free(m->by_column);
    for (size_t i = 0; i < m->n_na_tokens; i++)
        free(m->na_tokens[i]);
    free(m->na_tokens);
    encoding_free(m->enc);
    free(m->tool_version);
    free(m->created_at);
    free(m->data_path);
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

const model_target *model_find_target(const model *m, const char *name)
{
    for (size_t t = 0; t < m->n_targets; t++)
        if (strcmp(m->targets[t].name, name) == 0)
            return &m->targets[t];
    return NULL;
}

/* ------------------------------------------------------------------ save */

/* Shortest of %.15g, %.16g, %.17g that reads back as the same double.
 * cJSON's own printer accepts 15 digits when they come back within an
 * epsilon, which loses the last bit; a model must round-trip exactly. */
int json_add_exact(cJSON *object, const char *key, double value)
{
    char text[40];
    if (!isfinite(value)) {
        cJSON_AddNullToObject(object, key);
        return -1;
    }
    for (int digits = 15; digits <= 17; digits++) {
        snprintf(text, sizeof text, "%.*g", digits, value);
        if (strtod(text, NULL) == value)
            break;
    }
    return cJSON_AddRawToObject(object, key, text) ? 0 : -1;
}

static cJSON *encoding_to_json(const encoding *enc)
{
    cJSON *features = cJSON_CreateArray();
    for (size_t f = 0; features && f < enc->n_features; f++) {
        const enc_feature *feature = &enc->features[f];
        cJSON *item = cJSON_CreateObject();
        cJSON_AddItemToArray(features, item);
        cJSON_AddStringToObject(item, "name", feature->name);
        cJSON_AddStringToObject(item, "type", feature->type == TYPE_NUMERIC ? "numeric" : "categorical");
        if (feature->type == TYPE_NUMERIC) {
            json_add_exact(item, "mean", feature->mean);
            json_add_exact(item, "sd", feature->sd);
            json_add_exact(item, "impute", feature->impute);
        } else {
            cJSON *levels = cJSON_AddArrayToObject(item, "levels");
            for (size_t l = 0; levels && l < feature->n_levels; l++)
                cJSON_AddItemToArray(levels, cJSON_CreateString(feature->levels[l]));
            cJSON_AddStringToObject(item, "baseline", feature->levels[0]);
        }
        cJSON_AddBoolToObject(item, "missing_term", feature->missing_term);
        cJSON_AddNumberToObject(item, "imputed_in_training", (double)feature->n_imputed);
    }
    return features;
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
        cJSON *term = cJSON_CreateObject();
        cJSON_AddItemToArray(terms, term);
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
        cJSON_AddItemToObject(item, "validation", cJSON_Duplicate(target->validation, 1));
    bad |= json_add_exact(item, "l2", target->l2);
    if (target->l2_curve)
        cJSON_AddItemToObject(item, "l2_cross_validation", cJSON_Duplicate(target->l2_curve, 1));
    if (bad || fit == NULL) {
        cJSON_Delete(item);
        return NULL;
    }
    return item;
}

double json_number(const cJSON *object, const char *key)
{
    const cJSON *item = cJSON_GetObjectItemCaseSensitive(object, key);
    if (cJSON_IsRaw(item))
        return strtod(item->valuestring, NULL);
    return cJSON_IsNumber(item) ? item->valuedouble : NAN;
}

vt_status json_write_file(cJSON *root, const char *path, vt_err *err)
{
    char *text = root ? cJSON_Print(root) : NULL;
    cJSON_Delete(root);
    if (text == NULL)
        return vt_err_set(err, VT_ENOMEM, path, 0, 0, "out of memory");
    vt_status status = outfile_write_text(path, text, err);
    cJSON_free(text);
    return status;
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
        cJSON *item = cJSON_CreateObject();
        cJSON_AddItemToArray(levels, item);
        cJSON_AddStringToObject(item, "level", segment->level);
        cJSON_AddNumberToObject(item, "rows", (double)segment->n_rows);
        cJSON *targets = cJSON_AddArrayToObject(item, "targets");
        cJSON *validation = cJSON_AddArrayToObject(item, "validation");
        for (size_t t = 0; t < m->n_targets; t++)
            cJSON_AddItemToArray(validation, segment->validation[t] ? cJSON_Duplicate(segment->validation[t], 1)
                                                                    : cJSON_CreateNull());
        for (size_t t = 0; t < m->n_targets; t++) {
            if (segment->fallback[t]) {
                cJSON_AddItemToArray(targets, model_fallback_json(m, segment, t));
                continue;
            }
            cJSON *target = target_to_json(&segment->targets[t], m->enc, m->confidence);
            if (target == NULL)
                return -1;
            cJSON_AddItemToArray(targets, target);
        }
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
        cJSON_AddItemToArray(na, cJSON_CreateString(m->na_tokens[i]));
    if (m->id_column)
        cJSON_AddStringToObject(root, "id_column", m->id_column);
    else
        cJSON_AddNullToObject(root, "id_column");
    cJSON *encoding_json = cJSON_AddObjectToObject(root, "encoding");
    cJSON_AddItemToObject(encoding_json, "features", encoding_to_json(m->enc));
    const char *array_names[] = {"term_means", "term_sds"};
    const double *arrays[] = {m->enc->term_mean, m->enc->term_sd};
    for (int a = 0; a < 2; a++) {
        cJSON *values = cJSON_AddArrayToObject(encoding_json, array_names[a]);
        for (size_t t = 0; values && t < m->enc->n_terms; t++) {
            char text[40];
            snprintf(text, sizeof text, "%.17g", arrays[a][t]);
            cJSON_AddItemToArray(values, cJSON_CreateRaw(text));
        }
    }
    cJSON *bands = cJSON_AddObjectToObject(root, "bands");
    cJSON_AddStringToObject(bands, "health", "round(100 * (1 - churn_risk))");
    json_add_exact(bands, "red_below", m->red_below);
    json_add_exact(bands, "yellow_below", m->yellow_below);
    cJSON *targets = cJSON_AddArrayToObject(root, "targets");
    for (size_t t = 0; t < m->n_targets; t++) {
        cJSON *target = target_to_json(&m->targets[t], m->enc, m->confidence);
        if (target == NULL) {
            cJSON_Delete(root);
            return NULL;
        }
        cJSON_AddItemToArray(targets, target);
    }
    if (m->by_column && segments_to_json(m, root) != 0) {
        cJSON_Delete(root);
        return NULL;
    }
    return root;
}

vt_status model_save(const model *m, const char *path, vt_err *err)
{
    cJSON *root = model_to_json(m);
    if (root == NULL)
        return vt_err_set(err, VT_ENUMERIC, path, 0, 0,
                          "cannot write the model: out of memory or a non-finite estimate");
    return json_write_file(root, path, err);
}

/* ------------------------------------------------------------------ load */

typedef struct {
    const char *path;
    vt_err *err;
} loader;

static vt_status missing_field(loader *ld, const char *where, const char *key)
{
    return vt_err_set(ld->err, VT_EFORMAT, ld->path, 0, 0,
                      "not a valid vitals model: %s lacks '%s' or it has the wrong type", where, key);
}

static vt_status get_number(loader *ld, const cJSON *object, const char *where, const char *key, double *out)
{
    const cJSON *item = cJSON_GetObjectItemCaseSensitive(object, key);
    if (!cJSON_IsNumber(item) || !isfinite(item->valuedouble))
        return missing_field(ld, where, key);
    *out = item->valuedouble;
    return VT_OK;
}

static vt_status get_string(loader *ld, const cJSON *object, const char *where, const char *key, char **out)
{
    const cJSON *item = cJSON_GetObjectItemCaseSensitive(object, key);
    if (!cJSON_IsString(item))
        return missing_field(ld, where, key);
    *out = vt_strdup(item->valuestring);
    return *out ? VT_OK : vt_err_set(ld->err, VT_ENOMEM, ld->path, 0, 0, "out of memory");
}

static vt_status get_size(loader *ld, const cJSON *object, const char *where, const char *key, size_t *out)
{
    double value = 0;
    vt_status status = get_number(ld, object, where, key, &value);
    if (status == VT_OK && (value < 0 || value != floor(value)))
        return missing_field(ld, where, key);
    *out = (size_t)value;
    return status;
}

static vt_status read_text(const char *path, char **text, size_t *len, vt_err *err)
{
    FILE *stream = strcmp(path, "-") == 0 ? stdin : fopen(path, "rb");
    if (stream == NULL)
        return vt_err_set(err, VT_EIO, path, 0, 0, "cannot open the model");
    size_t cap = 1 << 16, used = 0;
    char *buffer = malloc(cap);
    while (buffer) {
        used += fread(buffer + used, 1, cap - used - 1, stream);
        if (used < cap - 1 || used >= MODEL_MAX_BYTES)
            break;
        char *bigger = realloc(buffer, cap * 2);
        if (bigger == NULL)
            free(buffer);
        buffer = bigger;
        cap *= 2;
    }
    int failed = ferror(stream);
    if (stream != stdin)
        fclose(stream);
    if (buffer == NULL)
        return vt_err_set(err, VT_ENOMEM, path, 0, 0, "out of memory");
    if (failed || used >= MODEL_MAX_BYTES) {
        free(buffer);
        return vt_err_set(err, VT_EIO, path, 0, 0, failed ? "read error" : "file too large for a model");
    }
    buffer[used] = '\0';
    *text = buffer;
    *len = used;
    return VT_OK;
}

static vt_status parse_error(loader *ld, const char *text, const char *end)
{
    long line = 1, col = 1;
    for (const char *p = text; end && p < end && *p; p++) {
        if (*p == '\n') {
            line++;
            col = 1;
        } else {
            col++;
        }
    }
    int at_end = end == NULL || *end == '\0' || end[1] == '\0';
    return vt_err_set(ld->err, VT_EFORMAT, ld->path, line, col,
                      at_end ? "not a valid model: the JSON ends early (truncated file?)"
                             : "not a valid model: malformed JSON");
}

static vt_status load_feature(loader *ld, const cJSON *item, enc_feature *feature)
{
    vt_status status;
    if ((status = get_string(ld, item, "encoding feature", "name", &feature->name)) != VT_OK)
        return status;
    const cJSON *type = cJSON_GetObjectItemCaseSensitive(item, "type");
    const cJSON *missing_term = cJSON_GetObjectItemCaseSensitive(item, "missing_term");
    if (!cJSON_IsBool(missing_term))
        return missing_field(ld, feature->name, "missing_term");
    feature->missing_term = cJSON_IsTrue(missing_term);
    if (cJSON_IsString(type) && strcmp(type->valuestring, "numeric") == 0) {
        feature->type = TYPE_NUMERIC;
        if ((status = get_number(ld, item, feature->name, "mean", &feature->mean)) != VT_OK ||
            (status = get_number(ld, item, feature->name, "sd", &feature->sd)) != VT_OK ||
            (status = get_number(ld, item, feature->name, "impute", &feature->impute)) != VT_OK)
            return status;
        return VT_OK;
    }
    if (!cJSON_IsString(type) || strcmp(type->valuestring, "categorical") != 0)
        return missing_field(ld, feature->name, "type");
    feature->type = TYPE_CATEGORICAL;
    const cJSON *levels = cJSON_GetObjectItemCaseSensitive(item, "levels");
    int n_levels = cJSON_GetArraySize(levels);
    if (!cJSON_IsArray(levels) || n_levels < 1)
        return missing_field(ld, feature->name, "levels");
    feature->levels = vt_calloc((size_t)n_levels, sizeof(char *));
    if (feature->levels == NULL)
        return vt_err_set(ld->err, VT_ENOMEM, ld->path, 0, 0, "out of memory");
    const cJSON *level;
    cJSON_ArrayForEach(level, levels) {
        if (!cJSON_IsString(level))
            return missing_field(ld, feature->name, "levels");
        if ((feature->levels[feature->n_levels++] = vt_strdup(level->valuestring)) == NULL)
            return vt_err_set(ld->err, VT_ENOMEM, ld->path, 0, 0, "out of memory");
    }
    return VT_OK;
}

static vt_status load_encoding(loader *ld, const cJSON *root, model *m)
{
    const cJSON *enc_json = cJSON_GetObjectItemCaseSensitive(root, "encoding");
    const cJSON *features = cJSON_GetObjectItemCaseSensitive(enc_json, "features");
    if (!cJSON_IsArray(features))
        return missing_field(ld, "the model", "encoding.features");
    m->enc = encoding_new();
    int n_features = cJSON_GetArraySize(features);
    if (m->enc == NULL || (m->enc->features = vt_calloc((size_t)n_features, sizeof(enc_feature))) == NULL)
        return vt_err_set(ld->err, VT_ENOMEM, ld->path, 0, 0, "out of memory");
    const cJSON *item;
    cJSON_ArrayForEach(item, features) {
        vt_status status = load_feature(ld, item, &m->enc->features[m->enc->n_features++]);
        if (status != VT_OK)
            return status;
    }
    const cJSON *options = cJSON_GetObjectItemCaseSensitive(root, "options");
    const cJSON *missing = cJSON_GetObjectItemCaseSensitive(options, "missing");
    if (!cJSON_IsString(missing) || missing_policy_parse(missing->valuestring, &m->enc->missing))
        return missing_field(ld, "options", "missing");
    if (encoding_finish_terms(m->enc) != VT_OK)
        return vt_err_set(ld->err, VT_ENOMEM, ld->path, 0, 0, "out of memory");
    const char *array_names[] = {"term_means", "term_sds"};
    double *arrays[] = {m->enc->term_mean, m->enc->term_sd};
    for (int a = 0; a < 2; a++) {
        const cJSON *values = cJSON_GetObjectItemCaseSensitive(enc_json, array_names[a]);
        if (!cJSON_IsArray(values) || (size_t)cJSON_GetArraySize(values) != m->enc->n_terms)
            return missing_field(ld, "encoding", array_names[a]);
        size_t t = 0;
        cJSON_ArrayForEach(item, values) {
            if (!cJSON_IsNumber(item) || !isfinite(item->valuedouble))
                return missing_field(ld, "encoding", array_names[a]);
            arrays[a][t++] = item->valuedouble;
        }
    }
    return VT_OK;
}

static vt_status load_term(loader *ld, const cJSON *term, const char *expected, model_target *target, size_t t)
{
    const cJSON *name = cJSON_GetObjectItemCaseSensitive(term, "term");
    if (!cJSON_IsString(name) || strcmp(name->valuestring, expected) != 0)
        return vt_err_set(ld->err, VT_EFORMAT, ld->path, 0, 0,
                          "not a valid model: target '%s' term %zu should be '%s'", target->name, t + 1, expected);
    const cJSON *aliased = cJSON_GetObjectItemCaseSensitive(term, "aliased");
    if (!cJSON_IsBool(aliased))
        return missing_field(ld, expected, "aliased");
    if (cJSON_IsTrue(aliased)) {
        target->aliased[t] = 1;
        target->estimate[t] = target->std_error[t] = target->z_value[t] = target->p_value[t] = NAN;
        const cJSON *reason = cJSON_GetObjectItemCaseSensitive(term, "reason");
        target->alias_reason[t] = vt_strdup(cJSON_IsString(reason) ? reason->valuestring : "aliased");
        return VT_OK;
    }
    char where[300];
    snprintf(where, sizeof where, "term '%s' of target '%s'", expected, target->name);
    vt_status status;
    if ((status = get_number(ld, term, where, "estimate", &target->estimate[t])) != VT_OK ||
        (status = get_number(ld, term, where, "std_error", &target->std_error[t])) != VT_OK ||
        (status = get_number(ld, term, where, "z", &target->z_value[t])) != VT_OK ||
        (status = get_number(ld, term, where, "p", &target->p_value[t])) != VT_OK)
        return status;
    return VT_OK;
}

static vt_status load_fit(loader *ld, const cJSON *fit, model_target *target)
{
    const char *where = "fit";
    double iterations = 0;
    vt_status status;
    if ((status = get_size(ld, fit, where, "n_obs", &target->n_obs)) != VT_OK ||
        (status = get_size(ld, fit, where, "n_events", &target->n_events)) != VT_OK ||
        (status = get_size(ld, fit, where, "rank", &target->rank)) != VT_OK ||
        (status = get_size(ld, fit, where, "df_residual", &target->df_residual)) != VT_OK ||
        (status = get_size(ld, fit, where, "df_null", &target->df_null)) != VT_OK ||
        (status = get_number(ld, fit, where, "deviance", &target->deviance)) != VT_OK ||
        (status = get_number(ld, fit, where, "null_deviance", &target->null_deviance)) != VT_OK ||
        (status = get_number(ld, fit, where, "log_likelihood", &target->log_likelihood)) != VT_OK ||
        (status = get_number(ld, fit, where, "aic", &target->aic)) != VT_OK ||
        (status = get_number(ld, fit, where, "bic", &target->bic)) != VT_OK ||
        (status = get_number(ld, fit, where, "iterations", &iterations)) != VT_OK ||
        (status = get_size(ld, fit, where, "fitted_at_0_or_1", &target->n_boundary)) != VT_OK)
        return status;
    const cJSON *converged = cJSON_GetObjectItemCaseSensitive(fit, "converged");
    if (!cJSON_IsBool(converged))
        return missing_field(ld, where, "converged");
    target->converged = cJSON_IsTrue(converged);
    target->iterations = (int)iterations;
    return VT_OK;
}

static vt_status load_target(loader *ld, const cJSON *item, model *m, model_target *target)
{
    vt_status status;
    if ((status = get_string(ld, item, "target", "name", &target->name)) != VT_OK ||
        (status = get_string(ld, item, "target", "label", &target->label)) != VT_OK)
        return status;
    if (model_target_alloc(target, m->enc->n_terms) != VT_OK)
        return vt_err_set(ld->err, VT_ENOMEM, ld->path, 0, 0, "out of memory");
    const cJSON *terms = cJSON_GetObjectItemCaseSensitive(item, "terms");
    if (!cJSON_IsArray(terms) || (size_t)cJSON_GetArraySize(terms) != m->enc->n_terms)
        return vt_err_set(ld->err, VT_EFORMAT, ld->path, 0, 0,
                          "not a valid model: target '%s' should have %zu terms", target->name, m->enc->n_terms);
    size_t t = 0;
    const cJSON *term;
    cJSON_ArrayForEach(term, terms) {
        if ((status = load_term(ld, term, m->enc->term_names[t], target, t)) != VT_OK)
            return status;
        t++;
    }
    const cJSON *l2 = cJSON_GetObjectItemCaseSensitive(item, "l2");
    target->l2 = cJSON_IsNumber(l2) ? l2->valuedouble : 0;
    const cJSON *validation = cJSON_GetObjectItemCaseSensitive(item, "validation");
    if (cJSON_IsObject(validation))
        target->validation = cJSON_Duplicate(validation, 1);
    return load_fit(ld, cJSON_GetObjectItemCaseSensitive(item, "fit"), target);
}

static vt_status load_header(loader *ld, const cJSON *root, model *m)
{
    const cJSON *format = cJSON_GetObjectItemCaseSensitive(root, "format");
    if (!cJSON_IsString(format) || strcmp(format->valuestring, "vitals-model") != 0)
        return vt_err_set(ld->err, VT_EFORMAT, ld->path, 0, 0, "not a vitals model (no \"format\": \"vitals-model\")");
    double version = 0;
    vt_status status = get_number(ld, root, "the model", "format_version", &version);
    if (status != VT_OK)
        return status;
    if (version > MODEL_FORMAT_VERSION)
        return vt_err_set(ld->err, VT_EFORMAT, ld->path, 0, 0,
                          "model format version %g is newer than this vitals reads (%d); upgrade vitals",
                          version, MODEL_FORMAT_VERSION);
    if (version < 1 || version != floor(version))
        return missing_field(ld, "the model", "format_version");
    m->format_version = (int)version;
    const cJSON *bands = cJSON_GetObjectItemCaseSensitive(root, "bands");
    if ((status = get_string(ld, root, "the model", "tool_version", &m->tool_version)) != VT_OK ||
        (status = get_string(ld, root, "the model", "created_at", &m->created_at)) != VT_OK ||
        (status = get_number(ld, bands, "bands", "red_below", &m->red_below)) != VT_OK ||
        (status = get_number(ld, bands, "bands", "yellow_below", &m->yellow_below)) != VT_OK)
        return status;
    const cJSON *id = cJSON_GetObjectItemCaseSensitive(root, "id_column");
    if (cJSON_IsString(id) && (m->id_column = vt_strdup(id->valuestring)) == NULL)
        return vt_err_set(ld->err, VT_ENOMEM, ld->path, 0, 0, "out of memory");
    const cJSON *options = cJSON_GetObjectItemCaseSensitive(root, "options");
    const cJSON *delimiter = cJSON_GetObjectItemCaseSensitive(options, "delimiter");
    if (!cJSON_IsString(delimiter) || strlen(delimiter->valuestring) != 1)
        return missing_field(ld, "options", "delimiter");
    m->delimiter = delimiter->valuestring[0];
    m->firth = cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(options, "firth"));
    m->balance = cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(options, "balance"));
    const cJSON *weight = cJSON_GetObjectItemCaseSensitive(options, "weight_column");
    if (cJSON_IsString(weight) && (m->weight_column = vt_strdup(weight->valuestring)) == NULL)
        return vt_err_set(ld->err, VT_ENOMEM, ld->path, 0, 0, "out of memory");
    vt_status confidence = get_number(ld, options, "options", "confidence", &m->confidence);
    if (confidence != VT_OK)
        return confidence;
    const cJSON *na = cJSON_GetObjectItemCaseSensitive(options, "na");
    int n_na = cJSON_IsArray(na) ? cJSON_GetArraySize(na) : 0;
    m->na_tokens = vt_calloc((size_t)n_na, sizeof(char *));
    if (m->na_tokens == NULL)
        return vt_err_set(ld->err, VT_ENOMEM, ld->path, 0, 0, "out of memory");
    const cJSON *token;
    cJSON_ArrayForEach(token, na) {
        if (!cJSON_IsString(token))
            return missing_field(ld, "options", "na");
        if ((m->na_tokens[m->n_na_tokens++] = vt_strdup(token->valuestring)) == NULL)
            return vt_err_set(ld->err, VT_ENOMEM, ld->path, 0, 0, "out of memory");
    }
    return VT_OK;
}

static vt_status load_segments(loader *ld, const cJSON *root, model *m)
{
    const cJSON *segments = cJSON_GetObjectItemCaseSensitive(root, "segments");
    if (segments == NULL || cJSON_IsNull(segments))
        return VT_OK;
    vt_status status = get_string(ld, segments, "segments", "by", &m->by_column);
    const cJSON *levels = cJSON_GetObjectItemCaseSensitive(segments, "levels");
    if (status != VT_OK)
        return status;
    if (!cJSON_IsArray(levels) || cJSON_GetArraySize(levels) < 1)
        return missing_field(ld, "segments", "levels");
    m->segments = vt_calloc((size_t)cJSON_GetArraySize(levels), sizeof(model_segment));
    if (m->segments == NULL)
        return vt_err_set(ld->err, VT_ENOMEM, ld->path, 0, 0, "out of memory");
    const cJSON *item;
    cJSON_ArrayForEach(item, levels) {
        model_segment *segment = &m->segments[m->n_segments++];
        size_t rows = 0;
        if ((status = get_string(ld, item, "segment", "level", &segment->level)) != VT_OK ||
            (status = get_size(ld, item, "segment", "rows", &rows)) != VT_OK)
            return status;
        segment->n_rows = rows;
        const cJSON *targets = cJSON_GetObjectItemCaseSensitive(item, "targets");
        if (!cJSON_IsArray(targets) || (size_t)cJSON_GetArraySize(targets) != m->n_targets)
            return missing_field(ld, segment->level, "targets");
        const cJSON *validation = cJSON_GetObjectItemCaseSensitive(item, "validation");
        for (size_t v = 0; cJSON_IsArray(validation) && v < m->n_targets; v++) {
            const cJSON *metrics = cJSON_GetArrayItem(validation, (int)v);
            if (cJSON_IsObject(metrics))
                segment->validation[v] = cJSON_Duplicate(metrics, 1);
        }
        size_t t = 0;
        const cJSON *target;
        cJSON_ArrayForEach(target, targets) {
            if (cJSON_IsString(cJSON_GetObjectItemCaseSensitive(target, "fallback"))) {
                segment->fallback[t] = 1;
                const cJSON *reason = cJSON_GetObjectItemCaseSensitive(target, "reason");
                segment->fallback_reason[t] = vt_strdup(cJSON_IsString(reason) ? reason->valuestring : "");
            } else if ((status = load_target(ld, target, m, &segment->targets[t])) != VT_OK) {
                return status;
            }
            t++;
        }
    }
    return VT_OK;
}

static vt_status model_from_json(loader *ld, const cJSON *root, model *m)
{
    vt_status status;
    if ((status = load_header(ld, root, m)) != VT_OK || (status = load_encoding(ld, root, m)) != VT_OK)
        return status;
    const cJSON *targets = cJSON_GetObjectItemCaseSensitive(root, "targets");
    int n_targets = cJSON_GetArraySize(targets);
    if (!cJSON_IsArray(targets) || n_targets < 1 || n_targets > MODEL_MAX_TARGETS)
        return missing_field(ld, "the model", "targets");
    const cJSON *item;
    cJSON_ArrayForEach(item, targets) {
        if ((status = load_target(ld, item, m, &m->targets[m->n_targets++])) != VT_OK)
            return status;
    }
    if (model_find_target(m, "churn") == NULL)
        return vt_err_set(ld->err, VT_EFORMAT, ld->path, 0, 0, "not a valid model: no 'churn' target");
    return load_segments(ld, root, m);
}

vt_status model_load(const char *path, model **out, vt_err *err)
{
    *out = NULL;
    char *text = NULL;
    size_t len = 0;
    vt_status status = read_text(path, &text, &len, err);
    if (status != VT_OK)
        return status;
    loader ld = {strcmp(path, "-") == 0 ? "<stdin>" : path, err};
    const char *end = NULL;
    cJSON *root = cJSON_ParseWithLengthOpts(text, len + 1, &end, 1);
    if (root == NULL) {
        status = len == 0 ? vt_err_set(err, VT_EFORMAT, ld.path, 0, 0, "empty model file")
                          : parse_error(&ld, text, end);
        free(text);
        return status;
    }
    model *m = model_new();
    if (m == NULL)
        status = vt_err_set(err, VT_ENOMEM, path, 0, 0, "out of memory");
    else
        status = model_from_json(&ld, root, m);
    cJSON_Delete(root);
    free(text);
    if (status != VT_OK) {
        model_free(m);
        return status;
    }
    *out = m;
    return VT_OK;
}
