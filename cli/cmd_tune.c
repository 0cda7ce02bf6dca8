/* vitals tune: the team's own scorecard, with weights learned from
 * outcomes (train/tune.h), judged on rows the fit did not see. */
#include <cjson/cJSON.h>
#include <inttypes.h>
#include <limits.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "args.h"
#include "bands.h"
#include "curve.h"
#include "commands.h"
#include "crossfit.h"
#include "db_args.h"
#include "json.h"
#include "metrics.h"
#include "model.h"
#include "outfile.h"
#include "scorecard.h"
#include "thresholds.h"
#include "tune.h"
#include "validate.h"

static const char tune_help[] =
    "usage: vitals tune SCORECARD.json LABELLED.csv --label COL -o TUNED.json [options]\n"
    "       vitals tune SCORECARD.json postgresql://... --query SQL|--table NAME --label COL ...\n"
    "\n"
    "Keep the card's measures, directions, thresholds, missing policies, rules and\n"
    "stage sets; learn only the weights: a logistic regression of the label on each\n"
    "measure's points, weights constrained to be >= 0 (a measure that works backwards\n"
    "on this data gets weight 0 and is named with its unconstrained coefficient and z),\n"
    "one set of weights per stage set, scaled to sum to 100; fitted on the rows not\n"
    "held out.  Reports on the held-out rows: old and tuned weights, ROC AUC, PR AUC,\n"
    "top-decile capture and churn rate per bucket of each card, and how many accounts\n"
    "change bucket.  Writes the tuned card (vitals score and compare take it) with\n"
    "where it came from.  LABELLED.csv: a file, - for standard input, or the rows of\n"
    "a PostgreSQL query or table.\n"
    "\n"
    "  --label COL          outcome column (0/1, yes/no, true/false)\n"
    "  -o, --output FILE    tuned card to write (- for standard output)\n"
    "  --holdout FRAC       share of rows held out to judge both cards (default 0.3,\n"
    "                       stratified by the label)\n"
    "  --seed N             seed of the holdout draw (default 20261123)\n"
    "  --red-share S        set the bands so that share S of the fitting rows is red ...\n"
    "  --yellow-share S     ... and share S yellow (both or neither; default: keep the\n"
    "                       card's bands)\n"
    "  --json               the report as JSON\n"
    "  --report FILE        where the report goes (default: standard output, or standard\n"
    "                       error when the card goes to standard output)\n"
    DB_ARGS_HELP_READ
    "  --model MODEL.json   for each measure whose column is a smooth term of the model's\n"
    "                       churn target (a --by model: the pooled one), suggest thresholds\n"
    "                       where the learned curve puts the card's risk steps, with the\n"
    "                       held-out effect of using them (the card's weights and bands\n"
    "                       kept); measures without a curve are listed\n"
    "  --retune-thresholds  write the suggested thresholds into the tuned card (the weights\n"
    "                       are then learned on them); without it the card keeps its own\n"
    "\n"
    "The rule behind --model (models/SCORECARD.md): over the middle 90% of the fitting\n"
    "rows the curve spans the risk range [lo, hi] (log-odds); P points stand for the risk\n"
    "hi - P/100 (hi - lo), 100 points the safest.  A threshold between bands of P1 and P2\n"
    "points moves to where the curve crosses the risk of (P1 + P2)/2 points, the crossing\n"
    "nearest the card's value, rounded to 3 significant digits (a column of whole numbers:\n"
    "to the whole number that keeps the same accounts in the band).  It keeps the card's\n"
    "value where the curve never crosses, and all of the measure's keep theirs if the\n"
    "crossings would break their order.  Shifting the curve up or down changes nothing.\n";

typedef struct {
    const char *card_path, *data_path, *label, *output, *report, *model_path;
    int retune_thresholds;
    double holdout, red_share, yellow_share;
    uint64_t seed;
    db_args db;
    int json;
} tune_args;

/* What the run compares: the card before and after, on the same rows. */
typedef struct {
    tune_data data;
    int *group;               /* 1: held out */
    size_t *fit_rows, *test_rows, n_fit, n_test;
    double **old_weights;     /* per set, per measure */
    double old_red, old_yellow;
    tune_set *sets;
    double *tuned_health;     /* per row */
    unsigned char *tuned_level;
    /* --model: a suggestion per card column with a curve, the rows under
     * the card with them (its own weights and bands), the columns without */
    threshold_suggestion *suggestions;
    size_t *suggested_column, n_suggestions;
    double *suggested_health;
    unsigned char *suggested_level;
    cJSON *without_curve;     /* [{column, in_model}] */
    char *model_label;        /* the model's churn label when not --label, else NULL */
} tune_work;

