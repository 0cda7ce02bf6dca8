/* vitals predict: score a file with a model, streaming, on threads. */
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "args.h"
#include "commands.h"
#include "csv_reader.h"
#include "model.h"
#include "previous.h"
#include "score.h"
#include "stream.h"

static const char predict_help[] =
    "usage: vitals predict MODEL.json DATA.csv [options]\n"
    "\n"
    "Score every row of DATA.csv (- for standard input) with the model, in input\n"
    "order: id,churn_risk[,expansion],health,bucket.  Memory stays flat.\n"
    "\n"
    "  -o, --output FILE    scores to write (default - : standard output)\n"
    "  --format F           csv (default) or jsonl\n"
    "  --explain N          add the N features that push each score most, with their\n"
    "                       effect on the log-odds relative to the training average\n"
    "  --previous OLD.csv   join the last run by id: previous bucket, health change,\n"
    "                       and alert (slid to a worse bucket, or health fell by more\n"
    "                       than --alert-drop)\n"
    "  --alert-drop P       health points (default 15)\n"
    "  --alert-budget S     instead alert the riskiest share S of accounts (e.g. 0.12):\n"
    "                       the churn-risk cut-off is chosen and reported (reads a\n"
    "                       file, not -, three times)\n"
    "  --threads N          worker threads (default: one per core); output is\n"
    "                       byte-identical whatever N\n"
    "  --unseen MODE        error (default) or baseline: score a level not seen in\n"
    "                       training as the column's baseline level\n"
    "  --delimiter D        input delimiter, if not the model's\n"
    "  --quiet              no summary on standard error\n"
    "  --tokenize-only      benchmark floor: read and tokenise the file on the same\n"
    "                       threads, score nothing, write only the header\n";

typedef struct {
    struct timespec start, last;
} progress_state;

static double seconds_between(const struct timespec *a, const struct timespec *b)
{
    return (double)(b->tv_sec - a->tv_sec) + (double)(b->tv_nsec - a->tv_nsec) / 1e9;
}

/* A progress line for people watching a terminal, at most twice a second. */
static void show_progress(size_t rows, void *user)
{
    progress_state *state = user;
    struct timespec now;
    clock_gettime(CLOCK_MONOTONIC, &now);
    if (seconds_between(&state->last, &now) < 0.5)
        return;
    state->last = now;
    double elapsed = seconds_between(&state->start, &now);
    fprintf(stderr, "\rvitals: %zu rows, %.0f rows/s   ", rows, elapsed > 0 ? (double)rows / elapsed : 0.0);
}

static void print_summary(const stream_report *report, const stream_options *options, const char *previous_path)
{
    const previous_scores *previous = options->previous;
    fprintf(stderr, "vitals: scored %zu rows: %zu green, %zu yellow, %zu red", report->n_rows,
            report->n_bucket[BUCKET_GREEN], report->n_bucket[BUCKET_YELLOW], report->n_bucket[BUCKET_RED]);
    if (report->n_imputed)
        fprintf(stderr, "; %zu missing cells imputed", report->n_imputed);
    if (report->n_unseen)
        fprintf(stderr, "; %zu unseen levels scored as baseline", report->n_unseen);
    if (report->n_pooled)
        fprintf(stderr, "; %zu rows of levels without a model of their own scored by the pooled model", report->n_pooled);
    fputc('\n', stderr);
    if (options->alert_budget > 0)
        fprintf(stderr, "vitals: alert budget %.4g: cut-off churn_risk >= %.17g alerts %zu accounts (%.2f%%)\n",
                options->alert_budget, report->alert_cutoff, report->n_alerts,
                report->n_rows ? 100.0 * (double)report->n_alerts / (double)report->n_rows : 0.0);
    if (previous == NULL)
        return;
    static const bucket order[] = {BUCKET_GREEN, BUCKET_YELLOW, BUCKET_RED};
    fprintf(stderr, "vitals: against %s: %zu alerts; %zu new ids, %zu ids no longer present\n", previous_path,
            report->n_alerts, report->n_new, previous_count_unseen(previous));
    fprintf(stderr, "vitals: bucket moves (rows: previous, columns: now)\n%-10s %10s %10s %10s\n", "", "green",
            "yellow", "red");
    for (int from = 0; from < 3; from++) {
        fprintf(stderr, "%-10s", bucket_name(order[from]));
        for (int to = 0; to < 3; to++)
            fprintf(stderr, " %10zu", report->transitions[order[from]][order[to]]);
        fputc('\n', stderr);
    }
}

