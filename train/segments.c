#include "segments.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Scratch shared by the levels: positions among the used rows. */
typedef struct {
    size_t *fit_at, *level_at; /* the level's rows a fit may see; all of its rows */
    size_t n_fit, n_level;
    double *predicted, *observed;
} level_rows;

static const enc_feature *find_feature(const encoding *enc, const char *name);
static void collect_rows(const segments_input *input, const table_column *by, const char *level, level_rows *rows);
static void thin_targets(const segments_input *input, const level_rows *rows, size_t terms, int *skip,
                         char (*reason)[600]);
static vt_status fit_level(const segments_input *input, const model *m, model_segment *segment,
                           const level_rows *rows, size_t terms, fit_result *fit, vt_err *err);
static vt_status validate_level(const segments_input *input, model_segment *segment, const fit_result *fit,
                                level_rows *rows, vt_err *err);

static const enc_feature *find_feature(const encoding *enc, const char *name)
{
    const enc_feature *feature = NULL;
    for (size_t f = 0; f < enc->n_features; f++)
        if (strcmp(enc->features[f].name, name) == 0)
            feature = &enc->features[f];
    return feature;
}

static void collect_rows(const segments_input *input, const table_column *by, const char *level, level_rows *rows)
{
    rows->n_fit = rows->n_level = 0;
    for (size_t r = 0, i = 0; r < input->data->n_rows; r++)
        if (input->row_used[r]) {
            if (by->codes[r] >= 0 && strcmp(dict_key(by->levels, by->codes[r]), level) == 0) {
                rows->level_at[rows->n_level++] = i;
                if (input->held_out == NULL || !input->held_out[i])
                    rows->fit_at[rows->n_fit++] = i; /* a holdout's rows stay unseen by every fit */
            }
            i++;
        }
}

/* Targets whose rarer outcome is too thin on the level's rows. */
static void thin_targets(const segments_input *input, const level_rows *rows, size_t terms, int *skip,
                         char (*reason)[600])
{
    size_t n = rows->n_fit;
    for (size_t k = 0; k < input->problem->n_targets; k++) {
        size_t events = 0;
        for (size_t i = 0; i < n; i++)
            events += input->problem->y[k][rows->fit_at[i]] == 1.0;
        size_t rarer = events < n - events ? events : n - events;
        if (rarer < SEGMENTS_MIN_PER_TERM * terms) {
            skip[k] = 1;
            snprintf(reason[k], sizeof reason[k], "%zu rows, %zu %s: fewer than %d per term (%zu terms)", n, rarer,
                     rarer == events ? "events" : "non-events", SEGMENTS_MIN_PER_TERM, terms);
        }
    }
}

/* The level's own fits where it can have them; fit (OUT) holds them. */
static vt_status fit_level(const segments_input *input, const model *m, model_segment *segment,
                           const level_rows *rows, size_t terms, fit_result *fit, vt_err *err)
{
    const fit_problem *problem = input->problem;
    int skip[MODEL_MAX_TARGETS] = {0}, any = 0;
    char reason[MODEL_MAX_TARGETS][600] = {{0}};
    thin_targets(input, rows, terms, skip, reason);
    for (size_t k = 0; k < problem->n_targets; k++)
        any |= !skip[k];
    vt_err fit_err = {0};
    memset(fit, 0, sizeof *fit);
    if (any && fit_rows(problem, rows->fit_at, rows->n_fit, skip, fit, &fit_err) != VT_OK)
        for (size_t k = 0; k < problem->n_targets; k++)
            if (!skip[k]) {
                skip[k] = 1;
                snprintf(reason[k], sizeof reason[k], "its fit failed: %s", fit_err.msg);
            }
    for (size_t k = 0; k < problem->n_targets; k++) {
        model_target *target = &segment->targets[k];
        if (skip[k]) {
            segment->fallback[k] = 1;
            if ((segment->fallback_reason[k] = vt_strdup(reason[k])) == NULL)
                return vt_err_set(err, VT_ENOMEM, NULL, 0, 0, "out of memory");
            continue;
        }
        target->name = vt_strdup(fit_target_name(k));
        target->label = vt_strdup(m->targets[k].label);
        if (!target->name || !target->label || fit_copy_target(target, fit->fits[k], m->enc) != VT_OK)
            return vt_err_set(err, VT_ENOMEM, NULL, 0, 0, "out of memory");
        target->n_events = fit->n_events[k];
    }
    return VT_OK;
}

