/* vitals score: apply a hand-set scorecard to every row of a file, with the
 * same streaming, threaded pipeline as predict. */
#include <stdio.h>
#include <string.h>

#include "args.h"
#include "commands.h"
#include "csv_reader.h"
#include "scorecard.h"
#include "stream.h"

static const char score_help[] =
    "usage: vitals score SCORECARD.json DATA.csv [-o SCORES.csv] [--id COL]\n"
    "\n"
    "Apply a hand-set scorecard (format: models/SCORECARD.md) to every row, in order:\n"
    "id,health,bucket, the points of each measure, and the rules that fired\n"
    "(1-based, ';'-separated).  Streams on threads like predict; memory stays flat;\n"
    "the output is the same bytes whatever --threads.\n"
    "\n"
    "  -o, --output FILE   where to write (default - : standard output)\n"
    "  --id COL            id column (default: the line number)\n"
    "  --threads N         worker threads (default: one per core)\n"
    "  --delimiter D       , (default) ; tab |\n"
    "  --quiet             no summary on standard error\n";

vt_status cmd_score(int argc, char **argv, vt_err *err)
{
    const char *paths[2] = {NULL, NULL};
    stream_options options = {0};
    options.output_path = "-";
    options.delimiter = ',';
    int quiet = 0;
    size_t n_paths = 0;
    for (int i = 1; i < argc; i++) {
        const char *opt = argv[i], *value;
        long whole = 0;
        vt_status status = VT_OK;
        if (args_is_help(opt)) {
            fputs(score_help, stdout);
            return VT_OK;
        }
        if (strcmp(opt, "--quiet") == 0) {
            quiet = 1;
            continue;
        }
        int positional = args_positional(opt, paths, 2, &n_paths, err);
        if (positional < 0)
            return VT_EUSAGE;
        if (positional)
            continue;
        if ((value = args_value(argc, argv, &i, err)) == NULL)
            return VT_EUSAGE;
        if (strcmp(opt, "-o") == 0 || strcmp(opt, "--output") == 0)
            options.output_path = value;
        else if (strcmp(opt, "--id") == 0)
            options.id_column = value;
        else if (strcmp(opt, "--threads") == 0) {
            status = args_long(opt, value, 1, 256, &whole, err);
            options.threads = (size_t)whole;
        } else if (strcmp(opt, "--delimiter") == 0) {
            if ((options.delimiter = csv_parse_delimiter(value)) == 0)
                return vt_err_set(err, VT_EUSAGE, NULL, 0, 0, "--delimiter: '%s' is not , ; tab or |", value);
        } else
            return vt_err_set(err, VT_EUSAGE, NULL, 0, 0, "score: unknown option '%s' (see vitals score --help)", opt);
        if (status != VT_OK)
            return status;
    }
    if (n_paths != 2)
        return vt_err_set(err, VT_EUSAGE, NULL, 0, 0, "score: needs SCORECARD.json and DATA.csv (see vitals score --help)");
    options.data_path = paths[1];
    scorecard *card = NULL;
    vt_status status = scorecard_load(paths[0], &card, err);
    stream_report report;
    if (status == VT_OK)
        status = stream_score_card(card, &options, &report, err);
    if (status == VT_OK && !quiet)
        fprintf(stderr, "vitals: scored %zu rows with scorecard '%s': %zu green, %zu yellow, %zu red\n", report.n_rows,
                card->name, report.n_bucket[BUCKET_GREEN], report.n_bucket[BUCKET_YELLOW], report.n_bucket[BUCKET_RED]);
    scorecard_free(card);
    return status;
}
