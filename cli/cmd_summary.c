/* vitals summary: a model file read back as R's summary.glm, with
 * intervals, odds ratios and standardised coefficients. */
#include <cjson/cJSON.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "args.h"
#include "commands.h"
#include "json.h"
#include "model.h"
#include "outfile.h"
#include "report.h"

static const char summary_help[] =
    "usage: vitals summary MODEL.json [--confidence L] [--json] [-o FILE]\n"
    "\n"
    "Print each target's coefficients as R's summary.glm does (estimate, SE, z, p\n"
    "with significance codes; aliased terms as NA), with the Wald interval, the odds\n"
    "ratio and its interval, and the standardised coefficient (estimate x the\n"
    "column's standard deviation); then deviances, AIC, BIC, log-likelihood,\n"
    "McFadden's R2 and iterations.\n"
    "\n"
    "  --confidence L   interval level (default: the model's, 0.95 unless trained otherwise)\n"
    "  --json           the same as JSON\n"
    "  -o, --output F   write there (default - : standard output)\n";

static vt_status write_json(const model *m, double level, const char *path, vt_err *err)
{
    unsigned long failures = vt_alloc_failures();
    cJSON *root = cJSON_CreateObject();
    cJSON *targets = cJSON_AddArrayToObject(root, "targets");
    for (size_t k = 0; k < m->n_targets; k++)
        json_append(targets, report_target_json(m, &m->targets[k], level));
    if (m->by_column) {
        cJSON *segments = cJSON_AddObjectToObject(root, "segments");
        cJSON_AddStringToObject(segments, "by", m->by_column);
        cJSON *levels = cJSON_AddArrayToObject(segments, "levels");
        for (size_t s = 0; s < m->n_segments; s++) {
            cJSON *item = json_append_object(levels), *list = cJSON_AddArrayToObject(item, "targets");
            cJSON_AddStringToObject(item, "level", m->segments[s].level);
            for (size_t k = 0; k < m->n_targets; k++) {
                if (m->segments[s].fallback[k]) {
                    json_append(list, model_fallback_json(m, &m->segments[s], k));
                } else {
                    json_append(list, report_target_json(m, &m->segments[s].targets[k], level));
                }
            }
        }
    }
    return json_write_file(root, path, failures, err);
}

static vt_status write_text(const model *m, double level, const char *path, vt_err *err)
{
    outfile *file = NULL;
    vt_status status = outfile_open(path, &file, err);
    if (status != VT_OK)
        return status;
    for (size_t k = 0; k < m->n_targets; k++)
        report_print_target(outfile_stream(file), m, &m->targets[k], level);
    report_print_segments(outfile_stream(file), m, level);
    return outfile_commit(file, err);
}

vt_status cmd_summary(int argc, char **argv, vt_err *err)
{
    const char *model_path = NULL, *output = "-";
    size_t n_paths = 0;
    double level = 0;
    int json = 0;
    for (int i = 1; i < argc; i++) {
        const char *opt = argv[i], *value;
        if (args_is_help(opt)) {
            fputs(summary_help, stdout);
            return VT_OK;
        }
        if (strcmp(opt, "--json") == 0) {
            json = 1;
            continue;
        }
        int positional = args_positional(opt, &model_path, 1, &n_paths, err);
        if (positional < 0)
            return VT_EUSAGE;
        if (positional)
            continue;
        if ((value = args_value(argc, argv, &i, err)) == NULL)
            return VT_EUSAGE;
        vt_status status = VT_OK;
        if (strcmp(opt, "--confidence") == 0)
            status = args_confidence(value, &level, err);
        else if (strcmp(opt, "-o") == 0 || strcmp(opt, "--output") == 0)
            output = value;
        else
            return vt_err_set(err, VT_EUSAGE, NULL, 0, 0, "summary: unknown option '%s' (see vitals summary --help)", opt);
        if (status != VT_OK)
            return status;
    }
    if (model_path == NULL)
        return vt_err_set(err, VT_EUSAGE, NULL, 0, 0, "summary: needs MODEL.json (see vitals summary --help)");
    model *m = NULL;
    vt_status status = model_load(model_path, &m, err);
    if (status != VT_OK)
        return status;
    if (level == 0)
        level = m->confidence;
    status = json ? write_json(m, level, output, err) : write_text(m, level, output, err);
    model_free(m);
    return status;
}
