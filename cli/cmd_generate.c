/* vitals generate: synthetic accounts with known true coefficients. */
#include <cjson/cJSON.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "args.h"
#include "commands.h"
#include "gen.h"
#include "json.h"
#include "outfile.h"

static const char generate_help[] =
    "usage: vitals generate ROWS [--seed N] [--set TARGET:TERM=VALUE] -o DATA.csv [--truth FILE]\n"
    "\n"
    "Write ROWS synthetic account snapshots with churned/expanded labels drawn\n"
    "from known logistic models; the true coefficients go to DATA.csv.truth.json\n"
    "(or --truth FILE).  The same seed gives the same bytes.  --set changes one true\n"
    "coefficient, e.g. --set churn:unpaid_invoices=1.2.\n";

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
            cJSON_AddNumberToObject(coefficients, truth->term_names[t], values[k][t]);
    }
    return targets;
}

static vt_status write_truth(const char *path, const gen_truth *truth, uint64_t seed, vt_err *err)
{
    unsigned long failures = vt_alloc_failures();
    cJSON *root = cJSON_CreateObject();
    cJSON_AddNumberToObject(root, "rows", (double)truth->n_rows);
    cJSON_AddNumberToObject(root, "seed", (double)seed);
    cJSON_AddNumberToObject(root, "churned", (double)truth->n_churned);
    cJSON_AddNumberToObject(root, "expanded", (double)truth->n_expanded);
    cJSON_AddNumberToObject(root, "nps_mean", truth->nps_mean);
    json_attach(root, "targets", truth_targets(truth));
    return json_write_file(root, path, failures, err);
}

vt_status cmd_generate(int argc, char **argv, vt_err *err)
{
    const char *rows_text = NULL, *output = NULL, *truth_path = NULL;
    long seed = 1, n_rows = 0;
    char override_text[256] = "";
    gen_override override = {NULL, NULL, 0}, *changed = NULL;
    vt_status status;
    for (int i = 1; i < argc; i++) {
        const char *opt = argv[i], *value;
        if (args_is_help(opt)) {
            fputs(generate_help, stdout);
            return VT_OK;
        }
        if (opt[0] != '-') {
            if (rows_text)
                return vt_err_set(err, VT_EUSAGE, NULL, 0, 0, "unexpected argument '%s'", opt);
            rows_text = opt;
            continue;
        }
        if ((value = args_value(argc, argv, &i, err)) == NULL)
            return VT_EUSAGE;
        if (strcmp(opt, "--seed") == 0) {
            if ((status = args_long(opt, value, 0, 0x7fffffffffffffffL, &seed, err)) != VT_OK)
                return status;
        } else if (strcmp(opt, "-o") == 0 || strcmp(opt, "--output") == 0) {
            output = value;
        } else if (strcmp(opt, "--truth") == 0) {
            truth_path = value;
        } else if (strcmp(opt, "--set") == 0) {
            snprintf(override_text, sizeof override_text, "%s", value);
            char *colon = strchr(override_text, ':'), *equals = strchr(override_text, '=');
            if (colon == NULL || equals == NULL || equals < colon)
                return vt_err_set(err, VT_EUSAGE, NULL, 0, 0, "--set: '%s' is not TARGET:TERM=VALUE", value);
            *colon = *equals = '\0';
            if ((status = args_double("--set", equals + 1, &override.value, err)) != VT_OK)
                return status;
            override.target = override_text;
            override.term = colon + 1;
            changed = &override;
        } else {
            return vt_err_set(err, VT_EUSAGE, NULL, 0, 0, "generate: unknown option '%s'", opt);
        }
    }
    if (rows_text == NULL || output == NULL)
        return vt_err_set(err, VT_EUSAGE, NULL, 0, 0, "generate: needs ROWS and -o DATA.csv (see vitals generate --help)");
    if ((status = args_long("ROWS", rows_text, 1, 2000000000L, &n_rows, err)) != VT_OK)
        return status;

    char default_truth[4096];
    if (truth_path == NULL && outfile_is_file(output)) { /* not /dev/null.truth.json */
        snprintf(default_truth, sizeof default_truth, "%s.truth.json", output);
        truth_path = default_truth;
    }
    outfile *file = NULL;
    if ((status = outfile_open(output, &file, err)) != VT_OK)
        return status;
    gen_truth truth;
    status = gen_write(outfile_stream(file), (size_t)n_rows, (uint64_t)seed, changed, &truth, err);
    if (status != VT_OK) {
        outfile_abort(file);
        return status;
    }
    if ((status = outfile_commit(file, err)) != VT_OK)
        return status;
    if (truth_path)
        status = write_truth(truth_path, &truth, (uint64_t)seed, err);
    if (status == VT_OK)
        fprintf(stderr, "vitals: wrote %ld rows to %s (%.1f%% churned, %.1f%% expanded)\n", n_rows, output,
                100.0 * (double)truth.n_churned / (double)n_rows, 100.0 * (double)truth.n_expanded / (double)n_rows);
    return status;
}
