/* vitals predict: score a file with a model, streaming, on threads. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "args.h"
#include "db_args.h"
#include "explain.h"
#include "commands.h"
#include "model.h"
#include "pg.h"
#include "previous.h"
#include "score.h"
#include "stream.h"

static const char predict_help[] =
    "usage: vitals predict MODEL.json DATA.csv [options]\n"
    "       vitals predict MODEL.json postgresql://... --query SQL|--table NAME\n"
    "                      [--to-table NAME [--replace|--recreate]] [options]\n"
    "\n"
    "Score every row of DATA.csv (- for standard input, or the rows of a PostgreSQL\n"
    "query) with the model, in input order: id,churn_risk[,expansion],health,bucket\n"
    "(a model of expansion alone: id,expansion; health and bucket come from the churn risk).\n"
    "Memory stays flat.\n"
    "\n"
    "  -o, --output FILE    scores to write (default - : standard output)\n"
    DB_ARGS_HELP DB_ARGS_HELP_TO_TABLE
    "                       (its columns must be vitals' own: names, order, types;\n"
    "                       another table is refused before any work)\n"
    "  --recreate           with --to-table: the table may exist with any columns; it\n"
    "                       is dropped and created anew with vitals' columns at commit\n"
    "                       (its indexes, constraints and grants go with it)\n"
    "  --format F           csv (default) or jsonl\n"
    "  --explain N          add the N features (or pairs) that push each score most, with\n"
    "                       their effect on the log-odds relative to the training average\n"
    "                       (at most as many as the model has)\n"
    "  --previous OLD.csv   join the last run by id: previous bucket, health change,\n"
    "                       and alert (slid to a worse bucket, or health fell by more\n"
    "                       than --alert-drop)\n"
    "  --previous postgresql://... --previous-query SQL|--previous-table NAME\n"
    "                       the last run from PostgreSQL (the table of an earlier\n"
    "                       --to-table, say)\n"
    "  --previous-data THEN.csv\n"
    "                       score the earlier snapshot with the same model and join it\n"
    "                       by id: the trend and alert columns of --previous, then\n"
    "                       health_then and the --explain-change N (default 3) features\n"
    "                       whose contribution to the churn log-odds moved most, signed\n"
    "                       (positive: riskier); all of them add up to the change in\n"
    "                       log-odds.  Memory: the earlier snapshot's ids and contributions\n"
    "  --previous-data postgresql://... --previous-data-query SQL|--previous-data-table NAME\n"
    "                       the earlier snapshot from PostgreSQL\n"
    "  --explain-change N   how many moved features to write (with --previous-data)\n"
    "  --alert-drop P       health points (default 15)\n"
    "  --alert-budget S     instead alert the riskiest share S of accounts (e.g. 0.12):\n"
    "                       the churn-risk cut-off is chosen and reported (reads a\n"
    "                       file, not - or a query, three times)\n"
    "  --threads N          worker threads (default: one per core), also for reading\n"
    "                       --previous and --previous-data; output is byte-identical\n"
    "                       whatever N\n"
    "  --unseen MODE        error (default) or baseline: score a level not seen in\n"
    "                       training as the column's baseline level\n"
    "  --delimiter D        input delimiter, if not the model's (a query's rows: ,);\n"
    "                       also --previous's (default ,) and --previous-data's\n"
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

static void print_summary(const stream_report *report, const stream_options *options, const char *previous_path,
                          int health)
{
    const previous_scores *previous = options->previous;
    if (health)
        fprintf(stderr, "vitals: scored %zu rows: %zu green, %zu yellow, %zu red", report->n_rows,
                report->n_bucket[BUCKET_GREEN], report->n_bucket[BUCKET_YELLOW], report->n_bucket[BUCKET_RED]);
    else
        fprintf(stderr, "vitals: scored %zu rows: expansion probability only (the model has no churn target, so "
                        "no health or bucket)", report->n_rows);
    if (report->n_imputed)
        fprintf(stderr, "; %zu missing cells imputed", report->n_imputed);
    if (report->n_unseen)
        fprintf(stderr, "; %zu unseen levels scored as baseline", report->n_unseen);
    if (report->n_pooled)
        fprintf(stderr, "; %zu rows of levels without a model of their own scored by the pooled model", report->n_pooled);
    char shown[VT_QUOTE_SIZE]; /* names from arguments echoed escaped, as in errors */
    if (options->to_table)
        fprintf(stderr, "; committed to table %s",
                vt_quote(shown, sizeof shown, options->to_table, strlen(options->to_table)));
    fputc('\n', stderr);
    if (options->alert_budget > 0)
        fprintf(stderr, "vitals: alert budget %.4g: cut-off churn_risk >= %.17g alerts %zu accounts (%.2f%%)\n",
                options->alert_budget, report->alert_cutoff, report->n_alerts,
                report->n_rows ? 100.0 * (double)report->n_alerts / (double)report->n_rows : 0.0);
    if (previous == NULL)
        return;
    static const bucket order[] = {BUCKET_GREEN, BUCKET_YELLOW, BUCKET_RED};
    fprintf(stderr, "vitals: against %s: %zu alerts; %zu new ids, %zu ids no longer present\n",
            vt_quote(shown, sizeof shown, previous_path, strlen(previous_path)),
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

typedef struct {
    const char *model_path, *previous_path, *previous_data;
    stream_options stream;
    db_args db;
    db_args previous_db, then_db;  /* --previous's and --previous-data's rows, when a URI */
    int recreate;
    int quiet;
} predict_args;

static const char *const unseen_modes[] = {"error", "baseline", NULL}; /* index: unseen_baseline */
static const char *const output_formats[] = {"csv", "jsonl", NULL};   /* in output_format order */

static const arg_spec predict_options[] = {
    {"--output", "-o", ARG_STRING, ARG_AT(predict_args, stream.output_path)},
    {"--query", NULL, ARG_STRING, ARG_AT(predict_args, db.query)},
    {"--table", NULL, ARG_STRING, ARG_AT(predict_args, db.table)},
    {"--to-table", NULL, ARG_STRING, ARG_AT(predict_args, db.to_table)},
    {"--replace", NULL, ARG_FLAG, ARG_AT(predict_args, db.replace)},
    {"--recreate", NULL, ARG_FLAG, ARG_AT(predict_args, recreate)},
    {"--format", NULL, ARG_CHOICE, ARG_AT(predict_args, stream.format), .choices = output_formats},
    {"--explain", NULL, ARG_LONG, ARG_AT(predict_args, stream.explain), .min = 1, .max = 1000},
    {"--previous", NULL, ARG_STRING, ARG_AT(predict_args, previous_path)},
    {"--previous-query", NULL, ARG_STRING, ARG_AT(predict_args, previous_db.query)},
    {"--previous-table", NULL, ARG_STRING, ARG_AT(predict_args, previous_db.table)},
    {"--previous-data", NULL, ARG_STRING, ARG_AT(predict_args, previous_data)},
    {"--previous-data-query", NULL, ARG_STRING, ARG_AT(predict_args, then_db.query)},
    {"--previous-data-table", NULL, ARG_STRING, ARG_AT(predict_args, then_db.table)},
    {"--explain-change", NULL, ARG_LONG, ARG_AT(predict_args, stream.explain_change), .min = 1, .max = 1000},
    {"--alert-drop", NULL, ARG_DOUBLE, ARG_AT(predict_args, stream.alert_drop), .min = 0, .max = 100},
    {"--alert-budget", NULL, ARG_SHARE, ARG_AT(predict_args, stream.alert_budget)},
    {"--threads", NULL, ARG_LONG, ARG_AT(predict_args, stream.threads), .min = 1, .max = 256},
    {"--unseen", NULL, ARG_CHOICE, ARG_AT(predict_args, stream.unseen_baseline), .choices = unseen_modes},
    {"--delimiter", NULL, ARG_DELIMITER, ARG_AT(predict_args, stream.delimiter)},
    {"--quiet", NULL, ARG_FLAG, ARG_AT(predict_args, quiet)},
    {"--tokenize-only", NULL, ARG_FLAG, ARG_AT(predict_args, stream.tokenize_only)},
    {0},
};

static const arg_spec predict_positionals[] = {
    {"MODEL.json", NULL, ARG_STRING, ARG_AT(predict_args, model_path)},
    {"DATA.csv", NULL, ARG_STRING, ARG_AT(predict_args, stream.data_path)},
    {0},
};

/* Everything after the options are parsed and DATA's source is settled. */
static vt_status run_predict(const predict_args *args, stream_options options, vt_err *err)
{
    const char *model_path = args->model_path, *previous_path = args->previous_path;
    int quiet = args->quiet;
    vt_status status = VT_OK;
    if (previous_path && args->previous_data)
        return vt_err_set(err, VT_EUSAGE, NULL, 0, 0, "--previous and --previous-data: choose one");
    if (args->previous_data && strcmp(args->previous_data, "-") == 0 && strcmp(options.data_path, "-") == 0)
        return vt_err_set(err, VT_EUSAGE, NULL, 0, 0, "--previous-data and the data cannot both be standard input");
    if (options.explain_change && !args->previous_data)
        return vt_err_set(err, VT_EUSAGE, NULL, 0, 0, "--explain-change needs --previous-data");
    if (args->previous_data && !options.explain_change)
        options.explain_change = 3;

    model *m = NULL;
    previous_scores *previous = NULL;
    explain_then *then = NULL;
    if ((status = model_load(model_path, &m, err)) != VT_OK)
        return status;
    const char *needs_health = previous_path ? "--previous" : args->previous_data ? "--previous-data"
                             : options.alert_budget > 0 ? "--alert-budget" : NULL;
    if (needs_health && !model_has_health(m)) {
        status = vt_err_set(err, VT_EUSAGE, model_path, 0, 0, "%s follows the churn risk and health, and this "
                            "model has no churn target (an expansion model alone): train with --churn COL",
                            needs_health);
        model_free(m);
        return status;
    }
    /* predict writes ','; a snapshot has DATA's delimiter */
    row_stream_options earlier = previous_path ? db_args_input(previous_path, &args->previous_db, ',')
                                               : db_args_input(args->previous_data, &args->then_db, m->delimiter);
    earlier.delimiter = options.delimiter ? options.delimiter : earlier.delimiter;
    earlier.threads = options.threads;
    if (previous_path)
        status = previous_load(&earlier, m->id_column, &previous, err);
    if (args->previous_data &&
        (status = explain_then_load(m, &earlier, options.unseen_baseline, &then, err)) == VT_OK)
        previous_path = args->previous_data;
    if (status != VT_OK) {
        model_free(m);
        return status;
    }
    /* At most every driver a fit has (a collinear group is one): a wider
     * request wrote empty columns */
    size_t most = m->n_segments ? model_n_drivers(&m->moved_drivers, m->enc) : 0;
    for (size_t s = 0; s <= m->n_segments; s++)
        for (size_t k = 0; k < m->n_targets; k++) {
            size_t n_drivers = model_n_drivers(&model_scoring_target(m, s, k)->drivers, m->enc);
            most = n_drivers > most ? n_drivers : most;
        }
    if (options.explain > most)
        options.explain = most;
    if (options.explain_change > most + 1) /* + 1: a --by model's own change */
        options.explain_change = most + 1;
    options.previous = then ? explain_then_scores(then) : previous;
    options.then = then;
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
    int in_database = previous_path && pg_is_uri(previous_path);
    char *shown = in_database ? pg_redact(previous_path) : NULL; /* never the password */
    if (status == VT_OK && !quiet)
        print_summary(&report, &options, shown ? shown : in_database ? "PostgreSQL" : previous_path,
                      model_has_health(m));
    if (status == VT_OK && !quiet && report.n_imputed && m->enc->missing == MISSING_DROP)
        fprintf(stderr, "vitals: note: the model was trained with --missing drop, so no row with a missing cell was "
                "in its fit; here the %zu missing cells were imputed (the training mean, a category's baseline) and "
                "those rows' scores rest on values the fit never saw\n", report.n_imputed);
    free(shown);
    previous_free(previous);
    explain_then_free(then);
    model_free(m);
    return status;
}

/* An earlier run's or snapshot's rows (option: --previous or
 * --previous-data) from a file or a URI with its own query or table; the
 * checks db_args_resolve makes, in its own options' names. */
static vt_status resolve_earlier(const char *option, const char *path, db_args *db, vt_err *err)
{
    const char *named = db->query ? "query" : "table";
    if (path == NULL && (db->query || db->table))
        return vt_err_set(err, VT_EUSAGE, NULL, 0, 0, "%s-%s goes with %s", option, named, option);
    if (path == NULL)
        return VT_OK;
    if (db->query && db->table)
        return vt_err_set(err, VT_EUSAGE, NULL, 0, 0, "%s-query and %s-table: choose one", option, option);
    if (!pg_is_uri(path) && (db->query || db->table))
        return vt_err_set(err, VT_EUSAGE, NULL, 0, 0, "%s-%s reads from PostgreSQL: %s must be a postgresql:// URI",
                          option, named, option);
    if (pg_is_uri(path) && !db->query && !db->table)
        return vt_err_set(err, VT_EUSAGE, NULL, 0, 0,
                          "%s is a PostgreSQL URI: say which rows with %s-query or %s-table", option, option, option);
    if ((db->query && strspn(db->query, " \t\r\n;") == strlen(db->query)) || (db->table && *db->table == '\0'))
        return vt_err_set(err, VT_EUSAGE, NULL, 0, 0, "%s-%s is empty", option, named);
    return db_args_resolve(path, db, NULL, 0, err);
}

vt_status cmd_predict(int argc, char **argv, vt_err *err)
{
    predict_args args = {.stream = {.output_path = "-", .alert_drop = 15}};
    args_result parsed = args_parse(argc, argv, predict_options, predict_positionals, &args, err);
    if (parsed != ARGS_RUN)
        return args_stop(parsed, predict_help, err);
    stream_options options = args.stream;
    vt_status status = db_args_resolve(options.data_path, &args.db, options.output_path, options.delimiter, err);
    if (status == VT_OK)
        status = resolve_earlier("--previous", args.previous_path, &args.previous_db, err);
    if (status == VT_OK)
        status = resolve_earlier("--previous-data", args.previous_data, &args.then_db, err);
    if (status == VT_OK && args.recreate && !args.db.to_table)
        status = vt_err_set(err, VT_EUSAGE, NULL, 0, 0, "--recreate goes with --to-table");
    if (status == VT_OK) {
        options.query = args.db.query;
        options.to_table = args.db.to_table;
        options.replace = args.db.replace;
        options.recreate = args.recreate;
        status = run_predict(&args, options, err);
    }
    db_args_free(&args.db);
    db_args_free(&args.previous_db);
    db_args_free(&args.then_db);
    return status;
}
