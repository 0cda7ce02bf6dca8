/* vitals tune: the team's own scorecard, with weights learned from
 * outcomes, judged on rows the fit did not see.  The workflow is
 * train/tune_run.h's; this file parses the options and writes the card
 * and the report. */
#include <cjson/cJSON.h>
#include <inttypes.h>
#include <limits.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "args.h"
#include "commands.h"
#include "db_args.h"
#include "json.h"
#include "outfile.h"
#include "scorecard.h"
#include "tune_run.h"

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

/* ---------------------------------------------------------- the report */

/* One card on the held-out rows. */
static cJSON *card_json(const tune_result *r, const tune_judgement *judged)
{
    cJSON *item = cJSON_CreateObject();
    json_add_exact(item, "roc_auc", judged->roc_auc);
    json_add_exact(item, "pr_auc", judged->pr_auc);
    json_add_exact(item, "top_decile_capture", judged->top_decile_capture);
    json_add_exact(item, "red_below", judged->red_below);
    json_add_exact(item, "yellow_below", judged->yellow_below);
    static const char *const names[] = {"red", "yellow", "green"};
    cJSON *buckets = cJSON_AddObjectToObject(item, "buckets");
    size_t n = r->n_test;
    for (int b = 0; b < 3; b++) {
        size_t rows = judged->rows[b], events = judged->events[b];
        cJSON *bucket = cJSON_AddObjectToObject(buckets, names[b]);
        cJSON_AddNumberToObject(bucket, "rows", (double)rows);
        json_add_exact(bucket, "share", n ? (double)rows / (double)n : 0);
        json_add_exact(bucket, "churn_rate", rows ? (double)events / (double)rows : 0);
    }
    return item;
}

