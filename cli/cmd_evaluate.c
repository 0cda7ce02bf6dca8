/* vitals evaluate: a trained model on a labelled file it has not seen, with
 * the metrics train reports on held-out rows. */
#include <cjson/cJSON.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "args.h"
#include "commands.h"
#include "compare.h"
#include "db_args.h"
#include "json.h"
#include "metrics.h"
#include "model.h"
#include "outfile.h"
#include "pg.h"
#include "report.h"
#include "validate.h"

static const char evaluate_help[] =
    "usage: vitals evaluate MODEL.json DATA [--target churn|expansion] [--json] [-o FILE]\n"
    "       vitals evaluate MODEL.json postgresql://... --query SQL|--table NAME [options]\n"
    "\n"
    "Score labelled rows the model has not seen (a test file, next quarter's\n"
    "outcomes) and report what train reports on held-out rows: ROC AUC, PR AUC,\n"
    "log-loss and Brier score (as scikit-learn computes them), the share of events\n"
    "the top decile holds, calibration by decile with the Hosmer-Lemeshow test, and\n"
    "per health bucket the accounts, the event rate and the share of all events\n"
    "(the churn target only: health is 100 x (1 - churn risk)).\n"
    "Rows are scored as predict scores them; a row without an outcome is skipped\n"
    "and counted.  The outcome column is the model's label for the target.\n"
    "\n"
    "  --target T           churn or expansion (default: churn, or the model's only target)\n"
    "  --json               the metrics as JSON\n"
    "  -o, --output FILE    write there instead of standard output\n"
    DB_ARGS_HELP_READ;

typedef struct {
    const char *model_path, *data_path, *output, *target;
    int json;
    db_args db;
} evaluate_args;

/* What the events are called in sentences. */
static const char *event_noun(const char *target)
{
    return strcmp(target, "churn") == 0 ? "churners" : strcmp(target, "expansion") == 0 ? "expanders" : "events";
}

static void print_buckets(FILE *out, const model *m, const char *target, const metrics *result)
{
    static const char *const names[] = {"red", "yellow", "green"};
    const char *noun = event_noun(target);
    fprintf(out, "  health buckets (red below %g, yellow below %g):\n", m->red_below, m->yellow_below);
    for (int b = 0; b < 3; b++) {
        size_t rows = result->bucket_rows[b];
        double events = result->bucket_events[b];
        fprintf(out, "    %-7s %zu accounts (%.1f%%), %s rate %.1f%%, %.1f%% of %s\n", names[b], rows,
                result->n ? 100.0 * (double)rows / (double)result->n : 0.0, target,
                rows ? 100.0 * events / (double)rows : 0.0, result->events > 0 ? 100.0 * events / result->events : 0.0,
                noun);
    }
    double flagged = result->bucket_events[0] + result->bucket_events[1];
    fprintf(out, "    red and yellow together hold %.1f%% of %s\n",
            result->events > 0 ? 100.0 * flagged / result->events : 0.0, noun);
}

/* Health and its buckets are the churn risk's, so only the churn target is
 * judged by them: metrics_compute cuts whatever score it is given at the
 * bands, and for expansion that would be its probability read as a health
 * (train leaves expansion's buckets out for the same reason). */
static int has_buckets(const model_target *t) { return strcmp(t->name, "churn") == 0; }

static cJSON *evaluate_json(const model *m, const model_target *t, const char *data, const compare_rows *rows,
                            const metrics *result)
{
    cJSON *root = cJSON_CreateObject();
    cJSON_AddStringToObject(root, "target", t->name);
    cJSON_AddStringToObject(root, "label", t->label);
    cJSON_AddStringToObject(root, "data", data);
    cJSON_AddNumberToObject(root, "rows", (double)rows->n);
    cJSON_AddNumberToObject(root, "skipped_without_outcome", (double)rows->skipped);
    int health = has_buckets(t);
    if (health) {
        cJSON_AddNumberToObject(root, "red_below", m->red_below);
        cJSON_AddNumberToObject(root, "yellow_below", m->yellow_below);
    }
    cJSON *validation = validation_json("evaluate", result, NULL, 0, health);
    static const char *const names[] = {"red", "yellow", "green"};
    cJSON *shares = health ? cJSON_CreateObject() : NULL;
    for (int b = 0; shares && b < 3; b++)
        json_add_exact(shares, names[b], result->events > 0 ? result->bucket_events[b] / result->events : 0);
    if (health)
        json_attach(validation, "share_of_events", shares);
    json_attach(root, "evaluation", validation);
    return root;
}