static void work_free(tune_work *w, size_t n_sets)
{
    tune_data_free(&w->data);
    free(w->group);
    free(w->fit_rows);
    free(w->test_rows);
    for (size_t s = 0; w->old_weights && s < n_sets; s++)
        free(w->old_weights[s]);
    free(w->old_weights);
    tune_sets_free(w->sets, n_sets);
    for (size_t i = 0; w->suggestions && i < w->n_suggestions; i++)
        thresholds_free(&w->suggestions[i]);
    free(w->suggestions);
    free(w->suggested_column);
    free(w->suggested_health);
    free(w->suggested_level);
    cJSON_Delete(w->without_curve);
    free(w->model_label);
    free(w->sets);
    free(w->tuned_health);
    free(w->tuned_level);
}

static vt_status no_memory(vt_err *err)
{
    return vt_err_set(err, VT_ENOMEM, NULL, 0, 0, "out of memory");
}

/* The stratified holdout: the positions of the fitting and the held-out rows. */
static vt_status split(const tune_args *args, tune_work *w, vt_err *err)
{
    size_t n = w->data.n;
    validation_options options = {VALIDATE_HOLDOUT, args->holdout, 0, args->seed, NULL, NULL};
    w->group = vt_calloc(n ? n : 1, sizeof(int));
    w->fit_rows = vt_malloc((n ? n : 1) * sizeof(size_t));
    w->test_rows = vt_malloc((n ? n : 1) * sizeof(size_t));
    if (!w->group || !w->fit_rows || !w->test_rows)
        return no_memory(err);
    size_t events = 0;
    for (size_t i = 0; i < n; i++)
        events += w->data.y[i] == 1.0;
    char label[VT_QUOTE_SIZE];
    vt_quote(label, sizeof label, args->label, strlen(args->label));
    if (n == 0)
        return vt_err_set(err, VT_EDATA, w->data.path, 0, 0,
                          "no row has a value in label column '%s': nothing to tune on", label);
    if (events == 0 || events == n)
        return vt_err_set(err, VT_EDATA, w->data.path, 0, 0,
                          "label column '%s' has a single class (all %d) in the %zu labelled rows; weights need both "
                          "outcomes", label, events ? 1 : 0, n);
    vt_status status = validation_split(&options, w->data.y, NULL, NULL, 0, w->data.path, n, w->group, err);
    if (status != VT_OK)
        return status;
    w->n_fit = crossfit_rows(w->group, n, 0, 0, w->fit_rows);
    w->n_test = crossfit_rows(w->group, n, 1, 0, w->test_rows);
    return VT_OK;
}

static vt_status keep_old(const scorecard *card, tune_work *w, vt_err *err)
{
    w->old_red = card->red_below;
    w->old_yellow = card->yellow_below;
    if ((w->old_weights = vt_calloc(card->n_sets, sizeof(double *))) == NULL ||
        (w->sets = vt_calloc(card->n_sets, sizeof(tune_set))) == NULL)
        return no_memory(err);
    for (size_t s = 0; s < card->n_sets; s++) {
        double total = 0;
        if ((w->old_weights[s] = vt_malloc((card->sets[s].n_measures + 1) * sizeof(double))) == NULL)
            return no_memory(err);
        for (size_t m = 0; m < card->sets[s].n_measures; m++)
            total += card->sets[s].measures[m].weight;
        for (size_t m = 0; m < card->sets[s].n_measures; m++) /* on the tuned weights' scale: sum 100 */
            w->old_weights[s][m] = 100 * card->sets[s].measures[m].weight / total;
    }
    return VT_OK;
}