static cJSON *weights_json(const tune_result *r)
{
    const scorecard *card = r->card;
    cJSON *list = cJSON_CreateArray();
    for (size_t s = 0; s < card->n_sets; s++)
        for (size_t m = 0; m < card->sets[s].n_measures; m++) {
            const tune_measure *measure = &r->sets[s].measures[m];
            cJSON *item = json_append_object(list);
            if (card->sets[s].level)
                cJSON_AddStringToObject(item, "stage", card->sets[s].level);
            cJSON_AddStringToObject(item, "column", card->sets[s].measures[m].column);
            json_add_exact(item, "old_weight", r->old_weights[s][m]);
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
static cJSON *thresholds_json(const tune_args *args, const tune_result *r)
{
    cJSON *item = cJSON_CreateObject();
    cJSON_AddStringToObject(item, "model", args->model_path);
    cJSON_AddStringToObject(item, "label", args->label);
    cJSON_AddBoolToObject(item, "written", args->retune_thresholds);
    cJSON *measures = cJSON_AddArrayToObject(item, "measures");
    for (size_t k = 0; measures && k < r->n_suggestions; k++) {
        const threshold_suggestion *suggestion = &r->suggestions[k];
        cJSON *measure = json_append_object(measures);
        cJSON_AddStringToObject(measure, "column", r->card->columns[r->suggested_column[k]]);
        json_attach(measure, "card", number_array(suggestion->card, suggestion->n));
        json_attach(measure, "suggested", number_array(suggestion->suggested, suggestion->n));
        cJSON *moved = cJSON_AddArrayToObject(measure, "moved");
        for (size_t j = 0; moved && j < suggestion->n; j++)
            json_append(moved, cJSON_CreateBool(suggestion->moved[j]));
        json_attach(measure, "band_risk", number_array(suggestion->band_risk, suggestion->n + 1));
    }
    cJSON *without = cJSON_AddArrayToObject(item, "without_curve");
    for (size_t k = 0; without && k < r->n_no_curve; k++) {
        cJSON *entry = json_append_object(without);
        cJSON_AddStringToObject(entry, "column", r->card->columns[r->no_curve[k].column]);
        cJSON_AddStringToObject(entry, "in_model", r->no_curve[k].why);
    }
    if (r->model_label)
        cJSON_AddStringToObject(item, "model_label", r->model_label);
    json_attach(item, "original", card_json(r, &r->original));
    json_attach(item, "suggested", card_json(r, &r->suggested));
    return item;
}

static cJSON *build_report(const tune_args *args, const tune_result *r)
{
    const scorecard *card = r->card;
    cJSON *root = cJSON_CreateObject();
    cJSON_AddStringToObject(root, "scorecard", card->name);
    cJSON_AddStringToObject(root, "label", args->label);
    cJSON_AddNumberToObject(root, "rows", (double)r->data.n);
    cJSON_AddNumberToObject(root, "rows_without_outcome", (double)r->data.skipped);
    cJSON_AddNumberToObject(root, "fitting_rows", (double)r->n_fit);
    cJSON_AddNumberToObject(root, "held_out_rows", (double)r->n_test);
    json_add_exact(root, "holdout", args->holdout);
    cJSON_AddNumberToObject(root, "seed", (double)args->seed);
    cJSON *sets = cJSON_AddArrayToObject(root, "sets");
    for (size_t s = 0; s < card->n_sets; s++) {
        cJSON *item = json_append_object(sets);
        cJSON_AddStringToObject(item, "stage", card->sets[s].level ? card->sets[s].level : "(default)");
        cJSON_AddNumberToObject(item, "fitting_rows", (double)r->sets[s].n_rows);
        cJSON_AddNumberToObject(item, "fitting_events", (double)r->sets[s].n_events);
        cJSON_AddBoolToObject(item, "converged", r->sets[s].converged);
    }
    json_attach(root, "weights", weights_json(r));
    json_attach(root, "original", card_json(r, &r->original));
    json_attach(root, "tuned", card_json(r, &r->tuned));
    if (args->model_path)
        json_attach(root, "thresholds", thresholds_json(args, r));
    cJSON_AddNumberToObject(root, "held_out_changing_bucket", (double)r->n_changing_bucket);
    if (args->red_share > 0) {
        cJSON *shares = cJSON_AddObjectToObject(root, "band_shares");
        json_add_exact(shares, "red_requested", args->red_share);
        json_add_exact(shares, "yellow_requested", args->yellow_share);
        json_add_exact(shares, "red_held_out", r->held_out_red);
        json_add_exact(shares, "yellow_held_out", r->held_out_yellow);
    }
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
static cJSON *provenance_json(const tune_args *args, const tune_result *r)
{
    char hash[32], stamp[32];
    time_t now = time(NULL);
    struct tm parts;
    gmtime_r(&now, &parts);
    strftime(stamp, sizeof stamp, "%Y-%m-%dT%H:%M:%SZ", &parts);
    snprintf(hash, sizeof hash, "%016" PRIx64, r->data.hash);
    cJSON *item = cJSON_CreateObject();
    cJSON_AddStringToObject(item, "tool", "vitals tune " VT_VERSION);
    cJSON_AddStringToObject(item, "created_at", stamp);
    cJSON_AddStringToObject(item, "tuned_from", args->card_path);
    cJSON_AddStringToObject(item, "label", args->label);
    cJSON *data = cJSON_AddObjectToObject(item, "data");
    cJSON_AddStringToObject(data, "path", r->data.path);
    cJSON_AddNumberToObject(data, "rows", (double)r->data.n);
    cJSON_AddNumberToObject(data, "bytes", (double)r->data.bytes);
    cJSON_AddStringToObject(data, "fnv1a64", hash);
    json_add_exact(item, "holdout", args->holdout);
    cJSON_AddNumberToObject(item, "seed", (double)args->seed);
    cJSON *held_out = cJSON_AddObjectToObject(item, "held_out");
    cJSON_AddNumberToObject(held_out, "rows", (double)r->n_test);
    const char *who[] = {"original", "tuned"};
    const tune_judgement *judged[] = {&r->original, &r->tuned};
    for (int k = 0; k < 2; k++) {
        cJSON *figures = cJSON_AddObjectToObject(held_out, who[k]);
        json_add_exact(figures, "roc_auc", judged[k]->roc_auc);
        json_add_exact(figures, "pr_auc", judged[k]->pr_auc);
        json_add_exact(figures, "top_decile_capture", judged[k]->top_decile_capture);
    }
    return item;
}

/* The report first, then the card committed: a run that fails at any
 * point leaves no card behind (an existing one stays as it was).  The
 * report and the card are built whole before anything is written: an
 * allocation that failed while building them shows in vt_alloc_failures. */
static vt_status write_outputs(const tune_args *args, const tune_result *r, vt_err *err)
{
    unsigned long failures = vt_alloc_failures();
    cJSON *report = build_report(args, r);
    const char *report_path = args->report ? args->report : outfile_is_stdout(args->output) ? "/dev/stderr" : "-";
    cJSON *tuned = scorecard_to_json(r->card, provenance_json(args, r));
    char *card_text = tuned && report && vt_alloc_failures() == failures ? cJSON_Print(tuned) : NULL;
    char *report_text = args->json && card_text && vt_alloc_failures() == failures ? cJSON_Print(report) : NULL;
    outfile *card_file = NULL, *report_file = NULL;
    vt_status status = card_text && (report_text || !args->json)
                           ? VT_OK
                           : vt_err_set(err, VT_ENOMEM, NULL, 0, 0, "out of memory");
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

/* Outputs that cannot be written are known before the work is done. */
static vt_status run_tune(const tune_args *args, vt_err *err)
{
    vt_status status = outfile_check(args->output, err);
    if (status == VT_OK && args->report)
        status = outfile_check(args->report, err);
    if (status != VT_OK)
        return status;
    tune_spec spec = {.card_path = args->card_path, .input = db_args_input(args->data_path, &args->db, ','),
                      .label = args->label, .model_path = args->model_path,
                      .retune_thresholds = args->retune_thresholds, .holdout = args->holdout, .seed = args->seed,
                      .red_share = args->red_share, .yellow_share = args->yellow_share};
    tune_result result;
    if ((status = tune_run(&spec, &result, err)) == VT_OK)
        status = write_outputs(args, &result, err);
    tune_result_free(&result);
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