static vt_status parse_predict_args(int argc, char **argv, stream_options *options, const char **model_path,
                                    const char **previous_path, int *quiet, vt_err *err)
{
    for (int i = 1; i < argc; i++) {
        const char *opt = argv[i], *value;
        long whole = 0;
        vt_status status = VT_OK;
        if (strcmp(opt, "--quiet") == 0) {
            *quiet = 1;
            continue;
        }
        if (strcmp(opt, "--tokenize-only") == 0) {
            options->tokenize_only = 1;
            continue;
        }
        if (opt[0] != '-' || strcmp(opt, "-") == 0) {
            if (*model_path == NULL)
                *model_path = opt;
            else if (options->data_path == NULL)
                options->data_path = opt;
            else
                return vt_err_set(err, VT_EUSAGE, NULL, 0, 0, "unexpected argument '%s'", opt);
            continue;
        }
        if ((value = args_value(argc, argv, &i, err)) == NULL)
            return VT_EUSAGE;
        if (strcmp(opt, "-o") == 0 || strcmp(opt, "--output") == 0) {
            options->output_path = value;
        } else if (strcmp(opt, "--unseen") == 0) {
            if (strcmp(value, "baseline") != 0 && strcmp(value, "error") != 0)
                return vt_err_set(err, VT_EUSAGE, NULL, 0, 0, "--unseen: '%s' is not error or baseline", value);
            options->unseen_baseline = strcmp(value, "baseline") == 0;
        } else if (strcmp(opt, "--delimiter") == 0) {
            if ((options->delimiter = csv_parse_delimiter(value)) == 0)
                return vt_err_set(err, VT_EUSAGE, NULL, 0, 0, "--delimiter: '%s' is not , ; tab or |", value);
        } else if (strcmp(opt, "--threads") == 0) {
            status = args_long(opt, value, 1, 256, &whole, err);
            options->threads = (size_t)whole;
        } else if (strcmp(opt, "--explain") == 0) {
            status = args_long(opt, value, 1, 1000, &whole, err);
            options->explain = (size_t)whole;
        } else if (strcmp(opt, "--alert-drop") == 0) {
            status = args_double(opt, value, &options->alert_drop, err);
            if (status == VT_OK && (options->alert_drop < 0 || options->alert_drop > 100))
                status = vt_err_set(err, VT_EUSAGE, NULL, 0, 0, "--alert-drop: '%s' is not within 0-100", value);
        } else if (strcmp(opt, "--alert-budget") == 0) {
            status = args_double(opt, value, &options->alert_budget, err);
            if (status == VT_OK && !(options->alert_budget > 0 && options->alert_budget < 1))
                status = vt_err_set(err, VT_EUSAGE, NULL, 0, 0, "--alert-budget: '%s' is not a share in (0, 1)", value);
        } else if (strcmp(opt, "--previous") == 0) {
            *previous_path = value;
        } else if (strcmp(opt, "--format") == 0) {
            if (strcmp(value, "csv") == 0)
                options->format = FORMAT_CSV;
            else if (strcmp(value, "jsonl") == 0)
                options->format = FORMAT_JSONL;
            else
                status = vt_err_set(err, VT_EUSAGE, NULL, 0, 0, "--format: '%s' is not csv or jsonl", value);
        } else {
            return vt_err_set(err, VT_EUSAGE, NULL, 0, 0, "predict: unknown option '%s' (see vitals predict --help)", opt);
        }
        if (status != VT_OK)
            return status;
    }
    if (*model_path == NULL || options->data_path == NULL)
        return vt_err_set(err, VT_EUSAGE, NULL, 0, 0, "predict: needs MODEL.json and DATA.csv (see vitals predict --help)");
    if (strcmp(*model_path, "-") == 0 && strcmp(options->data_path, "-") == 0)
        return vt_err_set(err, VT_EUSAGE, NULL, 0, 0, "predict: the model and the data cannot both be standard input");
    return VT_OK;
}

vt_status cmd_predict(int argc, char **argv, vt_err *err)
{
    for (int i = 1; i < argc; i++)
        if (args_is_help(argv[i])) {
            fputs(predict_help, stdout);
            return VT_OK;
        }
    stream_options options = {0};
    options.output_path = "-";
    options.alert_drop = 15;
    const char *model_path = NULL, *previous_path = NULL;
    int quiet = 0;
    vt_status status = parse_predict_args(argc, argv, &options, &model_path, &previous_path, &quiet, err);
    if (status != VT_OK)
        return status;

    model *m = NULL;
    previous_scores *previous = NULL;
    if ((status = model_load(model_path, &m, err)) != VT_OK)
        return status;
    if (previous_path &&
        (status = previous_load(previous_path, m->id_column, options.delimiter ? options.delimiter : ',', &previous,
                                err)) != VT_OK) {
        model_free(m);
        return status;
    }
    options.previous = previous;
    progress_state progress;
    if (!quiet && isatty(STDERR_FILENO)) {
        clock_gettime(CLOCK_MONOTONIC, &progress.start);
        progress.last = progress.start;
        options.progress = show_progress;
        options.progress_user = &progress;
    }
    stream_report report;
    status = stream_score(m, &options, &report, err);
    if (options.progress)
        fputs("\r\033[K", stderr);
    if (status == VT_OK && !quiet)
        print_summary(&report, &options, previous_path);
    previous_free(previous);
    model_free(m);
    return status;
}
