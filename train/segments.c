#include "segments.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bands.h"
#include "score.h"

/* Scratch shared by the levels: positions among the used rows. */
typedef struct {
    size_t *fit_at, *level_at; /* the level's rows a fit may see; all of its rows */
    size_t n_fit, n_level;
    double *predicted, *observed;
    size_t *fold_at;           /* --folds: the level's rows in the fold left out (NULL without) */
} level_rows;

static const enc_feature *find_feature(const encoding *enc, const char *name);
static void collect_rows(const segments_input *input, const table_column *by, const char *level, level_rows *rows);
static void thin_targets(const segments_input *input, const level_rows *rows, size_t terms, int *skip,
                         char (*reason)[600]);
static vt_status fit_level(const segments_input *input, const model *m, model_segment *segment,
                           const level_rows *rows, char *const *left_out, size_t terms, fit_result *fit,
                           vt_err *err);
static vt_status serve_level(const segments_input *input, const model_segment *segment, const fit_result *fit,
                             level_rows *rows, double *const *served, vt_err *err);
static vt_status set_bands(const segments_input *input, const double *served, level_rows *rows,
                           segments_bands *bands, vt_err *err);
static vt_status validate_level(const segments_input *input, const model *m, model_segment *segment, double *const *served,
                                double red_below, double yellow_below, level_rows *rows, vt_err *err);

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

/* Why: a level's missing indicator is estimated from the level's missing
 * cells alone; a handful of them (or all with one outcome) separate the
 * outcome and fail the level's fit, which then fell back for a reason a
 * user could not see coming. */
static const char *const BY_COLUMN_LEFT_OUT = "left out: the --by column, constant within its level";

/* The terms the level's fits leave out (OUT: per term, an owned reason or
 * NULL; *n_left the count): the --by column's own, and each COL_missing
 * whose column has fewer than SEGMENTS_MIN_MISSING missing cells among the
 * level's fitting rows, or whose missing cells there all have one outcome
 * of a target.  Returns VT_ENOMEM (err set) if out of memory. */
static vt_status left_out_terms(const segments_input *input, const enc_feature *by, const level_rows *rows,
                                char **left_out, size_t *n_left, vt_err *err)
{
    const encoding *enc = input->enc;
    const fit_problem *problem = input->problem;
    size_t n_terms = enc->n_terms, n = rows->n_fit;
    *n_left = 0;
    for (size_t t = by->first_term; t < by->first_term + by->n_terms; t++)
        if ((left_out[t] = vt_strdup(BY_COLUMN_LEFT_OUT)) == NULL)
            return vt_err_set(err, VT_ENOMEM, NULL, 0, 0, "out of memory");
    *n_left = by->n_terms;
    size_t *missing = vt_calloc(n_terms, sizeof *missing);
    size_t(*events)[MODEL_MAX_TARGETS] = vt_calloc(n_terms, sizeof *events);
    double *x = vt_malloc(n_terms * sizeof *x);
    if (missing == NULL || events == NULL || x == NULL) {
        free(missing);
        free(events);
        free(x);
        return vt_err_set(err, VT_ENOMEM, NULL, 0, 0, "out of memory");
    }
    for (size_t i = 0; i < n; i++) {
        design_source_fill_list(problem->rows, rows->fit_at, i, 1, x);
        for (size_t f = 0; f < enc->n_features; f++) {
            const enc_feature *feature = &enc->features[f];
            size_t t = feature->first_term + feature->n_terms - 1;
            if (!feature->missing_term || feature == by || x[t] != 1.0)
                continue;
            missing[t]++;
            for (size_t k = 0; k < problem->n_targets; k++)
                events[t][k] += problem->y[k][rows->fit_at[i]] == 1.0;
        }
    }
    vt_status status = VT_OK;
    char quoted[VT_QUOTE_SIZE], text[VT_QUOTE_SIZE + 200];
    for (size_t f = 0; status == VT_OK && f < enc->n_features; f++) {
        const enc_feature *feature = &enc->features[f];
        size_t t = feature->first_term + feature->n_terms - 1;
        if (!feature->missing_term || feature == by)
            continue;
        int one_outcome = 0;
        for (size_t k = 0; k < problem->n_targets; k++)
            one_outcome |= missing[t] > 0 && (events[t][k] == 0 || events[t][k] == missing[t]);
        vt_quote(quoted, sizeof quoted, feature->name, strlen(feature->name));
        if (missing[t] < SEGMENTS_MIN_MISSING)
            snprintf(text, sizeof text, "left out: %zu missing cell%s of '%s' in this level, fewer than %d",
                     missing[t], missing[t] == 1 ? "" : "s", quoted, SEGMENTS_MIN_MISSING);
        else if (one_outcome)
            snprintf(text, sizeof text, "left out: the %zu missing cells of '%s' in this level all have one outcome",
                     missing[t], quoted);
        else
            continue;
        if ((left_out[t] = vt_strdup(text)) == NULL)
            status = vt_err_set(err, VT_ENOMEM, NULL, 0, 0, "out of memory");
        else
            ++*n_left;
    }
    free(missing);
    free(events);
    free(x);
    return status;
}

