/* vitals history: health over time, velocity and alerts per account, and
 * how early the alerts came. */
#include <cjson/cJSON.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "args.h"
#include "commands.h"
#include "db_args.h"
#include "history.h"
#include "json.h"
#include "model.h"
#include "outfile.h"
#include "score.h"

static const char history_help[] =
    "usage: vitals history MODEL.json SNAPSHOTS.csv --date COL [options] -o HISTORY.csv\n"
    "       vitals history MODEL.json postgresql://... --query SQL|--table NAME --date COL ...\n"
    "\n"
    "Score account snapshots in date order with the model and write, per account\n"
    "and date: id,date,health,bucket,health_change,velocity,alert,reasons.  The\n"
    "snapshots: a file (its delimiter by default the model's), - for standard\n"
    "input, or the rows of a PostgreSQL query or table.  Velocity is the\n"
    "least-squares slope of health per month over the account's last --window\n"
    "snapshots (months from the dates, YYYY-MM-DD; a month's last day counts as\n"
    "the next month's first).  Alert reasons, against the account's previous\n"
    "snapshot: slid (a worse bucket), falling (velocity below -P points a month),\n"
    "entered_red.  Memory grows with the accounts, not the rows.  Rescoring a\n"
    "whole history with a newer model is the same command.\n"
    "\n"
    "A summary per month on standard error: bucket shares, alerts and the share\n"
    "alerted against --alert-budget, and, where the outcome is known, the share of\n"
    "churners alerted before they churned, how many of them a month or more ahead,\n"
    "and the median lead time in months (from the first alert of the streak open\n"
    "at the churner's last snapshot to that snapshot: 0 is an alert at that very\n"
    "snapshot).  Churners: accounts whose latest snapshot in the month is\n"
    "labelled churned when the file has the model's churn label (or --label COL);\n"
    "else accounts absent after their last snapshot (not known for the file's\n"
    "last month).  The months count accounts: one with several snapshots in a\n"
    "month (weekly ones) is its latest snapshot there, alerted if any of them\n"
    "was.  An id twice on one date is an error.\n"
    "\n"
    "  --date COL           the snapshot date column (required)\n"
    "  -o, --output FILE    history to write (default - : standard output)\n"
    "  --window N           snapshots in the velocity (default 3)\n"
    "  --alert-velocity P   points a month (default 5)\n"
    "  --alert-budget S     the share of accounts the team can act on a month\n"
    "                       (default 0.12), reported against\n"
    "  --label COL          the churn label column\n"
    "  --churn-by-absence   churners are the accounts absent afterwards, label or not\n"
    "  --json               the summary as JSON on standard output\n"
    "  --unseen MODE        error (default) or baseline, as predict\n"
    DB_ARGS_HELP_READ
    "  --quiet              no summary on standard error\n";

typedef struct {
    const char *model_path, *output;
    history_options history;
    db_args db;
    double alert_budget;
    int json, quiet;
} history_args;

static const char *const unseen_modes[] = {"error", "baseline", NULL};

static const arg_spec history_arg_options[] = {
    {"--date", NULL, ARG_STRING, ARG_AT(history_args, history.date_column), .required = 1},
    {"--output", "-o", ARG_STRING, ARG_AT(history_args, output)},
    {"--window", NULL, ARG_LONG, ARG_AT(history_args, history.window), .min = 2, .max = HISTORY_MAX_WINDOW},
    {"--alert-velocity", NULL, ARG_DOUBLE, ARG_AT(history_args, history.alert_velocity), .min = 0, .max = 100},
    {"--alert-budget", NULL, ARG_SHARE, ARG_AT(history_args, alert_budget)},
    {"--label", NULL, ARG_STRING, ARG_AT(history_args, history.label_column)},
    {"--churn-by-absence", NULL, ARG_FLAG, ARG_AT(history_args, history.by_absence)},
    {"--json", NULL, ARG_FLAG, ARG_AT(history_args, json)},
    {"--unseen", NULL, ARG_CHOICE, ARG_AT(history_args, history.unseen_baseline), .choices = unseen_modes},
    DB_ARGS_OPTIONS(history_args, db),
    {"--quiet", NULL, ARG_FLAG, ARG_AT(history_args, quiet)},
    {0},
};

