/* vitals generate: synthetic accounts with known true coefficients. */
#include <cjson/cJSON.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "args.h"
#include "commands.h"
#include "gen.h"
#include "json.h"
#include "outfile.h"

static const char generate_help[] =
    "usage: vitals generate ROWS [--seed N] [--months K] [--shape linear|curved] [--set TARGET:TERM=VALUE]\n"
    "                      -o DATA.csv [--truth FILE]\n"
    "\n"
    "Write ROWS synthetic account snapshots with churned/expanded labels drawn\n"
    "from known logistic models; the true coefficients go to DATA.csv.truth.json\n"
    "(or --truth FILE).  The same seed gives the same bytes.  --set changes one true\n"
    "coefficient, e.g. --set churn:unpaid_invoices=1.2.\n"
    "\n"
    "--months K (K > 1): ROWS accounts followed for K months, a snapshot per live\n"
    "account per month in date order, with a snapshot_date column (month firsts\n"
    "from 2024-01-01).  Features drift; some accounts start to decline and then\n"
    "churn more and more likely; churned means churned before the next month's\n"
    "snapshot (the truth's intercept is a month's) and a churned account is absent\n"
    "afterwards.  For vitals history.\n"
    "\n"
    "--shape curved: the same columns (every command reads the file as before),\n"
    "but churned is drawn from a churn log-odds with three curved effects, the\n"
    "other columns' staying linear (without --months every other column is the\n"
    "linear file's, byte for byte):\n"
    "  active_user_ratio   a ramp: risk climbs steeply below 0.5, flat above 0.8\n"
    "  days_since_contact  a U: lowest at 30 days, rising both ways\n"
    "  logins_per_seat     protection that grows fast, then flattens\n"
    "and two interactions (R's A:B terms beside the main effects):\n"
    "  usage_trend x lifecycle_stage   the trend's slope by stage: +2.0 in maturity,\n"
    "                                  -4.0 in onboarding (adoption: the main effect)\n"
    "  open_tickets x unpaid_invoices  +0.4 per ticket per unpaid invoice\n"
    "The truth gives each curve's formula and its values on 101 points from the\n"
    "column's 0.5% to its 99.5% quantile, centred to mean 0 over the rows written\n"
    "(as a sum-to-zero smooth; the intercept takes the means), and the linear\n"
    "coefficients of the rest and of the interactions.  The expansion model stays linear.  --set may\n"
    "change a linear term, not a curve; a churn (Intercept) it sets is the one\n"
    "before centring.  The default, --shape linear, is the file described above.\n";

/* An array of n doubles that read back exactly. */
static cJSON *exact_array(const double *values, size_t n)
{
    cJSON *array = cJSON_CreateArray();
    for (size_t i = 0; array && i < n; i++)
        json_append(array, json_create_exact(values[i]));
    return array;
}

/* The churn curves of a --shape curved truth, under target. */
static void truth_curves(cJSON *target, const gen_truth *truth)
{
    cJSON_AddStringToObject(target, "curves_convention",
                            "log-odds = sum of coefficient * term + sum of f(column) over the curves; each f is "
                            "centred: its mean over the rows written (mean_removed) is subtracted, as for a "
                            "sum-to-zero-constrained smooth, and (Intercept) includes those means; x: 101 evenly "
                            "spaced points from the column's 0.5% to its 99.5% quantile (type 1) over the rows "
                            "written; f: the centred curve there");
    cJSON *curves = cJSON_AddObjectToObject(target, "curves");
    for (int c = 0; curves && c < GEN_N_CURVES; c++) {
        const gen_curve *curve = &truth->churn_curves[c];
        cJSON *item = cJSON_AddObjectToObject(curves, curve->term);
        cJSON_AddStringToObject(item, "formula", curve->formula);
        json_add_exact(item, "mean_removed", curve->mean);
        json_add_exact(item, "low", curve->low);
        json_add_exact(item, "high", curve->high);
        json_attach(item, "x", exact_array(curve->x, GEN_GRID));
        json_attach(item, "f", exact_array(curve->f, GEN_GRID));
    }
}

static cJSON *truth_targets(const gen_truth *truth)
{
    cJSON *targets = cJSON_CreateObject();
    const char *names[] = {"churn", "expansion"}, *labels[] = {"churned", "expanded"};
    const double *values[] = {truth->churn, truth->expansion};
    for (int k = 0; targets && k < 2; k++) {
        cJSON *target = cJSON_AddObjectToObject(targets, names[k]);
        cJSON_AddStringToObject(target, "label", labels[k]);
        cJSON *coefficients = cJSON_AddObjectToObject(target, "coefficients");
        for (size_t t = 0; t < GEN_N_TERMS; t++)
            if (k != 0 || !truth->churn_curved[t])
                cJSON_AddNumberToObject(coefficients, truth->term_names[t], values[k][t]);
        if (k == 0 && truth->shape == GEN_CURVED) {
            truth_curves(target, truth);
            cJSON *pairs = cJSON_AddObjectToObject(target, "interactions");
            for (int p = 0; pairs && p < GEN_N_PAIRS; p++)
                json_add_exact(pairs, truth->pair_names[p], truth->churn_pairs[p]);
        }
    }
    return targets;
}