static void clear_left_out(char **left_out, size_t n_terms)
{
    for (size_t t = 0; t < n_terms; t++) {
        free(left_out[t]);
        left_out[t] = NULL;
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
                           const level_rows *rows, char *const *left_out, size_t terms, fit_result *fit,
                           vt_err *err)
{
    fit_problem level_problem = *input->problem;
    level_problem.left_out = left_out;
    const fit_problem *problem = &level_problem;
    int skip[MODEL_MAX_TARGETS] = {0}, any = 0;
    char reason[MODEL_MAX_TARGETS][600] = {{0}};
    thin_targets(input, rows, terms, skip, reason);
    for (size_t k = 0; k < problem->n_targets; k++)
        any |= !skip[k];
    vt_err fit_err = {0};
    memset(fit, 0, sizeof *fit);
    vt_status status = any ? fit_rows(problem, rows->fit_at, rows->n_fit, skip, fit, &fit_err) : VT_OK;
    /* A level whose fit fails falls back to the pooled model, unless memory
     * ran out: that fails the run (a fallback would hide it). */
    if (status == VT_ENOMEM) {
        *err = fit_err;
        return status;
    }
    if (status != VT_OK)
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
        target->name = vt_strdup(m->targets[k].name);
        target->label = vt_strdup(m->targets[k].label);
        if (!target->name || !target->label || fit_copy_target(target, fit->fits[k], fit->term_mean, m->enc) != VT_OK)
            return vt_err_set(err, VT_ENOMEM, NULL, 0, 0, "out of memory");
        target->n_events = fit->n_events[k];
    }
    return VT_OK;
}

/* The level's rows scored by its own fits into served (per target, n_used
 * values holding the pooled model's until then). */
static vt_status serve_level(const segments_input *input, const model_segment *segment, const fit_result *fit,
                             level_rows *rows, double *const *served, vt_err *err)
{
    vt_status status = VT_OK;
    for (size_t k = 0; status == VT_OK && k < input->problem->n_targets; k++) {
        if (segment->fallback[k])
            continue;
        status = fit_predict(input->problem, fit->fits[k], rows->level_at, rows->n_level, rows->predicted, err);
        for (size_t i = 0; status == VT_OK && i < rows->n_level; i++)
            served[k][rows->level_at[i]] = rows->predicted[i];
    }
    return status;
}

/* Bands that put the asked shares of the fitting rows (each scored by the
 * model that serves it: served, churn) in red and yellow; the shares they
 * give those rows and the judged ones.  rows' arrays are the scratch. */
