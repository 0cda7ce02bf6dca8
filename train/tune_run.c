#include "tune_run.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bands.h"
#include "crossfit.h"
#include "curve.h"
#include "json.h"
#include "metrics.h"
#include "model.h"
#include "validate.h"

/* The run's scratch beside its result: the card before and after, on the
 * same rows. */
typedef struct {
    const tune_spec *spec;
    tune_result *r;
    int *group;               /* 1: held out */
    size_t *fit_rows, *test_rows;
    double *tuned_health;     /* per row */
    unsigned char *tuned_level;
    double *suggested_health; /* per row, with the suggested thresholds */
    unsigned char *suggested_level;
} tune_work;

static vt_status no_memory(vt_err *err)
{
    return vt_err_set(err, VT_ENOMEM, NULL, 0, 0, "out of memory");
}

static void work_free(tune_work *w)
{
    free(w->group);
    free(w->fit_rows);
    free(w->test_rows);
    free(w->tuned_health);
    free(w->tuned_level);
    free(w->suggested_health);
    free(w->suggested_level);
}

void tune_result_free(tune_result *r)
{
    size_t n_sets = r->card ? r->card->n_sets : 0;
    tune_data_free(&r->data);
    for (size_t s = 0; r->old_weights && s < n_sets; s++)
        free(r->old_weights[s]);
    free(r->old_weights);
    tune_sets_free(r->sets, n_sets);
    free(r->sets);
    for (size_t i = 0; r->suggestions && i < r->n_suggestions; i++)
        thresholds_free(&r->suggestions[i]);
    free(r->suggestions);
    free(r->suggested_column);
    free(r->no_curve);
    free(r->model_label);
    scorecard_free(r->card);
    memset(r, 0, sizeof *r);
}

/* The stratified holdout: the positions of the fitting and the held-out rows. */
static vt_status split(tune_work *w, vt_err *err)
{
    const tune_data *data = &w->r->data;
    size_t n = data->n;
    validation_options options = {VALIDATE_HOLDOUT, w->spec->holdout, 0, w->spec->seed, NULL, NULL};
    w->group = vt_calloc(n ? n : 1, sizeof(int));
    w->fit_rows = vt_malloc((n ? n : 1) * sizeof(size_t));
    w->test_rows = vt_malloc((n ? n : 1) * sizeof(size_t));
    if (!w->group || !w->fit_rows || !w->test_rows)
        return no_memory(err);
    size_t events = 0;
    for (size_t i = 0; i < n; i++)
        events += data->y[i] == 1.0;
    char label[VT_QUOTE_SIZE];
    vt_quote(label, sizeof label, w->spec->label, strlen(w->spec->label));
    if (n == 0)
        return vt_err_set(err, VT_EDATA, data->path, 0, 0,
                          "no row has a value in label column '%s': nothing to tune on", label);
    if (events == 0 || events == n)
        return vt_err_set(err, VT_EDATA, data->path, 0, 0,
                          "label column '%s' has a single class (all %d) in the %zu labelled rows; weights need both "
                          "outcomes", label, events ? 1 : 0, n);
    vt_status status = validation_split(&options, data->y, NULL, NULL, 0, data->path, n, w->group, err);
    if (status != VT_OK)
        return status;
    w->r->n_fit = crossfit_rows(w->group, n, 0, 0, w->fit_rows);
    w->r->n_test = crossfit_rows(w->group, n, 1, 0, w->test_rows);
    return VT_OK;
}

/* The card's own weights (on the tuned weights' scale: sum 100) and bands. */
static vt_status keep_old(const scorecard *card, tune_result *r, tune_judgement *original, vt_err *err)
{
    original->red_below = card->red_below;
    original->yellow_below = card->yellow_below;
    if ((r->old_weights = vt_calloc(card->n_sets, sizeof(double *))) == NULL ||
        (r->sets = vt_calloc(card->n_sets, sizeof(tune_set))) == NULL)
        return no_memory(err);
    for (size_t s = 0; s < card->n_sets; s++) {
        double total = 0;
        if ((r->old_weights[s] = vt_malloc((card->sets[s].n_measures + 1) * sizeof(double))) == NULL)
            return no_memory(err);
        for (size_t m = 0; m < card->sets[s].n_measures; m++)
            total += card->sets[s].measures[m].weight;
        for (size_t m = 0; m < card->sets[s].n_measures; m++)
            r->old_weights[s][m] = 100 * card->sets[s].measures[m].weight / total;
    }
    return VT_OK;
}