/* A level's metrics: with a holdout or time split, its held-out rows scored
 * by the model that serves it (its own, fitted without them, or the pooled
 * one); with --folds, the pooled model's out-of-fold predictions on its rows. */
static vt_status validate_level(const segments_input *input, model_segment *segment, const fit_result *fit,
                                level_rows *rows, vt_err *err)
{
    const fit_problem *problem = input->problem;
    if (input->held_out == NULL && input->out_of_fold == NULL)
        return VT_OK;
    size_t n = 0;
    for (size_t i = 0; i < rows->n_level; i++)
        if (input->held_out == NULL || input->held_out[rows->level_at[i]])
            rows->fit_at[n++] = rows->level_at[i]; /* the level's judged rows, reusing fit_at */
    char method[200];
    validation_describe(input->validation, method, sizeof method);
    if (input->out_of_fold)
        snprintf(method + strlen(method), sizeof method - strlen(method), ", pooled model's out-of-fold predictions");
    vt_status status = VT_OK;
    for (size_t k = 0; status == VT_OK && k < problem->n_targets; k++) {
        const irls_result *serving = segment->fallback[k] ? input->pooled->fits[k] : fit->fits[k];
        if (input->out_of_fold)
            for (size_t i = 0; i < n; i++)
                rows->predicted[i] = input->out_of_fold[k][rows->fit_at[i]];
        else
            status = fit_predict(problem, serving, rows->fit_at, n, rows->predicted, err);
        size_t events = 0;
        for (size_t i = 0; status == VT_OK && i < n; i++)
            events += (rows->observed[i] = problem->y[k][rows->fit_at[i]]) == 1.0;
        if (status != VT_OK || events == 0 || events == n)
            continue; /* metrics need both outcomes among the level's held-out rows */
        metrics result;
        if ((status = metrics_compute(rows->observed, rows->predicted, NULL, n, input->red_below,
                                      input->yellow_below, &result, err)) == VT_OK &&
            (segment->validation[k] = model_validation_new(method, &result, NULL, 0, k == 0)) == NULL)
            status = vt_err_set(err, VT_ENOMEM, NULL, 0, 0, "out of memory");
    }
    return status;
}

vt_status segments_fit(const segments_input *input, model *m, vt_err *err)
{
    const table_column *by = NULL;
    for (size_t c = 0; c < input->data->n_columns; c++)
        if (strcmp(input->data->columns[c].name, input->by) == 0)
            by = &input->data->columns[c];
    const enc_feature *feature = find_feature(input->enc, input->by);
    if (by == NULL || feature == NULL || feature->n_levels < 2)
        return vt_err_set(err, VT_EUSAGE, input->data->path, 0, 0, "--by %s: the column has %s level among the rows "
                          "used; one model per level needs at least two", input->by, feature ? "a single" : "no");
    size_t n_used = input->problem->n_used, room = n_used ? n_used : 1;
    level_rows rows = {vt_calloc(room, sizeof(size_t)), vt_calloc(room, sizeof(size_t)), 0, 0,
                       vt_malloc(room * sizeof(double)), vt_malloc(room * sizeof(double))};
    m->by_column = vt_strdup(input->by);
    m->segments = vt_calloc(feature->n_levels, sizeof(model_segment));
    vt_status status = VT_OK;
    if (!m->by_column || !m->segments || !rows.fit_at || !rows.level_at || !rows.predicted || !rows.observed)
        status = vt_err_set(err, VT_ENOMEM, NULL, 0, 0, "out of memory");
    size_t terms = input->enc->n_terms - feature->n_terms; /* the level's own column is constant in it */
    for (size_t l = 0; status == VT_OK && l < feature->n_levels; l++) {
        model_segment *segment = &m->segments[m->n_segments++];
        collect_rows(input, by, feature->levels[l], &rows);
        segment->n_rows = rows.n_fit;
        fit_result fit = {0};
        if ((segment->level = vt_strdup(feature->levels[l])) == NULL)
            status = vt_err_set(err, VT_ENOMEM, NULL, 0, 0, "out of memory");
        if (status == VT_OK)
            status = fit_level(input, m, segment, &rows, terms, &fit, err);
        if (status == VT_OK)
            status = validate_level(input, segment, &fit, &rows, err);
        fit_result_free(&fit);
    }
    free(rows.fit_at);
    free(rows.level_at);
    free(rows.predicted);
    free(rows.observed);
    return status;
}
