#include "encode.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "numparse.h"

const char *missing_policy_name(missing_policy policy)
{
    switch (policy) {
    case MISSING_IMPUTE: return "impute";
    case MISSING_DROP: return "drop";
    case MISSING_ERROR: return "error";
    }
    return "impute";
}

int missing_policy_parse(const char *text, missing_policy *policy)
{
    if (strcmp(text, "impute") == 0)
        *policy = MISSING_IMPUTE;
    else if (strcmp(text, "drop") == 0)
        *policy = MISSING_DROP;
    else if (strcmp(text, "error") == 0)
        *policy = MISSING_ERROR;
    else
        return -1;
    return 0;
}

encoding *encoding_new(void)
{
    return vt_calloc(1, sizeof(encoding));
}

void encoding_free(encoding *enc)
{
    if (enc == NULL)
        return;
    for (size_t f = 0; f < enc->n_features; f++) {
        free(enc->features[f].name);
        for (size_t l = 0; l < enc->features[f].n_levels; l++)
            free(enc->features[f].levels[l]);
        free(enc->features[f].levels);
        smooth_free(enc->features[f].smooth);
        free(enc->features[f].smooth);
    }
    free(enc->features);
    for (size_t p = 0; p < enc->n_pairs; p++) {
        free(enc->pairs[p].name);
        free(enc->pairs[p].left);
        free(enc->pairs[p].right);
        tensor_free(enc->pairs[p].tensor);
        free(enc->pairs[p].tensor);
    }
    free(enc->pairs);
    for (size_t t = 0; t < enc->n_terms; t++)
        free(enc->term_names[t]);
    free(enc->term_names);
    free(enc->term_feature);
    free(enc->term_effect);
    free(enc->term_mean);
    free(enc->term_sd);
    free(enc);
}

static char *join_name(const char *column, const char *suffix)
{
    size_t len = strlen(column) + strlen(suffix) + 1;
    char *name = vt_malloc(len);
    if (name)
        snprintf(name, len, "%s%s", column, suffix);
    return name;
}

static char *smooth_term_name(const char *column, size_t j)
{
    text name = {0};
    text_printf(&name, "s(%s).%zu", column, j);
    return text_finish(&name);
}

/* The main-effect terms a pair's terms multiply: a numeric feature's one
 * term, or a categorical one's level terms (not COL_missing). */
static size_t pair_side_terms(const enc_feature *feature)
{
    return feature->type == TYPE_NUMERIC ? 1 : feature->n_levels - 1;
}

static size_t pair_n_terms(const encoding *enc, const enc_pair *pair)
{
    const enc_feature *a = &enc->features[pair->a], *b = &enc->features[pair->b];
    if (pair->tensor)
        return pair->tensor->n;
    return pair->by_smooth ? b->n_levels * (a->smooth->k - 1) : pair_side_terms(a) * pair_side_terms(b);
}

/* A pair's terms, their factors and names (R's: the two terms' names
 * joined by ':', the first side varying fastest; a by_smooth pair's,
 * mgcv's s(A):Bl.j). */
static vt_status pair_finish_terms(encoding *enc, enc_pair *pair)
{
    const enc_feature *a = &enc->features[pair->a], *b = &enc->features[pair->b];
    size_t n_a = pair_side_terms(a), n_b = pair_side_terms(b), effect = enc->n_features + (size_t)(pair - enc->pairs);
    if (pair->tensor) {
        for (size_t j = 0; j < pair->n_terms; j++) {
            size_t t = pair->first_term + j;
            text name = {0};
            text_printf(&name, "ti(%s,%s).%zu", a->name, b->name, j + 1);
            if ((enc->term_names[t] = text_finish(&name)) == NULL)
                return VT_ENOMEM;
            enc->term_feature[t] = -1;
            enc->term_effect[t] = (long)effect;
        }
        return VT_OK;
    }
    if (pair->by_smooth) {
        size_t q = a->smooth->k - 1;
        for (size_t l = 0; l < b->n_levels; l++)
            for (size_t j = 0; j < q; j++) {
                size_t t = pair->first_term + l * q + j;
                text name = {0};
                text_printf(&name, "s(%s):%s%s.%zu", a->name, b->name, b->levels[l], j + 1);
                if ((enc->term_names[t] = text_finish(&name)) == NULL)
                    return VT_ENOMEM;
                enc->term_feature[t] = (long)pair->a; /* a basis column of A's curve */
                enc->term_effect[t] = (long)effect;
            }
        return VT_OK;
    }
    free(pair->left);
    free(pair->right);
    pair->left = vt_calloc(pair->n_terms ? pair->n_terms : 1, sizeof(size_t));
    pair->right = vt_calloc(pair->n_terms ? pair->n_terms : 1, sizeof(size_t));
    if (pair->left == NULL || pair->right == NULL)
        return VT_ENOMEM;
    for (size_t j = 0; j < n_b; j++)
        for (size_t i = 0; i < n_a; i++) {
            size_t t = pair->first_term + j * n_a + i;
            pair->left[t - pair->first_term] = a->first_term + i;
            pair->right[t - pair->first_term] = b->first_term + j;
            text name = {0};
            text_printf(&name, "%s:%s", enc->term_names[a->first_term + i], enc->term_names[b->first_term + j]);
            if ((enc->term_names[t] = text_finish(&name)) == NULL)
                return VT_ENOMEM;
            enc->term_feature[t] = -1;
            enc->term_effect[t] = (long)effect;
        }
    return VT_OK;
}

