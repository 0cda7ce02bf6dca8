/* vitals summary: a model file read back as R's summary.glm, with
 * intervals, odds ratios and standardised coefficients. */
#include <cjson/cJSON.h>
#include <stdio.h>
#include <stdlib.h>

#include "args.h"
#include "commands.h"
#include "json.h"
#include "model.h"
#include "model_json.h"
#include "outfile.h"
#include "report.h"
#include "validate.h"

static const char summary_help[] =
    "usage: vitals summary MODEL.json [--confidence L] [--json] [-o FILE]\n"
    "\n"
    "Print each target's coefficients as R's summary.glm does (estimate, SE, z, p\n"
    "with significance codes; aliased terms as NA), with the Wald interval, the odds\n"
    "ratio and its interval, and the standardised coefficient (estimate x the\n"
    "column's standard deviation); then deviances, AIC, BIC, log-likelihood,\n"
    "McFadden's R2 and iterations; then the health bands and how they were set.\n"
    "\n"
    "  --confidence L   interval level (default: the model's, 0.95 unless trained otherwise)\n"
    "  --json           the same as JSON\n"
    "  -o, --output F   write there (default - : standard output)\n";

static void bands_text(FILE *out, const model *m)
{
    const model_bands_source *source = &m->bands_source;
    if (!model_has_health(m)) {
        fputs("\nNo health bands: the model has no churn target (health = round(100 x (1 - churn risk))); it gives "
              "the expansion probability only\n", out);
        return;
    }
    fprintf(out, "\nHealth bands: red below %g, yellow below %g (health = round(100 x (1 - churn risk)))", m->red_below,
            m->yellow_below);
    if (source->by_share)
        fprintf(out, ", set from shares of the fitting rows: red %g%% and yellow %g%% asked, %.1f%% and %.1f%% of "
                     "the %zu fitting rows reached\n", 100 * source->asked[0], 100 * source->asked[1],
                100 * source->reached[0], 100 * source->reached[1], source->rows);
    else
        fputs(", absolute cut-offs\n", out);
}

static vt_status write_json(const model *m, double level, const char *path, vt_err *err)
{
    unsigned long failures = vt_alloc_failures();
    cJSON *root = cJSON_CreateObject();
    cJSON *targets = cJSON_AddArrayToObject(root, "targets");
    for (size_t k = 0; k < m->n_targets; k++) {
        cJSON *item = report_target_json(m, &m->targets[k], level);
        const model_validation *v = m->targets[k].validation;
        if (v && item)
            json_attach(item, "validation", validation_json(v->method, &v->overall, v->folds, v->n_folds,
                                                            v->with_buckets));
        json_append(targets, item);
    }
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
        cJSON *routing = m->by_routed[0] ? cJSON_AddArrayToObject(segments, "routing") : NULL;
        for (size_t k = 0; routing && k < m->n_targets; k++) {
            cJSON *item = json_append_object(routing);
            cJSON_AddStringToObject(item, "target", m->targets[k].name);
            const model_validation *ways[] = {m->by_routed[k], m->by_pooled[k]};
            const char *names[] = {"routed", "pooled"};
            for (int w = 0; w < 2; w++)
                json_attach(item, names[w], ways[w] ? validation_json(ways[w]->method, &ways[w]->overall, NULL, 0, 0)
                                                    : cJSON_CreateNull());
        }
    }
    if (model_has_health(m)) /* a propensity model has no health bands */
        model_bands_json(cJSON_AddObjectToObject(root, "bands"), m);
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
    report_print_routing(outfile_stream(file), m);
    bands_text(outfile_stream(file), m);
    /* What train measured on rows the fit did not see, as stored. */
    for (size_t k = 0; k < m->n_targets; k++) {
        const model_validation *v = m->targets[k].validation;
        if (v)
            report_print_validation(outfile_stream(file), m->targets[k].name, v->method, &v->overall, v->folds,
                                    v->n_folds, v->with_buckets);
    }
    return outfile_commit(file, err);
}

typedef struct {
    const char *model_path, *output;
    double level; /* 0: the model's */
    int json;
} summary_args;

static const arg_spec summary_options[] = {
    {"--confidence", NULL, ARG_SHARE, ARG_AT(summary_args, level), .what = "a level between 0 and 1"},
    {"--json", NULL, ARG_FLAG, ARG_AT(summary_args, json)},
    {"--output", "-o", ARG_STRING, ARG_AT(summary_args, output)},
    {0},
};

static const arg_spec summary_positionals[] = {
    {"MODEL.json", NULL, ARG_STRING, ARG_AT(summary_args, model_path)},
    {0},
};

vt_status cmd_summary(int argc, char **argv, vt_err *err)
{
    summary_args args = {.output = "-"};
    args_result parsed = args_parse(argc, argv, summary_options, summary_positionals, &args, err);
    if (parsed != ARGS_RUN)
        return args_stop(parsed, summary_help, err);
    model *m = NULL;
    vt_status status = model_load(args.model_path, &m, err);
    if (status != VT_OK)
        return status;
    double level = args.level > 0 ? args.level : m->confidence;
    status = args.json ? write_json(m, level, args.output, err) : write_text(m, level, args.output, err);
    model_free(m);
    return status;
}
