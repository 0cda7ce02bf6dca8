/* vitals predict: score a file with a model, streaming. */
#include <stdio.h>
#include <string.h>

#include "args.h"
#include "commands.h"
#include "csv_reader.h"
#include "model.h"
#include "score.h"
#include "stream.h"

static const char predict_help[] =
    "usage: vitals predict MODEL.json DATA.csv [options]\n"
    "\n"
    "Score every row of DATA.csv (- for standard input) with the model, in input\n"
    "order, as id,churn_risk[,expansion],health,bucket.\n"
    "\n"
    "  -o, --output FILE   scores to write (default - : standard output)\n"
    "  --unseen MODE       error (default) or baseline: score a level not seen in\n"
    "                      training as the column's baseline level\n"
    "  --delimiter D       input delimiter, if not the model's\n"
    "  --quiet             no summary on standard error\n";

vt_status cmd_predict(int argc, char **argv, vt_err *err)
{
    stream_options options = {NULL, "-", 0, 0, 0};
    const char *model_path = NULL;
    int quiet = 0;
    for (int i = 1; i < argc; i++) {
        const char *opt = argv[i], *value;
        if (strcmp(opt, "--help") == 0 || strcmp(opt, "-h") == 0) {
            fputs(predict_help, stdout);
            return VT_OK;
        }
        if (strcmp(opt, "--quiet") == 0) {
            quiet = 1;
            continue;
        }
        if (opt[0] != '-' || strcmp(opt, "-") == 0) {
            if (model_path == NULL)
                model_path = opt;
            else if (options.data_path == NULL)
                options.data_path = opt;
            else
                return vt_err_set(err, VT_EUSAGE, NULL, 0, 0, "unexpected argument '%s'", opt);
            continue;
        }
        if ((value = args_value(argc, argv, &i, err)) == NULL)
            return VT_EUSAGE;
        if (strcmp(opt, "-o") == 0 || strcmp(opt, "--output") == 0) {
            options.output_path = value;
        } else if (strcmp(opt, "--unseen") == 0) {
            if (strcmp(value, "baseline") != 0 && strcmp(value, "error") != 0)
                return vt_err_set(err, VT_EUSAGE, NULL, 0, 0, "--unseen: '%s' is not error or baseline", value);
            options.unseen_baseline = strcmp(value, "baseline") == 0;
        } else if (strcmp(opt, "--delimiter") == 0) {
            if ((options.delimiter = csv_parse_delimiter(value)) == 0)
                return vt_err_set(err, VT_EUSAGE, NULL, 0, 0, "--delimiter: '%s' is not , ; tab or |", value);
        } else {
            return vt_err_set(err, VT_EUSAGE, NULL, 0, 0, "predict: unknown option '%s' (see vitals predict --help)", opt);
        }
    }
    if (model_path == NULL || options.data_path == NULL)
        return vt_err_set(err, VT_EUSAGE, NULL, 0, 0, "predict: needs MODEL.json and DATA.csv (see vitals predict --help)");
    if (strcmp(model_path, "-") == 0 && strcmp(options.data_path, "-") == 0)
        return vt_err_set(err, VT_EUSAGE, NULL, 0, 0, "predict: the model and the data cannot both be standard input");

    model *m = NULL;
    vt_status status = model_load(model_path, &m, err);
    if (status != VT_OK)
        return status;
    stream_report report;
    status = stream_score(m, &options, &report, err);
    if (status == VT_OK && !quiet) {
        fprintf(stderr, "vitals: scored %zu rows: %zu green, %zu yellow, %zu red", report.n_rows,
                report.n_bucket[BUCKET_GREEN], report.n_bucket[BUCKET_YELLOW], report.n_bucket[BUCKET_RED]);
        if (report.n_imputed)
            fprintf(stderr, "; %zu missing cells imputed", report.n_imputed);
        if (report.n_unseen)
            fprintf(stderr, "; %zu unseen levels scored as baseline", report.n_unseen);
        fputc('\n', stderr);
    }
    model_free(m);
    return status;
}