static vt_status set_bands(const segments_input *input, const double *served, level_rows *rows,
                           segments_bands *bands, vt_err *err)
{
    double *fit = rows->predicted, *judged = rows->observed;
    size_t n_fit = 0, n_judged = 0;
    for (size_t i = 0; i < input->problem->n_used; i++) {
        int held = input->held_out && input->held_out[i];
        if (!held)
            fit[n_fit++] = score_health(served[i]);
        if (held)
            judged[n_judged++] = score_health(served[i]);
        else if (input->out_of_fold)
            judged[n_judged++] = score_health(input->out_of_fold[0][i]);
    }
    vt_status status = bands_from_shares(fit, n_fit, input->red_share, input->yellow_share, &bands->red_below,
                                         &bands->yellow_below, err);
    if (status != VT_OK)
        return status;
    bands->n_fit = n_fit;
    bands->n_judged = n_judged;
    bands_shares(fit, n_fit, bands->red_below, bands->yellow_below, &bands->fit_share[0], &bands->fit_share[1]);
    bands_shares(judged, n_judged, bands->red_below, bands->yellow_below, &bands->judged_share[0],
                 &bands->judged_share[1]);
    return VT_OK;
}

/* A level's metrics: with a holdout or time split, its held-out rows scored
 * by the model that serves it (its own, fitted without them, or the pooled
 * one: served); with --folds, the pooled model's out-of-fold predictions on
 * its rows. */
static vt_status validate_level(const segments_input *input, const model *m, model_segment *segment, double *const *served,
                                double red_below, double yellow_below, level_rows *rows, vt_err *err)
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
        const double *predicted = input->out_of_fold ? input->out_of_fold[k] : served[k];
        for (size_t i = 0; i < n; i++)
            rows->predicted[i] = predicted[rows->fit_at[i]];
        size_t events = 0;
        for (size_t i = 0; status == VT_OK && i < n; i++)
            events += (rows->observed[i] = problem->y[k][rows->fit_at[i]]) == 1.0;
        if (status != VT_OK || events == 0 || events == n)
            continue; /* metrics need both outcomes among the level's held-out rows */
        metrics result;
        if ((status = metrics_compute(rows->observed, rows->predicted, NULL, n, red_below, yellow_below, &result,
                                      err)) == VT_OK &&
            (segment->validation[k] = model_validation_new(method, &result, NULL, 0, strcmp(m->targets[k].name, "churn") == 0)) == NULL)
            status = vt_err_set(err, VT_ENOMEM, NULL, 0, 0, "out of memory");
    }
    return status;
}

/* --folds: each level's out-of-fold predictions from its own fits on the
 * other folds' rows of the level (the terms and fallback chosen as for the
 * saved level's fit, on those rows), the pooled model's out-of-fold ones
 * where the level falls back; into routed (n_used values per target).
 * rows holds the level's rows (collect_rows); its arrays, fold_at among
 * them, are the scratch. */
