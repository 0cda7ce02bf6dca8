/* vitals score: apply a hand-set scorecard to every row of a file. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "args.h"
#include "commands.h"
#include "csv_reader.h"
#include "numformat.h"
#include "outfile.h"
#include "scorecard.h"

static const char score_help[] =
    "usage: vitals score SCORECARD.json DATA.csv [-o SCORES.csv] [--id COL]\n"
    "\n"
    "Apply a hand-set scorecard (format: models/SCORECARD.md) to every row, in order:\n"
    "id,health,bucket, the points of each measure, and the rules that fired\n"
    "(1-based, ';'-separated).  Streams; memory stays flat.\n"
    "\n"
    "  -o, --output FILE   where to write (default - : standard output)\n"
    "  --id COL            id column (default: the line number)\n"
    "  --delimiter D       , (default) ; tab |\n"
    "  --quiet             no summary on standard error\n";

/* Points columns: the columns some measure scores (rules may read others). */
static int is_measure(const scorecard *card, const char *column)
{
    for (size_t s = 0; s < card->n_sets; s++)
        for (size_t m = 0; m < card->sets[s].n_measures; m++)
            if (strcmp(card->sets[s].measures[m].column, column) == 0)
                return 1;
    return 0;
}

static void write_header(FILE *out, const scorecard *card, const char *id)
{
    csv_write_field(out, id ? id : "line");
    fputs(",health,bucket", out);
    for (size_t c = 0; c < card->n_columns; c++)
        if (is_measure(card, card->columns[c])) {
            fputs(",points_", out);
            fputs(card->columns[c], out);
        }
    fputs(",rules_fired\n", out);
}

static void write_row(FILE *out, const scorecard *card, const csv_row *row, long id_field, const sc_result *result)
{
    char number[NUM_FORMAT_MAX + 1];
    if (id_field >= 0)
        csv_write_field(out, row->fields[id_field]);
    else
        fprintf(out, "%ld", row->line);
    fprintf(out, ",%ld,%s", lround(result->health), bucket_name(result->level));
    for (size_t c = 0; c < card->n_columns; c++) {
        if (!is_measure(card, card->columns[c]))
            continue;
        fputc(',', out);
        if (!isnan(result->points[c])) {
            number[num_format(result->points[c], number)] = '\0';
            fputs(number, out);
        }
    }
    fputc(',', out);
    int first = 1;
    for (size_t r = 0; r < card->n_rules; r++)
        if (result->fired & (1ULL << r)) {
            fprintf(out, first ? "%zu" : ";%zu", r + 1);
            first = 0;
        }
    fputc('\n', out);
}

static vt_status score_file(const scorecard *card, const char *data, const char *output, const char *id, char delimiter,
                            size_t counts[3], vt_err *err)
{
    csv_reader *csv = NULL;
    scorecard_binding *binding = NULL;
    outfile *file = NULL;
    double *points = calloc(card->n_columns ? card->n_columns : 1, sizeof(double));
    vt_status status = points ? csv_reader_open(data, delimiter, &csv, err)
                              : vt_err_set(err, VT_ENOMEM, NULL, 0, 0, "out of memory");
    long id_field = -1;
    if (status == VT_OK) {
        size_t n_columns = csv_reader_n_columns(csv);
        const char **header = calloc(n_columns, sizeof(char *));
        for (size_t c = 0; header && c < n_columns; c++)
            header[c] = csv_reader_column(csv, c);
        status = header ? scorecard_bind(card, csv_reader_path(csv), header, n_columns, &binding, err)
                        : vt_err_set(err, VT_ENOMEM, NULL, 0, 0, "out of memory");
        free(header);
        if (status == VT_OK && id && (id_field = csv_reader_find(csv, id)) < 0)
            status = vt_err_set(err, VT_EDATA, csv_reader_path(csv), 1, 0, "no id column '%s' in the header", id);
    }
    if (status == VT_OK && (status = outfile_open(output, &file, err)) == VT_OK)
        write_header(outfile_stream(file), card, id);
    while (status == VT_OK) {
        const csv_row *row = NULL;
        if ((status = csv_reader_next(csv, &row, err)) != VT_OK || row == NULL)
            break;
        sc_result result = {0, BUCKET_RED, points, 0};
        if ((status = scorecard_row(card, binding, row, csv_reader_path(csv), &result, err)) == VT_OK) {
            write_row(outfile_stream(file), card, row, id_field, &result);
            counts[result.level]++;
        }
    }
    if (status == VT_OK && file) {
        status = outfile_commit(file, err);
        file = NULL;
    }
    outfile_abort(file);
    scorecard_binding_free(binding);
    csv_reader_free(csv);
    free(points);
    return status;
}

vt_status cmd_score(int argc, char **argv, vt_err *err)
{
    const char *paths[2] = {NULL, NULL}, *output = "-", *id = NULL;
    char delimiter = ',';
    int quiet = 0;
    size_t n_paths = 0;
    for (int i = 1; i < argc; i++) {
        const char *opt = argv[i], *value;
        if (strcmp(opt, "--help") == 0 || strcmp(opt, "-h") == 0) {
            fputs(score_help, stdout);
            return VT_OK;
        }
        if (strcmp(opt, "--quiet") == 0) {
            quiet = 1;
            continue;
        }
        if (opt[0] != '-' || strcmp(opt, "-") == 0) {
            if (n_paths == 2)
                return vt_err_set(err, VT_EUSAGE, NULL, 0, 0, "unexpected argument '%s'", opt);
            paths[n_paths++] = opt;
            continue;
        }
        if ((value = args_value(argc, argv, &i, err)) == NULL)
            return VT_EUSAGE;
        if (strcmp(opt, "-o") == 0 || strcmp(opt, "--output") == 0)
            output = value;
        else if (strcmp(opt, "--id") == 0)
            id = value;
        else if (strcmp(opt, "--delimiter") == 0) {
            if ((delimiter = csv_parse_delimiter(value)) == 0)
                return vt_err_set(err, VT_EUSAGE, NULL, 0, 0, "--delimiter: '%s' is not , ; tab or |", value);
        } else
            return vt_err_set(err, VT_EUSAGE, NULL, 0, 0, "score: unknown option '%s' (see vitals score --help)", opt);
    }
    if (n_paths != 2)
        return vt_err_set(err, VT_EUSAGE, NULL, 0, 0, "score: needs SCORECARD.json and DATA.csv (see vitals score --help)");
    scorecard *card = NULL;
    vt_status status = scorecard_load(paths[0], &card, err);
    size_t counts[3] = {0, 0, 0};
    if (status == VT_OK)
        status = score_file(card, paths[1], output, id, delimiter, counts, err);
    if (status == VT_OK && !quiet)
        fprintf(stderr, "vitals: scored %zu rows with scorecard '%s': %zu green, %zu yellow, %zu red\n",
                counts[0] + counts[1] + counts[2], card->name, counts[BUCKET_GREEN], counts[BUCKET_YELLOW],
                counts[BUCKET_RED]);
    scorecard_free(card);
    return status;
}