static const arg_spec history_positionals[] = {
    {"MODEL.json", NULL, ARG_STRING, ARG_AT(history_args, model_path)},
    {"SNAPSHOTS.csv", NULL, ARG_STRING, ARG_AT(history_args, history.data_path)},
    {0},
};

static double share(size_t part, size_t whole) { return whole ? (double)part / (double)whole : 0.0; }

/* The lead is from a streak's first alert to the churner's last snapshot:
 * 0 months means the alert came at that snapshot, too late to act on a
 * month's notice, which a bare "median lead 0 months" did not say. */
static void print_lead(size_t n_alerted, size_t n_ahead, double median_lead)
{
    if (n_alerted == 0 || isnan(median_lead))
        return;
    fprintf(stderr, " (%.1f%% of them a month or more ahead), median lead %.2g months from the first alert to the "
            "last snapshot", 100 * share(n_ahead, n_alerted), median_lead);
    if (median_lead == 0)
        fprintf(stderr, ": half or more were first alerted at their last snapshot");
}

static void print_month(const history_month *mo, double budget)
{
    double alerted = share(mo->n_alerts, mo->n_accounts);
    fprintf(stderr, "vitals: %s: %zu accounts, %.1f%% green %.1f%% yellow %.1f%% red; %zu alerted (%.2f%%%s budget %.4g%%)",
            mo->month, mo->n_accounts, 100 * share(mo->n_bucket[BUCKET_GREEN], mo->n_accounts),
            100 * share(mo->n_bucket[BUCKET_YELLOW], mo->n_accounts), 100 * share(mo->n_bucket[BUCKET_RED], mo->n_accounts),
            mo->n_alerts, 100 * alerted, alerted > budget ? ", over the" : ", within the", 100 * budget);
    if (mo->outcome_known && mo->n_churners) {
        fprintf(stderr, "; %zu churners, %.1f%% alerted before", mo->n_churners,
                100 * share(mo->n_churners_alerted, mo->n_churners));
        print_lead(mo->n_churners_alerted, mo->n_churners_ahead, mo->median_lead);
    }
    fputc('\n', stderr);
}

static void print_summary(const history_report *r, double budget)
{
    for (size_t m = 0; m < r->n_months; m++)
        print_month(&r->months[m], budget);
    fprintf(stderr, "vitals: %zu snapshots of %zu accounts over %zu months; churners (%s): %zu, %.1f%% alerted before "
            "they churned", r->n_rows, r->n_accounts, r->n_months, r->label_used ? "labelled" : "absent afterwards",
            r->n_churners, 100 * share(r->n_churners_alerted, r->n_churners));
    print_lead(r->n_churners_alerted, r->n_churners_ahead, r->median_lead);
    fputc('\n', stderr);
}

static cJSON *month_json(const history_month *mo, double budget)
{
    cJSON *item = cJSON_CreateObject();
    cJSON_AddStringToObject(item, "month", mo->month);
    cJSON_AddNumberToObject(item, "accounts", (double)mo->n_accounts);
    static const bucket order[] = {BUCKET_GREEN, BUCKET_YELLOW, BUCKET_RED};
    cJSON *shares = cJSON_AddObjectToObject(item, "bucket_shares");
    for (int b = 0; b < 3; b++)
        json_add_exact(shares, bucket_name(order[b]), share(mo->n_bucket[order[b]], mo->n_accounts));
    cJSON_AddNumberToObject(item, "alerts", (double)mo->n_alerts);
    cJSON *reasons = cJSON_AddObjectToObject(item, "reasons");
    cJSON_AddNumberToObject(reasons, "slid", (double)mo->n_slid);
    cJSON_AddNumberToObject(reasons, "falling", (double)mo->n_falling);
    cJSON_AddNumberToObject(reasons, "entered_red", (double)mo->n_entered_red);
    json_add_exact(item, "alerted_share", share(mo->n_alerts, mo->n_accounts));
    cJSON_AddBoolToObject(item, "over_budget", share(mo->n_alerts, mo->n_accounts) > budget);
    cJSON_AddBoolToObject(item, "outcome_known", mo->outcome_known);
    if (mo->outcome_known) {
        cJSON_AddNumberToObject(item, "churners", (double)mo->n_churners);
        cJSON_AddNumberToObject(item, "churners_alerted", (double)mo->n_churners_alerted);
        json_add_exact(item, "churners_alerted_share", share(mo->n_churners_alerted, mo->n_churners));
        cJSON_AddNumberToObject(item, "churners_alerted_month_ahead", (double)mo->n_churners_ahead);
        json_add_exact(item, "median_lead_months", mo->median_lead); /* NaN: null */
    }
    return item;
}