static vt_status route_folds(const segments_input *input, const enc_feature *feature, level_rows *rows,
                             char **left_out, double *const *routed, vt_err *err)
{
    const fit_problem *problem = input->problem;
    size_t n_level = rows->n_level, n_terms = input->enc->n_terms;
    for (size_t k = 0; k < problem->n_targets; k++) /* the pooled model's until a fit of the level's serves */
        for (size_t i = 0; i < n_level; i++)
            routed[k][rows->level_at[i]] = input->out_of_fold[k][rows->level_at[i]];
    vt_status status = VT_OK;
    for (int f = 0; status == VT_OK && (size_t)f < input->n_folds; f++) {
        size_t n_test = 0;
        rows->n_fit = 0;
        for (size_t i = 0; i < n_level; i++) {
            size_t at = rows->level_at[i];
            if (input->fold_of[at] == f)
                rows->fold_at[n_test++] = at;
            else
                rows->fit_at[rows->n_fit++] = at;
        }
        if (n_test == 0)
            continue;
        size_t n_left = 0;
        int skip[MODEL_MAX_TARGETS] = {0}, any = 0;
        char reason[MODEL_MAX_TARGETS][600];
        if ((status = left_out_terms(input, feature, rows, left_out, &n_left, err)) != VT_OK) {
            clear_left_out(left_out, n_terms);
            break;
        }
        thin_targets(input, rows, n_terms - n_left, skip, reason);
        for (size_t k = 0; k < problem->n_targets; k++)
            any |= !skip[k];
        fit_problem level_problem = *problem;
        level_problem.left_out = left_out;
        fit_result fit = {0};
        vt_err fit_err = {0};
        vt_status fitted = any ? fit_rows(&level_problem, rows->fit_at, rows->n_fit, skip, &fit, &fit_err) : VT_ENUMERIC;
        if (fitted == VT_ENOMEM) {
            *err = fit_err;
            status = fitted;
        }
        for (size_t k = 0; fitted == VT_OK && status == VT_OK && k < problem->n_targets; k++) {
            if (skip[k])
                continue;
            if ((status = fit_predict(problem, fit.fits[k], rows->fold_at, n_test, rows->predicted, err)) == VT_OK)
                for (size_t i = 0; i < n_test; i++)
                    routed[k][rows->fold_at[i]] = rows->predicted[i];
        }
        fit_result_free(&fit);
        clear_left_out(left_out, n_terms);
    }
    return status;
}

/* The judged rows (held out, or every row by its out-of-fold prediction)
 * scored as predict routes them (routed) and by the pooled model alone
 * (pooled), per target, into m->by_routed and m->by_pooled. */
static vt_status compare_routing(const segments_input *input, model *m, double *const *routed,
                                 double *const *pooled, level_rows *rows, vt_err *err)
{
    const fit_problem *problem = input->problem;
    char method[200];
    validation_describe(input->validation, method, sizeof method);
    size_t n = 0;
    for (size_t i = 0; i < problem->n_used; i++)
        if (input->held_out == NULL || input->held_out[i])
            rows->fit_at[n++] = i;
    vt_status status = VT_OK;
    for (size_t k = 0; status == VT_OK && k < problem->n_targets; k++) {
        size_t events = 0;
        for (size_t i = 0; i < n; i++)
            events += (rows->observed[i] = problem->y[k][rows->fit_at[i]]) == 1.0;
        if (events == 0 || events == n)
            continue;
        const double *scores[2] = {routed[k], pooled[k]};
        model_validation **out[2] = {&m->by_routed[k], &m->by_pooled[k]};
        for (int w = 0; status == VT_OK && w < 2; w++) {
            for (size_t i = 0; i < n; i++)
                rows->predicted[i] = scores[w][rows->fit_at[i]];
            metrics result;
            if ((status = metrics_compute(rows->observed, rows->predicted, NULL, n, input->red_below,
                                          input->yellow_below, &result, err)) == VT_OK &&
                (*out[w] = model_validation_new(method, &result, NULL, 0, 0)) == NULL)
                status = vt_err_set(err, VT_ENOMEM, NULL, 0, 0, "out of memory");
        }
    }
    return status;
}