/* Every row under the tuned card; the bands from the fitting rows' shares if asked. */
static vt_status rescore(tune_work *w, vt_err *err)
{
    scorecard *card = w->r->card;
    const tune_data *data = &w->r->data;
    size_t n = data->n, n_fit = w->r->n_fit;
    w->tuned_health = vt_malloc((n ? n : 1) * sizeof(double));
    w->tuned_level = vt_malloc(n ? n : 1);
    double *fit_health = vt_malloc((n_fit ? n_fit : 1) * sizeof(double));
    vt_status status = w->tuned_health && w->tuned_level && fit_health ? VT_OK : no_memory(err);
    for (size_t i = 0; status == VT_OK && i < n; i++) {
        sc_result result = {0, BUCKET_RED, NULL, 0};
        scorecard_settle(card, data->set[i], data->points + i * data->n_columns, data->fired[i], &result);
        w->tuned_health[i] = result.health;
    }
    for (size_t i = 0; status == VT_OK && i < n_fit; i++)
        fit_health[i] = w->tuned_health[w->fit_rows[i]];
    if (status == VT_OK && w->spec->red_share > 0)
        status = bands_from_shares(fit_health, n_fit, w->spec->red_share, w->spec->yellow_share, &card->red_below,
                                   &card->yellow_below, err);
    for (size_t i = 0; status == VT_OK && i < n; i++) { /* buckets under the final bands */
        sc_result result = {0, BUCKET_RED, NULL, 0};
        scorecard_settle(card, data->set[i], data->points + i * data->n_columns, data->fired[i], &result);
        w->tuned_level[i] = (unsigned char)result.level;
    }
    free(fit_health);
    return status;
}

/* ---------------------------------------------------------- thresholds */

/* The first measure of card column c in set s (NULL: the set leaves it out). */
static sc_measure *measure_in(scorecard *card, size_t s, size_t c)
{
    for (size_t m = 0; m < card->sets[s].n_measures; m++)
        if (card->sets[s].measures[m].column_index == c)
            return &card->sets[s].measures[m];
    return NULL;
}

/* Row i's points with the suggested thresholds (points: n_columns, OUT). */
static void suggested_points(scorecard *card, const tune_result *r, size_t i, double *points)
{
    size_t width = r->data.n_columns;
    memcpy(points, r->data.points + i * width, width * sizeof *points);
    for (size_t k = 0; k < r->n_suggestions; k++) {
        size_t c = r->suggested_column[k];
        double x = r->data.values[i * width + c];
        sc_measure *measure = measure_in(card, r->data.set[i], c);
        if (measure == NULL || isnan(x))
            continue; /* left out by the row's set, or missing: as the card scored it */
        sc_measure moved = *measure;
        sc_threshold steps[64];
        if (moved.n_thresholds > 64)
            continue;
        for (size_t j = 0; j < moved.n_thresholds; j++)
            steps[j] = (sc_threshold){r->suggestions[k].suggested[j], moved.thresholds[j].points};
        moved.thresholds = steps;
        points[c] = scorecard_measure_points(&moved, x);
    }
}

/* The feature of m named column, or -1. */
static long model_feature(const model *m, const char *column)
{
    for (size_t f = 0; f < m->enc->n_features; f++)
        if (strcmp(m->enc->features[f].name, column) == 0)
            return (long)f;
    return -1;
}

/* Why feature f (-1: none) of m has no one curve in target t, or NULL. */
static const char *no_curve(const model *m, const model_target *t, long f)
{
    if (f < 0)
        return "absent";
    const enc_feature *feature = &m->enc->features[f];
    if (feature->type != TYPE_NUMERIC)
        return "categorical";
    if (feature->smooth_by)
        return "a curve per level";
    return feature->smooth && curve_smooth_index(t, (size_t)f) >= 0 ? NULL : "linear";
}

/* A model that shares no column with the card's measures was trained on
 * other data: refused, naming the card's columns. */
static vt_status check_columns(const char *model_path, const scorecard *card, const model *m, vt_err *err)
{
    char names[160] = "", quoted[VT_QUOTE_SIZE];
    for (size_t c = 0; c < card->n_columns; c++) {
        if (!card->is_measure[c])
            continue;
        if (model_feature(m, card->columns[c]) >= 0)
            return VT_OK;
        if (strlen(names) < 100)
            snprintf(names + strlen(names), sizeof names - strlen(names), "%s'%s'", names[0] ? ", " : "",
                     vt_quote(quoted, sizeof quoted, card->columns[c], strlen(card->columns[c])));
    }
    return vt_err_set(err, VT_EUSAGE, json_display_name(model_path), 0, 0,
                      "the model has none of the card's measure columns (%s%s); trained on other data?", names,
                      strlen(names) >= 100 ? ", ..." : "");
}