static vt_status write_json(const history_report *r, const history_args *args, vt_err *err)
{
    unsigned long failures = vt_alloc_failures();
    cJSON *root = cJSON_CreateObject();
    cJSON_AddNumberToObject(root, "snapshots", (double)r->n_rows);
    cJSON_AddNumberToObject(root, "accounts", (double)r->n_accounts);
    cJSON_AddNumberToObject(root, "window", (double)args->history.window);
    json_add_exact(root, "alert_velocity", args->history.alert_velocity);
    json_add_exact(root, "alert_budget", args->alert_budget);
    cJSON_AddStringToObject(root, "churn_outcome", r->label_used ? "label" : "absent afterwards");
    cJSON_AddNumberToObject(root, "churners", (double)r->n_churners);
    json_add_exact(root, "churners_alerted_share", share(r->n_churners_alerted, r->n_churners));
    cJSON_AddNumberToObject(root, "churners_alerted_month_ahead", (double)r->n_churners_ahead);
    json_add_exact(root, "median_lead_months", r->median_lead);
    cJSON *months = cJSON_AddArrayToObject(root, "months");
    for (size_t m = 0; root && m < r->n_months; m++)
        json_append(months, month_json(&r->months[m], args->alert_budget));
    return json_write_file(root, "-", failures, err);
}

vt_status cmd_history(int argc, char **argv, vt_err *err)
{
    history_args args = {.output = "-", .history = {.window = 3, .alert_velocity = 5}, .alert_budget = 0.12};
    args_result parsed = args_parse(argc, argv, history_arg_options, history_positionals, &args, err);
    if (parsed != ARGS_RUN)
        return args_stop(parsed, history_help, err);
    if (args.json && outfile_is_stdout(args.output))
        return vt_err_set(err, VT_EUSAGE, NULL, 0, 0, "--json writes the summary to standard output: give -o FILE");
    vt_status status = db_args_resolve(args.history.data_path, &args.db, NULL, args.db.delimiter, err);
    model *m = NULL;
    if (status == VT_OK)
        status = model_load(args.model_path, &m, err);
    if (status == VT_OK && !model_has_health(m)) {
        status = vt_err_set(err, VT_EUSAGE, args.model_path, 0, 0, "history follows health, which comes from the "
                            "churn risk, and the model has no churn target (an expansion model alone): train with "
                            "--churn COL");
        model_free(m);
    }
    if (status != VT_OK) {
        db_args_free(&args.db);
        return status;
    }
    row_stream_options input = db_args_input(args.history.data_path, &args.db, 0); /* 0: the model's */
    args.history.query = input.query;
    args.history.delimiter = input.delimiter;
    args.history.threads = input.threads;
    outfile *file = NULL;
    history_report report = {0};
    if ((status = outfile_open(args.output, &file, err)) == VT_OK)
        status = history_run(m, &args.history, outfile_stream(file), &report, err);
    if (status == VT_OK) {
        status = outfile_commit(file, err);
        file = NULL;
    }
    outfile_abort(file);
    if (status == VT_OK && !args.quiet)
        print_summary(&report, args.alert_budget);
    if (status == VT_OK && args.json)
        status = write_json(&report, &args, err);
    history_report_free(&report);
    model_free(m);
    db_args_free(&args.db);
    return status;
}