vt_status segments_fit(const segments_input *input, model *m, segments_bands *bands, vt_err *err)
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
                       vt_malloc(room * sizeof(double)), vt_malloc(room * sizeof(double)), NULL};
    m->by_column = vt_strdup(input->by);
    m->segments = vt_calloc(feature->n_levels, sizeof(model_segment));
    /* served: each used row's probabilities from the model that serves it,
     * for the held-out metrics and the bands (the pooled model's first) */
    int shares = input->red_share > 0, serve = shares || input->held_out;
    double *served[MODEL_MAX_TARGETS] = {0};
    vt_status status = VT_OK;
    for (size_t k = 0; serve && k < input->problem->n_targets; k++)
        if ((served[k] = vt_malloc(room * sizeof(double))) == NULL)
            status = VT_ENOMEM;
    if (status != VT_OK || !m->by_column || !m->segments || !rows.fit_at || !rows.level_at || !rows.predicted ||
        !rows.observed)
        status = vt_err_set(err, VT_ENOMEM, NULL, 0, 0, "out of memory");
    for (size_t k = 0; serve && status == VT_OK && k < input->problem->n_targets; k++)
        status = fit_predict(input->problem, input->pooled->fits[k], NULL, n_used, served[k], err);
    size_t n_terms = input->enc->n_terms;
    char **left_out = vt_calloc(n_terms, sizeof *left_out);
    if (left_out == NULL && status == VT_OK)
        status = vt_err_set(err, VT_ENOMEM, NULL, 0, 0, "out of memory");
    for (size_t l = 0; status == VT_OK && l < feature->n_levels; l++) {
        model_segment *segment = &m->segments[m->n_segments++];
        collect_rows(input, by, feature->levels[l], &rows);
        segment->n_rows = rows.n_fit;
        fit_result fit = {0};
        size_t n_left = 0;
        if ((segment->level = vt_strdup(feature->levels[l])) == NULL)
            status = vt_err_set(err, VT_ENOMEM, NULL, 0, 0, "out of memory");
        if (status == VT_OK)
            status = left_out_terms(input, feature, &rows, left_out, &n_left, err);
        if (status == VT_OK)
            status = fit_level(input, m, segment, &rows, left_out, n_terms - n_left, &fit, err);
        if (status == VT_OK && serve)
            status = serve_level(input, segment, &fit, &rows, served, err);
        fit_result_free(&fit);
        clear_left_out(left_out, n_terms);
    }
    double red_below = input->red_below, yellow_below = input->yellow_below;
    if (status == VT_OK && shares && (status = set_bands(input, served[0], &rows, bands, err)) == VT_OK) {
        red_below = bands->red_below;
        yellow_below = bands->yellow_below;
    }
    /* The levels' held-out buckets under the final bands. */
    for (size_t l = 0; status == VT_OK && l < m->n_segments; l++) {
        collect_rows(input, by, m->segments[l].level, &rows);
        status = validate_level(input, m, &m->segments[l], served, red_below, yellow_below, &rows, err);
    }
    /* Routing against the pooled model on the same judged rows. */
    double *routed[MODEL_MAX_TARGETS] = {0}, *pooled[MODEL_MAX_TARGETS] = {0};
    int folds = input->out_of_fold && input->fold_of;
    for (size_t k = 0; (input->held_out || folds) && status == VT_OK && k < input->problem->n_targets; k++) {
        if ((pooled[k] = vt_malloc(room * sizeof(double))) == NULL ||
            (folds && (routed[k] = vt_malloc(room * sizeof(double))) == NULL))
            status = vt_err_set(err, VT_ENOMEM, NULL, 0, 0, "out of memory");
        else if (folds)
            memcpy(pooled[k], input->out_of_fold[k], n_used * sizeof(double));
        else
            status = fit_predict(input->problem, input->pooled->fits[k], NULL, n_used, pooled[k], err);
    }
    if (folds && status == VT_OK && (rows.fold_at = vt_malloc(room * sizeof(size_t))) == NULL)
        status = vt_err_set(err, VT_ENOMEM, NULL, 0, 0, "out of memory");
    for (size_t l = 0; folds && status == VT_OK && l < m->n_segments; l++) {
        collect_rows(input, by, m->segments[l].level, &rows);
        status = route_folds(input, feature, &rows, left_out, routed, err);
    }
    if (status == VT_OK && (input->held_out || folds))
        status = compare_routing(input, m, folds ? routed : served, pooled, &rows, err);
    for (size_t k = 0; k < MODEL_MAX_TARGETS; k++) {
        free(routed[k]);
        free(pooled[k]);
    }
    free(left_out);
    for (size_t k = 0; k < MODEL_MAX_TARGETS; k++)
        free(served[k]);
    free(rows.fit_at);
    free(rows.level_at);
    free(rows.predicted);
    free(rows.observed);
    free(rows.fold_at);
    return status;
}