/* One suggestion per measure column with a curve, from the fitting rows;
 * the others listed with why. */
static vt_status suggest_each(tune_work *w, const model *m, const model_target *t, double *x, vt_err *err)
{
    tune_result *r = w->r;
    scorecard *card = r->card;
    size_t width = r->data.n_columns;
    vt_status status = VT_OK;
    for (size_t c = 0; status == VT_OK && c < width; c++) {
        const sc_measure *measure = NULL;
        for (size_t s = 0; measure == NULL && s < card->n_sets; s++)
            measure = measure_in(card, s, c);
        if (measure == NULL)
            continue; /* a column only rules read */
        long f = model_feature(m, card->columns[c]);
        const char *why = no_curve(m, t, f);
        if (why) {
            r->no_curve[r->n_no_curve++] = (tune_no_curve){c, why};
            continue;
        }
        for (size_t i = 0; i < r->n_fit; i++)
            x[i] = r->data.values[w->fit_rows[i] * width + c];
        status = thresholds_suggest(m, t, (size_t)f, measure, x, r->n_fit, &r->suggestions[r->n_suggestions], err);
        if (status == VT_OK)
            r->suggested_column[r->n_suggestions++] = c;
        else
            vt_err_locate(err, r->data.path);
    }
    return status;
}

/* With a model: suggestions for the measures whose column is a smooth term
 * of the model's churn target, from the fitting rows; the rows under the
 * card with them; with retune_thresholds the card and its points take them. */
static vt_status suggest_thresholds(tune_work *w, const model *m, vt_err *err)
{
    tune_result *r = w->r;
    scorecard *card = r->card;
    const model_target *t = model_find_target(m, "churn");
    size_t width = r->data.n_columns, n = r->data.n;
    double *x = vt_malloc((r->n_fit ? r->n_fit : 1) * sizeof(double)), *points = vt_malloc((width ? width : 1) * sizeof(double));
    r->suggestions = vt_calloc(width ? width : 1, sizeof *r->suggestions);
    r->suggested_column = vt_calloc(width ? width : 1, sizeof(size_t));
    r->no_curve = vt_calloc(width ? width : 1, sizeof *r->no_curve);
    w->suggested_health = vt_malloc((n ? n : 1) * sizeof(double));
    w->suggested_level = vt_malloc(n ? n : 1);
    vt_status status = x && points && r->suggestions && r->suggested_column && r->no_curve && w->suggested_health &&
                               w->suggested_level
                           ? VT_OK
                           : no_memory(err);
    if (status == VT_OK && t == NULL)
        status = vt_err_set(err, VT_EUSAGE, json_display_name(w->spec->model_path), 0, 0,
                            "--model: the model has no churn target (train it with --churn)");
    if (status == VT_OK && strcmp(t->label, w->spec->label) != 0 && (r->model_label = vt_strdup(t->label)) == NULL)
        status = no_memory(err);
    if (status == VT_OK)
        status = suggest_each(w, m, t, x, err);
    for (size_t i = 0; status == VT_OK && i < n; i++) {
        suggested_points(card, r, i, points);
        sc_result result = {0, BUCKET_RED, NULL, 0};
        scorecard_settle(card, r->data.set[i], points, r->data.fired[i], &result);
        w->suggested_health[i] = result.health;
        w->suggested_level[i] = (unsigned char)result.level;
        if (w->spec->retune_thresholds) /* the weights are learned on the new points */
            memcpy(r->data.points + i * width, points, width * sizeof *points);
    }
    for (size_t k = 0; status == VT_OK && w->spec->retune_thresholds && k < r->n_suggestions; k++)
        for (size_t s = 0; s < card->n_sets; s++) {
            sc_measure *measure = measure_in(card, s, r->suggested_column[k]);
            for (size_t j = 0; measure && j < measure->n_thresholds; j++)
                measure->thresholds[j].at = r->suggestions[k].suggested[j];
        }
    free(x);
    free(points);
    return status;
}

/* ---------------------------------------------------------- judging */

/* One card's ranking and buckets on the held-out rows; its bands are
 * judged->red_below and yellow_below. */
