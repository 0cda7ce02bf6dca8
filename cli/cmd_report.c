/* vitals report: one self-contained HTML page (inline SVG and CSS) that a
 * customer-success lead reads: the fit, its drivers, learned against
 * hand-set weights, whether it finds the churners, buckets, segments and
 * what changed (report/report_html.h). */
#include <stdlib.h>
#include <string.h>

#include "args.h"
#include "commands.h"
#include "db_args.h"
#include "model.h"
#include "outfile.h"
#include "pg.h"
#include "report_html.h"
#include "scorecard.h"

static const char report_help[] =
    "usage: vitals report MODEL.json [--data LABELLED.csv] [--scorecard CARD.json]\n"
    "                     [--previous OLD_MODEL.json] [--title TEXT] [--flag Z] -o report.html\n"
    "                     [--query SQL|--table NAME] [--delimiter D] [--threads N]\n"
    "\n"
    "Write one HTML file (inline SVG and CSS: nothing fetched, no script) that shows\n"
    "the model to the people who act on its scores: what was fitted and how well it\n"
    "ranks; odds ratios with intervals per target (a smooth column: a row with its\n"
    "edf, Ref.df, Chi.sq, p-value, smoothing parameter and range of effect on the\n"
    "odds); with --scorecard, each column's share of the scorecard's weight beside\n"
    "the model's (a smooth model's needs --data); ROC, precision-recall, gains\n"
    "and calibration charts and the health of churners against the rest (on --data,\n"
    "else the calibration the model stored from its held-out rows); buckets and, with\n"
    "a scorecard, their cross-table; on --data (not standard input), the 20\n"
    "riskiest accounts with their top drivers; --by segments; with --previous, each\n"
    "term's change and its z (flagged beyond --flag, default 3; smooth columns as\n"
    "curves, as vitals diff compares them) and the PSI of churn risk on --data.\n"
    "Each chart has a sentence reading it.  A section without its input says what\n"
    "would fill it.\n"
    "\n"
    "--data may be - (standard input, for a model of one target without --previous:\n"
    "the rows are read once per target and once more for --previous) or a\n"
    "postgresql:// URI with:\n"
    DB_ARGS_HELP_READ;

typedef struct {
    const char *model_path, *data, *card_path, *previous_path, *title, *output;
    double flag;
    db_args db;  /* --data's rows, delimiter and threads */
} report_args;

static const arg_spec report_options[] = {
    {"--data", NULL, ARG_STRING, ARG_AT(report_args, data)},
    {"--scorecard", NULL, ARG_STRING, ARG_AT(report_args, card_path)},
    {"--previous", NULL, ARG_STRING, ARG_AT(report_args, previous_path)},
    {"--title", NULL, ARG_STRING, ARG_AT(report_args, title)},
    {"--flag", NULL, ARG_POSITIVE, ARG_AT(report_args, flag), .what = "a positive z"},
    {"--output", "-o", ARG_STRING, ARG_AT(report_args, output), .required = 1},
    DB_ARGS_OPTIONS(report_args, db),
    {0},
};

static const arg_spec report_positionals[] = {
    {"MODEL.json", NULL, ARG_STRING, ARG_AT(report_args, model_path)},
    {0},
};

static vt_status write_page(const char *path, const markup *page, vt_err *err)
{
    outfile *file = NULL;
    vt_status status = outfile_open(path, &file, err);
    if (status == VT_OK && (status = outfile_write(file, page->data, page->len, err)) != VT_OK) {
        outfile_abort(file);
        return status;
    }
    return status == VT_OK ? outfile_commit(file, err) : status;
}

vt_status cmd_report(int argc, char **argv, vt_err *err)
{
    report_args args = {.flag = 3};
    args_result parsed = args_parse(argc, argv, report_options, report_positionals, &args, err);
    if (parsed != ARGS_RUN)
        return args_stop(parsed, report_help, err);
    model *m = NULL, *previous = NULL;
    scorecard *card = NULL;
    markup page = {0};
    char *shown = NULL; /* --data as the page names it */
    vt_status status = db_args_resolve_optional("--data", args.data, &args.db, err);
    if (status == VT_OK)
        status = outfile_check(args.output, err);
    if (status == VT_OK)
        status = model_load(args.model_path, &m, err);
    if (status == VT_OK && args.card_path)
        status = scorecard_load(args.card_path, &card, err);
    if (status == VT_OK && args.previous_path)
        status = model_load(args.previous_path, &previous, err);
    if (status == VT_OK && args.data && strcmp(args.data, "-") == 0 && (m->n_targets > 1 || previous))
        status = vt_err_set(err, VT_EUSAGE, NULL, 0, 0,
                            "--data -: the rows are read once per target and once more for --previous: give a file "
                            "or a query");
    if (status == VT_OK && args.data && pg_is_uri(args.data) && (shown = pg_redact(args.data)) == NULL)
        status = vt_err_set(err, VT_ENOMEM, NULL, 0, 0, "out of memory");
    if (status == VT_OK) {
        row_stream_options data = db_args_input(args.data, &args.db, m->delimiter);
        report_inputs in = {m, args.model_path, card, args.card_path, previous, args.previous_path,
                            args.data ? &data : NULL, shown ? shown : args.data, args.title, args.flag};
        status = report_html_build(&in, &page, err);
    }
    if (status == VT_OK)
        status = write_page(args.output, &page, err);
    text_free(&page);
    free(shown);
    db_args_free(&args.db);
    model_free(previous);
    scorecard_free(card);
    model_free(m);
    return status;
}