/* Every row under the tuned card; the bands from the fitting rows' shares if asked. */
static vt_status rescore(const tune_args *args, scorecard *card, tune_work *w, vt_err *err)
{
    size_t n = w->data.n;
    w->tuned_health = vt_malloc((n ? n : 1) * sizeof(double));
    w->tuned_level = vt_malloc(n ? n : 1);
    double *fit_health = vt_malloc((w->n_fit ? w->n_fit : 1) * sizeof(double));
    vt_status status = w->tuned_health && w->tuned_level && fit_health ? VT_OK : no_memory(err);
    for (size_t i = 0; status == VT_OK && i < n; i++) {
        sc_result result = {0, BUCKET_RED, NULL, 0};
        scorecard_settle(card, w->data.set[i], w->data.points + i * w->data.n_columns, w->data.fired[i], &result);
        w->tuned_health[i] = result.health;
    }
    for (size_t i = 0; status == VT_OK && i < w->n_fit; i++)
        fit_health[i] = w->tuned_health[w->fit_rows[i]];
    if (status == VT_OK && args->red_share > 0)
        status = bands_from_shares(fit_health, w->n_fit, args->red_share, args->yellow_share, &card->red_below,
                                   &card->yellow_below, err);
    for (size_t i = 0; status == VT_OK && i < n; i++) { /* buckets under the final bands */
        sc_result result = {0, BUCKET_RED, NULL, 0};
        scorecard_settle(card, w->data.set[i], w->data.points + i * w->data.n_columns, w->data.fired[i], &result);
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
static void suggested_points(scorecard *card, const tune_work *w, size_t i, double *points)
{
    size_t width = w->data.n_columns;
    memcpy(points, w->data.points + i * width, width * sizeof *points);
    for (size_t k = 0; k < w->n_suggestions; k++) {
        size_t c = w->suggested_column[k];
        double x = w->data.values[i * width + c];
        sc_measure *measure = measure_in(card, w->data.set[i], c);
        if (measure == NULL || isnan(x))
            continue; /* left out by the row's set, or missing: as the card scored it */
        sc_measure moved = *measure;
        sc_threshold steps[64];
        if (moved.n_thresholds > 64)
            continue;
        for (size_t j = 0; j < moved.n_thresholds; j++)
            steps[j] = (sc_threshold){w->suggestions[k].suggested[j], moved.thresholds[j].points};
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
static vt_status check_columns(const tune_args *args, const scorecard *card, const model *m, vt_err *err)
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
    return vt_err_set(err, VT_EUSAGE, json_display_name(args->model_path), 0, 0,
                      "the model has none of the card's measure columns (%s%s); trained on other data?", names,
                      strlen(names) >= 100 ? ", ..." : "");
}

/* --model: suggestions for the measures whose column is a smooth term of
 * the model's churn target, from the fitting rows; the rows under the card
 * with them; with --retune-thresholds the card and its points take them. */
static vt_status suggest_thresholds(const tune_args *args, scorecard *card, const model *m, tune_work *w,
                                    vt_err *err)
{
    vt_status status = VT_OK;
    const model_target *t = model_find_target(m, "churn");
    size_t width = w->data.n_columns, n = w->data.n;
    double *x = vt_malloc((w->n_fit ? w->n_fit : 1) * sizeof(double)), *points = vt_malloc((width ? width : 1) * sizeof(double));
    w->suggestions = vt_calloc(width ? width : 1, sizeof *w->suggestions);
    w->suggested_column = vt_calloc(width ? width : 1, sizeof(size_t));
    w->suggested_health = vt_malloc((n ? n : 1) * sizeof(double));
    w->suggested_level = vt_malloc(n ? n : 1);
    w->without_curve = cJSON_CreateArray();
    if (!x || !points || !w->suggestions || !w->suggested_column || !w->suggested_health || !w->suggested_level ||
        !w->without_curve)
        status = no_memory(err);
    if (status == VT_OK && t == NULL)
        status = vt_err_set(err, VT_EUSAGE, json_display_name(args->model_path), 0, 0,
                            "--model: the model has no churn target (train it with --churn)");
    if (status == VT_OK && strcmp(t->label, args->label) != 0 && (w->model_label = vt_strdup(t->label)) == NULL)
        status = no_memory(err);
    for (size_t c = 0; status == VT_OK && c < width; c++) {
        const sc_measure *measure = NULL;
        for (size_t s = 0; measure == NULL && s < card->n_sets; s++)
            measure = measure_in(card, s, c);
        if (measure == NULL)
            continue; /* a column only rules read */
        long f = model_feature(m, card->columns[c]);
        const char *why = no_curve(m, t, f);
        if (why) {
            cJSON *item = json_append_object(w->without_curve);
            if (!cJSON_AddStringToObject(item, "column", card->columns[c]) ||
                !cJSON_AddStringToObject(item, "in_model", why))
                status = no_memory(err);
            continue;
        }
        for (size_t i = 0; i < w->n_fit; i++)
            x[i] = w->data.values[w->fit_rows[i] * width + c];
        status = thresholds_suggest(m, t, (size_t)f, measure, x, w->n_fit, &w->suggestions[w->n_suggestions], err);
        if (status == VT_OK)
            w->suggested_column[w->n_suggestions++] = c;
        else
            vt_err_locate(err, w->data.path);
    }
    for (size_t i = 0; status == VT_OK && i < n; i++) {
        suggested_points(card, w, i, points);
        sc_result result = {0, BUCKET_RED, NULL, 0};
        scorecard_settle(card, w->data.set[i], points, w->data.fired[i], &result);
        w->suggested_health[i] = result.health;
        w->suggested_level[i] = (unsigned char)result.level;
        if (args->retune_thresholds) /* the weights are learned on the new points */
            memcpy(w->data.points + i * width, points, width * sizeof *points);
    }
    for (size_t k = 0; status == VT_OK && args->retune_thresholds && k < w->n_suggestions; k++)
        for (size_t s = 0; s < card->n_sets; s++) {
            sc_measure *measure = measure_in(card, s, w->suggested_column[k]);
            for (size_t j = 0; measure && j < measure->n_thresholds; j++)
                measure->thresholds[j].at = w->suggestions[k].suggested[j];
        }
    free(x);
    free(points);
    return status;
}

/* ---------------------------------------------------------- the report */

/* One card's ranking and buckets on the held-out rows. */
static cJSON *card_json(const tune_work *w, const double *health, const unsigned char *level, const scorecard *card,
                        double red_below, double yellow_below, vt_err *err, vt_status *status)
{
    size_t n = w->n_test;
    double *y = vt_malloc((n ? n : 1) * sizeof(double)), *risk = vt_malloc((n ? n : 1) * sizeof(double));
    cJSON *item = cJSON_CreateObject();
    metrics m;
    if (!y || !risk) {
        *status = no_memory(err);
    } else {
        for (size_t i = 0; i < n; i++) {
            y[i] = w->data.y[w->test_rows[i]];
            risk[i] = 1 - health[w->test_rows[i]] / 100; /* higher health, lower risk */
        }
        *status = metrics_compute(y, risk, NULL, n, red_below, yellow_below, &m, err);
    }
    if (*status == VT_OK) {
        json_add_exact(item, "roc_auc", m.roc_auc);
        json_add_exact(item, "pr_auc", m.average_precision);
        json_add_exact(item, "top_decile_capture", m.top_decile_capture);
        json_add_exact(item, "red_below", red_below);
        json_add_exact(item, "yellow_below", yellow_below);
        static const char *const names[] = {"red", "yellow", "green"};
        cJSON *buckets = cJSON_AddObjectToObject(item, "buckets");
        for (int b = 0; b < 3; b++) {
            size_t rows = 0, events = 0;
            for (size_t i = 0; i < n; i++)
                if (level[w->test_rows[i]] == b) {
                    rows++;
                    events += y[i] == 1.0;
                }
            cJSON *bucket = cJSON_AddObjectToObject(buckets, names[b]);
            cJSON_AddNumberToObject(bucket, "rows", (double)rows);
            json_add_exact(bucket, "share", n ? (double)rows / (double)n : 0);
            json_add_exact(bucket, "churn_rate", rows ? (double)events / (double)rows : 0);
        }
    }
    (void)card;
    free(y);
    free(risk);
    return item;
}

static cJSON *weights_json(const scorecard *card, const tune_work *w)
{
    cJSON *list = cJSON_CreateArray();
    for (size_t s = 0; s < card->n_sets; s++)
        for (size_t m = 0; m < card->sets[s].n_measures; m++) {
            const tune_measure *measure = &w->sets[s].measures[m];
            cJSON *item = json_append_object(list);
            if (card->sets[s].level)
                cJSON_AddStringToObject(item, "stage", card->sets[s].level);
            cJSON_AddStringToObject(item, "column", card->sets[s].measures[m].column);
            json_add_exact(item, "old_weight", w->old_weights[s][m]);
            json_add_exact(item, "tuned_weight", measure->weight);
            json_add_exact(item, "coefficient_per_100_points_lost", measure->coefficient);
            if (!measure->aliased) {
                json_add_exact(item, "unconstrained_coefficient", measure->free_coefficient);
                json_add_exact(item, "unconstrained_z", measure->free_z);
            }
            cJSON_AddBoolToObject(item, "works_backwards", measure->zeroed);
            cJSON_AddBoolToObject(item, "constant", measure->aliased);
        }
    return list;
}

static cJSON *number_array(const double *values, size_t n)
{
    cJSON *array = cJSON_CreateArray();
    for (size_t i = 0; array && i < n; i++) /* NaN (a band without accounts): null */
        json_append(array, isfinite(values[i]) ? json_create_exact(values[i]) : cJSON_CreateNull());
    return array;
}

/* --model: each suggestion and the held-out effect of the thresholds. */
static cJSON *thresholds_json(const tune_args *args, const scorecard *card, const tune_work *w, vt_err *err,
                              vt_status *status)
{
    cJSON *item = cJSON_CreateObject();
    cJSON_AddStringToObject(item, "model", args->model_path);
    cJSON_AddStringToObject(item, "label", args->label);
    cJSON_AddBoolToObject(item, "written", args->retune_thresholds);
    cJSON *measures = cJSON_AddArrayToObject(item, "measures");
    for (size_t k = 0; measures && k < w->n_suggestions; k++) {
        const threshold_suggestion *suggestion = &w->suggestions[k];
        cJSON *measure = json_append_object(measures);
        cJSON_AddStringToObject(measure, "column", card->columns[w->suggested_column[k]]);
        json_attach(measure, "card", number_array(suggestion->card, suggestion->n));
        json_attach(measure, "suggested", number_array(suggestion->suggested, suggestion->n));
        cJSON *moved = cJSON_AddArrayToObject(measure, "moved");
        for (size_t j = 0; moved && j < suggestion->n; j++)
            json_append(moved, cJSON_CreateBool(suggestion->moved[j]));
        json_attach(measure, "band_risk", number_array(suggestion->band_risk, suggestion->n + 1));
    }
    json_attach(item, "without_curve", cJSON_Duplicate(w->without_curve, 1));
    if (w->model_label)
        cJSON_AddStringToObject(item, "model_label", w->model_label);
    json_attach(item, "original", card_json(w, w->data.health, w->data.level, card, w->old_red, w->old_yellow, err,
                                            status));
    if (*status == VT_OK)
        json_attach(item, "suggested", card_json(w, w->suggested_health, w->suggested_level, card, w->old_red,
                                                 w->old_yellow, err, status));
    return item;
}

static cJSON *build_report(const tune_args *args, const scorecard *card, const tune_work *w, vt_err *err,
                           vt_status *status)
{
    cJSON *root = cJSON_CreateObject();
    cJSON_AddStringToObject(root, "scorecard", card->name);
    cJSON_AddStringToObject(root, "label", args->label);
    cJSON_AddNumberToObject(root, "rows", (double)w->data.n);
    cJSON_AddNumberToObject(root, "rows_without_outcome", (double)w->data.skipped);
    cJSON_AddNumberToObject(root, "fitting_rows", (double)w->n_fit);
    cJSON_AddNumberToObject(root, "held_out_rows", (double)w->n_test);
    json_add_exact(root, "holdout", args->holdout);
    cJSON_AddNumberToObject(root, "seed", (double)args->seed);
    cJSON *sets = cJSON_AddArrayToObject(root, "sets");
    for (size_t s = 0; s < card->n_sets; s++) {
        cJSON *item = json_append_object(sets);
        cJSON_AddStringToObject(item, "stage", card->sets[s].level ? card->sets[s].level : "(default)");
        cJSON_AddNumberToObject(item, "fitting_rows", (double)w->sets[s].n_rows);
        cJSON_AddNumberToObject(item, "fitting_events", (double)w->sets[s].n_events);
        cJSON_AddBoolToObject(item, "converged", w->sets[s].converged);
    }
    json_attach(root, "weights", weights_json(card, w));
    vt_status first = VT_OK;
    json_attach(root, "original", card_json(w, w->data.health, w->data.level, card, w->old_red, w->old_yellow, err, &first));
    if (first == VT_OK)
        json_attach(root, "tuned", card_json(w, w->tuned_health, w->tuned_level, card, card->red_below,
                                             card->yellow_below, err, &first));
    if (first == VT_OK && args->model_path)
        json_attach(root, "thresholds", thresholds_json(args, card, w, err, &first));
    size_t moved = 0;
    for (size_t i = 0; i < w->n_test; i++)
        moved += w->data.level[w->test_rows[i]] != w->tuned_level[w->test_rows[i]];
    cJSON_AddNumberToObject(root, "held_out_changing_bucket", (double)moved);
    if (args->red_share > 0) {
        cJSON *shares = cJSON_AddObjectToObject(root, "band_shares");
        double red = 0, yellow = 0, *health = vt_malloc((w->n_test ? w->n_test : 1) * sizeof(double));
        if (health == NULL)
            first = first == VT_OK ? no_memory(err) : first;
        for (size_t i = 0; health && i < w->n_test; i++)
            health[i] = w->tuned_health[w->test_rows[i]];
        json_add_exact(shares, "red_requested", args->red_share);
        json_add_exact(shares, "yellow_requested", args->yellow_share);
        if (health)
            bands_shares(health, w->n_test, card->red_below, card->yellow_below, &red, &yellow);
        json_add_exact(shares, "red_held_out", red);
        json_add_exact(shares, "yellow_held_out", yellow);
        free(health);
    }
    *status = first;
    return root;
}

static void print_card(FILE *out, const char *who, const cJSON *item)
{
    const cJSON *buckets = cJSON_GetObjectItem(item, "buckets");
    fprintf(out, "%-9s ROC AUC %.4f   PR AUC %.4f   top decile captures %.1f%%   bands %g/%g\n", who,
            json_number(item, "roc_auc"), json_number(item, "pr_auc"), 100 * json_number(item, "top_decile_capture"),
            json_number(item, "red_below"), json_number(item, "yellow_below"));
    static const char *const names[] = {"green", "yellow", "red"};
    fprintf(out, "%-9s", "");
    for (int b = 0; b < 3; b++) {
        const cJSON *bucket = cJSON_GetObjectItem(buckets, names[b]);
        fprintf(out, " %s %.1f%% of rows, churn %.1f%%%s", names[b], 100 * json_number(bucket, "share"),
                100 * json_number(bucket, "churn_rate"), b < 2 ? ";" : "\n");
    }
}

static void print_values(FILE *out, const cJSON *array)
{
    const cJSON *value;
    int first = 1;
    cJSON_ArrayForEach(value, array) { /* json_create_exact's raw text, as written */
        fprintf(out, "%s%s", first ? "" : ", ", cJSON_IsRaw(value) ? value->valuestring : "null");
        first = 0;
    }
}

/* The measures without a curve, by what the model has instead. */
static void print_without_curve(FILE *out, const cJSON *without)
{
    static const char *const kinds[][2] = {{"linear", "a linear term"},
                                           {"a curve per level", "a curve per level"},
                                           {"categorical", "categorical"},
                                           {"absent", "not in the model"}};
    for (size_t k = 0; k < sizeof kinds / sizeof kinds[0]; k++) {
        const cJSON *item;
        int first = 1;
        cJSON_ArrayForEach(item, without) {
            if (strcmp(cJSON_GetObjectItem(item, "in_model")->valuestring, kinds[k][0]) != 0)
                continue;
            fprintf(out, "%s%s", first ? "  no curve in the model for: " : ", ",
                    cJSON_GetObjectItem(item, "column")->valuestring);
            first = 0;
        }
        if (!first)
            fprintf(out, " (%s)\n", kinds[k][1]);
    }
}

static void print_thresholds(FILE *out, const cJSON *thresholds)
{
    fprintf(out, "\nthresholds where the churn curves of %s put the card's risk steps (the card's weights and bands "
                 "kept):\n", cJSON_GetObjectItem(thresholds, "model")->valuestring);
    const cJSON *item;
    cJSON_ArrayForEach(item, cJSON_GetObjectItem(thresholds, "measures")) {
        fprintf(out, "  %-28s card ", cJSON_GetObjectItem(item, "column")->valuestring);
        print_values(out, cJSON_GetObjectItem(item, "card"));
        fprintf(out, "  ->  suggested ");
        print_values(out, cJSON_GetObjectItem(item, "suggested"));
        int any = 0;
        const cJSON *moved;
        cJSON_ArrayForEach(moved, cJSON_GetObjectItem(item, "moved"))
            any |= cJSON_IsTrue(moved);
        fprintf(out, "%s\n", any ? "" : "  (kept: the curve does not place them elsewhere)");
    }
    print_without_curve(out, cJSON_GetObjectItem(thresholds, "without_curve"));
    const cJSON *model_label = cJSON_GetObjectItem(thresholds, "model_label");
    if (model_label)
        fprintf(out, "  note: the model's churn curves were fitted to '%s', the card is judged on '%s'\n",
                model_label->valuestring, cJSON_GetObjectItem(thresholds, "label")->valuestring);
    if (cJSON_GetArraySize(cJSON_GetObjectItem(thresholds, "measures")) == 0) {
        fprintf(out, "  no measure of the card has a curve in the model: no thresholds to suggest\n");
        return;
    }
    fprintf(out, "on the held-out rows:\n");
    print_card(out, "card", cJSON_GetObjectItem(thresholds, "original"));
    print_card(out, "suggested", cJSON_GetObjectItem(thresholds, "suggested"));
    fprintf(out, "%s\n", cJSON_IsTrue(cJSON_GetObjectItem(thresholds, "written"))
                              ? "the tuned card holds the suggested thresholds (--retune-thresholds)"
                              : "the tuned card keeps the card's thresholds (--retune-thresholds writes these)");
}

static void print_report(FILE *out, const cJSON *root)
{
    fprintf(out, "tuned '%s' on %.0f rows of '%s' (%.0f fitting, %.0f held out)\n\n",
            cJSON_GetObjectItem(root, "scorecard")->valuestring, json_number(root, "rows"),
            cJSON_GetObjectItem(root, "label")->valuestring, json_number(root, "fitting_rows"),
            json_number(root, "held_out_rows"));
    fprintf(out, "%-14s %-28s %10s %10s\n", "stage", "measure", "old", "tuned");
    const cJSON *item;
    cJSON_ArrayForEach(item, cJSON_GetObjectItem(root, "weights")) {
        const cJSON *stage = cJSON_GetObjectItem(item, "stage");
        fprintf(out, "%-14s %-28s %10.1f %10.1f", stage ? stage->valuestring : "", cJSON_GetObjectItem(item, "column")->valuestring,
                json_number(item, "old_weight"), json_number(item, "tuned_weight"));
        if (cJSON_IsTrue(cJSON_GetObjectItem(item, "works_backwards")))
            fprintf(out, "  <-- works backwards: unconstrained %+.3f per 100 points lost, z = %.2f",
                    json_number(item, "unconstrained_coefficient"), json_number(item, "unconstrained_z"));
        else if (cJSON_IsTrue(cJSON_GetObjectItem(item, "constant")))
            fprintf(out, "  <-- its points do not vary (or repeat other measures')");
        fputc('\n', out);
    }
    cJSON_ArrayForEach(item, cJSON_GetObjectItem(root, "sets"))
        if (!cJSON_IsTrue(cJSON_GetObjectItem(item, "converged")))
            fprintf(out, "warning: the fit of stage %s did not converge\n",
                    cJSON_GetObjectItem(item, "stage")->valuestring);
    fprintf(out, "\non the %.0f held-out rows:\n", json_number(root, "held_out_rows"));
    print_card(out, "original", cJSON_GetObjectItem(root, "original"));
    print_card(out, "tuned", cJSON_GetObjectItem(root, "tuned"));
    fprintf(out, "%.0f held-out accounts change bucket\n", json_number(root, "held_out_changing_bucket"));
    const cJSON *thresholds = cJSON_GetObjectItem(root, "thresholds");
    if (thresholds)
        print_thresholds(out, thresholds);
    const cJSON *shares = cJSON_GetObjectItem(root, "band_shares");
    if (shares)
        fprintf(out, "bands from shares: red %.1f%% and yellow %.1f%% asked of the fitting rows; held out: red %.1f%%, yellow %.1f%%\n",
                100 * json_number(shares, "red_requested"), 100 * json_number(shares, "yellow_requested"),
                100 * json_number(shares, "red_held_out"), 100 * json_number(shares, "yellow_held_out"));
}

/* Where the tuned card came from, stored in it. */
static cJSON *provenance_json(const tune_args *args, const tune_work *w, const cJSON *report)
{
    char hash[32], stamp[32];
    time_t now = time(NULL);
    struct tm parts;
    gmtime_r(&now, &parts);
    strftime(stamp, sizeof stamp, "%Y-%m-%dT%H:%M:%SZ", &parts);
    snprintf(hash, sizeof hash, "%016" PRIx64, w->data.hash);
    cJSON *item = cJSON_CreateObject();
    cJSON_AddStringToObject(item, "tool", "vitals tune " VT_VERSION);
    cJSON_AddStringToObject(item, "created_at", stamp);
    cJSON_AddStringToObject(item, "tuned_from", args->card_path);
    cJSON_AddStringToObject(item, "label", args->label);
    cJSON *data = cJSON_AddObjectToObject(item, "data");
    cJSON_AddStringToObject(data, "path", w->data.path);
    cJSON_AddNumberToObject(data, "rows", (double)w->data.n);
    cJSON_AddNumberToObject(data, "bytes", (double)w->data.bytes);
    cJSON_AddStringToObject(data, "fnv1a64", hash);
    json_add_exact(item, "holdout", args->holdout);
    cJSON_AddNumberToObject(item, "seed", (double)args->seed);
    cJSON *held_out = cJSON_AddObjectToObject(item, "held_out");
    cJSON_AddNumberToObject(held_out, "rows", (double)w->n_test);
    const char *who[] = {"original", "tuned"};
    for (int k = 0; k < 2; k++) {
        const cJSON *card = cJSON_GetObjectItem(report, who[k]);
        cJSON *figures = cJSON_AddObjectToObject(held_out, who[k]);
        json_add_exact(figures, "roc_auc", json_number(card, "roc_auc"));
        json_add_exact(figures, "pr_auc", json_number(card, "pr_auc"));
        json_add_exact(figures, "top_decile_capture", json_number(card, "top_decile_capture"));
    }
    return item;
}

static vt_status rename_card(scorecard *card)
{
    size_t len = strlen(card->name) + sizeof " (tuned)";
    char *name = vt_malloc(len);
    if (name == NULL)
        return VT_ENOMEM;
    snprintf(name, len, "%s (tuned)", card->name);
    free(card->name);
    card->name = name;
    return VT_OK;
}

/* The report first, then the card committed: a run that fails at any
 * point leaves no card behind (an existing one stays as it was). */
static vt_status write_outputs(const tune_args *args, const scorecard *card, const tune_work *w, cJSON *report,
                               unsigned long failures, vt_err *err)
{
    const char *report_path = args->report ? args->report : outfile_is_stdout(args->output) ? "/dev/stderr" : "-";
    cJSON *tuned = scorecard_to_json(card, provenance_json(args, w, report));
    char *card_text = tuned && vt_alloc_failures() == failures ? cJSON_Print(tuned) : NULL;
    char *report_text = args->json && card_text && vt_alloc_failures() == failures ? cJSON_Print(report) : NULL;
    outfile *card_file = NULL, *report_file = NULL;
    vt_status status = card_text && (report_text || !args->json) ? VT_OK : no_memory(err);
    if (status == VT_OK && (status = outfile_open(args->output, &card_file, err)) == VT_OK)
        if ((status = outfile_write(card_file, card_text, strlen(card_text), err)) == VT_OK)
            status = outfile_write(card_file, "\n", 1, err);
    if (status == VT_OK && (status = outfile_open(report_path, &report_file, err)) == VT_OK) {
        if (report_text && (status = outfile_write(report_file, report_text, strlen(report_text), err)) == VT_OK)
            status = outfile_write(report_file, "\n", 1, err);
        else
            print_report(outfile_stream(report_file), report);
    }
    if (status == VT_OK) {
        status = outfile_commit(report_file, err);
        report_file = NULL;
    }
    if (status == VT_OK) {
        status = outfile_commit(card_file, err);
        card_file = NULL;
    }
    outfile_abort(report_file);
    outfile_abort(card_file);
    cJSON_free(card_text);
    cJSON_free(report_text);
    cJSON_Delete(tuned);
    cJSON_Delete(report);
    return status;
}

static vt_status run_tune(const tune_args *args, vt_err *err)
{
    scorecard *card = NULL;
    model *curves = NULL; /* --model */
    tune_work w = {0};
    vt_status status = outfile_check(args->output, err);
    if (status == VT_OK && args->report)
        status = outfile_check(args->report, err);
    if (status == VT_OK)
        status = scorecard_load(args->card_path, &card, err);
    if (status == VT_OK && args->model_path && (status = model_load(args->model_path, &curves, err)) == VT_OK)
        status = check_columns(args, card, curves, err); /* before the data is read */
    row_stream_options input = db_args_input(args->data_path, &args->db, ',');
    if (status == VT_OK)
        status = tune_read(card, &input, args->label, &w.data, err);
    if (status == VT_OK)
        status = split(args, &w, err);
    if (status == VT_OK)
        status = keep_old(card, &w, err);
    if (status == VT_OK && args->model_path)
        status = suggest_thresholds(args, card, curves, &w, err);
    if (status == VT_OK)
        status = tune_fit(card, &w.data, w.fit_rows, w.n_fit, args->db.threads, w.sets, err);
    if (status == VT_OK) {
        tune_apply(card, w.sets);
        status = rename_card(card) == VT_OK ? rescore(args, card, &w, err) : no_memory(err);
    }
    if (status == VT_OK) {
        unsigned long failures = vt_alloc_failures();
        cJSON *report = build_report(args, card, &w, err, &status);
        if (status == VT_OK)
            status = write_outputs(args, card, &w, report, failures, err);
        else
            cJSON_Delete(report);
    }
    work_free(&w, card ? card->n_sets : 0);
    scorecard_free(card);
    model_free(curves);
    return status;
}

static const arg_spec tune_options[] = {
    {"--label", NULL, ARG_STRING, ARG_AT(tune_args, label), .required = 1},
    {"--output", "-o", ARG_STRING, ARG_AT(tune_args, output), .required = 1},
    {"--holdout", NULL, ARG_SHARE, ARG_AT(tune_args, holdout)},
    {"--seed", NULL, ARG_LONG, ARG_AT(tune_args, seed), .min = 0, .max = LONG_MAX},
    {"--red-share", NULL, ARG_SHARE, ARG_AT(tune_args, red_share)},
    {"--yellow-share", NULL, ARG_SHARE, ARG_AT(tune_args, yellow_share)},
    {"--json", NULL, ARG_FLAG, ARG_AT(tune_args, json)},
    {"--report", NULL, ARG_STRING, ARG_AT(tune_args, report)},
    DB_ARGS_OPTIONS(tune_args, db),
    {"--model", NULL, ARG_STRING, ARG_AT(tune_args, model_path)},
    {"--retune-thresholds", NULL, ARG_FLAG, ARG_AT(tune_args, retune_thresholds)},
    {0},
};

static const arg_spec tune_positionals[] = {
    {"SCORECARD.json", NULL, ARG_STRING, ARG_AT(tune_args, card_path)},
    {"LABELLED.csv", NULL, ARG_STRING, ARG_AT(tune_args, data_path)},
    {0},
};

vt_status cmd_tune(int argc, char **argv, vt_err *err)
{
    tune_args args = {.holdout = 0.3, .seed = 20261123};
    args_result parsed = args_parse(argc, argv, tune_options, tune_positionals, &args, err);
    if (parsed != ARGS_RUN)
        return args_stop(parsed, tune_help, err);
    if ((args.red_share > 0) != (args.yellow_share > 0))
        return vt_err_set(err, VT_EUSAGE, NULL, 0, 0, "--red-share and --yellow-share go together");
    if (args.red_share + args.yellow_share >= 1)
        return vt_err_set(err, VT_EUSAGE, NULL, 0, 0, "--red-share and --yellow-share must sum below 1");
    if (args.retune_thresholds && !args.model_path)
        return vt_err_set(err, VT_EUSAGE, NULL, 0, 0, "--retune-thresholds needs --model MODEL.json (the curves)");
    if (args.report && args.output && strcmp(args.report, args.output) == 0)
        return vt_err_set(err, VT_EUSAGE, NULL, 0, 0, "--report and --output name the same file");
    vt_status status = db_args_resolve(args.data_path, &args.db, NULL, args.db.delimiter, err);
    if (status == VT_OK)
        status = run_tune(&args, err);
    db_args_free(&args.db);
    return status;
}