static vt_status run_evaluate(const evaluate_args *args, vt_err *err)
{
    /* A URI is named without its password (never the URI itself, even out of memory). */
    char *redacted = pg_is_uri(args->data_path) ? pg_redact(args->data_path) : NULL;
    const char *data_name = redacted ? redacted : args->data_path;
    model *m = NULL;
    compare_rows rows = {0};
    vt_status status = pg_is_uri(args->data_path) && redacted == NULL
                           ? vt_err_set(err, VT_ENOMEM, NULL, 0, 0, "out of memory")
                           : model_load(args->model_path, &m, err);
    const model_target *t = NULL;
    /* No --target: churn, or the model's only target (a propensity model's expansion). */
    const char *target = args->target ? args->target : status == VT_OK && m->n_targets == 1 ? m->targets[0].name
                                                                                             : "churn";
    if (status == VT_OK && (t = model_find_target(m, target)) == NULL)
        status = vt_err_set(err, VT_EUSAGE, args->model_path, 0, 0, "--target: the model has no '%s' target",
                            target);
    row_stream_options data = status == VT_OK ? db_args_input(args->data_path, &args->db, m->delimiter)
                                              : (row_stream_options){0};
    if (status == VT_OK)
        status = compare_read(m, (size_t)(t - m->targets), NULL, &data, &rows, err);
    metrics result;
    if (status == VT_OK && rows.n == 0)
        status = vt_err_set(err, VT_EDATA, data_name, 0, 0, "no row has an outcome in column '%s'", t->label);
    if (status == VT_OK)
        status = metrics_compute(rows.y, rows.risk, NULL, rows.n, m->red_below, m->yellow_below, &result, err);
    if (status == VT_OK && args->json) {
        unsigned long failures = vt_alloc_failures();
        cJSON *root = evaluate_json(m, t, data_name, &rows, &result);
        status = json_write_file(root, args->output, failures, err);
    } else if (status == VT_OK) {
        outfile *file = NULL;
        if ((status = outfile_open(args->output, &file, err)) == VT_OK) {
            FILE *out = outfile_stream(file);
            char shown[VT_QUOTE_SIZE];
            fprintf(out, "%s on %s: %zu rows with an outcome", t->name,
                    vt_quote(shown, sizeof shown, data_name, strlen(data_name)), rows.n);
            if (rows.skipped)
                fprintf(out, " (%zu without one skipped)", rows.skipped);
            fputc('\n', out);
            report_print_validation(out, t->name, "this data", &result, NULL, 0, 0);
            if (has_buckets(t))
                print_buckets(out, m, t->name, &result);
            else if (model_has_health(m))
                fprintf(out, "  no health buckets for %s: health is 100 x (1 - churn risk); see --target churn\n",
                        t->name);
            else
                fputs("  no health buckets: the model has no churn target (health is 100 x (1 - churn risk))\n",
                      out);
            status = outfile_commit(file, err);
        }
    }
    compare_rows_free(&rows);
    model_free(m);
    free(redacted);
    return status;
}

static const arg_spec evaluate_options[] = {
    {"--output", "-o", ARG_STRING, ARG_AT(evaluate_args, output)},
    {"--target", NULL, ARG_STRING, ARG_AT(evaluate_args, target)},
    {"--json", NULL, ARG_FLAG, ARG_AT(evaluate_args, json)},
    DB_ARGS_OPTIONS(evaluate_args, db),
    {0},
};

static const arg_spec evaluate_positionals[] = {
    {"MODEL.json", NULL, ARG_STRING, ARG_AT(evaluate_args, model_path)},
    {"DATA", NULL, ARG_STRING, ARG_AT(evaluate_args, data_path)},
    {0},
};

vt_status cmd_evaluate(int argc, char **argv, vt_err *err)
{
    evaluate_args args = {.output = "-"};
    args_result parsed = args_parse(argc, argv, evaluate_options, evaluate_positionals, &args, err);
    if (parsed != ARGS_RUN)
        return args_stop(parsed, evaluate_help, err);
    vt_status status = db_args_resolve(args.data_path, &args.db, NULL, args.db.delimiter, err);
    if (status == VT_OK)
        status = run_evaluate(&args, err);
    db_args_free(&args.db);
    return status;
}