vt_status encoding_finish_terms(encoding *enc)
{
    size_t n_terms = 1;
    int n_slots = 0;
    for (size_t f = 0; f < enc->n_features; f++)
        enc->features[f].value_slot = -1;
    for (size_t p = 0; p < enc->n_pairs; p++)
        for (int side = 0; enc->pairs[p].tensor && side < 2; side++) {
            enc_feature *feature = &enc->features[side ? enc->pairs[p].b : enc->pairs[p].a];
            if (feature->value_slot < 0)
                feature->value_slot = n_slots++; /* at most ENC_MAX_SLOTS: encoding_add_tensor */
        }
    for (size_t f = 0; f < enc->n_features; f++) {
        enc_feature *feature = &enc->features[f];
        feature->first_term = n_terms;
        feature->n_terms = (feature->type == TYPE_NUMERIC
                                ? (feature->smooth_by ? 0 : feature->smooth ? feature->smooth->k - 1 : 1)
                                : feature->n_levels - 1) +
                           (feature->missing_term ? 1 : 0);
        n_terms += feature->n_terms;
    }
    for (size_t p = 0; p < enc->n_pairs; p++) {
        enc_pair *pair = &enc->pairs[p];
        pair->first_term = n_terms;
        pair->n_terms = pair_n_terms(enc, pair);
        n_terms += pair->n_terms;
        if (pair->by_smooth) {
            enc->features[pair->a].by_first_term = pair->first_term;
            enc->features[pair->a].by_levels = enc->features[pair->b].n_levels;
        }
    }
    for (size_t t = 0; enc->term_names && t < enc->n_terms; t++)
        free(enc->term_names[t]);
    free(enc->term_names);
    free(enc->term_feature);
    free(enc->term_effect);
    free(enc->term_mean);
    free(enc->term_sd);
    enc->n_terms = 0; /* until the new arrays exist */
    enc->term_names = vt_calloc(n_terms, sizeof(char *));
    enc->term_feature = vt_calloc(n_terms, sizeof(long));
    enc->term_effect = vt_calloc(n_terms, sizeof(long));
    enc->term_mean = vt_calloc(n_terms, sizeof(double));
    enc->term_sd = vt_calloc(n_terms, sizeof(double));
    if (!enc->term_names || !enc->term_feature || !enc->term_effect || !enc->term_mean || !enc->term_sd)
        return VT_ENOMEM;
    enc->n_terms = n_terms;
    enc->term_names[0] = vt_strdup("(Intercept)");
    enc->term_feature[0] = -1;
    enc->term_effect[0] = -1;
    if (enc->term_names[0] == NULL)
        return VT_ENOMEM;
    for (size_t f = 0; f < enc->n_features; f++) {
        enc_feature *feature = &enc->features[f];
        size_t term = feature->first_term;
        if (feature->type == TYPE_NUMERIC && feature->smooth_by)
            ; /* its curves are its pair's */
        else if (feature->type == TYPE_NUMERIC && feature->smooth)
            for (size_t j = 1; j < feature->smooth->k; j++)
                enc->term_names[term++] = smooth_term_name(feature->name, j);
        else if (feature->type == TYPE_NUMERIC)
            enc->term_names[term++] = vt_strdup(feature->name);
        else
            for (size_t l = 1; l < feature->n_levels; l++)
                enc->term_names[term++] = join_name(feature->name, feature->levels[l]);
        if (feature->missing_term)
            enc->term_names[term++] = join_name(feature->name, "_missing");
        for (size_t t = feature->first_term; t < term; t++) {
            if (enc->term_names[t] == NULL)
                return VT_ENOMEM;
            enc->term_feature[t] = (long)f;
            enc->term_effect[t] = (long)f;
        }
    }
    for (size_t p = 0; p < enc->n_pairs; p++)
        if (pair_finish_terms(enc, &enc->pairs[p]) != VT_OK)
            return VT_ENOMEM;
    return VT_OK;
}

vt_status encoding_drop_last_pair(encoding *enc)
{
    if (enc->n_pairs == 0)
        return VT_OK;
    enc_pair *pair = &enc->pairs[--enc->n_pairs];
    if (pair->by_smooth) {
        enc_feature *feature = &enc->features[pair->a];
        feature->smooth_by = 0;
        feature->by_first_term = feature->by_levels = 0;
    }
    tensor_free(pair->tensor);
    free(pair->tensor);
    free(pair->name);
    free(pair->left);
    free(pair->right);
    memset(pair, 0, sizeof *pair);
    return encoding_finish_terms(enc);
}

size_t encoding_n_effects(const encoding *enc)
{
    return enc->n_features + enc->n_pairs;
}

const char *encoding_effect_name(const encoding *enc, size_t effect)
{
    return effect < enc->n_features ? enc->features[effect].name : enc->pairs[effect - enc->n_features].name;
}

vt_status encoding_add_pair(encoding *enc, size_t a, size_t b, vt_err *err)
{
    char name_a[VT_QUOTE_SIZE], name_b[VT_QUOTE_SIZE];
    const enc_feature *fa = &enc->features[a], *fb = &enc->features[b];
    vt_quote(name_a, sizeof name_a, fa->name, strlen(fa->name));
    vt_quote(name_b, sizeof name_b, fb->name, strlen(fb->name));
    if (a == b)
        return vt_err_set(err, VT_EUSAGE, NULL, 0, 0, "'%s' is paired with itself", name_a);
    for (size_t p = 0; p < enc->n_pairs; p++)
        if ((enc->pairs[p].a == a && enc->pairs[p].b == b) || (enc->pairs[p].a == b && enc->pairs[p].b == a))
            return vt_err_set(err, VT_EUSAGE, NULL, 0, 0, "'%s' and '%s' are paired twice", name_a, name_b);
    int by_smooth = (fa->smooth && fb->type == TYPE_CATEGORICAL) || (fb->smooth && fa->type == TYPE_CATEGORICAL);
    if ((fa->smooth || fb->smooth) && !by_smooth)
        return vt_err_set(err, VT_EUSAGE, NULL, 0, 0,
                          "'%s' is a smooth term and '%s' is not: two numeric columns pair as a product when "
                          "both are linear, as a tensor ti() when both are smooth",
                          fa->smooth ? name_a : name_b, fa->smooth ? name_b : name_a);
    if (by_smooth && (fa->smooth ? fa : fb)->smooth_by)
        return vt_err_set(err, VT_EUSAGE, NULL, 0, 0,
                          "smooth column '%s' already has a curve per level of another column",
                          fa->smooth ? name_a : name_b);
    if (by_smooth && fb->smooth) { /* the smooth one first */
        size_t swap = a;
        a = b;
        b = swap;
        fa = &enc->features[a];
        fb = &enc->features[b];
    }
    enc_pair *pairs = vt_realloc(enc->pairs, (enc->n_pairs + 1) * sizeof *pairs);
    if (pairs == NULL)
        return vt_err_set(err, VT_ENOMEM, NULL, 0, 0, "out of memory");
    enc->pairs = pairs;
    enc_pair *pair = &pairs[enc->n_pairs];
    memset(pair, 0, sizeof *pair);
    pair->a = a;
    pair->b = b;
    pair->by_smooth = by_smooth;
    if (by_smooth)
        enc->features[a].smooth_by = 1;
    text name = {0};
    text_printf(&name, "%s x %s", fa->name, fb->name);
    if ((pair->name = text_finish(&name)) == NULL)
        return vt_err_set(err, VT_ENOMEM, NULL, 0, 0, "out of memory");
    enc->n_pairs++;
    if (encoding_finish_terms(enc) != VT_OK)
        return vt_err_set(err, VT_ENOMEM, NULL, 0, 0, "out of memory");
    return VT_OK;
}