static vt_status judge(const tune_work *w, const double *health, const unsigned char *level, tune_judgement *judged,
                       vt_err *err)
{
    const tune_result *r = w->r;
    size_t n = r->n_test;
    double *y = vt_malloc((n ? n : 1) * sizeof(double)), *risk = vt_malloc((n ? n : 1) * sizeof(double));
    metrics m;
    vt_status status = y && risk ? VT_OK : no_memory(err);
    for (size_t i = 0; status == VT_OK && i < n; i++) {
        y[i] = r->data.y[w->test_rows[i]];
        risk[i] = 1 - health[w->test_rows[i]] / 100; /* higher health, lower risk */
    }
    if (status == VT_OK)
        status = metrics_compute(y, risk, NULL, n, judged->red_below, judged->yellow_below, &m, err);
    if (status == VT_OK) {
        judged->roc_auc = m.roc_auc;
        judged->pr_auc = m.average_precision;
        judged->top_decile_capture = m.top_decile_capture;
        for (size_t i = 0; i < n; i++) {
            judged->rows[level[w->test_rows[i]]]++;
            judged->events[level[w->test_rows[i]]] += y[i] == 1.0;
        }
    }
    free(y);
    free(risk);
    return status;
}

/* The card as read and as tuned (and with the suggested thresholds) on the
 * held-out rows, the rows changing bucket, the held-out bands' shares. */
static vt_status judge_all(tune_work *w, vt_err *err)
{
    tune_result *r = w->r;
    r->tuned.red_below = r->card->red_below;
    r->tuned.yellow_below = r->card->yellow_below;
    r->suggested.red_below = r->original.red_below;
    r->suggested.yellow_below = r->original.yellow_below;
    vt_status status = judge(w, r->data.health, r->data.level, &r->original, err);
    if (status == VT_OK)
        status = judge(w, w->tuned_health, w->tuned_level, &r->tuned, err);
    if (status == VT_OK && w->spec->model_path)
        status = judge(w, w->suggested_health, w->suggested_level, &r->suggested, err);
    for (size_t i = 0; i < r->n_test; i++)
        r->n_changing_bucket += r->data.level[w->test_rows[i]] != w->tuned_level[w->test_rows[i]];
    if (status != VT_OK || !(w->spec->red_share > 0))
        return status;
    double *health = vt_malloc((r->n_test ? r->n_test : 1) * sizeof(double));
    if (health == NULL)
        return no_memory(err);
    for (size_t i = 0; i < r->n_test; i++)
        health[i] = w->tuned_health[w->test_rows[i]];
    bands_shares(health, r->n_test, r->card->red_below, r->card->yellow_below, &r->held_out_red, &r->held_out_yellow);
    free(health);
    return VT_OK;
}

/* ---------------------------------------------------------- the run */

static vt_status rename_card(scorecard *card, vt_err *err)
{
    size_t len = strlen(card->name) + sizeof " (tuned)";
    char *name = vt_malloc(len);
    if (name == NULL)
        return no_memory(err);
    snprintf(name, len, "%s (tuned)", card->name);
    free(card->name);
    card->name = name;
    return VT_OK;
}

vt_status tune_run(const tune_spec *spec, tune_result *out, vt_err *err)
{
    memset(out, 0, sizeof *out);
    model *curves = NULL;
    tune_work w = {.spec = spec, .r = out};
    vt_status status = scorecard_load(spec->card_path, &out->card, err);
    if (status == VT_OK && spec->model_path && (status = model_load(spec->model_path, &curves, err)) == VT_OK)
        status = check_columns(spec->model_path, out->card, curves, err); /* before the data is read */
    if (status == VT_OK)
        status = tune_read(out->card, &spec->input, spec->label, &out->data, err);
    if (status == VT_OK)
        status = split(&w, err);
    if (status == VT_OK)
        status = keep_old(out->card, out, &out->original, err);
    if (status == VT_OK && spec->model_path)
        status = suggest_thresholds(&w, curves, err);
    if (status == VT_OK)
        status = tune_fit(out->card, &out->data, w.fit_rows, out->n_fit, spec->input.threads, out->sets, err);
    if (status == VT_OK) {
        tune_apply(out->card, out->sets);
        status = rename_card(out->card, err);
    }
    if (status == VT_OK)
        status = rescore(&w, err);
    if (status == VT_OK)
        status = judge_all(&w, err);
    work_free(&w);
    model_free(curves);
    return status;
}