/* The truth file's text (NULL if no memory; caller frees). */
static char *truth_text(const gen_truth *truth, uint64_t seed)
{
    unsigned long failures = vt_alloc_failures();
    cJSON *root = cJSON_CreateObject();
    cJSON_AddNumberToObject(root, "rows", (double)truth->n_rows);
    cJSON_AddNumberToObject(root, "seed", (double)seed);
    cJSON_AddNumberToObject(root, "churned", (double)truth->n_churned);
    cJSON_AddNumberToObject(root, "expanded", (double)truth->n_expanded);
    cJSON_AddNumberToObject(root, "nps_mean", truth->nps_mean);
    if (truth->shape == GEN_CURVED)
        cJSON_AddStringToObject(root, "shape", "curved");
    json_attach(root, "targets", truth_targets(truth));
    char *text = root && vt_alloc_failures() == failures ? cJSON_Print(root) : NULL;
    cJSON_Delete(root);
    return text;
}

typedef struct {
    long n_rows, seed, months;
    gen_shape shape;
    const char *output, *truth_path;
    char set_text[256]; /* --set, split in place into target and term */
    gen_override set;   /* set.target NULL: no --set */
} generate_args;

/* --set TARGET:TERM=VALUE */
static vt_status parse_set(void *options, const char *name, const char *value, vt_err *err)
{
    generate_args *args = options;
    snprintf(args->set_text, sizeof args->set_text, "%s", value);
    char *colon = strchr(args->set_text, ':'), *equals = strchr(args->set_text, '=');
    if (colon == NULL || equals == NULL || equals < colon)
        return vt_err_set(err, VT_EUSAGE, NULL, 0, 0, "%s: '%s' is not TARGET:TERM=VALUE", name, value);
    *colon = *equals = '\0';
    args->set.target = args->set_text;
    args->set.term = colon + 1;
    return args_double(name, equals + 1, &args->set.value, err);
}

static const char *const shapes[] = {"linear", "curved", NULL}; /* gen_shape's order */

static const arg_spec generate_options[] = {
    {"--seed", NULL, ARG_LONG, ARG_AT(generate_args, seed), .min = 0, .max = LONG_MAX},
    {"--set", NULL, ARG_CUSTOM, .parse = parse_set},
    {"--months", NULL, ARG_LONG, ARG_AT(generate_args, months), .min = 1, .max = 1200},
    {"--shape", NULL, ARG_CHOICE, ARG_AT(generate_args, shape), .choices = shapes},
    {"--output", "-o", ARG_STRING, ARG_AT(generate_args, output), .required = 1},
    {"--truth", NULL, ARG_STRING, ARG_AT(generate_args, truth_path)},
    {0},
};

static const arg_spec generate_positionals[] = {
    {"ROWS", NULL, ARG_LONG, ARG_AT(generate_args, n_rows), .min = 1, .max = 2000000000L},
    {0},
};

vt_status cmd_generate(int argc, char **argv, vt_err *err)
{
    generate_args args = {.seed = 1, .months = 1, .shape = GEN_LINEAR};
    args_result parsed = args_parse(argc, argv, generate_options, generate_positionals, &args, err);
    if (parsed != ARGS_RUN)
        return args_stop(parsed, generate_help, err);
    const char *output = args.output, *truth_path = args.truth_path;
    long seed = args.seed, n_rows = args.n_rows;
    const gen_override *changed = args.set.target ? &args.set : NULL;
    vt_status status;

    char default_truth[4096];
    if (truth_path == NULL && outfile_is_file(output)) { /* not /dev/null.truth.json */
        snprintf(default_truth, sizeof default_truth, "%s.truth.json", output);
        truth_path = default_truth;
    }
    outfile *file = NULL;
    if ((status = outfile_open(output, &file, err)) != VT_OK)
        return status;
    gen_truth truth;
    if (args.months > 1)
        status = gen_write_months(outfile_stream(file), (size_t)n_rows, (int)args.months, (uint64_t)seed,
                                  args.shape, changed, &truth, err);
    else
        status = gen_write(outfile_stream(file), (size_t)n_rows, (uint64_t)seed, args.shape, changed, &truth, err);
    /* The truth is written in full before either file is committed: both or neither. */
    char *text = status == VT_OK && truth_path ? truth_text(&truth, (uint64_t)seed) : NULL;
    outfile *truth_file = NULL;
    if (status == VT_OK && truth_path && text == NULL)
        status = vt_err_set(err, VT_ENOMEM, NULL, 0, 0, "out of memory");
    if (status == VT_OK && truth_path && (status = outfile_open(truth_path, &truth_file, err)) == VT_OK)
        fprintf(outfile_stream(truth_file), "%s\n", text);
    cJSON_free(text);
    if (status != VT_OK) {
        outfile_abort(file);
        return status;
    }
    if ((status = outfile_commit(file, err)) != VT_OK) {
        outfile_abort(truth_file);
        return status;
    }
    if (truth_file)
        status = outfile_commit(truth_file, err);
    if (status == VT_OK)
        fprintf(stderr, "vitals: wrote %zu rows to %s (%.1f%% churned, %.1f%% expanded)\n", truth.n_rows, output,
                100.0 * (double)truth.n_churned / (double)truth.n_rows,
                100.0 * (double)truth.n_expanded / (double)truth.n_rows);
    return status;
}