vt_status encoding_add_tensor(encoding *enc, size_t a, size_t b, tensor_spec *spec, vt_err *err)
{
    char name_a[VT_QUOTE_SIZE], name_b[VT_QUOTE_SIZE];
    const enc_feature *fa = &enc->features[a], *fb = &enc->features[b];
    vt_quote(name_a, sizeof name_a, fa->name, strlen(fa->name));
    vt_quote(name_b, sizeof name_b, fb->name, strlen(fb->name));
    size_t n_tensors = 0;
    vt_status status = VT_OK;
    for (size_t p = 0; p < enc->n_pairs; p++) {
        n_tensors += enc->pairs[p].tensor != NULL;
        if ((enc->pairs[p].a == a && enc->pairs[p].b == b) || (enc->pairs[p].a == b && enc->pairs[p].b == a))
            status = vt_err_set(err, VT_EUSAGE, NULL, 0, 0, "'%s' and '%s' are paired twice", name_a, name_b);
    }
    if (status != VT_OK)
        ;
    else if (a == b)
        status = vt_err_set(err, VT_EUSAGE, NULL, 0, 0, "'%s' is paired with itself", name_a);
    else if (fa->smooth == NULL || fb->smooth == NULL)
        status = vt_err_set(err, VT_EUSAGE, NULL, 0, 0, "a tensor ti() pairs two smooth terms; '%s' is not one",
                            fa->smooth == NULL ? name_a : name_b);
    else if (n_tensors >= ENC_MAX_TENSORS)
        status = vt_err_set(err, VT_EUSAGE, NULL, 0, 0, "'%s' and '%s': a model has at most %d tensor pairs", name_a,
                            name_b, ENC_MAX_TENSORS);
    enc_pair *pairs = status == VT_OK ? vt_realloc(enc->pairs, (enc->n_pairs + 1) * sizeof *pairs) : NULL;
    tensor_spec *owned = status == VT_OK ? vt_malloc(sizeof *owned) : NULL;
    if (status == VT_OK && (pairs == NULL || owned == NULL))
        status = vt_err_set(err, VT_ENOMEM, NULL, 0, 0, "out of memory");
    if (pairs)
        enc->pairs = pairs;
    if (status != VT_OK) {
        free(owned);
        tensor_free(spec);
        return status;
    }
    *owned = *spec;
    memset(spec, 0, sizeof *spec);
    enc_pair *pair = &pairs[enc->n_pairs];
    memset(pair, 0, sizeof *pair);
    pair->a = a;
    pair->b = b;
    pair->tensor = owned;
    text name = {0};
    text_printf(&name, "%s x %s", fa->name, fb->name);
    enc->n_pairs++; /* encoding_free frees the pair from here on */
    if ((pair->name = text_finish(&name)) == NULL || encoding_finish_terms(enc) != VT_OK)
        return vt_err_set(err, VT_ENOMEM, NULL, 0, 0, "out of memory");
    return VT_OK;
}

/* ---------------------------------------------------------------- fitting */

static int cell_missing(const table_column *column, size_t row)
{
    if (column->type == TYPE_CATEGORICAL)
        return column->codes[row] < 0;
    return isnan(column->values[row]);
}

/* Why row r is left out: the first missing label (the weight counts as
 * one), or under drop or error the first missing feature; NULL if the row
 * is used.  *is_label says which kind. */
static const table_column *excluding_cell(const encode_columns *columns, const table *data, size_t r, int *is_label)
{
    *is_label = 1;
    for (size_t l = 0; l < columns->n_labels; l++)
        if (cell_missing(&data->columns[columns->labels[l]], r))
            return &data->columns[columns->labels[l]];
    *is_label = 0;
    for (size_t f = 0; columns->policy != MISSING_IMPUTE && f < columns->n_features; f++)
        if (cell_missing(&data->columns[columns->features[f]], r))
            return &data->columns[columns->features[f]];
    return NULL;
}

void encode_rows_used(const encode_columns *columns, const table *data, unsigned char *row_used)
{
    int is_label;
    for (size_t r = 0; r < data->n_rows; r++)
        row_used[r] = excluding_cell(columns, data, r, &is_label) == NULL;
}

/* What the used rows show of a feature so far. */
typedef struct {
    double sum, squares;
    size_t count, n_imputed;
    dict *seen;           /* categorical: the levels met on used rows */
} feature_tally;

struct encoding_fitter {
    const table *layout;
    encode_columns columns;
    feature_tally *tallies;
    encode_report report;
};

void encoding_fitter_free(encoding_fitter *fitter)
{
    if (fitter == NULL)
        return;
    for (size_t f = 0; fitter->tallies && f < fitter->columns.n_features; f++)
        dict_free(fitter->tallies[f].seen);
    free(fitter->tallies);
    free(fitter);
}

vt_status encoding_fitter_new(const table *layout, const encode_columns *columns, encoding_fitter **out, vt_err *err)
{
    *out = NULL;
    encoding_fitter *fitter = vt_calloc(1, sizeof *fitter);
    if (fitter == NULL || (fitter->tallies = vt_calloc(columns->n_features ? columns->n_features : 1,
                                                       sizeof(feature_tally))) == NULL) {
        free(fitter);
        return vt_err_set(err, VT_ENOMEM, layout->path, 0, 0, "out of memory");
    }
    fitter->layout = layout;
    fitter->columns = *columns;
    for (size_t f = 0; f < columns->n_features; f++)
        if (layout->columns[columns->features[f]].type == TYPE_CATEGORICAL &&
            (fitter->tallies[f].seen = dict_new()) == NULL) {
            encoding_fitter_free(fitter);
            return vt_err_set(err, VT_ENOMEM, layout->path, 0, 0, "out of memory");
        }
    *out = fitter;
    return VT_OK;
}

