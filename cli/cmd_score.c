/* vitals score: apply a hand-set scorecard to every row of a file, with the
 * same streaming, threaded pipeline as predict. */
#include <stdio.h>

#include "args.h"
#include "db_args.h"
#include "commands.h"
#include "scorecard.h"
#include "stream.h"

static const char score_help[] =
    "usage: vitals score SCORECARD.json DATA.csv [-o SCORES.csv] [--id COL]\n"
    "       vitals score SCORECARD.json postgresql://... --query SQL|--table NAME\n"
    "                    [--to-table NAME [--replace]] [--id COL]\n"
    "\n"
    "Apply a hand-set scorecard (format: models/SCORECARD.md) to every row, in order:\n"
    "id,health,bucket, the points of each measure, and the rules that fired\n"
    "(1-based, ';'-separated).  Streams on threads like predict; memory stays flat;\n"
    "the output is the same bytes whatever --threads.  A rule names any column in\n"
    "double quotes and compares text too: \"Customer service calls\" >= 4 AND\n"
    "plan NOT IN ('pro', 'team') AND Geography = 'Germany'.\n"
    "\n"
    "  -o, --output FILE    where to write (default - : standard output)\n"
    DB_ARGS_HELP DB_ARGS_HELP_TO_TABLE
    "  --id COL             id column (default: the line number)\n"
    "  --threads N          worker threads (default: one per core)\n"
    "  --delimiter D        , (default) ; tab |\n"
    "  --quiet              no summary on standard error\n";

typedef struct {
    const char *card_path;
    stream_options stream;
    db_args db;
    int quiet;
} score_args;

static const arg_spec score_options[] = {
    {"--output", "-o", ARG_STRING, ARG_AT(score_args, stream.output_path)},
    {"--query", NULL, ARG_STRING, ARG_AT(score_args, db.query)},
    {"--table", NULL, ARG_STRING, ARG_AT(score_args, db.table)},
    {"--to-table", NULL, ARG_STRING, ARG_AT(score_args, db.to_table)},
    {"--replace", NULL, ARG_FLAG, ARG_AT(score_args, db.replace)},
    {"--id", NULL, ARG_STRING, ARG_AT(score_args, stream.id_column)},
    {"--threads", NULL, ARG_LONG, ARG_AT(score_args, stream.threads), .min = 1, .max = 256},
    {"--delimiter", NULL, ARG_DELIMITER, ARG_AT(score_args, stream.delimiter)},
    {"--quiet", NULL, ARG_FLAG, ARG_AT(score_args, quiet)},
    {0},
};

static const arg_spec score_positionals[] = {
    {"SCORECARD.json", NULL, ARG_STRING, ARG_AT(score_args, card_path)},
    {"DATA.csv", NULL, ARG_STRING, ARG_AT(score_args, stream.data_path)},
    {0},
};

vt_status cmd_score(int argc, char **argv, vt_err *err)
{
    score_args args = {.stream = {.output_path = "-", .delimiter = ','}};
    args_result parsed = args_parse(argc, argv, score_options, score_positionals, &args, err);
    if (parsed != ARGS_RUN)
        return args_stop(parsed, score_help, err);
    scorecard *card = NULL;
    vt_status status = db_args_resolve(args.stream.data_path, &args.db, args.stream.output_path, args.stream.delimiter, err);
    args.stream.query = args.db.query;
    args.stream.to_table = args.db.to_table;
    args.stream.replace = args.db.replace;
    if (status == VT_OK)
        status = scorecard_load(args.card_path, &card, err);
    stream_report report;
    if (status == VT_OK)
        status = stream_score_card(card, &args.stream, &report, err);
    if (status == VT_OK && !args.quiet)
        fprintf(stderr, "vitals: scored %zu rows with scorecard '%s': %zu green, %zu yellow, %zu red\n", report.n_rows,
                card->name, report.n_bucket[BUCKET_GREEN], report.n_bucket[BUCKET_YELLOW], report.n_bucket[BUCKET_RED]);
    scorecard_free(card);
    db_args_free(&args.db);
    return status;
}