/* The used rows, counted in the report; a missing cell under policy error
 * stops at once. */
static vt_status choose_rows(encoding_fitter *fitter, const table *data, unsigned char *row_used, vt_err *err)
{
    const encode_columns *columns = &fitter->columns;
    encode_report *report = &fitter->report;
    report->n_rows_read += data->n_rows;
    for (size_t r = 0; r < data->n_rows; r++) {
        int is_label;
        const table_column *missing = excluding_cell(columns, data, r, &is_label);
        row_used[r] = missing == NULL;
        if (row_used[r]) {
            report->n_rows_used++;
            continue;
        }
        char name[VT_QUOTE_SIZE];
        vt_quote(name, sizeof name, missing->name, strlen(missing->name));
        if (columns->policy == MISSING_ERROR)
            return vt_err_set(err, VT_EDATA, data->path, data->lines[r], missing->csv_index + 1,
                              is_label ? "label column '%s' is missing (--missing error)"
                                       : "column '%s' is missing (--missing error; use impute or drop)",
                              name);
        if (is_label)
            report->n_dropped_missing_label++;
        else
            report->n_dropped_missing_feature++;
    }
    return VT_OK;
}

vt_status encoding_fitter_add(encoding_fitter *fitter, const table *data, unsigned char *row_used, vt_err *err)
{
    vt_status status = choose_rows(fitter, data, row_used, err);
    for (size_t f = 0; status == VT_OK && f < fitter->columns.n_features; f++) {
        const table_column *column = &data->columns[fitter->columns.features[f]];
        feature_tally *tally = &fitter->tallies[f];
        if (column->type != TYPE_CATEGORICAL) {
            for (size_t r = 0; r < data->n_rows; r++)
                if (row_used[r] && !isnan(column->values[r])) {
                    tally->sum += column->values[r];
                    tally->count++;
                } else if (row_used[r]) {
                    tally->n_imputed++;
                }
            continue;
        }
        size_t n_ids = dict_size(column->levels);
        unsigned char *seen = vt_calloc(n_ids ? n_ids : 1, 1);
        if (seen == NULL)
            return vt_err_set(err, VT_ENOMEM, data->path, 0, 0, "out of memory");
        for (size_t r = 0; r < data->n_rows; r++) {
            if (!row_used[r])
                continue;
            if (column->codes[r] < 0)
                tally->n_imputed++;
            else
                seen[column->codes[r]] = 1;
        }
        for (size_t id = 0; id < n_ids; id++)
            if (seen[id] && dict_intern(tally->seen, dict_key(column->levels, (long)id),
                                        dict_key_len(column->levels, (long)id)) < 0) {
                free(seen);
                return vt_err_set(err, VT_ENOMEM, data->path, 0, 0, "out of memory");
            }
        free(seen);
    }
    return status;
}

static double tally_mean(const feature_tally *tally)
{
    return tally->count ? tally->sum / (double)tally->count : 0.0;
}

void encoding_fitter_add_spread(encoding_fitter *fitter, const table *data, const unsigned char *row_used)
{
    for (size_t f = 0; f < fitter->columns.n_features; f++) {
        const table_column *column = &data->columns[fitter->columns.features[f]];
        feature_tally *tally = &fitter->tallies[f];
        if (column->type == TYPE_CATEGORICAL)
            continue;
        double mean = tally_mean(tally);
        for (size_t r = 0; r < data->n_rows; r++)
            if (row_used[r] && !isnan(column->values[r]))
                tally->squares += (column->values[r] - mean) * (column->values[r] - mean);
    }
}

static int compare_strings(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Levels seen in the used rows, byte-sorted as R sorts factor levels in the
 * C locale; levels only on unused rows are not part of the model. */
static vt_status finish_categorical(enc_feature *feature, const feature_tally *tally)
{
    size_t n_ids = dict_size(tally->seen);
    feature->type = TYPE_CATEGORICAL;
    feature->n_imputed = tally->n_imputed;
    if ((feature->levels = vt_calloc(n_ids ? n_ids : 1, sizeof(char *))) == NULL)
        return VT_ENOMEM;
    for (size_t id = 0; id < n_ids; id++)
        if ((feature->levels[feature->n_levels++] = vt_strdup(dict_key(tally->seen, (long)id))) == NULL)
            return VT_ENOMEM;
    qsort(feature->levels, feature->n_levels, sizeof(char *), compare_strings);
    feature->missing_term = feature->n_imputed > 0;
    return VT_OK;
}

static void finish_numeric(enc_feature *feature, const feature_tally *tally)
{
    feature->type = TYPE_NUMERIC;
    feature->mean = tally_mean(tally);
    feature->impute = feature->mean;
    feature->sd = tally->count > 1 ? sqrt(tally->squares / (double)(tally->count - 1)) : 0.0;
    feature->n_imputed = tally->n_imputed;
    feature->missing_term = feature->n_imputed > 0;
}

vt_status encoding_fitter_finish(encoding_fitter *fitter, encoding **out, encode_report *report, vt_err *err)
{
    *out = NULL;
    *report = fitter->report;
    const table *layout = fitter->layout;
    if (report->n_rows_used == 0)
        return vt_err_set(err, VT_EDATA, layout->path, 0, 0, "no rows left after removing rows with missing values");
    encoding *enc = encoding_new();
    if (enc == NULL || (enc->features = vt_calloc(fitter->columns.n_features ? fitter->columns.n_features : 1,
                                                  sizeof(enc_feature))) == NULL)
        goto nomem;
    enc->missing = fitter->columns.policy;
    for (size_t f = 0; f < fitter->columns.n_features; f++) {
        const table_column *column = &layout->columns[fitter->columns.features[f]];
        enc_feature *feature = &enc->features[enc->n_features++];
        if ((feature->name = vt_strdup(column->name)) == NULL)
            goto nomem;
        if (column->type != TYPE_CATEGORICAL)
            finish_numeric(feature, &fitter->tallies[f]);
        else if (finish_categorical(feature, &fitter->tallies[f]) != VT_OK)
            goto nomem;
    }
    if (encoding_finish_terms(enc) != VT_OK)
        goto nomem;
    *out = enc;
    return VT_OK;
nomem:
    encoding_free(enc);
    return vt_err_set(err, VT_ENOMEM, layout->path, 0, 0, "out of memory");
}

vt_status encoding_fit(const table *data, const encode_columns *columns, encoding **out, unsigned char **row_used_out,
                       encode_report *report, vt_err *err)
{
    *out = NULL;
    *row_used_out = NULL;
    memset(report, 0, sizeof *report);
    encoding_fitter *fitter = NULL;
    unsigned char *row_used = vt_calloc(data->n_rows ? data->n_rows : 1, 1);
    vt_status status = row_used ? encoding_fitter_new(data, columns, &fitter, err)
                                : vt_err_set(err, VT_ENOMEM, data->path, 0, 0, "out of memory");
    if (status == VT_OK && (status = encoding_fitter_add(fitter, data, row_used, err)) == VT_OK) {
        encoding_fitter_add_spread(fitter, data, row_used);
        status = encoding_fitter_finish(fitter, out, report, err);
    }
    encoding_fitter_free(fitter);
    if (status != VT_OK) {
        free(row_used);
        return status;
    }
    *row_used_out = row_used;
    return VT_OK;
}

/* Table level id -> index in feature->levels (0, the baseline, for a level
 * none of the used rows has: those rows are never encoded). */
static long *level_indices(const enc_feature *feature, const table_column *column)
{
    size_t n_ids = dict_size(column->levels);
    long *indices = vt_calloc(n_ids ? n_ids : 1, sizeof(long));
    dict *levels = dict_new();
    int ok = indices && levels;
    for (size_t l = 0; ok && l < feature->n_levels; l++)
        ok = dict_intern(levels, feature->levels[l], strlen(feature->levels[l])) >= 0;
    for (size_t id = 0; ok && id < n_ids; id++) {
        const char *key = dict_key(column->levels, (long)id);
        long level = dict_find(levels, key, strlen(key));
        indices[id] = level < 0 ? 0 : level;
    }
    dict_free(levels);
    if (!ok) {
        free(indices);
        return NULL;
    }
    return indices;
}

/* One feature's terms of one row: the only place a cell becomes numbers,
 * so training's design rows and scoring's encoded rows agree to the bit.
 * value: the numeric cell, NaN when missing; level: index in
 * feature->levels, LEVEL_MISSING, or 0 (the baseline).  x holds the row's
 * terms, zeroed; slots the row's parked values (ENC_MAX_SLOTS). */
#define LEVEL_MISSING (-1L)
static inline void feature_encode(const enc_feature *feature, double value, long level, double *x, double *slots)
{
    size_t missing_term = feature->first_term + feature->n_terms - 1;
    if (feature->value_slot >= 0)
        slots[feature->value_slot] = isnan(value) ? feature->impute : value;
    if (feature->type == TYPE_NUMERIC && feature->smooth_by) {
        /* the basis in every level's block; pairs_encode keeps the row's level's */
        size_t q = feature->smooth->k - 1;
        double *first = x + feature->by_first_term;
        smooth_eval(feature->smooth, isnan(value) ? feature->impute : value, first);
        for (size_t l = 1; l < feature->by_levels; l++)
            memcpy(first + l * q, first, q * sizeof *first);
        if (isnan(value) && feature->missing_term)
            x[missing_term] = 1.0;
    } else if (feature->type == TYPE_NUMERIC && feature->smooth) {
        smooth_eval(feature->smooth, isnan(value) ? feature->impute : value, x + feature->first_term);
        if (isnan(value) && feature->missing_term)
            x[missing_term] = 1.0;
    } else if (feature->type == TYPE_NUMERIC) {
        x[feature->first_term] = isnan(value) ? feature->impute : value;
        if (isnan(value) && feature->missing_term)
            x[missing_term] = 1.0;
    } else if (level == LEVEL_MISSING) {
        if (feature->missing_term)
            x[missing_term] = 1.0;
    } else if (level > 0) {
        x[feature->first_term + (size_t)level - 1] = 1.0;
    }
}

/* A by_smooth pair's level blocks, each holding the basis (feature_encode),
 * times the level's 0/1 read from the row's encoded column b: the
 * baseline's is 1 less the other levels' and the COL_missing term. */
static inline void by_smooth_encode(const encoding *enc, const enc_pair *pair, double *x)
{
    const enc_feature *b = &enc->features[pair->b];
    size_t q = enc->features[pair->a].smooth->k - 1;
    double baseline = 1.0;
    for (size_t l = 1; l < b->n_levels; l++)
        baseline -= x[b->first_term + l - 1];
    if (b->missing_term)
        baseline -= x[b->first_term + b->n_terms - 1];
    for (size_t l = 0; l < b->n_levels; l++) {
        double level = l == 0 ? baseline : x[b->first_term + l - 1];
        double *block = x + pair->first_term + l * q;
        for (size_t j = 0; j < q; j++)
            block[j] *= level;
    }
}

/* The pair terms of a row whose features are encoded (x) and their values
 * parked (slots). */
static inline void pairs_encode(const encoding *enc, const double *slots, double *x)
{
    for (size_t p = 0; p < enc->n_pairs; p++) {
        const enc_pair *pair = &enc->pairs[p];
        if (pair->tensor) {
            tensor_eval(pair->tensor, slots[enc->features[pair->a].value_slot],
                        slots[enc->features[pair->b].value_slot], x + pair->first_term);
            continue;
        }
        if (pair->by_smooth) {
            by_smooth_encode(enc, pair, x);
            continue;
        }
        for (size_t j = 0; j < pair->n_terms; j++)
            x[pair->first_term + j] = x[pair->left[j]] * x[pair->right[j]];
    }
}

/* An encoded row before its features: the intercept, every other term 0. */
static void row_start(const encoding *enc, double *x)
{
    memset(x, 0, enc->n_terms * sizeof *x);
    x[0] = 1.0;
}

typedef struct {
    const table_column *column;
    long *levels;   /* categorical: table level id -> index in the feature's levels */
} feature_column;

struct design_source {
    const encoding *enc;
    size_t *rows;   /* table row of each used row */
    size_t n_rows;
    feature_column *columns;
};

void design_source_free(design_source *source)
{
    if (source == NULL)
        return;
    for (size_t f = 0; source->columns && f < source->enc->n_features; f++)
        free(source->columns[f].levels);
    free(source->columns);
    free(source->rows);
    free(source);
}

vt_status design_source_new(const encoding *enc, const table *data, const unsigned char *row_used,
                            design_source **out, vt_err *err)
{
    *out = NULL;
    design_source *source = vt_calloc(1, sizeof *source);
    if (source == NULL)
        return vt_err_set(err, VT_ENOMEM, data->path, 0, 0, "out of memory");
    source->enc = enc;
    source->rows = vt_calloc(data->n_rows, sizeof(size_t));
    source->columns = vt_calloc(enc->n_features, sizeof(feature_column));
    int ok = source->rows && source->columns;
    for (size_t r = 0; ok && r < data->n_rows; r++)
        if (row_used[r])
            source->rows[source->n_rows++] = r;
    for (size_t f = 0; ok && f < enc->n_features; f++) {
        const enc_feature *feature = &enc->features[f];
        source->columns[f].column = table_find((table *)data, feature->name);
        if (feature->type == TYPE_CATEGORICAL &&
            (source->columns[f].levels = level_indices(feature, source->columns[f].column)) == NULL)
            ok = 0;
    }
    if (!ok) {
        design_source_free(source);
        return vt_err_set(err, VT_ENOMEM, data->path, 0, 0, "out of memory");
    }
    *out = source;
    return VT_OK;
}

size_t design_source_rows(const design_source *source)
{
    return source->n_rows;
}

void design_source_fill(const design_source *source, size_t first, size_t count, double *out)
{
    design_source_fill_list(source, NULL, first, count, out);
}

void design_source_fill_list(const design_source *source, const size_t *positions, size_t first, size_t count,
                             double *out)
{
    /* Feature by feature over the rows (each column read in order), in
     * slices of rows small enough to stay in cache. */
    enum { SLICE = 256 };
    const encoding *enc = source->enc;
    size_t p = enc->n_terms, rows[SLICE];
    double slots[SLICE][ENC_MAX_SLOTS];
    for (size_t start = 0; start < count; start += SLICE) {
        size_t n = count - start < SLICE ? count - start : SLICE;
        double *x = out + start * p;
        for (size_t i = 0; i < n; i++) {
            rows[i] = source->rows[positions ? positions[first + start + i] : first + start + i];
            row_start(enc, x + i * p);
        }
        for (size_t f = 0; f < enc->n_features; f++) {
            const enc_feature *feature = &enc->features[f];
            const table_column *column = source->columns[f].column;
            const long *levels = source->columns[f].levels;
            if (feature->type == TYPE_NUMERIC)
                for (size_t i = 0; i < n; i++)
                    feature_encode(feature, column->values[rows[i]], 0, x + i * p, slots[i]);
            else
                for (size_t i = 0; i < n; i++) {
                    int32_t code = column->codes[rows[i]];
                    feature_encode(feature, NAN, code < 0 ? LEVEL_MISSING : levels[code], x + i * p, slots[i]);
                }
        }
        for (size_t i = 0; enc->n_pairs && i < n; i++)
            pairs_encode(enc, slots[i], x + i * p);
    }
}

vt_status encoding_design(const encoding *enc, const table *data, const unsigned char *row_used,
                          double **design_out, size_t *n_rows, vt_err *err)
{
    design_source *source = NULL;
    vt_status status = design_source_new(enc, data, row_used, &source, err);
    if (status != VT_OK)
        return status;
    double *design = vt_calloc(source->n_rows * enc->n_terms, sizeof(double));
    if (design == NULL) {
        design_source_free(source);
        return vt_err_set(err, VT_ENOMEM, data->path, 0, 0, "out of memory for the design matrix");
    }
    design_source_fill(source, 0, source->n_rows, design);
    *n_rows = source->n_rows;
    design_source_free(source);
    *design_out = design;
    return VT_OK;
}

/* ---------------------------------------------------------------- scoring */

typedef struct {
    long field;          /* position in the scored file's header */
    dict *levels;        /* categorical: level -> index in feature->levels */
    long if_true, if_false; /* a BOOLEAN column's t and f as levels, or -1 */
} feature_source;

struct encoder {
    const encoding *enc;
    feature_source *sources;
    int unseen_baseline;
    const char *const *na_tokens;
    size_t n_na_tokens;
};

void encoder_free(encoder *coder)
{
    if (coder == NULL)
        return;
    if (coder->sources)
        for (size_t f = 0; f < coder->enc->n_features; f++)
            dict_free(coder->sources[f].levels);
    free(coder->sources);
    free(coder);
}

vt_status encoder_new(const encoding *enc, const char *path, const char *const *header,
                      size_t n_columns, int unseen_baseline, const char *const *na_tokens,
                      size_t n_na_tokens, encoder **out, vt_err *err)
{
    *out = NULL;
    encoder *coder = vt_calloc(1, sizeof *coder);
    if (coder == NULL || (coder->sources = vt_calloc(enc->n_features, sizeof(feature_source))) == NULL) {
        free(coder);
        return vt_err_set(err, VT_ENOMEM, path, 0, 0, "out of memory");
    }
    coder->enc = enc;
    coder->unseen_baseline = unseen_baseline;
    coder->na_tokens = na_tokens;
    coder->n_na_tokens = n_na_tokens;
    dict *columns = dict_of_names(header, n_columns, NULL); /* a header's names are distinct */
    if (columns == NULL) {
        encoder_free(coder);
        return vt_err_set(err, VT_ENOMEM, path, 0, 0, "out of memory");
    }
    size_t n_lacking = 0;
    for (size_t f = 0; f < enc->n_features; f++) {
        const enc_feature *feature = &enc->features[f];
        feature_source *source = &coder->sources[f];
        source->if_true = source->if_false = -1;
        source->field = dict_find(columns, feature->name, strlen(feature->name));
        if (source->field < 0) { /* every column lacking is named, the first as the error */
            char name[VT_QUOTE_SIZE];
            vt_quote(name, sizeof name, feature->name, strlen(feature->name));
            if (n_lacking++ == 0)
                vt_err_set(err, VT_EDATA, path, 1, 0, "the model needs column '%s', which the header lacks", name);
            else
                vt_err_more(err, "the model also needs column '%s', which the header lacks", name);
            continue;
        }
        if (feature->type != TYPE_CATEGORICAL)
            continue;
        if ((source->levels = dict_new()) == NULL) {
            dict_free(columns);
            encoder_free(coder);
            return vt_err_set(err, VT_ENOMEM, path, 0, 0, "out of memory");
        }
        for (size_t l = 0; l < feature->n_levels; l++)
            if (dict_intern(source->levels, feature->levels[l], strlen(feature->levels[l])) < 0) {
                dict_free(columns);
                encoder_free(coder);
                return vt_err_set(err, VT_ENOMEM, path, 0, 0, "out of memory");
            }
    }
    dict_free(columns);
    if (n_lacking > 0) {
        encoder_free(coder);
        return VT_EDATA;
    }
    *out = coder;
    return VT_OK;
}

int encoding_binary_levels(const enc_feature *feature, size_t *yes, size_t *no)
{
    if (feature->type != TYPE_CATEGORICAL || feature->n_levels != 2)
        return 0;
    double first, second;
    const char *a = feature->levels[0], *b = feature->levels[1];
    if (table_parse_label(a, strlen(a), &first) != 0 || table_parse_label(b, strlen(b), &second) != 0 ||
        first == second)
        return 0;
    *yes = first == 1 ? 0 : 1;
    *no = 1 - *yes;
    return 1;
}

void encoder_read_booleans(encoder *coder, const unsigned char *boolean)
{
    for (size_t f = 0; f < coder->enc->n_features; f++) {
        feature_source *source = &coder->sources[f];
        size_t yes, no;
        source->if_true = source->if_false = -1;
        if (boolean != NULL && boolean[source->field] &&
            encoding_binary_levels(&coder->enc->features[f], &yes, &no)) {
            source->if_true = (long)yes;
            source->if_false = (long)no;
        }
    }
}

/* The level a mapped BOOLEAN cell stands for, or -1. */
static long boolean_level(const feature_source *source, const char *text, size_t len)
{
    if (source->if_true < 0 || len != 1 || (*text != 't' && *text != 'f'))
        return -1;
    return *text == 't' ? source->if_true : source->if_false;
}

const char *encoder_cell(const encoder *coder, size_t f, const csv_row *row)
{
    const feature_source *source = &coder->sources[f];
    long level = boolean_level(source, row->fields[source->field], row->lengths[source->field]);
    return level >= 0 ? coder->enc->features[f].levels[level] : row->fields[source->field];
}

static vt_status encode_missing(const encoder *coder, const enc_feature *feature, const csv_row *row, long field,
                                const char *path, double *x, double *slots, encoder_counts *counts, vt_err *err)
{
    char name[VT_QUOTE_SIZE];
    if (coder->enc->missing == MISSING_ERROR)
        return vt_err_set(err, VT_EDATA, path, row->line, field + 1,
                          "column '%s' is missing and the model's policy is 'error'",
                          vt_quote(name, sizeof name, feature->name, strlen(feature->name)));
    counts->n_imputed++;
    feature_encode(feature, NAN, LEVEL_MISSING, x, slots);
    return VT_OK;
}

vt_status encoder_row(const encoder *coder, const csv_row *row, const char *path, double *x,
                      encoder_counts *counts, vt_err *err)
{
    const encoding *enc = coder->enc;
    double slots[ENC_MAX_SLOTS];
    row_start(enc, x);
    for (size_t f = 0; f < enc->n_features; f++) {
        const enc_feature *feature = &enc->features[f];
        long field = coder->sources[f].field;
        const char *text = row->fields[field];
        size_t len = row->lengths[field];
        if (table_is_missing(text, len, coder->na_tokens, coder->n_na_tokens)) {
            vt_status status = encode_missing(coder, feature, row, field, path, x, slots, counts, err);
            if (status != VT_OK)
                return status;
            continue;
        }
        char name[VT_QUOTE_SIZE], cell[VT_QUOTE_SIZE], baseline[VT_QUOTE_SIZE];
        if (feature->type == TYPE_NUMERIC) {
            double value;
            num_result parsed = num_parse(text, len, &value);
            if (parsed != NUM_OK)
                return vt_err_set(err, VT_EDATA, path, row->line, field + 1, "column '%s': '%s' is %s",
                                  vt_quote(name, sizeof name, feature->name, strlen(feature->name)),
                                  vt_quote(cell, sizeof cell, text, len), num_result_text(parsed));
            feature_encode(feature, value, 0, x, slots);
            continue;
        }
        const feature_source *source = &coder->sources[f];
        long level = boolean_level(source, text, len);
        if (level < 0)
            level = dict_find(source->levels, text, len);
        if (level < 0) {
            if (!coder->unseen_baseline)
                return vt_err_set(err, VT_EDATA, path, row->line, field + 1,
                                  "column '%s': level '%s' was not seen in training "
                                  "(--unseen baseline scores it as '%s')",
                                  vt_quote(name, sizeof name, feature->name, strlen(feature->name)),
                                  vt_quote(cell, sizeof cell, text, len),
                                  vt_quote(baseline, sizeof baseline, feature->levels[0], strlen(feature->levels[0])));
            counts->n_unseen++;
            level = 0;
        }
        feature_encode(feature, NAN, level, x, slots);
    }
    pairs_encode(enc, slots, x);
    return VT_OK;
}

/* ---------------------------------------------------------- smooth terms */

int encoding_term_is_basis(const encoding *enc, size_t t)
{
    if (t == 0 || t >= enc->n_terms)
        return 0;
    if (enc->term_effect[t] >= (long)enc->n_features) { /* a pair's: the columns of a ti or of a curve per level */
        const enc_pair *pair = &enc->pairs[enc->term_effect[t] - (long)enc->n_features];
        return pair->tensor != NULL || pair->by_smooth;
    }
    if (enc->term_feature[t] < 0)
        return 0;
    const enc_feature *feature = &enc->features[enc->term_feature[t]];
    if (feature->smooth == NULL)
        return 0;
    if (feature->smooth_by)
        return t >= feature->by_first_term && t < feature->by_first_term + feature->by_levels * (feature->smooth->k - 1);
    return t < feature->first_term + feature->smooth->k - 1;
}

size_t encoding_by_column(const encoding *enc, size_t feature)
{
    for (size_t p = 0; p < enc->n_pairs; p++)
        if (enc->pairs[p].by_smooth && enc->pairs[p].a == feature)
            return enc->pairs[p].b;
    return feature;
}

char *encoding_smooth_name(const encoding *enc, size_t feature, long level)
{
    text name = {0};
    text_printf(&name, "s(%s)", enc->features[feature].name);
    if (level >= 0) {
        const enc_feature *by = &enc->features[encoding_by_column(enc, feature)];
        text_printf(&name, ":%s%s", by->name, by->levels[level]);
    }
    return text_finish(&name);
}

const char *encoding_pair_form(const encoding *enc, size_t pair)
{
    const enc_pair *p = &enc->pairs[pair];
    int numeric_a = enc->features[p->a].type == TYPE_NUMERIC, numeric_b = enc->features[p->b].type == TYPE_NUMERIC;
    if (p->tensor)
        return "tensor ti()";
    if (p->by_smooth)
        return "curve per level";
    if (numeric_a && numeric_b)
        return "product";
    return numeric_a || numeric_b ? "slope per level" : "cell per pair of levels";
}

char *encoding_tensor_name(const encoding *enc, size_t pair)
{
    text name = {0};
    text_printf(&name, "ti(%s,%s)", enc->features[enc->pairs[pair].a].name, enc->features[enc->pairs[pair].b].name);
    return text_finish(&name);
}

size_t encoding_smooth_blocks(const encoding *enc, enc_smooth_block *out)
{
    size_t n = 0;
    for (size_t f = 0; f < enc->n_features; f++) {
        const enc_feature *feature = &enc->features[f];
        if (feature->smooth == NULL || feature->smooth_by)
            continue;
        if (out)
            out[n] = (enc_smooth_block){f, -1, -1, feature->first_term, feature->smooth->k - 1, feature->smooth, NULL, 0};
        n++;
    }
    for (size_t p = 0; p < enc->n_pairs; p++) {
        const enc_pair *pair = &enc->pairs[p];
        for (int j = 0; pair->tensor && j < 2; j++) {
            if (out)
                out[n] = (enc_smooth_block){pair->a, (long)p, -1, pair->first_term, pair->n_terms, NULL, pair->tensor, j};
            n++;
        }
        if (!pair->by_smooth)
            continue;
        const enc_feature *feature = &enc->features[pair->a];
        size_t q = feature->smooth->k - 1;
        for (size_t l = 0; l < enc->features[pair->b].n_levels; l++) {
            if (out)
                out[n] = (enc_smooth_block){pair->a, (long)p, (long)l, pair->first_term + l * q, q, feature->smooth,
                                            NULL, 0};
            n++;
        }
    }
    return n;
}

/* The used rows' values of a numeric column, missing cells imputed as
 * the feature imputes them (n OUT; caller frees; NULL if no memory). */
static double *used_values(const enc_feature *feature, const table_column *column, const table *data,
                           const unsigned char *row_used, size_t *n)
{
    *n = 0;
    for (size_t r = 0; r < data->n_rows; r++)
        *n += row_used[r] != 0;
    double *values = vt_malloc((*n ? *n : 1) * sizeof(double));
    for (size_t r = 0, i = 0; values && r < data->n_rows; r++)
        if (row_used[r])
            values[i++] = isnan(column->values[r]) ? feature->impute : column->values[r];
    return values;
}

vt_status encoding_make_smooth(encoding *enc, size_t f, size_t k, const table *data, size_t column,
                               const unsigned char *row_used, vt_err *err)
{
    enc_feature *feature = &enc->features[f];
    char name[VT_QUOTE_SIZE];
    vt_quote(name, sizeof name, feature->name, strlen(feature->name));
    size_t n = 0, n_distinct = 0;
    double *values = used_values(feature, &data->columns[column], data, row_used, &n);
    smooth_spec *spec = vt_calloc(1, sizeof *spec);
    vt_status status = VT_OK;
    if (values == NULL || spec == NULL) {
        status = vt_err_set(err, VT_ENOMEM, NULL, 0, 0, "out of memory");
    } else if ((status = smooth_spec_learn(values, n, k, spec, &n_distinct, err)) != VT_OK) {
        if (status != VT_ENOMEM && n_distinct < k)
            vt_err_set(err, status, data->path, 0, 0, "--smooth: column '%s' has %zu distinct values, fewer than k = %zu",
                       name, n_distinct, k);
        else if (status != VT_ENOMEM)
            vt_err_set(err, status, data->path, 0, 0, "--smooth: column '%s': its knots are unusable", name);
    } else {
        feature->smooth = spec;
        spec = NULL;
        if ((status = encoding_finish_terms(enc)) != VT_OK)
            vt_err_set(err, status, NULL, 0, 0, "out of memory");
    }
    free(values);
    if (spec) {
        smooth_free(spec);
        free(spec);
    }
    return status;
}

vt_status encoding_make_tensor(encoding *enc, size_t a, size_t b, size_t k_a, size_t k_b, const table *data,
                               const unsigned char *row_used, vt_err *err)
{
    const enc_feature *fa = &enc->features[a], *fb = &enc->features[b];
    const table_column *ca = table_find((table *)data, fa->name), *cb = table_find((table *)data, fb->name);
    char name_a[VT_QUOTE_SIZE], name_b[VT_QUOTE_SIZE];
    vt_quote(name_a, sizeof name_a, fa->name, strlen(fa->name));
    vt_quote(name_b, sizeof name_b, fb->name, strlen(fb->name));
    if (fa->smooth == NULL || fb->smooth == NULL || ca == NULL || cb == NULL) /* encoding_add_tensor words it */
        return encoding_add_tensor(enc, a, b, &(tensor_spec){0}, err);
    size_t n = 0;
    double *x_a = used_values(fa, ca, data, row_used, &n), *x_b = used_values(fb, cb, data, row_used, &n);
    tensor_spec spec;
    vt_status status = x_a && x_b ? tensor_spec_build(x_a, x_b, n, k_a, k_b, &spec, err)
                                  : vt_err_set(err, VT_ENOMEM, NULL, 0, 0, "out of memory");
    free(x_a);
    free(x_b);
    if (status == VT_OK)
        return encoding_add_tensor(enc, a, b, &spec, err);
    if (status != VT_ENOMEM) {
        char why[sizeof err->msg];
        snprintf(why, sizeof why, "%s", err->msg);
        vt_err_set(err, status, data->path, 0, 0, "ti(%s, %s): %s", name_a, name_b, why);
    }
    return status;
}
